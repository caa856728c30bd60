"""The intervention ladder (seed `002_ba74fdc3bad8f066.txt`).

A council judged inadequate has six months from publication of the judgement to improve or faces
intervention: an independent commissioner first; if it still fails, services move to a trust,
a high-performing council or a charity. Improvement notices and statutory directions are recorded
stages too. Every stage has a date and a next deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.calendar import deadline_after


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    order: int
    default_months: int | None  # months until the next deadline; None: no deadline (closed)


STAGES: tuple[Stage, ...] = (
    Stage("judged_inadequate", "Judged inadequate", 1, 6),
    Stage("improvement_notice", "Improvement notice", 2, 6),
    Stage("statutory_direction", "Statutory direction", 3, 6),
    Stage("commissioner_appointed", "Commissioner appointed", 4, 3),
    Stage("alternative_delivery", "Trust or alternative delivery", 5, 12),
    Stage("improving", "Improving (closed)", 6, None),
)
STAGES_BY_KEY = {stage.key: stage for stage in STAGES}

_STAGE_WORDS = {
    "inadequate": "judged_inadequate",
    "judged inadequate": "judged_inadequate",
    "notice": "improvement_notice",
    "improvement notice": "improvement_notice",
    "direction": "statutory_direction",
    "statutory direction": "statutory_direction",
    "commissioner": "commissioner_appointed",
    "commissioner appointed": "commissioner_appointed",
    "trust": "alternative_delivery",
    "alternative delivery": "alternative_delivery",
    "trust or alternative delivery": "alternative_delivery",
    "improving": "improving",
    "closed": "improving",
}


def parse_stage(text: str) -> Stage | None:
    key = text.strip().lower().replace("_", " ").replace("-", " ")
    key = _STAGE_WORDS.get(key, key.replace(" ", "_"))
    return STAGES_BY_KEY.get(key)


def next_deadline(stage: Stage, start: date, months_override: int | None = None) -> date | None:
    """The deadline that follows `stage` entered on `start` (a working day)."""
    months = months_override if months_override is not None else stage.default_months
    if stage.default_months is None or months is None:
        return None
    return deadline_after(start, months)

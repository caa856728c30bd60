"""Ofsted ILACS judgement grades and the four sub-judgements."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

OUTSTANDING = "Outstanding"
GOOD = "Good"
REQUIRES_IMPROVEMENT = "Requires improvement to be good"
INADEQUATE = "Inadequate"

GRADES: tuple[str, ...] = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE)
NOT_INSPECTED = "Not yet inspected"  # a council with no ILACS judgement yet

SUB_JUDGEMENTS: dict[str, str] = {
    "leaders": "Impact of leaders",
    "help_and_protection": "Children who need help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
}

_GRADE_WORDS: dict[str, str] = {
    "outstanding": OUTSTANDING,
    "good": GOOD,
    "requires improvement": REQUIRES_IMPROVEMENT,
    "requires improvement to be good": REQUIRES_IMPROVEMENT,
    "ri": REQUIRES_IMPROVEMENT,
    "requires": REQUIRES_IMPROVEMENT,
    "inadequate": INADEQUATE,
    "failing": INADEQUATE,
}


def parse_grade(text: str) -> str | None:
    """Map what a user types ("RI", "inadequate", "requires improvement") to an Ofsted grade."""
    return _GRADE_WORDS.get(text.strip().lower())


def short_grade(grade: str | None) -> str:
    """A compact label for lists and tables."""
    if grade is None:
        return NOT_INSPECTED
    return "Requires improvement" if grade == REQUIRES_IMPROVEMENT else grade


def count_by_grade(overalls: Iterable[str | None]) -> dict[str, int]:
    """How many councils have each latest grade (None: not yet inspected), best grade first, zeros left out."""
    counts = Counter(overall or NOT_INSPECTED for overall in overalls)
    return {grade: counts[grade] for grade in (*GRADES, NOT_INSPECTED) if counts[grade]}


# Inspection frameworks since 2009, as stored in the judgement table's `framework` column
# (storage/earlier_inspections.py names the earlier ones), with how an answer names them.
ILACS = "ILACS"
FRAMEWORK_LABELS: dict[str, str] = {
    ILACS: "ILACS",
    "SIF": "single inspection framework",
    "SIF re-inspection": "single inspection framework re-inspection",
    "SLAC safeguarding": "safeguarding and looked after children inspection: safeguarding",
    "SLAC looked after": "safeguarding and looked after children inspection: looked after children",
    "SLAC safeguarding re-inspection": "safeguarding re-inspection",
    "SLAC looked after re-inspection": "looked after children re-inspection",
    "CPI": "child protection inspection",
    "CPRI": "child protection re-inspection",
    "TLAC": "targeted looked after children inspection",
}
# Frameworks that judged the whole service (the others, 2009-13, judged one part of it).
WHOLE_SERVICE_FRAMEWORKS = frozenset({ILACS, "SIF", "SIF re-inspection"})
OLD_SCALE_FRAMEWORKS = frozenset(FRAMEWORK_LABELS) - WHOLE_SERVICE_FRAMEWORKS  # graded Adequate, not RI


def framework_label(framework: str) -> str:
    return FRAMEWORK_LABELS.get(framework, framework)

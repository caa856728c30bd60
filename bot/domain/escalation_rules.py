"""Which moves up the intervention ladder are ordinary, and which need a second look.

Seed `002_...`: a council judged inadequate has six months to improve "or face intervention,
initially with the appointment of an independent commissioner. If councils still fail to
improve, children's social care services will be handed to" a trust, a high-performing council
or a charity. Improvement notices and statutory directions are recorded stages too, but a council
can go from an inadequate judgement straight to a commissioner. So the ordinary next steps are:

    (none / improving) -> judged inadequate
    judged inadequate   -> improvement notice | statutory direction | commissioner
    improvement notice  -> statutory direction | commissioner
    statutory direction -> commissioner
    commissioner        -> trust or alternative delivery
    any open stage      -> improving (closed)

Anything else (a trust straight after an inadequate judgement, a step back down, the same stage
twice, or intervention for a council with no open escalation) is allowed only after the user
confirms it: it is more often a typo than a decision.
"""

from __future__ import annotations

from bot.domain.ladder import STAGES_BY_KEY, Stage

_ORDINARY_NEXT: dict[str | None, frozenset[str]] = {
    None: frozenset({"judged_inadequate"}),
    "improving": frozenset({"judged_inadequate"}),
    "judged_inadequate": frozenset(
        {"improvement_notice", "statutory_direction", "commissioner_appointed", "improving"}
    ),
    "improvement_notice": frozenset({"statutory_direction", "commissioner_appointed", "improving"}),
    "statutory_direction": frozenset({"commissioner_appointed", "improving"}),
    "commissioner_appointed": frozenset({"alternative_delivery", "improving"}),
    "alternative_delivery": frozenset({"improving"}),
}


def transition_concern(current: str | None, new: Stage) -> str | None:
    """None when `current` -> `new` is an ordinary step; otherwise why it needs confirming."""
    if new.key in _ORDINARY_NEXT.get(current, frozenset()):
        return None
    if current is None or current == "improving":
        where = "has no open escalation" if current is None else "is recorded as improving (closed)"
        return f"it {where}, and the ladder normally starts with an inadequate judgement"
    current_stage = STAGES_BY_KEY.get(current)
    if current_stage is None:
        return None
    if new.key == current:
        return f"it is already at “{current_stage.label}”"
    if new.order < current_stage.order:
        return f"that moves it back down the ladder from “{current_stage.label}”"
    expected = sorted((STAGES_BY_KEY[k] for k in _ORDINARY_NEXT[current] if k != "improving"), key=lambda s: s.order)
    names = " or ".join(f"“{s.label}”" for s in expected)
    return f"that skips the ladder: after “{current_stage.label}” the next step is normally {names}"

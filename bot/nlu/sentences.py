"""Sentences about a council's judgements that the NL answers share."""

from __future__ import annotations

from bot.core.format import fmt_date
from bot.domain.judgements import INADEQUATE, short_grade
from bot.services.values import CouncilStatus, JudgementInfo


def published(judgement: JudgementInfo) -> str:
    return fmt_date(judgement.publication_date or judgement.inspection_date)


def history_sentence(status: CouncilStatus, grade: str | None) -> str:
    """ "Was it inadequate before?": answer from the earlier judgements on record."""
    name = status.council.name
    latest = status.latest
    earlier = [j for j in status.history if j is not latest]
    wanted = grade or INADEQUATE
    if not earlier:
        return f"{name} has no earlier ILACS judgement on record (the records start in 2018)."
    matches = [j for j in earlier if j.overall == wanted]
    listing = "; ".join(f"{short_grade(j.overall)} (published {published(j)})" for j in reversed(earlier))
    if matches:
        return f"Yes: {name} was judged {wanted} before. Earlier ILACS judgements: {listing}."
    return f"No: {name} was not judged {wanted} in any earlier ILACS inspection on record. Earlier: {listing}."

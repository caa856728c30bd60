"""Sentences about a council's judgements that the NL answers share."""

from __future__ import annotations

from bot.core.format import fmt_date
from bot.domain.judgements import INADEQUATE
from bot.nlu.history_answers import HistoryAnswer
from bot.services.values import CouncilStatus, JudgementInfo


def published(judgement: JudgementInfo) -> str:
    return fmt_date(judgement.publication_date or judgement.inspection_date)


def history_sentence(status: CouncilStatus, grade: str | None) -> str:
    """ "Was it inadequate before?" (and its follow-ups): answered from the whole record since
    2009, every framework, as the history questions are."""
    answer = HistoryAnswer(status, grade or INADEQUATE, "before")
    return answer.ever() if grade else answer.record()

"""The intervention ladder's records: opening escalations for inadequate judgements."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.core.format import fmt_date
from bot.domain.judgements import INADEQUATE
from bot.domain.ladder import STAGES_BY_KEY, next_deadline
from storage.tables import ILACS, Council, InterventionEvent, OfstedJudgement


def open_escalations_for_inadequate(session: Session, months: int, actor: str = "seed") -> int:
    """Give every current council whose latest judgement is Inadequate a `judged_inadequate`
    event dated at publication, with its deadline six months on (seed `002_...`: "six months to
    improve or face intervention"). Idempotent: a council with an event on or after that
    publication date is left alone. Returns the number of events opened."""
    opened = 0
    councils = session.exec(select(Council).where(Council.current == True)).all()  # noqa: E712
    for council in councils:
        latest = session.exec(
            select(OfstedJudgement)
            .where(OfstedJudgement.council_id == council.id)
            .where(OfstedJudgement.framework == ILACS)
            .order_by(col(OfstedJudgement.inspection_date).desc())
        ).first()
        if latest is None or latest.overall != INADEQUATE:
            continue
        published = latest.publication_date or latest.inspection_date
        if published is None:  # an ILACS row always has its inspection date
            continue
        existing = session.exec(
            select(InterventionEvent)
            .where(InterventionEvent.council_id == council.id)
            .where(InterventionEvent.event_date >= published)
        ).first()
        if existing is not None:
            continue
        stage = STAGES_BY_KEY["judged_inadequate"]
        session.add(
            InterventionEvent(
                council_id=council.id or 0,
                stage=stage.key,
                event_date=published,
                deadline=next_deadline(stage, published, months),
                note=f"Ofsted judgement published {fmt_date(published)}",
                created_by=actor,
            )
        )
        opened += 1
    return opened

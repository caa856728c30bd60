"""Importing a new Ofsted release.

The whole file is read and validated first (:mod:`storage.ofsted_files`); only then, in one
transaction, are judgements matched to councils on ONS code (names differ between sources),
added or brought into line, audit-recorded as the actor "cli", and escalations opened for councils
whose latest judgement is a new Inadequate (seed `002_...`: six months from publication to improve).
Re-importing the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from bot.config import Settings
from bot.core.format import fmt_short_date
from bot.services.actors import ADMIN, Actor
from bot.services.audit import AuditTrail, snapshot
from bot.services.interventions import open_escalations_for_inadequate
from storage.db import Database
from storage.ofsted_files import DEFAULT_TYPE, JudgementRecord, OfstedFileError, read_ofsted_file
from storage.tables import ILACS, Council, InterventionEvent, OfstedJudgement

CLI_ACTOR = Actor(platform="cli", user_id="cli", name="Ofsted import", access=ADMIN)
JUDGEMENT_FIELDS = ("publication_date", "overall", "leaders", "help_and_protection", "children_in_care", "care_leavers")

__all__ = ["CLI_ACTOR", "ImportReport", "OfstedFileError", "OfstedImportService"]


@dataclass
class ImportReport:
    file: str
    sheets_used: list[str]
    sheets_skipped: list[str]
    rows_read: int
    visits_skipped: int
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: int = 0
    unmatched_codes: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)  # "Council: deadline 2026-05-01"
    dry_run: bool = False

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.unmatched} unmatched"
        )


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class OfstedImportService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def run(self, path: Path, *, actor: Actor = CLI_ACTOR, dry_run: bool = False) -> ImportReport:
        """Import `path` (.ods/.xlsx with all its sheets, or a CSV of one sheet).

        Raises OfstedFileError (naming sheet, row and column) before writing anything."""
        parsed = read_ofsted_file(path)
        report = ImportReport(
            file=path.name, sheets_used=parsed.sheets_used, sheets_skipped=parsed.sheets_skipped,
            rows_read=len(parsed.records), visits_skipped=parsed.visits_skipped, dry_run=dry_run,
        )
        try:
            with self.db.session() as session:
                self._apply(session, actor, parsed.records, report, source=path.name)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return report

    def _apply(
        self, session: Session, actor: Actor, records: list[JudgementRecord], report: ImportReport, source: str
    ) -> None:
        councils = {c.ons_code: c for c in session.exec(select(Council)).all()}
        # One inspection per council per date: the key is (council, inspection date) and the type
        # is a value like the grades, so a CSV of the "as at" sheet (no type column) and the
        # history sheet describe the same rows whichever is imported first.
        existing: dict[tuple[int, Any], OfstedJudgement] = {
            (j.council_id, j.inspection_date): j
            for j in session.exec(select(OfstedJudgement).where(OfstedJudgement.framework == ILACS)).all()
        }
        typed = {(r.ons_code, r.inspection_date): r.inspection_type for r in records if r.inspection_type}
        merged: dict[tuple[int, Any], dict[str, Any]] = {}
        unmatched: set[str] = set()
        for record in records:
            council = councils.get(record.ons_code)
            if council is None:
                unmatched.add(record.ons_code)
                continue
            values = {name: getattr(record, name) for name in JUDGEMENT_FIELDS}
            values["inspection_type"] = record.inspection_type or typed.get((record.ons_code, record.inspection_date))
            key = (council.id or 0, record.inspection_date)
            if key in merged:  # the same inspection on several sheets: fill gaps, first value wins
                merged[key] = {k: merged[key][k] if merged[key][k] is not None else v for k, v in values.items()}
            else:
                merged[key] = values
        report.unmatched_codes = sorted(unmatched)
        report.unmatched = len(unmatched)
        batch = AuditTrail.new_batch()
        by_id = {c.id: c for c in councils.values()}
        for (council_id, day), values in sorted(merged.items(), key=lambda item: (item[0][1], item[0][0])):
            council = by_id[council_id]
            row = existing.get((council_id, day))
            if row is None:
                kind = values.pop("inspection_type") or DEFAULT_TYPE
                row = OfstedJudgement(
                    council_id=council_id, inspection_date=day, inspection_type=kind, source=source[:128], **values
                )
                session.add(row)
                session.flush()
                report.added += 1
                AuditTrail.record(
                    session, actor, batch=batch, action="ofsted.add", subject_type="council",
                    subject_key=council.ons_code,
                    summary=f"Ofsted import: {council.name} {kind} of {fmt_short_date(day)} judged {values['overall']}",
                    row=row, before=None,
                )
                continue
            if values["inspection_type"] is None:  # the sheet does not say: keep the stored type
                del values["inspection_type"]
            differing = {k: v for k, v in values.items() if getattr(row, k) != v}
            if not differing:
                report.unchanged += 1
                continue
            before = snapshot(row)
            for name, value in differing.items():
                setattr(row, name, value)
            session.add(row)
            report.changed += 1
            AuditTrail.record(
                session, actor, batch=batch, action="ofsted.change", subject_type="council",
                subject_key=council.ons_code,
                summary=f"Ofsted import: {council.name} {row.inspection_type} of {fmt_short_date(day)} changed "
                + ", ".join(f"{k.replace('_', ' ')} to {v}" for k, v in differing.items()),
                row=row, before=before,
            )
        session.flush()
        last_id = session.exec(select(func.max(InterventionEvent.id))).one() or 0
        open_escalations_for_inadequate(session, self.settings.inadequate_improvement_months, actor=actor.label)
        session.flush()
        opened = session.exec(
            select(InterventionEvent)
            .where(col(InterventionEvent.id) > last_id)
            .order_by(InterventionEvent.event_date, InterventionEvent.council_id)  # type: ignore[arg-type]
        ).all()
        for event in opened:
            council = by_id[event.council_id]
            deadline = fmt_short_date(event.deadline) if event.deadline else "none"
            report.escalations.append(f"{council.name}: judged inadequate, deadline {deadline}")
            AuditTrail.record(
                session, actor, batch=batch, action="escalation.add", subject_type="council",
                subject_key=council.ons_code,
                summary=f"Escalation opened for {council.name}: judged inadequate "
                f"({fmt_short_date(event.event_date)}), six-month deadline {deadline}",
                row=event, before=None,
            )

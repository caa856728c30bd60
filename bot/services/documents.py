"""What the source documents say: bulletin 7's facts, programme memberships and the interventions
the articles report (storage/data/documents/, provenance in storage/data/PROVENANCE.md).

These are statements from dated documents, so every value carries its source for the answer to
cite; the interventions are past events and never feed the intervention ladder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.services.reference_cache import ReferenceCache
from bot.services.values import ReportedInterventionInfo
from storage.db import Database
from storage.seed_rows import read_csv

BULLETIN_FACTS = "documents/facts.csv"


@dataclass(frozen=True)
class SourceFact:
    topic: str
    fact: str
    source: str


@dataclass(frozen=True)
class ProgrammeMember:
    council_id: int
    council: str
    programme: str
    note: str  # what the document says, with its citation in brackets


@cache
def _facts() -> dict[str, SourceFact]:
    return {row["topic"]: SourceFact(row["topic"], row["fact"], row["source"]) for row in read_csv(BULLETIN_FACTS)}


class DocumentService:
    def __init__(self, db: Database, reference: ReferenceCache) -> None:
        self.db = db
        self.reference = reference

    def fact(self, topic: str) -> SourceFact | None:
        return _facts().get(topic)

    def programme_members(self, programme: str) -> list[ProgrammeMember]:
        """Members of every programme whose name starts with `programme` ("Development
        demonstrator" covers the Munro and early years sites), in name order."""
        members = [ProgrammeMember(row.council_id, row.council, row.programme, row.note)
                   for row in self.reference.current().programmes if row.programme.startswith(programme)]
        return sorted(members, key=lambda m: m.council)

    def interventions(self, council_id: int | None = None) -> list[ReportedInterventionInfo]:
        return self.reference.current().reported_for(council_id)

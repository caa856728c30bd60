"""Plain values that services return: no sessions, no ORM objects leave the service layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RegionInfo:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    role: str
    title: str
    email: str
    phone: str
    regions: tuple[str, ...] = ()
    starts_on: date | None = None
    slack_user_id: str | None = None
    teams_user_id: str | None = None
    access: str = "viewer"

    @property
    def contact_line(self) -> str:
        parts = [p for p in (self.email, self.phone) if p]
        return ", ".join(parts) if parts else "no contact details recorded"


@dataclass(frozen=True)
class CouncilInfo:
    id: int
    name: str
    la_type: str
    region: RegionInfo
    dfe_code: str
    ons_code: str
    current: bool
    first_year: int | None = None
    last_year: int | None = None
    population_0_17: int | None = None
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()


@dataclass(frozen=True)
class JudgementInfo:
    inspection_type: str
    inspection_date: date | None  # None for the frameworks before ILACS (publication dates only)
    publication_date: date | None
    overall: str
    sub_judgements: dict[str, str | None] = field(default_factory=dict)
    framework: str = "ILACS"

    @property
    def day(self) -> date:
        """When it became public: the publication date (the inspection date if none yet)."""
        day = self.publication_date or self.inspection_date
        assert day is not None, "a judgement has a publication or an inspection date"
        return day


@dataclass(frozen=True)
class VisitInfo:
    """An ILACS focused or monitoring visit: no judgement."""

    visit_type: str
    visit_date: date
    publication_date: date | None
    theme: str


@dataclass(frozen=True)
class ReportedInterventionInfo:
    """A past intervention named in a source document (never a current escalation)."""

    council: str
    kind: str  # commissioner | trust | trust_planned
    month: date | None
    when_text: str
    summary: str
    source: str
    source_date: date


@dataclass(frozen=True)
class StageInfo:
    key: str
    label: str
    since: date
    deadline: date | None
    note: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # "judgement" | "visit" | "intervention" | "reported"
    text: str
    when: str = ""  # shown instead of the day when the source dates it only to the month


@dataclass(frozen=True)
class BookedReview:
    """A safeguarding peer review still scheduled, as a council's card lists it."""

    start: date
    end: date
    team: tuple[str, ...] = ()


@dataclass(frozen=True)
class CouncilStatus:
    council: CouncilInfo
    latest: JudgementInfo | None
    history: tuple[JudgementInfo, ...]
    stage: StageInfo | None
    brokers: tuple[PersonInfo, ...]
    programmes: tuple[str, ...]
    timeline: tuple[TimelineEntry, ...]
    visits: tuple[VisitInfo, ...] = ()
    reported_interventions: tuple[ReportedInterventionInfo, ...] = ()
    peer_reviews: tuple[BookedReview, ...] = ()  # scheduled, by start date


@dataclass(frozen=True)
class CouncilListItem:
    name: str
    region: str
    overall: str | None
    published: date | None


@dataclass(frozen=True)
class CouncilList:
    region: RegionInfo | None
    grade: str | None
    items: tuple[CouncilListItem, ...]
    counts: dict[str, int]


@dataclass(frozen=True)
class RegionBrokers:
    region: RegionInfo
    brokers: tuple[PersonInfo, ...]
    council_count: int


@dataclass(frozen=True)
class ContactInfo:
    topic: str
    person: PersonInfo
    note: str

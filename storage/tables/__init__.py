"""Every table of the domain store, grouped by subject. Importing this package registers them all
on `SQLModel.metadata`, which is what Alembic's env and `create_all` read."""

from storage.tables.audit import AuditEntry
from storage.tables.chat import ConversationContext, SlackInboxItem, TeamsConversationRef
from storage.tables.outbox import (
    NATIONAL_SCOPE,
    ChannelPacing,
    DigestRecord,
    OutboxItem,
    ReminderSeries,
    Subscription,
)
from storage.tables.people import BrokerAssignment, ChatIdentityCheck, Contact, Person
from storage.tables.reference import (
    ILACS,
    Council,
    CouncilAlias,
    CouncilSuccession,
    OfstedJudgement,
    OfstedVisit,
    ReferenceVersion,
    Region,
    RegionAlias,
    ReportedIntervention,
    SeedState,
)
from storage.tables.timestamps import utc_now
from storage.tables.workflows import (
    InterventionEvent,
    PeerChallengeLog,
    PeerReview,
    PeerReviewTeamMember,
    ProgrammeMembership,
    ReviewTrainingEvent,
    ReviewTrainingPlace,
    SignupItem,
)

__all__ = [
    "ILACS",
    "NATIONAL_SCOPE",
    "AuditEntry",
    "BrokerAssignment",
    "ChannelPacing",
    "ChatIdentityCheck",
    "Contact",
    "ConversationContext",
    "Council",
    "CouncilAlias",
    "CouncilSuccession",
    "DigestRecord",
    "InterventionEvent",
    "OfstedJudgement",
    "OfstedVisit",
    "OutboxItem",
    "PeerChallengeLog",
    "PeerReview",
    "PeerReviewTeamMember",
    "Person",
    "ProgrammeMembership",
    "ReferenceVersion",
    "Region",
    "RegionAlias",
    "ReminderSeries",
    "ReportedIntervention",
    "ReviewTrainingEvent",
    "ReviewTrainingPlace",
    "SeedState",
    "SignupItem",
    "SlackInboxItem",
    "Subscription",
    "TeamsConversationRef",
    "utc_now",
]

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
from storage.tables.people import BrokerAssignment, Contact, Person
from storage.tables.reference import (
    Council,
    CouncilAlias,
    CouncilSuccession,
    OfstedJudgement,
    Region,
    RegionAlias,
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
    "NATIONAL_SCOPE",
    "AuditEntry",
    "BrokerAssignment",
    "ChannelPacing",
    "Contact",
    "ConversationContext",
    "Council",
    "CouncilAlias",
    "CouncilSuccession",
    "DigestRecord",
    "InterventionEvent",
    "OfstedJudgement",
    "OutboxItem",
    "PeerChallengeLog",
    "PeerReview",
    "PeerReviewTeamMember",
    "Person",
    "ProgrammeMembership",
    "Region",
    "RegionAlias",
    "ReminderSeries",
    "ReviewTrainingEvent",
    "ReviewTrainingPlace",
    "SeedState",
    "SignupItem",
    "SlackInboxItem",
    "Subscription",
    "TeamsConversationRef",
    "utc_now",
]

"""Services: the business rules and the only callers of storage. They return plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.config import Settings
from bot.services.actors import ActorDirectory
from bot.services.audit import AuditTrail
from bot.services.brokers import BrokerService
from bot.services.channel_access import AnyChannel, ChannelAccess
from bot.services.conversations import ConversationContexts
from bot.services.councils import CouncilService
from bot.services.directory import Directory
from bot.services.documents import DocumentService
from bot.services.escalations import EscalationService
from bot.services.funding import FundingService
from bot.services.identities import Identities
from bot.services.ofsted_import import OfstedImportService
from bot.services.peer_challenge import PeerChallengeService
from bot.services.peer_reviews import PeerReviewService
from bot.services.reference_cache import ReferenceCache
from bot.services.review_training import ReviewTrainingService
from bot.services.roster import Roster
from bot.services.roster_edits import RosterEdits
from bot.services.scheduling import Scheduling
from bot.services.signup import SignupService
from bot.services.slack_inbox import SlackInbox
from storage.db import Database


@dataclass
class Services:
    """Everything the core needs, built once per process by :func:`bot.bootstrap.open_services`."""

    settings: Settings
    db: Database
    reference: ReferenceCache  # councils, regions, judgements, roster in memory, checked per answer
    directory: Directory
    councils: CouncilService
    brokers: BrokerService
    actors: ActorDirectory
    roster: Roster
    audit: AuditTrail
    signup: SignupService
    escalations: EscalationService
    peer_reviews: PeerReviewService
    review_training: ReviewTrainingService
    peer_challenge: PeerChallengeService
    funding: FundingService
    ofsted_import: OfstedImportService
    scheduling: Scheduling
    slack_inbox: SlackInbox
    conversations: ConversationContexts
    documents: DocumentService
    identities: Identities
    roster_edits: RosterEdits
    # Whether the bot can post in a channel being subscribed; bot.bootstrap gives it the platforms' checks.
    channel_access: ChannelAccess = field(default_factory=AnyChannel)

    @classmethod
    def create(cls, settings: Settings, db: Database) -> Services:
        actors = ActorDirectory(db, settings)  # one directory: every write checks permissions the same way
        identities = Identities(db)
        reference = ReferenceCache(db)  # one per process: every reader shares the data in memory
        return cls(
            settings=settings,
            db=db,
            reference=reference,
            directory=Directory(db, reference),
            councils=CouncilService(db, reference),
            brokers=BrokerService(db, reference),
            actors=actors,
            roster=Roster(db, actors),
            audit=AuditTrail(db),
            signup=SignupService(db, settings, actors),
            escalations=EscalationService(db, settings, actors),
            peer_reviews=PeerReviewService(db, actors),
            review_training=ReviewTrainingService(db, actors),
            peer_challenge=PeerChallengeService(db, actors),
            funding=FundingService(db),
            ofsted_import=OfstedImportService(db, settings),
            scheduling=Scheduling(db),
            slack_inbox=SlackInbox(db, timedelta(seconds=settings.slack_claim_seconds)),
            conversations=ConversationContexts(db),
            identities=identities,
            roster_edits=RosterEdits(db, actors, identities),
            documents=DocumentService(db, reference),
        )

"""Who is acting, and what they may do: admin, broker or viewer.

Anyone may read; only brokers and admins write. `BOT_ADMINS`
lists platform user ids (`U0123`, or `slack:U0123` / `teams:29:abc`). The local console and
`ask` without `--user` act as the machine's operator, an admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from bot.config import Settings
from bot.core.errors import PermissionDenied
from bot.core.message import UserRef
from storage.db import Database
from storage.tables import BrokerAssignment, Person

ADMIN = "admin"
BROKER = "broker"
VIEWER = "viewer"


@dataclass(frozen=True)
class Actor:
    platform: str
    user_id: str
    name: str
    access: str  # admin | broker | viewer
    person_id: int | None = None

    @property
    def can_write(self) -> bool:
        return self.access in {ADMIN, BROKER}

    @property
    def label(self) -> str:
        return f"{self.name} ({self.platform})" if self.name else f"{self.platform}:{self.user_id}"


class ActorDirectory:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def actor_for(self, user: UserRef) -> Actor:
        if user.platform == "console":
            return Actor(platform="console", user_id=user.id, name="Console operator", access=ADMIN)
        column = Person.slack_user_id if user.platform == "slack" else Person.teams_user_id
        with self.db.session() as session:
            person = session.exec(select(Person).where(column == user.id)).first()
        is_admin = user.id in self.settings.admins or f"{user.platform}:{user.id}" in self.settings.admins
        if person is None:
            return Actor(user.platform, user.id, "", ADMIN if is_admin else VIEWER)
        access = ADMIN if is_admin else person.access
        return Actor(user.platform, user.id, person.name, access, person.id)

    def require_writer(self, actor: Actor, what: str, region_id: int | None = None) -> None:
        """Refuse a write by a viewer with a message that names who can help: the region's lead
        broker(s) when the write concerns one region, and the admins on the roster."""
        if actor.can_write:
            return
        if actor.person_id is not None:
            who = f"you are on the roster as {actor.name} with read-only access"
        else:
            who = "your chat account is not linked to a broker or admin on the roster"
        raise PermissionDenied(
            f"Only lead brokers and admins can {what}, and {who}. {self.who_can_help(region_id)} "
            "An admin can link your account with `python -m bot people link NAME --slack-user ID`."
        )

    def who_can_help(self, region_id: int | None = None) -> str:
        with self.db.session() as session:
            brokers: list[str] = []
            if region_id is not None:
                brokers = list(
                    session.exec(
                        select(Person.name)
                        .join(BrokerAssignment, col(BrokerAssignment.person_id) == Person.id)
                        .where(BrokerAssignment.region_id == region_id)
                        .order_by(col(BrokerAssignment.is_lead).desc(), Person.name)
                    ).all()
                )
            admins = list(session.exec(select(Person.name).where(Person.access == ADMIN).order_by(Person.name)).all())
        parts = []
        if brokers:
            parts.append(f"the region's lead broker ({' or '.join(brokers)})")
        else:
            parts.append("your region's lead broker (try /broker)")
        if admins:
            parts.append(f"an admin ({', '.join(admins)})")
        else:
            parts.append("an admin")
        return f"Ask {' or '.join(parts)} to make the change."

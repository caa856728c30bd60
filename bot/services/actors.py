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
        column = Person.account_id_column(user.platform)
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
            how = ""
        else:
            who = "your chat account is not linked to a broker or admin on the roster"
            how = " " + self.how_to_link()
        help_ = self.who_can_help(region_id)
        raise PermissionDenied(f"Only lead brokers and admins can {what}, and {who}. {help_}{how}")

    def require_admin(self, actor: Actor, what: str) -> None:
        """Refuse anyone but an admin, naming the admins to ask."""
        if actor.access == ADMIN:
            return
        raise PermissionDenied(f"Only admins can {what}. Ask {self.admins_phrase()}.")

    def admin_names(self) -> list[str]:
        """The admins by name: people with the admin role, and BOT_ADMINS ids linked to someone."""
        with self.db.session() as session:
            people = session.exec(select(Person)).all()
        names = {
            p.name
            for p in people
            if p.access == ADMIN
            or any(
                uid and (uid in self.settings.admins or f"{platform}:{uid}" in self.settings.admins)
                for platform, uid in (("slack", p.slack_user_id), ("teams", p.teams_user_id))
            )
        }
        return sorted(names)

    def admins_phrase(self) -> str:
        names = self.admin_names()
        if not names:
            return "an admin (whoever runs the bot: the admins are listed in its BOT_ADMINS setting)"
        return f"an admin ({' or '.join(names)})"

    def how_to_link(self) -> str:
        """What to ask an admin for, on any platform."""
        return (
            f"To write, ask {self.admins_phrase()} to link your chat account to you on the roster: "
            "in chat they type `/brokerbot people link YOUR NAME @you` (mentioning you), or add your work "
            "email to your roster entry and you are linked when you next write."
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
        admins = sorted(set(admins) | set(self.admin_names()))
        if admins:
            parts.append(f"an admin ({', '.join(admins)})")
        else:
            parts.append("an admin")
        return f"Ask {' or '.join(parts)} to make the change."

"""One incoming message, whatever the platform."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class UserRef:
    platform: str  # "slack" | "teams" | "console"
    id: str
    workspace: str = ""  # Slack team id or Teams tenant id; "" when unknown (console, one workspace)

    @classmethod
    def parse(cls, text: str) -> UserRef:
        """`slack:U123` -> UserRef("slack", "U123")."""
        platform, _, user_id = text.partition(":")
        if not user_id:
            raise ValueError("expected PLATFORM:ID, for example slack:U0123ABC")
        return cls(platform.strip().lower(), user_id.strip())


CONSOLE_USER = UserRef("console", "local")


@dataclass(frozen=True)
class Message:
    text: str
    user: UserRef = CONSOLE_USER
    conversation: str = "console"
    thread: str | None = None
    as_of: date | None = None  # "today" for this message; None means the real today
    display_name: str | None = None  # the platform's name for the user, for people not on the roster


# Characters that show as nothing: in a name they make a look-alike ("Paul\u200b Curran" beside
# "Paul Curran"), so they are dropped from what people type.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` as the bot reads it: zero-width characters dropped, and a lone surrogate (a
    "\\ud800" escape in a JSON body, which no text encoding can store) replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text.translate(_INVISIBLE))

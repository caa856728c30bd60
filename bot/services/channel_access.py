"""Can the bot post where a channel is being subscribed? Asked before a subscription is saved, so a
channel never subscribes to posts that would all fail (Slack's `not_in_channel`).

The platform adapters know how to find out (Slack: `conversations.info`, joining a public channel
with `conversations.join`); the wiring point gives their answer to the services. Without one (the
console, tests of the core, Teams, where a subscription is typed in the conversation the bot is
already in) every channel is taken as reachable.
"""

from __future__ import annotations

from typing import Protocol


class ChannelAccess(Protocol):
    def problem(self, platform: str, destination: str, *, workspace: str = "") -> str | None:
        """None when the bot can post to `destination` (joining it first if it may) in `workspace`
        (Slack team id; "" for the single-token workspace); otherwise what the person subscribing
        should do, in one or two sentences."""


class AnyChannel:
    def problem(self, platform: str, destination: str, *, workspace: str = "") -> str | None:
        return None


class ByPlatform:
    """Each platform's check, where it has one."""

    def __init__(self, checks: dict[str, ChannelAccess]) -> None:
        self.checks = checks

    def problem(self, platform: str, destination: str, *, workspace: str = "") -> str | None:
        check = self.checks.get(platform)
        return check.problem(platform, destination, workspace=workspace) if check is not None else None

"""`/help` (also `help` and `/brokerbot`): every command with usage and an example."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.commands.base import Command, CommandContext
from bot.core.reply import Reply, Section


def make_help(commands: Callable[[], Iterable[Command]]) -> Command:
    """Build the help command over the registry (a callable, so later commands show too)."""

    def handle_help(ctx: CommandContext, args: str) -> Reply:
        listed = [c for c in commands() if c.name != "help"]
        wanted = args.strip().lstrip("/").lower()
        if wanted:
            for command in listed:
                if wanted == command.name or wanted in command.aliases:
                    return Reply(
                        text=f"/{command.name}: {command.summary}",
                        title=f"/{command.name}",
                        sections=(Section(lines=tuple(command.usage_hint().splitlines())),),
                        intent="help",
                        entities={"command": command.name},
                    )
            names = ", ".join(f"/{c.name}" for c in listed)
            return Reply(
                text=f"There is no command called “{wanted}”. Commands: {names}.",
                kind="error",
                ephemeral=True,
                intent="help",
                entities={"command": wanted},
            )
        sections = tuple(
            Section(
                heading=f"/{c.name}: {c.summary}",
                lines=(
                    "Usage: " + " | ".join(c.usage),
                    "Example: " + c.examples[0] if c.examples else "",
                ),
            )
            for c in listed
        )
        return Reply(
            text=(
                "I answer questions about councils' Ofsted status, intervention deadlines and "
                "lead brokers. Use a command below, or just ask, e.g. \u201cwho is the broker "
                "for Hull?\u201d."
            ),
            title="Broker bot help",
            sections=sections,
            kind="help",
            intent="help",
        )

    return Command(
        name="help",
        summary="Every command with usage and an example.",
        usage=("/help", "/help COMMAND"),
        examples=("/help council",),
        handler=handle_help,
        aliases=("brokerbot", "start", "?"),
    )

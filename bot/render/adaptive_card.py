"""Adaptive Card rendering of the neutral :class:`~bot.core.reply.Reply`, as plain JSON.

Why plain dicts and no SDK: renderers import no platform SDK (import-linter contract), and the card
is just JSON that Teams draws. We target Adaptive Card 1.5, the newest version Teams renders on
desktop, web and mobile; tests validate the output against the official 1.5 JSON schema.

Teams refuses a message bigger than about 28 KB (the whole activity, not just the card), so
:func:`render_adaptive_card` trims trailing sections, then long section lines, until the card fits
under :data:`MAX_CARD_BYTES`, and says so in a footer line: an answer is never cut silently.

Buttons carry the reply's `Action.command`. ``Action.Submit`` (the default) makes Teams post a
message activity whose ``value`` is the data; ``Action.Execute`` makes it send an
``adaptiveCard/action`` invoke. Both end up as the same command run through the router as the
presser (see bot/adapters/teams/activity.py).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from bot.core.reply import Action, Fact, Reply, Section

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams' limit is ~28 KB for the whole message; leave room for the activity envelope and text.
MAX_CARD_BYTES = 24_000
# Key under which the command travels in a button's data (Action.Submit / Action.Execute).
COMMAND_KEY = "command"
EXECUTE_VERB = "run_command"
MAX_ACTIONS = 6  # Teams shows at most six buttons in an ActionSet row
TRIM_NOTE = "Some details were left out to fit Teams' message size limit; ask for a narrower list."

ActionMode = Literal["submit", "execute"]
Card = dict[str, Any]


def card_size(card: Card) -> int:
    """Bytes of the card as sent (compact JSON, UTF-8)."""
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


_CODE = re.compile(r"`([^`\n]+)`")
_SINGLE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")


def teams_markdown(text: str) -> str:
    """Our plain text in the markdown subset a TextBlock renders.

    Card markdown has no `code` spans (the backticks would show), so commands are shown in bold;
    a single newline does not break a line, so lines are separated by a blank line."""
    return _SINGLE_NEWLINE.sub("\n\n", _CODE.sub(r"**\1**", text))


def _text(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": teams_markdown(text), "wrap": True, **extra}


def _fact_set(facts: tuple[Fact, ...]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": f.label, "value": f.value or "—"} for f in facts]}


def _section(section: Section) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if section.heading:
        items.append(_text(section.heading, weight="Bolder"))
    if section.facts:
        items.append(_fact_set(section.facts))
    lines = [line for line in section.lines if line]
    if lines:
        # One TextBlock per section: Teams' markdown needs a blank line between list items.
        items.append(_text("\n\n".join(lines), spacing="Small"))
    if not items:
        return []
    return [{"type": "Container", "separator": True, "spacing": "Medium", "items": items}]


def _action(action: Action, mode: ActionMode) -> dict[str, Any]:
    data = {COMMAND_KEY: action.command}
    rendered: dict[str, Any]
    if mode == "execute":
        rendered = {"type": "Action.Execute", "title": action.label, "verb": EXECUTE_VERB, "data": data}
    else:
        rendered = {"type": "Action.Submit", "title": action.label, "data": data}
    if action.style == "primary":
        rendered["style"] = "positive"
    elif action.style == "danger":
        rendered["style"] = "destructive"
    return rendered


def _body(reply: Reply, sections: tuple[Section, ...], notes: list[str]) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    if reply.title:
        body.append(_text(reply.title, size="Medium", weight="Bolder", style="heading"))
    body.append(_text(reply.text, color="Attention" if reply.kind == "error" else "Default"))
    if reply.facts:
        body.append(_fact_set(reply.facts))
    for section in sections:
        body.extend(_section(section))
    for note in [reply.footer, *notes]:
        if note:
            body.append(_text(note, isSubtle=True, size="Small", spacing="Medium"))
    return body


def _card(reply: Reply, sections: tuple[Section, ...], notes: list[str], mode: ActionMode) -> Card:
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": reply.text,
        "body": _body(reply, sections, notes),
    }
    if reply.actions:
        card["actions"] = [_action(a, mode) for a in reply.actions[:MAX_ACTIONS]]
    # No Teams-only "msteams": {"width": "Full"}: the official 1.5 schema forbids extra properties.
    return card


def _shorten(section: Section, keep: int) -> Section:
    dropped = len(section.lines) - keep
    lines = (*section.lines[:keep], f"…and {dropped} more.")
    return Section(heading=section.heading, facts=section.facts, lines=lines)


def render_adaptive_card(reply: Reply, *, mode: ActionMode = "submit", max_bytes: int = MAX_CARD_BYTES) -> Card:
    """The reply as an Adaptive Card 1.5 dict no bigger than `max_bytes` (trimmed with a note if need be)."""
    sections = reply.sections
    card = _card(reply, sections, [], mode)
    if card_size(card) <= max_bytes:
        return card
    notes = [TRIM_NOTE]
    # First shorten the longest line lists (lists of councils, timelines), halving until they fit...
    while True:
        longest = max(range(len(sections)), key=lambda i: len(sections[i].lines), default=None)
        if longest is None or len(sections[longest].lines) <= 5:
            break
        keep = len(sections[longest].lines) // 2
        sections = (*sections[:longest], _shorten(sections[longest], keep), *sections[longest + 1 :])
        card = _card(reply, sections, notes, mode)
        if card_size(card) <= max_bytes:
            return card
    # ...then drop whole sections from the end, then the facts.
    while sections:
        sections = sections[:-1]
        card = _card(reply, sections, notes, mode)
        if card_size(card) <= max_bytes:
            return card
    bare = Reply(text=reply.text[: max_bytes // 2], title=reply.title, actions=reply.actions, kind=reply.kind)
    return _card(bare, (), notes, mode)

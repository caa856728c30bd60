"""Block Kit rendering of the neutral Reply, built with slack_sdk's block models.

Every message carries a plain-text `text` fallback (notifications, screen readers, old clients).
All text is escaped (`&`, `<`, `>`) because replies quote what users typed: escaped, a typed
``<!channel>`` shows as text instead of pinging the channel. The bot never needs a live mention,
so nothing is exempt. Slack's size limits are enforced here (3,000 characters a text block,
ten fields a section, 50 blocks a message, 100 a Home tab) so a long list can never make Slack
reject the whole message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core.reply import Action, Fact, Reply

ACTION_PREFIX = "run_command"  # action_id prefix for buttons that run a command
MODAL_PREFIX = "open_modal"  # action_id prefix for buttons that open a form (see modals.py)
MODAL_BUTTONS = {"signup": "Log progress…"}  # reply.entities["modal"] -> button label
MAX_TEXT = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTONS = 25
MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_FALLBACK = 4000


def escape(text: str) -> str:
    """Slack's three control characters as entities: no user text can become a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters with an ellipsis, never splitting an escape entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def chunks(lines: Iterable[str], limit: int = MAX_TEXT) -> list[str]:
    """Join lines into texts of at most `limit` characters, breaking between lines."""
    out: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def mrkdwn(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text, MAX_TEXT) or " ", verbatim=True)


def plain(text: str, limit: int = MAX_TEXT) -> PlainTextObject:
    return PlainTextObject(text=clip(escape(text), limit) or " ", emoji=True)


def fact_sections(facts: Sequence[Fact]) -> list[Block]:
    fields = [
        MarkdownTextObject(text=clip(f"*{escape(f.label)}*\n{escape(f.value) or '—'}", MAX_FIELD), verbatim=True)
        for f in facts
    ]
    return [SectionBlock(fields=fields[i : i + MAX_FIELDS]) for i in range(0, len(fields), MAX_FIELDS)]


def text_sections(lines: Iterable[str]) -> list[Block]:
    return [SectionBlock(text=mrkdwn(chunk)) for chunk in chunks(escape(line) for line in lines if line)]


def modal_button(reply: Reply) -> ButtonElement | None:
    """A reply naming a modal (`entities["modal"]`, with its `region`) offers a button opening it."""
    name, region = reply.entities.get("modal"), reply.entities.get("region")
    if name not in MODAL_BUTTONS or not region:
        return None
    return ButtonElement(text=plain(MODAL_BUTTONS[str(name)], MAX_BUTTON_TEXT), action_id=f"{MODAL_PREFIX}:{name}",
                         value=str(region)[:MAX_BUTTON_VALUE])


def buttons(actions: Sequence[Action], extra: Sequence[ButtonElement] = ()) -> list[Block]:
    """Each Action becomes a button whose value is its command; the action_id is unique per message."""
    elements: list[ButtonElement] = list(extra)
    for index, action in enumerate(actions[: MAX_BUTTONS - len(elements)]):
        style = action.style if action.style in {"primary", "danger"} else None
        elements.append(
            ButtonElement(
                text=plain(action.label, MAX_BUTTON_TEXT),
                action_id=f"{ACTION_PREFIX}:{index}",
                value=action.command[:MAX_BUTTON_VALUE],
                style=style,
            )
        )
    return [ActionsBlock(elements=elements)] if elements else []


def reply_blocks(reply: Reply, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[Block]:
    """The reply as Block Kit blocks: header, answer, facts, sections, footer, buttons."""
    blocks: list[Block] = []
    if reply.title:
        blocks.append(HeaderBlock(text=plain(reply.title, MAX_HEADER)))
    lead = escape(reply.text)
    if reply.kind == "error":
        lead = f":warning: {lead}"
    blocks.extend(SectionBlock(text=mrkdwn(chunk)) for chunk in chunks([lead]))
    blocks.extend(fact_sections(reply.facts))
    for section in reply.sections:
        body: list[Block] = []
        if section.heading:
            body.append(SectionBlock(text=mrkdwn(f"*{clip(escape(section.heading), MAX_TEXT - 2)}*")))
        body.extend(fact_sections(section.facts))
        body.extend(text_sections(section.lines))
        if body:
            blocks.append(DividerBlock())
            blocks.extend(body)
    tail: list[Block] = []
    if reply.footer:
        tail.append(ContextBlock(elements=[mrkdwn(escape(reply.footer))]))
    modal = modal_button(reply)
    tail.extend(buttons(reply.actions, [modal] if modal else []))
    room = max_blocks - len(tail)
    if len(blocks) > room:
        blocks = blocks[: room - 1]
        blocks.append(ContextBlock(elements=[mrkdwn("…more than fits in one message; ask for something narrower.")]))
    return blocks + tail


def fallback_text(reply: Reply) -> str:
    """The plain-text `text` of a message (escaped too: Slack parses it like mrkdwn)."""
    return clip(escape(reply.text), MAX_FALLBACK) or " "


def message_payload(reply: Reply) -> dict[str, Any]:
    """`{"text", "blocks"}` for chat.postMessage, chat.postEphemeral, chat.update or a response_url."""
    return {"text": fallback_text(reply), "blocks": [block.to_dict() for block in reply_blocks(reply)]}

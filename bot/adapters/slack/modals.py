"""Slack modals that collect a command's arguments in a form.

A reply that names a modal in its entities (`{"modal": "signup", "region": "London"}`) gets a
button that opens it. A submission does not call a service: it becomes the same command
(`/signup London dcs agreed 2026-11-24 note`) run through the router as the submitter, so the
permissions, validation and audit trail are exactly those of the typed command. If the command
answers with an error, the modal stays open and shows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    Option,
    OptionGroup,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.adapters.slack.blocks import mrkdwn, plain
from bot.services.signup import form_options

SIGNUP_CALLBACK = "signup_modal"
KIND_HEADINGS = {"signatory": "Signatories", "arrangement": "Local arrangements", "contact": "Lead broker's contacts"}


@dataclass(frozen=True)
class ModalOrigin:
    """Where the modal was opened from, so the confirmation lands there (kept in private_metadata)."""

    region: str
    channel: str = ""
    thread_ts: str = ""

    def dumps(self) -> str:
        return json.dumps({"region": self.region, "channel": self.channel, "thread_ts": self.thread_ts})

    @classmethod
    def loads(cls, text: str) -> ModalOrigin:
        data = json.loads(text or "{}")
        return cls(str(data.get("region", "")), str(data.get("channel", "")), str(data.get("thread_ts", "")))


def signup_view(origin: ModalOrigin, today: date) -> dict[str, Any]:
    """The form for `/signup REGION PARTY STATUS DATE NOTE`."""
    options = form_options()
    groups = []
    for kind, heading in KIND_HEADINGS.items():
        members = [Option(value=o.value, label=o.label[:75]) for o in options if o.kind == kind]
        if members:
            groups.append(OptionGroup(label=heading, options=members))
    statuses = list(dict.fromkeys(s for o in options for s in o.statuses))
    blocks: list[Block] = [
        ContextBlock(elements=[mrkdwn("Logs progress exactly as `/signup REGION PARTY STATUS [DATE] [NOTE]` does.")]),
        InputBlock(block_id="party", label=plain("Who or what"),
                   element=StaticSelectElement(action_id="value", placeholder=plain("Choose"), option_groups=groups)),
        InputBlock(block_id="status", label=plain("Status"),
                   element=StaticSelectElement(action_id="value", placeholder=plain("Choose"),
                                               options=[Option(value=s, label=s.replace("_", " ").capitalize())
                                                        for s in statuses])),
        InputBlock(block_id="day", label=plain("Date"),
                   element=DatePickerElement(action_id="value", initial_date=today.isoformat())),
        InputBlock(block_id="note", label=plain("Note"), optional=True,
                   element=PlainTextInputElement(action_id="value", max_length=500)),
    ]
    view = View(type="modal", callback_id=SIGNUP_CALLBACK, title=plain(f"Sign-up: {origin.region}", 24),
                submit=plain("Log"), close=plain("Cancel"), private_metadata=origin.dumps(), blocks=blocks)
    return view.to_dict()


def _value(values: dict[str, Any], block: str) -> str:
    state = (values.get(block) or {}).get("value") or {}
    selected = state.get("selected_option") or {}
    return str(selected.get("value") or state.get("selected_date") or state.get("value") or "").strip()


def signup_command(view: dict[str, Any]) -> str:
    """The submitted form as the command a person would have typed."""
    origin = ModalOrigin.loads(str(view.get("private_metadata") or ""))
    values = (view.get("state") or {}).get("values") or {}
    note = " ".join(_value(values, "note").split())
    words = [origin.region, _value(values, "party"), _value(values, "status"), _value(values, "day"), note]
    return "/signup " + " ".join(w for w in words if w)

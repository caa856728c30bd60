"""Adaptive Card rendering: valid against the official Adaptive Card 1.5 schema, under Teams' size limit."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from bot.core.reply import Action, Fact, Reply, Section, error
from bot.render.adaptive_card import (
    CARD_VERSION,
    MAX_CARD_BYTES,
    TRIM_NOTE,
    card_size,
    render_adaptive_card,
)

SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "adaptive-card-1.5.schema.json").read_text())
VALIDATOR = jsonschema.Draft6Validator(SCHEMA)


def assert_valid(card: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(card), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_the_schema_file_is_the_official_adaptive_card_schema() -> None:
    assert SCHEMA["id"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert "Action.Execute" in SCHEMA["definitions"] and "Table" in SCHEMA["definitions"]  # 1.5 features


@pytest.mark.parametrize("question", ["/council Harrow", "/council list North West", "/council timeline Hull",
                                      "/broker Leeds", "/contacts", "/help", "/council Nowhereshire"])
def test_real_replies_render_to_schema_valid_cards(ask, question: str) -> None:
    reply = ask(question)
    for mode in ("submit", "execute"):
        card = render_adaptive_card(reply, mode=mode)
        assert_valid(card)
        assert card["version"] == CARD_VERSION == "1.5"
        assert card["fallbackText"] == reply.text
        assert card_size(card) <= MAX_CARD_BYTES


def test_buttons_carry_the_reply_actions_commands(ask) -> None:
    reply = ask("/council Harrow")
    submit = render_adaptive_card(reply)["actions"]
    execute = render_adaptive_card(reply, mode="execute")["actions"]
    assert [a["data"]["command"] for a in submit] == [a.command for a in reply.actions]
    assert {a["type"] for a in submit} == {"Action.Submit"}
    assert {a["type"] for a in execute} == {"Action.Execute"}
    assert [a["title"] for a in submit] == ["Timeline", "Contacts", "Who is the broker?"]


def test_error_replies_are_shown_in_the_attention_colour() -> None:
    card = render_adaptive_card(error("No council called Nowhere.", hint="Try /council list"))
    assert_valid(card)
    assert card["body"][0]["color"] == "Attention"


def test_oversized_replies_are_trimmed_with_a_note_and_stay_valid() -> None:
    lines = tuple(f"Council number {i}: Requires improvement to be good, published 1 Jan 2025" for i in range(2000))
    reply = Reply(
        text="2,000 councils.", title="Everything", facts=(Fact("Count", "2000"),),
        sections=(Section(heading="All", lines=lines), Section(heading="Tail", lines=("last",))),
        actions=(Action("More", "/council list"),),
    )
    card = render_adaptive_card(reply)
    assert card_size(card) <= MAX_CARD_BYTES
    assert_valid(card)
    texts = [block.get("text", "") for block in card["body"]]
    assert TRIM_NOTE in texts
    assert any("more." in t for item in card["body"] for t in [json.dumps(item)])
    assert card["actions"][0]["data"]["command"] == "/council list"


def test_a_small_reply_is_not_trimmed(ask) -> None:
    card = render_adaptive_card(ask("/council Harrow"))
    assert TRIM_NOTE not in json.dumps(card)


def test_text_is_adapted_to_card_markdown(ask) -> None:
    from bot.render.adaptive_card import teams_markdown

    assert teams_markdown("Try `/council Harrow`.\nOr ask me.") == "Try **/council Harrow**.\n\nOr ask me."
    card = render_adaptive_card(ask("/council"))  # "Which council?" with a usage hint in backticks
    assert "`" not in json.dumps(card["body"])
    assert card["fallbackText"] == ask("/council").text  # the fallback keeps the original text

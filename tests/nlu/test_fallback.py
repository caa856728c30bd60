"""Honest fallbacks: unknown names, out-of-domain questions, unclear ones, missing features."""

from __future__ import annotations


def test_unknown_council_is_named_with_suggestions(ask) -> None:
    reply = ask("How is Gotham doing?")
    assert reply.intent == "unknown_council"
    assert "Gotham" in reply.text and "Did you mean" in reply.text
    assert reply.actions


def test_out_of_domain_says_what_it_can_do_and_invents_nothing(ask) -> None:
    reply = ask("what's the weather in Leeds?")
    assert reply.intent == "out_of_domain"
    assert reply.text.startswith("I don't hold weather forecasts.") and "I can help with" in reply.text
    assert "Outstanding" not in reply.text
    assert ask("tell me a joke").text.startswith("Sorry, that is outside what I know.")


def test_unclear_question_says_what_was_understood_and_offers_choices(ask) -> None:
    reply = ask("inadequate?")
    assert reply.intent == "clarify"
    assert "Inadequate" in reply.text
    assert 2 <= len(reply.actions) <= 3
    assert all(action.command.startswith("/") for action in reply.actions)


def test_a_feature_question_is_answered_by_its_command(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("how much funding does the North West get?")
    assert reply.intent == "funding" and reply.ok
    assert reply.entities["region"] == "North West"
    assert reply.text.startswith("North West's share of the regional pot is £")


def test_typed_commands_still_go_to_the_command_grammar(ask) -> None:
    reply = ask("/council Harrow")
    assert reply.intent == "council_status"
    assert "4 September 2025" in reply.text


def test_answers_are_fact_first_sentences(ask) -> None:
    reply = ask("when does Knowsley have to improve by?")
    assert reply.intent == "deadlines"
    assert reply.text.startswith("Knowsley's six-month deadline to improve passed 21 July 2025")
    assert reply.text.endswith("Lead broker: Howard Cooper.")
    assert reply.facts  # the card is still there for platforms that show one

"""Follow-ups, "my region"/"our broker", and where context is (and is not) shared."""

from __future__ import annotations

from sqlmodel import select

from bot.core.message import Message
from bot.router import Router
from bot.services import Services
from storage.tables import Council, Person
from tests.conftest import TODAY


def test_follow_ups_borrow_the_previous_question_and_subject(ask) -> None:
    first = ask("how is Knowsley doing?", conversation="C1")
    assert first.intent == "council_status" and first.entities["council"] == "Knowsley"
    second = ask("and Halton?", conversation="C1")
    assert second.intent == "council_status" and second.entities["council"] == "Halton"
    third = ask("who's their broker?", conversation="C1")
    assert third.intent == "broker_for_council" and third.entities["council"] == "Halton"
    assert "Howard Cooper" in third.text
    fourth = ask("what about London?", conversation="C1")
    assert fourth.intent == "broker_for_region" and "Paul Curran" in fourth.text


def test_list_follow_up_keeps_the_judgement_and_changes_the_region(ask) -> None:
    ask("which North West councils are inadequate?", conversation="C2")
    reply = ask("what about London?", conversation="C2")
    assert reply.intent == "council_list"
    assert reply.entities["region"] == "London" and reply.entities["judgement"] == "Inadequate"
    assert "Harrow and Havering" in reply.text


def test_context_is_per_user_and_per_thread(ask) -> None:
    ask("how is Knowsley doing?", user="slack:U1", conversation="C3", thread="T1")
    other_user = ask("who's their broker?", user="slack:U2", conversation="C3", thread="T1")
    assert other_user.entities.get("council") is None
    other_thread = ask("who's their broker?", user="slack:U1", conversation="C3", thread="T2")
    assert other_thread.entities.get("council") is None
    same = ask("who's their broker?", user="slack:U1", conversation="C3", thread="T1")
    assert same.entities["council"] == "Knowsley"


def test_our_broker_asks_once_then_remembers_the_answer(ask) -> None:
    question = ask("who's our broker?", conversation="C4")
    assert question.intent == "clarify_home" and question.kind == "question"
    answer = ask("Knowsley", conversation="C4")
    assert answer.intent == "broker_for_council" and "Howard Cooper" in answer.text
    later = ask("how many inadequate councils are in our region?", conversation="C4")
    assert later.entities["region"] == "North West" and later.entities["count"] == 7


def test_my_region_uses_a_linked_broker_without_asking(services: Services, ask) -> None:
    with services.db.session() as session:
        person = session.exec(select(Person).where(Person.name == "Claire Burgess")).one()
        person.slack_user_id = "UCLAIRE"
        session.add(person)
    reply = ask("which councils in my region are inadequate?", user="slack:UCLAIRE", conversation="C5")
    assert reply.intent == "council_list"
    assert reply.entities["region"] == "West Midlands"
    assert "Herefordshire" in reply.text and "Solihull" in reply.text


def test_our_deadline_uses_a_directors_linked_council(services: Services, ask) -> None:
    with services.db.session() as session:
        council = session.exec(select(Council).where(Council.name == "Harrow")).one()
        session.add(Person(name="A Director", role="director", slack_user_id="UDIR", council_id=council.id))
    reply = ask("when is our deadline?", user="slack:UDIR", conversation="C6")
    assert reply.intent == "deadlines"
    assert reply.entities["council"] == "Harrow"
    assert "4 September 2025" in reply.text


def test_a_restarted_router_still_knows_the_conversation(services: Services) -> None:
    first = Router(services)
    first.handle(Message(text="how is Knowsley doing?", conversation="C7", as_of=TODAY))
    restarted = Router(services)
    reply = restarted.handle(Message(text="who's their broker?", conversation="C7", as_of=TODAY))
    assert reply.entities.get("council") == "Knowsley" and "Howard Cooper" in reply.text


def test_several_councils_in_one_question_get_one_sentence_each(ask) -> None:
    reply = ask("how are Knowsley and Halton doing?")
    assert reply.intent == "council_status"
    assert reply.entities["councils"] == ["Knowsley", "Halton"]
    assert reply.text.startswith("Knowsley was judged Inadequate")
    assert "Halton was judged Inadequate (published 12 July 2024)" in reply.text

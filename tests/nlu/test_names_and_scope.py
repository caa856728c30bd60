"""Context only fills what the message leaves out: a typed name wins, an unknown or shared name is
said so (never answered about the previous council); questions outside the bot's data get an
honest answer even when they name a real council; several councils, regions or counts at once."""

from __future__ import annotations


def test_a_typed_name_wins_over_the_previous_council(ask) -> None:
    ask("how is Hull doing?", conversation="S1")
    reply = ask("who is the broker for reading?", conversation="S1")
    assert reply.intent == "broker_for_council" and reply.entities["council"] == "Reading"
    assert "Andy Roberts" in reply.text and "Hull" not in reply.text
    follow = ask("and when were they last inspected?", conversation="S1")
    assert follow.entities["council"] == "Reading"


def test_lower_case_and_informal_names_resolve(ask) -> None:
    expected = {"reading": "Reading", "who covers stoke": "Stoke-on-Trent", "is brum inadequate?": "Birmingham",
                "is bury inadequate?": "Bury", "who is the broker for herts?": "Hertfordshire",
                "is notts inadequate?": "Nottinghamshire", "how is lincs doing?": "Lincolnshire",
                "who covers the wirral": "Wirral", "whats the latest on bucks": "Buckinghamshire"}
    for question, council in expected.items():
        assert ask(question).entities.get("council") == council, question


def test_reading_the_verb_is_not_the_council(ask) -> None:
    assert ask("i am reading the latest report").entities.get("council") is None


def test_region_short_forms(ask) -> None:
    assert "Claire Burgess" in ask("W Mids lead broker").text
    assert "Dave Smith" in ask("Y&H lead broker").text
    assert "Dave Smith" in ask("NE lead broker").text
    assert "Alex Walters" in ask("eastern lead broker").text


def test_an_unknown_lower_case_name_is_named_back_not_replaced_by_the_previous_council(ask) -> None:
    ask("how is Southend-on-Sea doing?", conversation="S2")
    for question in ("how is gotham doing?", "and Gotham?", "ambridge deadline", "who is the broker for barchester?"):
        reply = ask(question, conversation="S2")
        assert reply.intent == "unknown_council", question
        assert "I don't know a council called" in reply.text and "Southend" not in reply.text


def test_wessex_is_not_essex(ask) -> None:
    reply = ask("how is Wessex doing?")
    assert reply.intent == "unknown_council" and "Wessex" in reply.text
    assert reply.entities.get("council") is None  # Essex only as a suggestion


def test_a_shared_name_gets_a_which_one_question(ask) -> None:
    ask("how is Telford and Wrekin doing?", conversation="S3")
    cases = {"how's kingston doing?": ("Kingston upon Hull", "Kingston upon Thames"),
             "who is the broker for tyneside?": ("North Tyneside", "South Tyneside"),
             "how's sussex doing?": ("East Sussex", "West Sussex"),
             "is northants inadequate?": ("North Northamptonshire", "West Northamptonshire")}
    for question, names in cases.items():
        reply = ask(question, conversation="S3")
        assert reply.intent == "clarify_council" and reply.kind == "question", question
        assert all(name in reply.text for name in names) and "Telford" not in reply.text
        assert [a.label for a in reply.actions] == list(names)


def test_out_of_domain_questions_naming_a_real_council_say_what_is_not_held(ask) -> None:
    for question in ("who is the DCS in Harrow?", "how many children in care in Leeds?",
                     "how much is council tax in Surrey?", "what's the best pub in bristol",
                     "what's the weather like in Norfolk today?", "who is the leader of Wandsworth council?"):
        reply = ask(question)
        assert reply.intent == "out_of_domain", question
        assert reply.text.startswith("I don't hold ") and "Ofsted overall" not in reply.text
        assert not reply.facts and not reply.sections


def test_children_in_care_as_a_judgement_is_still_answered(ask) -> None:
    reply = ask("how is Leeds doing on children in care?")
    assert reply.intent == "council_status" and reply.entities["sub_judgement"] == "Children in care"


def test_out_of_domain_leaves_the_context_alone(ask) -> None:
    ask("how is Rochdale doing?", conversation="S4")
    ask("how many children in care in Shropshire?", conversation="S4")
    assert ask("who's their broker?", conversation="S4").entities["council"] == "Rochdale"


def test_commands_typed_as_text_set_the_context(ask) -> None:
    for command, council, broker in (("/council Harrow", "Harrow", "Paul Curran"),
                                     ("council Knowsley", "Knowsley", "Howard Cooper")):
        ask(command, conversation=f"cmd-{council}")
        broker_reply = ask("who's the broker?", conversation=f"cmd-{council}")
        assert broker_reply.entities["council"] == council and broker in broker_reply.text
        deadline = ask("when's their deadline?", conversation=f"cmd-{council}")
        assert deadline.intent == "deadlines" and deadline.entities["council"] == council
    ask("/broker London", conversation="cmd-region")
    assert ask("and which are inadequate?", conversation="cmd-region").entities.get("region") == "London"


def test_several_councils_and_regions_at_once(ask) -> None:
    compared = ask("compare Hull and Leeds")
    assert compared.entities["councils"] == ["Kingston upon Hull", "Leeds"]
    assert "Requires improvement" in compared.text and "Outstanding" in compared.text
    brokers = ask("brokers for London and the South East")
    assert "Paul Curran" in brokers.text and "Andy Roberts" in brokers.text
    regions = ask("brokers for the North West and the South West")
    assert "Howard Cooper" in regions.text and "Oonagh Aitken" in regions.text
    which = ask("which of Knowsley, Southend-on-Sea and Peterborough are inadequate?")
    assert which.text.startswith("Judged Inadequate: Knowsley and Peterborough.")


def test_how_many_councils_a_person_covers(ask) -> None:
    reply = ask("how many councils does Dave Smith cover?")
    assert reply.intent == "broker_person"
    assert reply.text.startswith("Dave Smith covers 27 councils: North East (12) and Yorkshire and the Humber (15).")


def test_an_overdue_deadline_reads_at_a_glance(ask) -> None:
    reply = ask("what's the deadline for bury?")
    assert ("six-month deadline to improve passed 17 June 2022 (4 years 5 months overdue); "
            "no intervention recorded since") in reply.text

from bot.router import Router


def test_council_harrow_answers_inadequate_with_deadline_and_broker(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council Harrow")
    assert reply.intent == "council_status"
    assert "Inadequate" in reply.text
    assert "4 September 2025" in reply.text
    assert "Paul Curran" in reply.text


def test_postgres_seeds_the_same_councils(pg_url: str) -> None:
    from bot.bootstrap import open_database
    from bot.services import Services
    from tests.conftest import make_settings

    settings = make_settings(pg_url)
    db = open_database(settings)
    services = Services.create(settings, db)
    router = Router(services)
    from datetime import date

    from bot.core.message import Message

    reply = router.handle(Message(text="/council list", as_of=date(2026, 11, 24)))
    assert reply.entities["count"] == 153
    db.dispose()


def test_a_command_followed_by_help_shows_that_commands_usage(ask) -> None:  # type: ignore[no-untyped-def]
    """"/council help" is a question about /council, not about a council called Help."""
    for text, command in (("/council help", "council"), ("/people ?", "people"), ("/signup --help", "signup")):
        reply = ask(text)
        assert reply.intent == "help" and reply.entities["command"] == command, text
        assert f"/{command}" in reply.title

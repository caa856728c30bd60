"""Weekly digests and the /digest command: subscribe, list, preview, unsubscribe."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.core.reply import Reply
from bot.services.digests import PAST_DEADLINE
from tests.scheduler.conftest import Harness, at

ADMIN = "console:local"


def digests(h: Harness) -> list[Reply]:
    return [r for _, r in h.sender.posts if r.intent == "digest"]


def test_weekly_region_digest_is_sent_on_monday_once_and_reads_at_a_glance(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 7, 1), 10))
    for day in (date(2025, 7, 4), date(2025, 7, 5), date(2025, 7, 7), date(2025, 7, 7), date(2025, 7, 8)):
        harness.tick(day)
    sent = digests(harness)
    assert len(sent) == 1
    digest = sent[0]
    assert digest.title == "North West: weekly digest, 7 July 2025"
    headings = [s.heading or "" for s in digest.sections]
    assert any(h.startswith("Sign-up progress") for h in headings)
    assert "Escalation deadlines in the next 30 days" in headings
    assert PAST_DEADLINE in headings and "Peer reviews in the next 14 days" in headings
    assert any(h.startswith("Judgements published since") for h in headings)
    upcoming = next(s for s in digest.sections if s.heading == "Escalation deadlines in the next 30 days")
    assert any("Knowsley" in line for line in upcoming.lines)
    overdue = next(s for s in digest.sections if s.heading == PAST_DEADLINE)
    *councils, advice = overdue.lines
    assert digest.entities["overdue"] == len(councils) == 6  # six fit without folding
    assert not any(line.startswith("…and ") for line in councils)
    assert all(", deadline passed " in line for line in councils)
    assert advice == "No intervention recorded since; record one with /escalate."


def test_a_long_digest_list_folds_to_six_lines_and_a_count(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2026, 11, 16), 10))
    harness.tick(date(2026, 11, 23))
    digest = digests(harness)[0]
    overdue = next(s for s in digest.sections if s.heading == PAST_DEADLINE)
    assert digest.entities["overdue"] == 7
    assert len(overdue.lines) == 8 and overdue.lines[-2] == "…and 1 more"
    north_west_inadequate = ("Bury:", "Sefton:", "Liverpool:", "Tameside:", "Cheshire East:", "Halton:", "Knowsley:")
    assert all(line.startswith(north_west_inadequate) for line in overdue.lines[:6])


def test_a_digest_due_on_a_bank_holiday_goes_out_the_next_working_morning(harness: Harness) -> None:
    harness.subscribe(None, channel="C_ENG", created=at(date(2025, 8, 20), 10))
    harness.tick(date(2025, 8, 25))  # Summer bank holiday Monday
    assert digests(harness) == []
    harness.tick(date(2025, 8, 26), hour=7)
    assert digests(harness) == []
    harness.tick(date(2025, 8, 26), hour=8)
    sent = digests(harness)
    assert len(sent) == 1 and sent[0].title is not None and sent[0].title.startswith("England: weekly digest")
    by_region = next(s for s in sent[0].sections if s.heading == "By region")
    assert len(by_region.lines) == 9


def test_after_a_long_outage_only_the_newest_digest_goes_out_late(harness: Harness) -> None:
    harness.subscribe("London", channel="C_LON", created=at(date(2025, 6, 1), 10))
    harness.tick(date(2025, 6, 2))
    harness.tick(date(2025, 6, 24))  # down for three weeks; 23 June's digest is within the horizon
    sent = digests(harness)
    assert len(sent) == 2
    assert sent[-1].title is not None and sent[-1].title.endswith("(late: due 23 Jun)")
    skipped = [r for r in harness.services.scheduling.outbox.list("skipped") if r.kind == "digest"]
    assert {r.due_date for r in skipped} == {date(2025, 6, 9), date(2025, 6, 16)}


def test_digest_command_subscribes_lists_previews_and_unsubscribes(ask, services) -> None:  # type: ignore[no-untyped-def]
    slack_admin = "slack:UADMIN1"
    services.actors.settings = replace(services.settings, admins=frozenset({"UADMIN1"}))
    reply = ask("/digest subscribe North West", user=slack_admin, conversation="C_NW")
    assert reply.intent == "digest_subscribe" and "North West" in reply.text, reply.text
    again = ask("/digest subscribe NW", user=slack_admin, conversation="C_NW")
    assert again.kind == "error" and "already subscribed" in again.text
    national = ask("/digest subscribe national", user=slack_admin, conversation="C_NW")
    assert national.intent == "digest_subscribe"
    listing = ask("/digest", user="slack:UVIEWER", conversation="C_NW")
    assert listing.ephemeral and "North West" in listing.text and "national" in listing.text
    preview = ask("/digest now North West", user="slack:UVIEWER", conversation="C_NW")
    assert preview.ephemeral and preview.intent == "digest_preview"
    assert preview.title is not None and "North West: weekly digest" in preview.title
    viewer = ask("/digest unsubscribe North West", user="slack:UVIEWER", conversation="C_NW")
    assert viewer.kind == "error" and "lead brokers" in viewer.text
    gone = ask("/digest unsubscribe North West", user=slack_admin, conversation="C_NW")
    assert gone.intent == "digest_unsubscribe", gone.text
    subs = services.scheduling.subscriptions.for_destination("slack", "C_NW")
    assert [s.scope for s in subs] == ["national"]
    actions = [h.action for h in services.audit.history("subscription", "slack:C_NW")]
    assert sorted(actions) == ["digest.subscribe", "digest.subscribe", "digest.unsubscribe"]


def test_digest_command_errors_are_specific_and_change_nothing(ask, services) -> None:  # type: ignore[no-untyped-def]
    unknown = ask("/digest subscribe Narnia", conversation="C1", user="slack:U1")
    assert unknown.kind == "error" and unknown.ephemeral and "Narnia" in unknown.text
    console = ask("/digest subscribe London")
    assert console.kind == "error" and "python -m bot subscribe" in console.text
    verb = ask("/digest frobnicate", user="slack:U1", conversation="C1")
    assert verb.kind == "error" and "/digest subscribe" in " ".join(s for sec in verb.sections for s in sec.lines)
    assert services.scheduling.subscriptions.all() == []

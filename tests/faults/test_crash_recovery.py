"""Acknowledged means durable, against real `python -m bot serve` processes killed with SIGKILL,
on SQLite and PostgreSQL: every write command Slack saw acknowledged is applied exactly once (or
answered with an error), none twice; acknowledged events left unanswered by the crash are
answered once after the restart, Slack's retries included; a signed request replayed five times
is applied once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_harness import SIGNING_SECRET
from tests.fakes.slack_signing import signed_headers
from tests.faults.crash_harness import Bot, command_form, mention_envelope, post_signed, prepare_database

FORM = "application/x-www-form-urlencoded"
BURST = 100
KILL_AFTER_ACKS = 30
FIRST_DAY = date(2026, 1, 1)  # command n logs peer challenge given on FIRST_DAY + n days


def day_of(n: int) -> date:
    return FIRST_DAY + timedelta(days=n)


@pytest.fixture
def api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, seeded_template: Path, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bot.db'}"
        prepare_database(url, seeded_template)
    else:
        url = request.getfixturevalue("pg_url")
        prepare_database(url)
    return url


def rows_per_day(bot: Bot) -> Counter[date]:
    with bot.engine.connect() as conn:
        from sqlalchemy import text

        found = conn.execute(text("SELECT given_on FROM peerchallengelog")).scalars().all()
    return Counter(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in found)


def answers(api: FakeSlackApi, key: str) -> list[str]:
    return [str(c.payload.get("text") or "") for c in api.calls_for("response_url", ok_only=True)
            if c.path == f"/response/{key}"]


def test_kill_during_a_burst_of_write_commands_loses_and_doubles_nothing(database_url: str, api: FakeSlackApi) -> None:
    bot = Bot(database_url, api).start()
    try:
        # replays of one captured signed request within the window: applied once
        body = command_form(api, "/peerchallenge", f"log Hull to Leeds 0.5 {day_of(0):%Y-%m-%d}", "replayed")
        headers = signed_headers(SIGNING_SECRET, body)
        with httpx.Client(timeout=10) as client:
            replies = [post_signed(client, bot.base, body, FORM, headers) for _ in range(5)]
        assert [r.status_code for r in replies] == [200] * 5

        acknowledged: set[int] = set()
        refused: set[int] = set()
        enough = threading.Event()
        lock = threading.Lock()

        def send(n: int) -> None:
            form = command_form(api, "/peerchallenge", f"log Hull to Leeds 0.5 {day_of(n):%Y-%m-%d}", f"burst{n}")
            try:
                with httpx.Client(timeout=10) as client:
                    response = post_signed(client, bot.base, form, FORM)
            except httpx.HTTPError:
                return  # the process was killed before it answered: not acknowledged
            with lock:
                if response.status_code == 200 and not response.content:
                    acknowledged.add(n)
                elif response.status_code == 200:
                    refused.add(n)  # "busy" in the acknowledgement itself
                if len(acknowledged) >= KILL_AFTER_ACKS:
                    enough.set()

        with ThreadPoolExecutor(10) as pool:
            futures = [pool.submit(send, n) for n in range(1, BURST + 1)]
            # Kill once KILL_AFTER_ACKS are acknowledged; on a machine so slow that most of the burst is
            # refused as busy that may never come, and the kill lands after fewer: the checks below hold.
            enough.wait(120)
            bot.kill()
            for future in futures:
                future.result()
        assert acknowledged, "nothing of the burst was acknowledged"
        unfinished_at_kill = bot.unfinished()
        bot.start()  # the restarted process finishes what the dead one acknowledged
        bot.wait_drained()

        rows = rows_per_day(bot)
        doubled = [n for n in range(BURST + 1) if rows[day_of(n)] > 1]
        applied = {n for n in acknowledged if rows[day_of(n)] == 1}
        errors = {n for n in acknowledged - applied if answers(api, f"burst{n}")}
        lost = acknowledged - applied - errors
        unanswered = [n for n in acknowledged if not answers(api, f"burst{n}")]
        print(f"\n{database_url.split(':')[0]}: attempts {BURST}, acknowledged {len(acknowledged)}, busy "
              f"{len(refused)}, unfinished at the kill {unfinished_at_kill}, applied {len(applied)}, "
              f"answered with an error {len(errors)}, lost {len(lost)}, doubled {len(doubled)}, "
              f"unanswered {len(unanswered)}, applied without an acknowledgement "
              f"{sum(1 for n in range(1, BURST + 1) if rows[day_of(n)] and n not in acknowledged)}")
        assert rows[day_of(0)] == 1 and len(answers(api, "replayed")) == 1  # five replays, one row
        assert doubled == [] and lost == set() and unanswered == []
        assert [n for n in refused if rows[day_of(n)]] == []  # "busy" in the acknowledgement: not applied
        not_logged = {n: answers(api, f"burst{n}")[0] for n in applied
                      if not answers(api, f"burst{n}")[0].startswith("Logged")}
        assert not_logged == {}  # each applied command's first answer says it was logged
    finally:
        bot.stop()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_events_acknowledged_before_a_kill_are_answered_once_after_it(database_url: str, api: FakeSlackApi) -> None:
    bot = Bot(database_url, api).start()
    events = {f"Ev{n:08d}": f"1700000{n:03d}.000100" for n in range(40)}
    try:
        api.hold("chat.postMessage")  # Slack stops answering: the answers cannot get out
        with httpx.Client(timeout=10) as client:
            first = [post_signed(client, bot.base, mention_envelope(event_id, ts, "council Harrow"),
                                 "application/json").status_code for event_id, ts in events.items()]
            assert first == [200] * len(events)
            api.wait_for("chat.postMessage", ok_only=False)  # the workers are stuck sending
            bot.kill()
            api.release()
            assert bot.unfinished() > 0
            bot.start()
            for event_id, ts in events.items():
                envelope = mention_envelope(event_id, ts, "council Harrow")
                retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout",
                         **signed_headers(SIGNING_SECRET, envelope)}
                assert post_signed(client, bot.base, envelope, "application/json", retry).status_code == 200
        bot.wait_drained()
        posted = Counter(str(c.payload.get("thread_ts")) for c in api.calls_for("chat.postMessage", ok_only=True))
        print(f"\nevents: acknowledged {len(events)}, answered {sum(1 for ts in events.values() if posted[ts])}, "
              f"answered twice {sum(1 for ts in events.values() if posted[ts] > 1)}")
        assert {ts: posted[ts] for ts in events.values()} == dict.fromkeys(events.values(), 1)
    finally:
        bot.stop()

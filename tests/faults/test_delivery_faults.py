"""Delivery under faults, with real `python -m bot tick` processes, real SQLite and PostgreSQL
files and servers, and the fake Slack Web API: each due notification is posted exactly once (at
most the one message in flight at a kill -9 twice), and rate limits or an unreachable Slack
never fail one."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.faults.delivery_load import POST, figures, outbox_counts, record, seed_notifications, slow_posts, tick
from tests.faults.serve_process import ServeProcess
from tests.pg import PostgresServer, find_pg_bin


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


def finish(*processes: object, timeout: float = 300) -> list[tuple[str, str]]:
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=timeout)  # type: ignore[attr-defined]
        assert process.returncode == 0, err  # type: ignore[attr-defined]
        outputs.append((out, err))
    return outputs


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_ticks_at_once_post_each_of_500_notifications_exactly_once(
    backend: str, db_path: Path, slack_api: FakeSlackApi, request: pytest.FixtureRequest
) -> None:
    url = f"sqlite:///{db_path}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    texts = seed_notifications(url, 528)
    finish(tick(url, slack_api), tick(url, slack_api))
    result = figures(slack_api, texts)
    record(result.line(f"two ticks on {backend}"))
    assert result.doubled == 0 and result.lost == 0 and result.posted == 528
    assert outbox_counts(url).get("sent") == 528


def test_pacing_holds_across_two_processes_on_postgres(pg_url: str, slack_api: FakeSlackApi) -> None:
    # Every other notification is for one shared channel, so both processes' claims (20 rows
    # each) hold some of its rows and both post to it at once.
    destinations = ["C_SHARED" if i % 2 == 0 else f"C{i:04d}" for i in range(40)]
    texts = seed_notifications(pg_url, 40, destinations)
    first, second = tick(pg_url, slack_api), tick(pg_url, slack_api)
    (out_first, _), (out_second, _) = finish(first, second)
    assert figures(slack_api, texts).posted == 40
    shared = sorted(c.at for c in slack_api.calls_for(POST, ok_only=True) if c.payload.get("channel") == "C_SHARED")
    assert len(shared) == 20
    assert "sent 0," not in out_first + out_second  # both processes delivered some
    gaps = [later - earlier for earlier, later in itertools.pairwise(shared)]
    record(f"FIGURES pacing across processes on postgresql: 20 posts to one channel, smallest gap {min(gaps):.2f}s")
    # One message per second for the channel, whoever sends it (a gap may shrink by the jitter of
    # two processes' requests in flight, never to two posts at once).
    assert min(gaps) >= 0.5 and shared[-1] - shared[0] >= 19 * 0.9, gaps


def test_kill_9_during_delivery_then_another_tick_loses_nothing(db_path: Path, slack_api: FakeSlackApi) -> None:
    url = f"sqlite:///{db_path}"
    texts = seed_notifications(url, 150)
    slow_posts(slack_api, 0.02)
    victim = tick(url, slack_api)
    slack_api.wait_for(POST, 40, timeout=120)
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate(timeout=30)
    interrupted = len(slack_api.calls_for(POST))
    # The killed claims expire after their lease (5 minutes): the next pass runs ten minutes later.
    later = str(float(os.environ.get("BROKER_BOT_WALL_CLOCK_SHIFT", "0")) + 600)
    finish(tick(url, slack_api, as_of="2025-07-14T12:10", BROKER_BOT_WALL_CLOCK_SHIFT=later))
    result = figures(slack_api, texts)
    record(result.line(f"kill -9 after {interrupted} posts, then another tick (sqlite)"))
    assert result.lost == 0 and result.doubled <= 1  # at most the one message in flight at the kill
    assert outbox_counts(url).get("sent") == 150


def test_a_held_sqlite_write_lock_is_waited_out(db_path: Path, slack_api: FakeSlackApi) -> None:
    url = f"sqlite:///{db_path}"
    texts = seed_notifications(url, 60)
    holder = sqlite3.connect(db_path, timeout=30, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for 8 s (past the 5 s busy timeout)
    release = threading.Timer(8.0, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        process = tick(url, slack_api)
        (_out, err), = finish(process)
    finally:
        release.join()
        holder.close()
    result = figures(slack_api, texts)
    record(result.line("held SQLite write lock for 8 s"))
    assert result.doubled == 0 and result.lost == 0
    assert "Traceback" not in err


def test_postgres_stopped_and_restarted_mid_pass(slack_api: FakeSlackApi) -> None:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip("No PostgreSQL binaries on this machine")
    server = PostgresServer(bin_dir)  # its own server: this test stops it
    server.start()
    try:
        url = server.create_database("outage")
        texts = seed_notifications(url, 120)
        slow_posts(slack_api, 0.03)
        process = tick(url, slack_api)
        slack_api.wait_for(POST, 30, timeout=120)
        server.halt()
        time.sleep(3)
        server.resume()
        (_out, err), = finish(process)
        result = figures(slack_api, texts)
        record(result.line("PostgreSQL stopped for 3 s mid-pass"))
        assert result.doubled == 0 and result.lost == 0
        assert "Traceback" not in err
        assert outbox_counts(url).get("sent") == 120
    finally:
        server.stop()


def test_429s_are_waited_out_not_failures(db_path: Path, slack_api: FakeSlackApi) -> None:
    url = f"sqlite:///{db_path}"
    texts = seed_notifications(url, 5)
    slack_api.fail_next(POST, 429, {"Retry-After": "1"}, times=6)
    (out, _err), = finish(tick(url, slack_api))
    result = figures(slack_api, texts)
    record(result.line("six 429s with Retry-After: 1"))
    assert result.posted == 5 and result.doubled == 0 and result.attempts == 5 + 6
    assert "failed 0" in out
    assert outbox_counts(url) == {"sent": 5}


def test_unreachable_slack_one_log_line_and_rows_stay_pending(db_path: Path, slack_api: FakeSlackApi) -> None:
    url = f"sqlite:///{db_path}"
    texts = seed_notifications(url, 50)
    slack_api.go_offline()
    started = time.monotonic()
    (_out, err), = finish(tick(url, slack_api))
    took = time.monotonic() - started
    lines = [line for line in err.splitlines() if line.strip()]
    record(f"FIGURES unreachable Slack: tick took {took:.1f}s, {len(lines)} log line(s)")
    assert len(lines) == 1 and "unreachable" in lines[0], lines
    assert outbox_counts(url) == {"pending": 50}
    slack_api.come_back()
    finish(tick(url, slack_api))
    result = figures(slack_api, texts)
    assert result.posted == 50 and result.doubled == 0 and result.lost == 0


def test_tick_beside_serve_on_sqlite_posts_each_once(db_path: Path, slack_api: FakeSlackApi) -> None:
    """An operator runs `tick` while `serve` (with its scheduler) is running on the same file."""
    url = f"sqlite:///{db_path}"
    texts = seed_notifications(url, 200)
    server = ServeProcess({"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
                           "SLACK_API_URL": slack_api.url, "BOT_AUTO_SEED": "false", "SCHEDULER_ENABLED": "true",
                           "SEND_INTERVAL_SECONDS": "1"})
    try:
        operator = tick(url, slack_api, as_of=None)
        finish(operator)
        deadline = time.monotonic() + 120
        while figures(slack_api, texts).posted < 200 and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        output = server.stop()
    result = figures(slack_api, texts)
    record(result.line("tick beside serve on sqlite"))
    assert "Traceback" not in output
    assert result.doubled == 0 and result.lost == 0

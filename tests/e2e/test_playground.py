"""End to end through Microsoft 365 Agents Playground: Microsoft's local Teams client and connector.

Nothing of ours is faked: `python -m bot serve` (anonymous Teams mode, a temporary SQLite file),
the Playground (npm `@microsoft/m365agentsplayground`) pointed at it, and its web UI driven in
headless Chromium by `drive.mjs` (puppeteer-core) as a person would: the app is installed and
welcomes, a command is answered with a card, a card button, a plain-English question and its
follow-up, a subscription; then `python -m bot tick --as-of` delivers a digest and a reminder proactively into
the Playground's conversation through its connector, and Acknowledge is pressed on the reminder.
We assert on the text the Playground's UI shows after each step.

Needs `node` and `chromium` (tests/e2e/install.sh installs both and the npm packages); skipped
with the reason when they are missing. Screenshots and the transcript land in a temporary folder
named in the failure message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
NODE = shutil.which("node")
PLAYGROUND_CLI = HERE / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
# The Playground's signed-in user (its built-in default profile, Alex Wilber): made an admin so
# the chat may subscribe itself to the digest.
PLAYGROUND_USER_AAD = "00000000-0000-0000-0000-0000000000020"
# The scheduler pass runs as of a Monday 09:30 (digests Mondays 08:00, reminders weekdays 09:00);
# the subscription is dated the Friday before, so both are due whatever the wall clock says.
SUBSCRIBED_AT = "2026-11-20 10:00:00.000000"
TICK_AS_OF = "2026-11-23T09:30"
START_TIMEOUT = 60.0
DRIVE_TIMEOUT = 240.0

pytestmark = [
    pytest.mark.e2e,  # run by `make e2e` (and .ci/run), not by every `pytest`
    pytest.mark.skipif(
        NODE is None or CHROMIUM is None,
        reason="needs node and chromium for Microsoft 365 Agents Playground; run tests/e2e/install.sh",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def node_packages() -> Path:
    """The pinned npm packages, installed from package-lock.json when absent."""
    if not PLAYGROUND_CLI.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True)
    return HERE / "node_modules"


@pytest.fixture
def bot_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMS_", "SLACK_", "DATABASE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        TEAMS_ALLOW_ANONYMOUS="true",
        BOT_ADMINS=f"teams:{PLAYGROUND_USER_AAD}",
        SCHEDULER_ENABLED="false",  # the test runs the scheduler itself, as of a fixed day
        HOST="127.0.0.1",
        PORT=str(free_port()),
    )
    return env


@pytest.fixture
def bot(bot_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=tmp_path, env=bot_env,
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{bot_env['PORT']}"
    try:
        wait_for_http(base + "/healthz", process, log)
        yield base + "/api/messages"
    finally:
        stop(process)


@pytest.fixture
def playground(bot: str, node_packages: Path, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = tmp_path / "playground.log"
    env = dict(os.environ)
    env.update(
        NODE_OPTIONS=f"--require {HERE / 'loopback.cjs'}",
        TEAMSAPPTESTER_BROWSER="none",  # we bring our own browser
        M365_AGENTS_PLAYGROUND_LOGFILE=str(tmp_path / "playground-events.log"),
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(NODE), str(PLAYGROUND_CLI), "--app-endpoint", bot, "--channel-id", "msteams",
             "--port", str(port), "--disable-telemetry"],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url, process, log)
        yield url
    finally:
        stop(process)


def tick(bot_env: dict[str, str], tmp_path: Path) -> str:
    """Date the chat's subscription, then one scheduler pass as of the fixed Monday."""
    database = bot_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        updated = connection.execute(
            "UPDATE subscription SET created_at = ?, checked_until = NULL WHERE platform = 'teams'",
            (SUBSCRIBED_AT,),
        ).rowcount
    if updated != 1:
        return f"expected one Teams subscription, found {updated}"
    result = subprocess.run([sys.executable, "-m", "bot", "tick", "--as-of", TICK_AS_OF], cwd=tmp_path,
                            env=bot_env, capture_output=True, text=True, timeout=120)
    (tmp_path / "tick.log").write_text(result.stdout + result.stderr)
    return "ticked" if result.returncode == 0 else f"tick exited {result.returncode}: {result.stderr[-500:]}"


def drive(playground: str, bot_env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    """Run drive.mjs, answering its request for a scheduler pass; its transcript."""
    artifacts = tmp_path / "artifacts"
    env = dict(os.environ, CHROMIUM=str(CHROMIUM))
    process = subprocess.Popen([str(NODE), str(HERE / "drive.mjs"), playground, str(artifacts)], cwd=HERE,
                               env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdin is not None and process.stdout is not None
    deadline = time.monotonic() + DRIVE_TIMEOUT
    try:
        for line in process.stdout:
            event = json.loads(line)
            if event["event"] == "tick":
                process.stdin.write(tick(bot_env, tmp_path) + "\n")
                process.stdin.flush()
            if event["event"] == "done" or time.monotonic() > deadline:
                break
    finally:
        stop(process)
    return json.loads((artifacts / "transcript.json").read_text())


def shown(transcript: dict[str, Any], name: str) -> str:
    [step] = [s for s in transcript["steps"] if s["name"] == name]
    return "\n".join(step["bubbles"])


def test_playground_conversation_with_proactive_digest_and_reminder(
    playground: str, bot_env: dict[str, str], tmp_path: Path
) -> None:
    transcript = drive(playground, bot_env, tmp_path)
    where = f"(screenshots, transcript and logs in {tmp_path})"
    assert transcript["ok"], f"{transcript.get('error')}\n{where}"

    assert "/council" in shown(transcript, "install")  # the welcome is the help card
    council = shown(transcript, "council")
    assert "Harrow" in council and "Lead broker" in council and "Paul Curran" in council
    assert "Timeline" in council and "Contacts" in council  # the card's buttons
    assert "Harrow" in shown(transcript, "button")  # the card's Timeline button, run as the presser
    assert "Harrow" in shown(transcript, "question")
    follow_up = shown(transcript, "follow-up")  # "their" is Harrow, from the previous question
    assert "Harrow" in follow_up and "Paul Curran" in follow_up
    assert "subscribed" in shown(transcript, "subscribe").lower()

    delivered = shown(transcript, "tick")
    assert "weekly digest, 23 November 2026" in delivered, where  # the digest for the pass's Monday
    assert "Acknowledge" in delivered and "Snooze" in delivered, where  # a reminder with its buttons
    # Acknowledge replaces the pressed reminder in place: same number of bubbles, the reminder now
    # says who acknowledged it and when, and its buttons are gone (one Acknowledge button fewer).
    [acknowledged] = [s for s in transcript["steps"] if s["name"] == "acknowledge"]
    assert acknowledged["total"] == transcript["bubblesBeforeAcknowledge"], where
    [settled] = acknowledged["bubbles"]
    assert re.search(r"Acknowledged by \S.* on \d{1,2} [A-Z][a-z]+ \d{4}", settled), settled
    assert "teams:" not in settled  # a name, not a raw id
    assert "Snooze" not in settled and acknowledged["buttonsAfter"] == acknowledged["buttonsBefore"] - 1, where

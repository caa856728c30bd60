"""Acceptance: a broker runs a week of real work from Slack, and everyone sees it.

Paul Curran (London's lead broker) is linked to a Slack user and types slash commands that reach our
real server as correctly signed requests; answers come back through `response_url` to the fake Slack
Web API. He logs London's DCS agreement, records Harrow's commissioner and books Harrow's peer
review; the operator imports a new Ofsted release (`python -m bot import ofsted`, a copy of the real
history CSV in which Bolton has a newer, Inadequate inspection). Every change must then show up in
the status cards, `/deadlines`, `/signup` and `/audit`, read back through Slack like a colleague would.
Dates are relative to the real today because Slack messages carry no "as of".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.core.format import days_phrase, fmt_date, fmt_short_date
from bot.domain.calendar import deadline_after
from tests.acceptance.helpers import link
from tests.conftest import TODAY
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import USER, SlackServer, slack_api, slack_server  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
HISTORY = REPO / "storage" / "data" / "ofsted" / "ilacs_inspection_history_2018-2025.csv"


def slash(server: SlackServer, api: FakeSlackApi, command: str, text: str) -> dict[str, Any]:
    """Type `/command text` in Slack; the answer posted to response_url (text, blocks, response_type)."""
    before = len(api.calls_for("response_url", ok_only=True))
    assert server.command(api, command, text).status_code == 200
    payload = api.wait_for("response_url", count=before + 1)[before].payload
    return payload


def shown(payload: dict[str, Any]) -> str:
    """Everything the user sees: the fallback text and the Block Kit blocks."""
    return payload["text"] + "\n" + json.dumps(payload.get("blocks", []), ensure_ascii=False)


def new_release(tmp_path: Path, published: date) -> Path:
    """The real history CSV plus one newer Bolton inspection judged Inadequate."""
    inspected = published - timedelta(days=49)
    row = (f"Ofsted Local Authority Webpage,E08000001,Bolton,Current,North West,{inspected.isoformat()},"
           f"{published.isoformat()},ILACS Standard Inspection,Inadequate,Inadequate,"
           "Requires improvement to be good,Inadequate,Requires improvement to be good\n")
    path = tmp_path / "ilacs_inspection_history_new_release.csv"
    path.write_text(HISTORY.read_text(encoding="utf-8").rstrip("\n") + "\n" + row, encoding="utf-8")
    return path


def import_ofsted(path: Path, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run([sys.executable, "-m", "bot", "import", "ofsted", str(path)], capture_output=True,
                           text=True, env=env, timeout=300, cwd=REPO)


def test_a_brokers_week_from_slack_shows_up_everywhere(
    slack_server: SlackServer, slack_api: FakeSlackApi, db_path: Path, tmp_path: Path  # noqa: F811
) -> None:
    today = TODAY  # the bot's today: the wall clock stands at TODAY in London (tests/conftest.py)
    link(slack_server.services, "Paul Curran", f"slack:{USER}")
    start, end = today + timedelta(days=49), today + timedelta(days=51)

    # Monday: London's DCS agreed.
    logged = slash(slack_server, slack_api, "/signup", f"London dcs agreed {today:%d/%m/%Y}")
    assert logged["response_type"] == "in_channel"
    assert f"Logged: London, director of children's services agreed on {fmt_date(today)}" in logged["text"]

    # Tuesday: Harrow's commissioner.
    escalated = slash(slack_server, slack_api, "/escalate", "Harrow commissioner")
    assert f"Recorded: Harrow, commissioner appointed on {fmt_date(today)}" in escalated["text"]
    harrow_deadline = deadline_after(today, 3)  # LADDER_MONTHS default
    assert f"Next deadline {fmt_date(harrow_deadline)}" in escalated["text"]

    # Wednesday: Harrow's peer review.
    booked = slash(slack_server, slack_api, "/peerreview", f"book Harrow {start:%d %b %Y} to {end:%d %b %Y}")
    assert f"Booked peer review #1 for Harrow, {fmt_date(start)} to {fmt_date(end)}." in booked["text"]

    # Thursday: Ofsted publishes; the operator imports the new release while the server runs.
    published = today - timedelta(days=7)
    bolton_deadline = deadline_after(published, 6)
    result = import_ofsted(new_release(tmp_path, published), db_path)
    assert result.returncode == 0, result.stderr
    assert "1 added, 0 changed, 271 unchanged, 0 unmatched" in result.stdout
    assert "Escalations opened: 1" in result.stdout

    # Friday: everything reads back through Slack.
    harrow = shown(slash(slack_server, slack_api, "/council", "Harrow"))
    assert f"Current stage: Commissioner appointed (since {fmt_date(today)})" in harrow
    assert f"next deadline is {fmt_date(harrow_deadline)}" in harrow
    assert f"{fmt_short_date(start)} to {fmt_short_date(end)}" in harrow  # under "Peer reviews booked"

    bolton = shown(slash(slack_server, slack_api, "/council", "Bolton"))
    assert f"Bolton was judged Inadequate (published {fmt_date(published)})." in bolton
    assert f"six-month deadline to improve is {fmt_date(bolton_deadline)}" in bolton
    assert f"Judged inadequate (since {fmt_date(published)})" in bolton
    assert "Lead broker: Howard Cooper." in bolton

    london_deadlines = shown(slash(slack_server, slack_api, "/deadlines", "London 120"))
    assert f"{fmt_short_date(harrow_deadline)} ({days_phrase(harrow_deadline, today)}): Harrow (London), " \
        "commissioner appointed" in london_deadlines
    north_west = shown(slash(slack_server, slack_api, "/deadlines", "North West 200"))
    assert f"{fmt_short_date(bolton_deadline)} ({days_phrase(bolton_deadline, today)}): Bolton (North West)" \
        in north_west

    board = shown(slash(slack_server, slack_api, "/signup", ""))
    assert "London: CE … DCS ✓ Member …" in board
    london = shown(slash(slack_server, slack_api, "/signup", "London"))
    assert f"Director of children's services (`dcs`): Agreed on {fmt_date(today)}" in london

    harrow_audit = shown(slash(slack_server, slack_api, "/audit", "Harrow"))
    assert "2 recorded changes to Harrow" in harrow_audit
    assert "Paul Curran via slack · Booked peer review #1 for Harrow" in harrow_audit
    assert "Paul Curran via slack · Harrow: Commissioner appointed" in harrow_audit
    london_audit = shown(slash(slack_server, slack_api, "/audit", "London"))
    assert "Paul Curran via slack · London: Director of children's services pending → agreed" in london_audit
    bolton_audit = shown(slash(slack_server, slack_api, "/audit", "Bolton"))
    assert "Ofsted import: Bolton ILACS Standard Inspection" in bolton_audit
    assert "Escalation opened for Bolton: judged inadequate" in bolton_audit


def test_a_viewer_in_the_same_channel_cannot_do_the_brokers_week(
    slack_server: SlackServer, slack_api: FakeSlackApi  # noqa: F811
) -> None:
    """The same commands from an unlinked Slack user are refused, say who can help, and change nothing."""
    for command, text in (("/signup", "London dcs agreed"), ("/escalate", "Harrow commissioner"),
                          ("/peerreview", "book Harrow 12 Jan 2027")):
        refused = slash(slack_server, slack_api, command, text)
        assert refused["response_type"] == "ephemeral"
        assert refused["text"].startswith("Only lead brokers and admins can ")
        assert "lead broker" in refused["text"] and "an admin" in refused["text"]  # who can help
    assert "No changes to Harrow have been recorded" in shown(slash(slack_server, slack_api, "/audit", "Harrow"))
    assert "London: CE … DCS … Member …" in shown(slash(slack_server, slack_api, "/signup", ""))

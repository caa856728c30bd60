"""The stable CLI (`python -m bot ...`) run as real subprocesses against real SQLite files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]


def run_bot(*args: str, database: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=120, cwd=Path(__file__).parents[2],
    )


def test_ask_on_an_empty_database_migrates_seeds_and_answers(tmp_path: Path) -> None:
    database = tmp_path / "fresh" / "bot.db"
    result = run_bot("ask", "--as-of", "2026-11-24", "/council Harrow", database=database)
    assert result.returncode == 0, result.stderr
    assert "Harrow was judged Inadequate (published 4 March 2025)." in result.stdout
    assert "4 September 2025" in result.stdout and "Paul Curran" in result.stdout
    assert database.exists()


def test_ask_json(db_path: Path) -> None:
    result = run_bot("ask", "--json", "--as-of", "2026-11-24", "/broker Knowsley", database=db_path)
    payload = json.loads(result.stdout)
    assert set(payload) == {"intent", "entities", "text", "ok"} and payload["ok"] is True
    assert payload["intent"] == "broker_for_council"
    assert payload["entities"]["brokers"] == ["Howard Cooper"]
    assert "Howard Cooper" in payload["text"]


def test_ask_json_reads_one_message_per_line_in_order(db_path: Path) -> None:
    result = run_bot("ask", "--json", "-", database=db_path, stdin="/council Harrow\n\n/broker London\n/help\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    # Exactly one line per input line, the blank one included (an empty-message error), in order.
    assert [line["intent"] for line in lines] == ["council_status", "empty_message", "broker_for_region", "help"]
    assert [line["ok"] for line in lines] == [True, False, True, True]
    assert result.returncode == 0


def test_ask_rejects_a_malformed_as_of_date(db_path: Path) -> None:
    result = run_bot("ask", "--as-of", "24/11/2026", "/council Harrow", database=db_path)
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_rejects_a_malformed_user(db_path: Path) -> None:
    result = run_bot("ask", "--user", "U123", "/council Harrow", database=db_path)
    assert result.returncode != 0
    assert "PLATFORM:ID" in result.stderr


def test_console_chats_until_quit(db_path: Path) -> None:
    result = run_bot("console", "--as-of", "2026-11-24", database=db_path, stdin="/council Hull\nquit\n")
    assert result.returncode == 0, result.stderr
    assert "Try `/council Harrow`" in result.stdout
    assert "you> /council Hull\nKingston upon Hull\nKingston upon Hull was judged" in result.stdout
    assert "\033[" not in result.stdout  # no colour codes when not a terminal


def test_db_upgrade_and_seed_commands(tmp_path: Path) -> None:
    database = tmp_path / "ops.db"
    upgraded = run_bot("db", "upgrade", database=database)
    assert upgraded.returncode == 0 and "Database schema at revision" in upgraded.stdout
    first = run_bot("seed", database=database)
    assert first.returncode == 0 and "19 escalations opened" in first.stdout
    second = run_bot("seed", database=database)
    assert "0 added, 0 changed" in second.stdout and "0 escalations opened" in second.stdout


def test_ctrl_c_during_the_first_start_is_one_line_and_the_next_start_works(tmp_path: Path) -> None:
    """The first start creates and seeds the database; Ctrl-C there says so in one line (no traceback)
    and leaves nothing half-loaded: the next start finishes the job and answers."""
    database = tmp_path / "first" / "broker-bot.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    console = subprocess.Popen([sys.executable, "-m", "bot", "console"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    deadline = time.monotonic() + 60
    while not database.exists() and time.monotonic() < deadline:  # the first start is under way
        time.sleep(0.01)
    console.send_signal(signal.SIGINT)
    out, err = console.communicate(timeout=60)
    if "Broker bot:" in out:
        pytest.skip("the first start finished before Ctrl-C arrived")
    assert console.returncode == 130, err
    assert err.strip() == "Interrupted." and "Traceback" not in err
    again = subprocess.run([sys.executable, "-m", "bot", "ask", "--as-of", "2026-11-24", "/council Harrow"],
                           capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "Harrow was judged Inadequate" in again.stdout


@pytest.mark.parametrize("interruption", [
    # Ctrl-C while a library builds code with exec(), as dataclasses and Alembic do on import
    'exec("raise KeyboardInterrupt")',
    # a library's own check failing while Ctrl-C unwinds it (SQLAlchemy's "assert not self.is_active")
    'exec("try:\\n    raise KeyboardInterrupt\\nfinally:\\n    raise AssertionError")',
])
def test_ctrl_c_anywhere_in_a_command_is_one_line_and_exit_130(tmp_path: Path, interruption: str) -> None:
    """Run with `-m` like `python -m bot`, because that is where CPython 3.11 kills the process with
    SIGINT after a KeyboardInterrupt raised inside exec(), even one that was caught."""
    (tmp_path / "interrupted_ask.py").write_text(
        "import bot.cli.chat\n"
        f"bot.cli.chat.run_ask = lambda args: {interruption}\n"
        "from bot.cli import main\n"
        "raise SystemExit(main(['ask', '/council Harrow']))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "interrupted_ask"], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=60)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == "Interrupted."

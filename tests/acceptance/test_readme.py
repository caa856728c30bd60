"""Acceptance: a new user who follows only the README.

The README's own text is the test data: the two quick-start commands, the console examples, every
example in the Commands table and the plain-English examples are parsed out of README.md and run
as a user would (the console commands through `python -m bot console`, the rest through the real
router as a linked broker). When the README changes, these tests follow it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.reply import Reply
from bot.services import Services
from tests.acceptance.helpers import BROKER, Ask, link

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The README text under `## title`, up to the next `## ` heading."""
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def quick_start_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", section("Quick start"), re.S)
    assert block is not None, "the quick start has no ```sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def console_examples() -> list[str]:
    """`In the console, try `/council Harrow`, ... or `/help`.`"""
    sentence = re.search(r"In the console, try (.*?)\.\s", section("Quick start"), re.S)
    assert sentence is not None
    return [" ".join(e.split()) for e in re.findall(r"`([^`]+)`", sentence.group(1))]


def table_examples() -> list[tuple[str, str]]:
    """(command cell, example) for every row of the Commands table whose example is code."""
    rows = []
    for line in section("Commands").splitlines():
        if not line.startswith("| `/"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]  # `\|` is not a break
        example = re.fullmatch(r"`([^`]+)`", cells[1])
        if example:
            rows.append((cells[0], example.group(1)))
    return rows


def plain_english_examples() -> list[str]:
    paragraph = re.search(r"\*\*Plain English\*\*(.*?)\n\n", section("Commands"), re.S)
    assert paragraph is not None
    return [" ".join(q.split()) for q in re.findall(r"\"([^\"]+)\"", paragraph.group(1))]


def run_bot(*args: str, database: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=300, cwd=REPO)


def assert_answered(example: str, reply: Reply) -> None:
    assert reply.kind != "error", f"{example!r} answered with an error: {reply.text}"
    assert reply.intent not in {"unknown", "unknown_command", "clarify", "out_of_domain"}, (example, reply.text)
    assert reply.text.strip(), example


def test_quick_start_is_two_make_targets_that_exist() -> None:
    commands = quick_start_commands()
    assert commands == ["make run", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^run: .*\n\t\$\(BIN\)/python -m bot console$", makefile, re.M)
    assert re.search(r"^test: .*\n(\t.*\n)*\t\$\(BIN\)/pytest$", makefile, re.M)
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_console_examples_from_the_quick_start_answer_on_an_empty_database(tmp_path: Path) -> None:
    """What `make run` starts (`python -m bot console`) on a database that does not exist yet."""
    examples = console_examples()
    assert examples[:3] == ["/council Harrow", "/council list North West inadequate", "/broker Knowsley"]
    database = tmp_path / "new" / "broker-bot.db"
    result = run_bot("console", "--as-of", "2026-11-24", database=database, stdin="\n".join(examples) + "\nquit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # /council Harrow: Inadequate, inspection and publication dates, the six-month deadline, the lead broker.
    assert "Harrow was judged Inadequate (published 4 March 2025)." in out
    assert "Inspected / published  20 January 2025 / 4 March 2025" in out
    assert "six-month deadline to improve passed 4 September 2025" in out
    assert "Lead broker: Paul Curran." in out
    assert "7 councils in North West are judged Inadequate." in out
    assert "Knowsley is in North West; its lead broker is Howard Cooper." in out
    assert out.count("Broker bot help") == 1  # the /help example (the banner is a short welcome)
    assert "Traceback" not in result.stderr and "Sorry" not in out


def test_the_readme_table_lists_every_command_the_bot_knows() -> None:
    from bot.commands import COMMANDS

    documented = {re.match(r"`/(\w+)", cell).group(1) for cell, _ in table_examples()}  # type: ignore[union-attr]
    documented |= {"reminder"}  # its example is "(reminder buttons)", not code
    assert documented == {c.name for c in COMMANDS}


@pytest.mark.parametrize("example", [example for _, example in table_examples()])
def test_every_commands_table_example_works_for_a_broker(services: Services, ask: Ask, example: str) -> None:
    link(services, "Paul Curran", BROKER)
    if example == "/undo":
        ask("/signup London dcs agreed 24/11/2026", user=BROKER)  # something of one's own to undo
    reply = ask(example, user=BROKER, conversation="C0LONDON")
    assert_answered(example, reply)


def test_commands_table_examples_run_in_order_as_one_session(services: Services, ask: Ask) -> None:
    """Run top to bottom as a broker would read the table: writes land, /audit shows them, /undo reverts."""
    link(services, "Paul Curran", BROKER)
    replies = {example: ask(example, user=BROKER, conversation="C0LONDON") for _, example in table_examples()}
    for example, reply in replies.items():
        assert_answered(example, reply)
    escalated = replies["/escalate Harrow commissioner"].text
    assert "Recorded: Harrow, commissioner appointed on 24 November 2026" in escalated
    audit = replies["/audit Harrow"].text
    assert "Paul Curran" in audit and "Booked peer review" in audit
    # The last write before /undo was the /digest subscription: it is the one undone.
    assert "Subscribed" in replies["/undo"].text and "North West" in replies["/undo"].text
    assert "This channel has no digest subscriptions" in ask("/digest", user=BROKER, conversation="C0LONDON").text


def test_plain_english_examples_from_the_readme(services: Services, ask: Ask) -> None:
    examples = plain_english_examples()
    assert examples == ["who's our broker?", "how is Hull doing?", "which North West councils are inadequate?",
                        "when does Knowsley have to improve by?", "and Halton?"]
    link(services, "Paul Curran", BROKER)  # "our broker" needs a linked asker
    answers = [ask(q, user=BROKER, conversation="D0DM") for q in examples]
    for question, reply in zip(examples, answers, strict=True):
        assert_answered(question, reply)
    assert "The lead broker for London is Paul Curran." in answers[0].text
    assert answers[1].text.startswith("Kingston upon Hull was judged Requires improvement to be good")
    assert "Bury, Cheshire East, Halton, Knowsley, Liverpool, Sefton and Tameside" in answers[2].text
    assert answers[3].text.startswith("Knowsley's six-month deadline to improve passed 21 July 2025")
    assert answers[4].text.startswith("Halton's six-month deadline to improve passed 13 January 2025")


@pytest.mark.parametrize("manifest", ["manifest.yml", "manifest.socket-mode.yml"])
def test_slack_manifests_claim_brokerbot_and_the_two_aliases_the_readme_names(manifest: str) -> None:
    """The README says every command works in Slack after `/brokerbot`, with `/council` and `/broker`
    as short aliases: the app created from either manifest registers exactly those, and every
    example in the Commands table reaches its command when typed after `/brokerbot`."""
    import yaml

    from bot.router import unwrap_umbrella

    data = yaml.safe_load((REPO / "slack" / manifest).read_text())
    registered = {c["command"] for c in data["features"]["slash_commands"]}
    text = section("Commands")
    aliases = set(re.findall(r"`(/\w+)` and `(/\w+)` are\s+short\s+aliases", text)[0])
    assert registered == {"/brokerbot"} | aliases == {"/brokerbot", "/council", "/broker"}
    assert "`/brokerbot council Harrow`" in text
    for _cell, example in table_examples():
        assert unwrap_umbrella(f"/brokerbot {example.lstrip('/')}") == example


def test_every_configuration_variable_in_the_readme_is_in_env_example() -> None:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]{2,})`", section("Configuration")))
    example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.M))
    assert documented and documented <= example, sorted(documented - example)


def command_line_block() -> list[str]:
    """The ```sh block that opens the Command line section: how to call the bot, then a first call."""
    block = re.search(r"```sh\n(.*?)```", section("Command line"), re.S)
    assert block is not None, "the Command line section has no ```sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def as_documented(*commands: str, database: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run commands in a new shell from the repository's folder exactly as the README says: its
    activation line first, then each command, on `database`."""
    activate = command_line_block()[0]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    script = " && ".join([activate, *commands])
    return subprocess.run(["bash", "-c", script], input=stdin, capture_output=True, text=True, env=env,
                          timeout=300, cwd=REPO)


@pytest.fixture
def venv_made_by_make() -> Path:
    venv = REPO / ".venv"
    if not (venv / "bin" / "activate").exists():
        pytest.skip("no .venv in the repository: `make run` or `make test` makes it")
    return venv


def test_the_command_line_section_says_how_to_call_the_bot_before_its_first_call(
    venv_made_by_make: Path, db_path: Path
) -> None:
    activate, first_call = command_line_block()[:2]
    assert activate == "source .venv/bin/activate"
    assert section("Command line").index(activate) < section("Command line").index("python -m bot")
    result = as_documented(first_call, database=db_path)
    assert result.returncode == 0, result.stderr
    assert "Harrow was judged Inadequate" in result.stdout and "Traceback" not in result.stderr


def test_the_documented_ask_forms_work_as_written(venv_made_by_make: Path, db_path: Path) -> None:
    table = section("Command line")
    for form in ('`python -m bot ask --json "MESSAGE"`', "`python -m bot ask --json -`",
                 "`... --as-of 2026-11-24`", "`python -m bot people list", "`python -m bot outbox"):
        assert form in table, form
    result = as_documented(
        'python -m bot ask --json --as-of 2026-11-24 "/council Harrow"',
        "python -m bot ask --json - --as-of 2026-11-24",
        "python -m bot people list",
        "python -m bot outbox",
        database=db_path,
        stdin="/council Harrow\n\n/funding lots\n/council Narnia\n",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    single = json.loads(lines[0])
    assert single["intent"] == "council_status" and single["ok"] is True
    # One output line per input line, blank ones included, in order; each says its own outcome.
    piped = [json.loads(line) for line in lines[1:5]]
    assert [p["ok"] for p in piped] == [True, False, False, False]
    assert piped[0]["entities"]["council"] == "Harrow" and piped[1]["intent"] == "empty_message"
    assert piped[3]["intent"] == "unknown_council"
    assert "Paul Curran" in result.stdout  # people list


def test_ask_exits_non_zero_when_the_reply_is_not_an_answer(venv_made_by_make: Path, db_path: Path) -> None:
    answered = as_documented('python -m bot ask "/council Harrow"', database=db_path)
    unknown = as_documented('python -m bot ask "/council Narnia"', database=db_path)
    refused = as_documented('python -m bot ask --user slack:U0STRANGER "/signup London dcs agreed"', database=db_path)
    assert answered.returncode == 0
    assert unknown.returncode == 1 and "Narnia" in unknown.stdout
    assert refused.returncode == 1, refused.stdout


def test_an_unreachable_database_is_one_line_naming_host_and_port_not_password(venv_made_by_make: Path) -> None:
    env_url = "postgresql://broker:s3cret-pw@127.0.0.1:1/brokerbot"
    result = subprocess.run(["bash", "-c", f'{command_line_block()[0]} && python -m bot ask "/council Harrow"'],
                            capture_output=True, text=True, env={**os.environ, "DATABASE_URL": env_url},
                            timeout=120, cwd=REPO)
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "127.0.0.1:1" in result.stderr and "s3cret-pw" not in result.stderr
    assert "Traceback" not in result.stderr

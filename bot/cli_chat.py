"""`ask` and `console`: the local text front end on the same core as Slack and Teams."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli import dumps
from bot.core.message import CONSOLE_USER, Message, UserRef
from bot.core.reply import Reply, error
from bot.core.router import Router
from bot.render.text import render_text

WELCOME = (
    "Broker bot: ask about a council's Ofsted status, intervention deadlines and lead brokers.\n"
    "Try `/council Harrow`, `who is the broker for Hull?` or `/help` for every command.\n"
    "Ctrl-D or `quit` leaves."
)


def build_router() -> Router:
    from bot.bootstrap import open_services
    from bot.nlu_hook import install_understander

    router = Router(open_services())
    install_understander(router)
    return router


def _user(args: argparse.Namespace) -> UserRef:
    if not args.user:
        return CONSOLE_USER
    try:
        return UserRef.parse(args.user)
    except ValueError as exc:
        raise SystemExit(f"--user: {exc}") from exc


EMPTY_MESSAGE = error("Empty message: type a question or a command such as /council Harrow.", intent="empty_message")


def _emit(reply: Reply, as_json: bool, *, one_line: bool = False) -> None:
    text = render_text(reply)
    if as_json:
        print(dumps({"intent": reply.intent, "entities": reply.entities, "text": text, "ok": reply.ok}))
    elif one_line:  # stdin mode: one output line per input line, so scripts can pair them up
        print(" | ".join(line for line in text.splitlines() if line.strip()))
    else:
        print(text)


def run_ask(args: argparse.Namespace) -> int:
    """One message, or one per stdin line (`-`). A single message exits 1 when its reply is an
    error, a refusal or unanswered; stdin mode exits 0 once every line was answered, each line's
    own outcome being in its `ok` (JSON) so one bad line does not hide the others."""
    user = _user(args)
    router = build_router()
    if args.message == "-":
        conversation = "stdin"
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            if text.strip():
                reply = router.handle(Message(text=text, user=user, conversation=conversation, as_of=args.as_of))
            else:
                reply = EMPTY_MESSAGE
            _emit(reply, args.json, one_line=True)
            sys.stdout.flush()
        return 0
    reply = router.handle(Message(text=args.message, user=user, conversation="ask", as_of=args.as_of))
    _emit(reply, args.json)
    return 0 if reply.ok else 1


def _enable_line_editing() -> None:
    """Arrow keys, Ctrl-R and a history kept between sessions, where the platform has readline."""
    try:
        import readline
    except ImportError:  # e.g. Windows without pyreadline: plain input() still works
        return
    history = Path(os.environ.get("BROKER_BOT_HISTORY", "~/.local/share/broker-bot/console_history")).expanduser()
    with contextlib.suppress(OSError):
        history.parent.mkdir(parents=True, exist_ok=True)
        if history.exists():
            readline.read_history_file(history)
    readline.set_history_length(1000)
    atexit.register(_save_history, readline.write_history_file, history)


def _save_history(write: Callable[[Path], None], history: Path) -> None:
    with contextlib.suppress(OSError):
        write(history)


def run_console(args: argparse.Namespace) -> int:
    user = _user(args)
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # https://no-color.org
    typed_by_a_person = sys.stdin.isatty()
    if typed_by_a_person:
        _enable_line_editing()
    router = build_router()
    print(WELCOME)
    while True:
        try:
            text = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not typed_by_a_person:
            print(text)  # piped input is not echoed by the terminal: show what was asked
        if text.strip().lower() in {"quit", "exit", ":q"}:
            return 0
        if not text.strip():
            continue
        reply = router.handle(Message(text=text, user=user, conversation="console", as_of=args.as_of))
        print(render_text(reply, colour=colour))

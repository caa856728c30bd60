"""`ask` and `console`: the local text front end on the same core as Slack and Teams."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING

from bot.core.message import CONSOLE_USER, Message, UserRef
from bot.core.reply import Reply
from bot.render.text import render_text

if TYPE_CHECKING:  # imported when a message is answered: `python -m bot --help` stays fast
    from bot.router import Router

WELCOME = (
    "Broker bot: ask about a council's Ofsted status, intervention deadlines and lead brokers.\n"
    "Try `/council Harrow`, `who is the broker for Hull?` or `/help` for every command.\n"
    "Ctrl-D or `quit` leaves."
)


def parse_as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--as-of takes a date as YYYY-MM-DD, not {text!r}") from exc


def configure_ask(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message", help="the message, or - to read one message per stdin line")
    parser.add_argument("--json", action="store_true", help='print {"intent", "entities", "text"}')
    parser.add_argument("--as-of", type=parse_as_of, help="answer as if today were YYYY-MM-DD")
    parser.add_argument("--user", help="act as PLATFORM:ID, e.g. slack:U0123ABC")


def configure_console(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=parse_as_of, help="answer as if today were YYYY-MM-DD")
    parser.add_argument("--user", help="act as PLATFORM:ID")


def open_router() -> Router:
    from bot.bootstrap import build_router, open_services

    return build_router(open_services())


def dumps(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)


def _user(args: argparse.Namespace) -> UserRef:
    if not args.user:
        return CONSOLE_USER
    try:
        return UserRef.parse(args.user)
    except ValueError as exc:
        raise SystemExit(f"--user: {exc}") from exc


def _emit(reply: Reply, as_json: bool) -> None:
    if as_json:
        print(dumps({"intent": reply.intent, "entities": reply.entities, "text": render_text(reply)}))
    else:
        print(render_text(reply))


def run_ask(args: argparse.Namespace) -> int:
    user = _user(args)
    router = open_router()
    if args.message == "-":
        conversation = "stdin"
        for line in sys.stdin:
            text = line.rstrip("\n")
            if not text.strip():
                continue
            reply = router.handle(Message(text=text, user=user, conversation=conversation, as_of=args.as_of))
            _emit(reply, args.json)
            sys.stdout.flush()
        return 0
    reply = router.handle(Message(text=args.message, user=user, conversation="ask", as_of=args.as_of))
    _emit(reply, args.json)
    return 1 if reply.intent == "error" else 0


def run_console(args: argparse.Namespace) -> int:
    user = _user(args)
    colour = sys.stdout.isatty()
    typed_by_a_person = sys.stdin.isatty()
    router = open_router()
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

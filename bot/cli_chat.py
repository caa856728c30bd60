"""`ask` and `console`: the local text front end on the same core as Slack and Teams."""

from __future__ import annotations

import argparse
import sys

from bot.cli import dumps
from bot.core.message import CONSOLE_USER, Message, UserRef
from bot.core.reply import Reply
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


def _emit(reply: Reply, as_json: bool) -> None:
    if as_json:
        print(dumps({"intent": reply.intent, "entities": reply.entities, "text": render_text(reply)}))
    else:
        print(render_text(reply))


def run_ask(args: argparse.Namespace) -> int:
    user = _user(args)
    router = build_router()
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

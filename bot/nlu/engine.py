"""The natural-language engine the router calls for anything that is not a command.

One instance per router (the router builds it). It owns the n-gram spotter built from the
directory; conversation contexts live in the database (see `bot.nlu.context`), so they survive a
restart and are shared by every process. Commands typed by hand set the context too
(`remember_command`), so "/council Harrow" then "who's the broker?" works like a question would.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.core.message import Message
from bot.core.reply import Reply
from bot.nlu.answer import Answerer, CommandRunner
from bot.nlu.context import Context, ContextStore, Turn, context_key
from bot.nlu.spotter import Spotter
from bot.nlu.understand import Interpretation, understand
from bot.services.conversations import ConversationContexts
from bot.services.directory import Directory

# Replies that say nothing about a council, region or person: they leave the context alone so
# "and Knowsley?" still follows the last real answer.
NEUTRAL_INTENTS = {"help", "thanks", "out_of_domain", "clarify", "unknown_council", "clarify_council",
                   "unknown_region", "error", "clarify_home", "unknown_command"}


# Command replies about one region whose intent a follow-up can carry on with.
REGION_INTENTS = {"council_list", "broker_for_region", "deadlines", "signup_status", "peer_reviews", "funding"}


class Engine:
    """Called by the router for plain text: (router, message, today) -> Reply."""

    def __init__(self, directory: Directory, contexts: ConversationContexts) -> None:
        self.directory = directory
        self.spotter = Spotter(directory)
        self.contexts = ContextStore(contexts)

    def __call__(self, router: CommandRunner, message: Message, today: date) -> Reply:
        key = context_key(message)
        context = self.contexts.get(key)
        reply = self._reply(router, message, today, context)
        self.contexts.put(key, context)
        return reply

    def remember_command(self, message: Message, reply: Reply) -> None:
        """A command's answer sets the context as the same question in words would: the council
        or region its reply is about becomes what "their", "it" and "who's the broker?" mean."""
        if reply.kind == "error" or reply.intent in NEUTRAL_INTENTS:
            return
        council = reply.entities.get("council")
        region = reply.entities.get("region")
        turn: Turn | None = None
        if isinstance(council, str) and council:
            council_id = self.directory.resolve_council(council).match
            if council_id is not None:
                intent = reply.intent if reply.intent in {"council_status", "broker_for_council", "deadlines"} \
                    else "council_status"
                turn = Turn(intent, council_id=council_id, aspect="overall" if intent == "council_status" else None)
        elif isinstance(region, str) and region:
            region_id = self.directory.resolve_region(region).match
            if region_id is not None:
                intent = reply.intent if reply.intent in REGION_INTENTS else "council_list"
                turn = Turn(intent, region_id=region_id)
        if turn is None:
            return
        key = context_key(message)
        context = self.contexts.get(key)
        context.last = turn
        self.contexts.put(key, context)

    def _reply(self, router: CommandRunner, message: Message, today: date, context: Context) -> Reply:
        meaning = understand(message.text, today, self.spotter, context)
        if context.pending is not None:
            meaning = self._answer_pending(context, meaning)
        if meaning.needs_home:
            meaning = self._fill_home(router, message, context, meaning)
            if meaning.needs_home:
                context.pending = meaning.turn
                return Answerer(router, message, today).ask_home(meaning)
        reply = Answerer(router, message, today).answer(meaning)
        if reply.intent not in NEUTRAL_INTENTS and reply.kind != "error":
            context.last = replace(meaning.turn, intent=reply.intent)
        return reply

    @staticmethod
    def _answer_pending(context: Context, meaning: Interpretation) -> Interpretation:
        """The turn after "which council or region are you with?": remember the answer as home
        and answer the question that was waiting; anything else drops the waiting question."""
        pending, context.pending = context.pending, None
        turn = meaning.turn
        if pending is None or (turn.council_id is None and turn.region_id is None):
            return meaning
        context.home_council_id, context.home_region_id = turn.council_id, turn.region_id
        return Interpretation(replace(pending, council_id=turn.council_id, region_id=turn.region_id))

    def _fill_home(self, router: CommandRunner, message: Message, context: Context,
                   meaning: Interpretation) -> Interpretation:
        directory = router.services.directory
        council = directory.linked_council_for_user(message.user.platform, message.user.id)
        region_id = None
        if council is None:
            person = directory.person_for_user(message.user.platform, message.user.id)
            if person is not None and person.regions:
                region_id = directory.resolve_region(person.regions[0]).match
        if council is None and region_id is None:
            return meaning
        context.home_council_id = council.id if council else None
        context.home_region_id = region_id
        turn: Turn = replace(meaning.turn, council_id=context.home_council_id, region_id=region_id)
        return replace(meaning, turn=turn, needs_home=False)

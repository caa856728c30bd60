"""The natural-language engine the router calls for anything that is not a command.

One instance per router (the router builds it). It owns the n-gram spotter built
from the directory and the in-memory conversation contexts (lost on restart, by design).
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
from bot.services.directory import Directory

# Replies that say nothing about a council, region or person: they leave the context alone so
# "and Knowsley?" still follows the last real answer.
NEUTRAL_INTENTS = {"help", "thanks", "out_of_domain", "clarify", "unknown_council", "clarify_council",
                   "unknown_region", "error", "clarify_home", "unknown_command"}


class Engine:
    """Called by the router for plain text: (router, message, today) -> Reply."""

    def __init__(self, directory: Directory, contexts: ContextStore | None = None) -> None:
        self.spotter = Spotter(directory)
        self.contexts = contexts or ContextStore()

    def __call__(self, router: CommandRunner, message: Message, today: date) -> Reply:
        context = self.contexts.get(context_key(message))
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

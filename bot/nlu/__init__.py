"""Natural-language understanding: plain-English questions -> intent, entities and an answer
built by the same command handlers a broker types. See docs/nlu.md."""

from __future__ import annotations

from bot.nlu.dates import DateRange, parse_when

__all__ = ["DateRange", "parse_when"]

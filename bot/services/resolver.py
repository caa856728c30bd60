"""Forgiving resolution of user-typed council, region and person names.

Exact matches on normalised names and aliases win; otherwise rapidfuzz ranks candidates. When
two councils are about equally close we ask which; when nothing is close we suggest three.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from storage.normalise import normalise_name

T = TypeVar("T", bound=Hashable)

# Words people add or drop around council names ("Harrow Council", "London Borough of Harrow").
_FILLER = re.compile(
    r"\b(the|council|borough|metropolitan|district|county|city|of|royal|london borough of|mbc|lb)\b"
)

MATCH_SCORE = 86.0
CLOSE_SCORE = 75.0
SUGGEST_SCORE = 55.0
AMBIGUITY_MARGIN = 4.0


def strip_filler(normalised: str) -> str:
    return re.sub(r"\s+", " ", _FILLER.sub(" ", normalised)).strip()


@dataclass(frozen=True)
class Resolution(Generic[T]):
    """The outcome of resolving one name: a match, a choice between close ones, or suggestions."""

    query: str
    match: T | None = None
    candidates: tuple[T, ...] = field(default_factory=tuple)
    is_close: bool = False

    @property
    def ambiguous(self) -> bool:
        """Several candidates scored about the same: ask the user which one they meant."""
        return self.match is None and len(self.candidates) > 1 and self.is_close


class NameIndex(Generic[T]):
    """An in-memory index from normalised names and aliases to values of type T."""

    def __init__(self) -> None:
        self._exact: dict[str, T] = {}
        self._stripped: dict[str, T] = {}
        self._keys: list[str] = []
        self._values: list[T] = []

    def add(self, name: str, value: T, *, primary: bool = True) -> None:
        key = normalise_name(name)
        if not key:
            return
        if primary or key not in self._exact:
            self._exact[key] = value
        stripped = strip_filler(key)
        if stripped and (primary or stripped not in self._stripped):
            self._stripped.setdefault(stripped, value)
        self._keys.append(stripped or key)
        self._values.append(value)

    def keys(self) -> dict[str, T]:
        """Every normalised name and alias -> value (exact keys win over filler-stripped ones).
        Used by the NL engine to spot mentions in free text without a database round trip."""
        keys = dict(self._stripped)
        keys.update(self._exact)
        return keys

    def exact_keys(self) -> dict[str, T]:
        """Only the normalised names and aliases as stored (no filler stripping)."""
        return dict(self._exact)

    def resolve(self, text: str, *, limit: int = 3) -> Resolution[T]:
        key = normalise_name(text)
        if not key:
            return Resolution(query=text)
        if key in self._exact:
            return Resolution(query=text, match=self._exact[key])
        stripped = strip_filler(key) or key
        if stripped in self._stripped:
            return Resolution(query=text, match=self._stripped[stripped])
        ranked = self._rank(stripped)
        if not ranked:
            return Resolution(query=text)
        best_value, best_score, best_key = ranked[0]
        close = [v for v, s, _ in ranked if s >= best_score - AMBIGUITY_MARGIN and s >= CLOSE_SCORE]
        if best_score >= MATCH_SCORE and len(close) == 1 and best_key[:1] == stripped[:1]:
            return Resolution(query=text, match=best_value)
        if len(close) > 1:
            return Resolution(query=text, candidates=tuple(close[:limit]), is_close=True)
        suggestions = tuple(v for v, s, _ in ranked[:limit] if s >= SUGGEST_SCORE)
        return Resolution(query=text, candidates=suggestions)

    def _rank(self, query: str) -> list[tuple[T, float, str]]:
        """Best score per distinct value, best first, with the key that scored it. WRatio forgives
        word order and partials; plain ratio breaks ties so "Hertfordshre" prefers Hertfordshire
        over Herefordshire. A close match that differs in the first letter ("Wessex" and Essex)
        is only ever a suggestion: typos rarely hit the first letter, other names often do."""
        hits = process.extract(query, self._keys, scorer=fuzz.WRatio, limit=25)
        best: dict[T, tuple[T, float, str]] = {}
        for key, score, index in hits:
            value = self._values[index]
            combined = score * 0.7 + fuzz.ratio(query, key) * 0.3
            if value not in best or best[value][1] < combined:
                best[value] = (value, combined, key)
        return sorted(best.values(), key=lambda triple: triple[1], reverse=True)

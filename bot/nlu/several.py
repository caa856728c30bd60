"""Questions about several councils or regions at once ("how are Knowsley and Halton doing?",
"brokers for London and the South East"): each is answered as if asked alone, then the answers
are put together, the card being the first one's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core.format import join_names
from bot.core.reply import Reply
from bot.nlu.understand import Interpretation

Answer = Callable[[Interpretation], Reply]


def _each(answer: Answer, meaning: Interpretation, first: Reply, key: str,
          others: list[Interpretation]) -> tuple[list[str], list[str]]:
    """The first reply's text and `key` entity, then each other question's, answered alone."""
    texts, names = [first.text], [str(first.entities.get(key))]
    for other_meaning in others:
        other = answer(other_meaning)
        texts.append(other.text)
        names.append(str(other.entities.get(key)))
    return texts, names


def several_councils(answer: Answer, meaning: Interpretation, first: Reply) -> Reply:
    """One sentence per council named ("how are Knowsley and Halton doing?"); the card is the
    first council's."""
    others = [replace(meaning, turn=replace(meaning.turn, council_id=council_id, region_id=None), more_councils=())
              for council_id in meaning.more_councils]
    texts, names = _each(answer, meaning, first, "council", others)
    grade = meaning.turn.grade
    if grade and first.intent == "council_status":  # "which of Knowsley, Halton and Sefton are inadequate?"
        judged = [name for name, text in zip(names, texts, strict=True) if text.startswith("Yes.")]
        head = (f"Judged {grade}: {join_names(judged)}." if judged
                else f"None of {join_names(names)} is judged {grade}.")
        texts.insert(0, head)
    return replace(first, text=" ".join(texts), entities={**first.entities, "councils": names})


def several_regions(answer: Answer, meaning: Interpretation, first: Reply) -> Reply:
    """One sentence per region named ("brokers for London and the South East"); the card is
    the first region's."""
    others = [replace(meaning, turn=replace(meaning.turn, region_id=region_id, council_id=None), more_regions=())
              for region_id in meaning.more_regions]
    texts, names = _each(answer, meaning, first, "region", others)
    return replace(first, text=" ".join(texts), entities={**first.entities, "regions": names})

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


def several_councils(answer: Answer, meaning: Interpretation, first: Reply) -> Reply:
    """One sentence per council named ("how are Knowsley and Halton doing?"); the card is the
    first council's."""
    texts = [first.text]
    names = [str(first.entities.get("council"))]
    for council_id in meaning.more_councils:
        turn = replace(meaning.turn, council_id=council_id, region_id=None)
        other = answer(replace(meaning, turn=turn, more_councils=()))
        texts.append(other.text)
        names.append(str(other.entities.get("council")))
    entities = dict(first.entities)
    entities["councils"] = names
    grade = meaning.turn.grade
    if grade and first.intent == "council_status":  # "which of Knowsley, Halton and Sefton are inadequate?"
        judged = [name for name, text in zip(names, texts, strict=True) if text.startswith("Yes.")]
        head = (f"Judged {grade}: {join_names(judged)}." if judged
                else f"None of {join_names(names)} is judged {grade}.")
        texts.insert(0, head)
    return replace(first, text=" ".join(texts), entities=entities)


def several_regions(answer: Answer, meaning: Interpretation, first: Reply) -> Reply:
    """One sentence per region named ("brokers for London and the South East"); the card is
    the first region's."""
    texts = [first.text]
    names = [str(first.entities.get("region"))]
    for region_id in meaning.more_regions:
        turn = replace(meaning.turn, region_id=region_id, council_id=None)
        other = answer(replace(meaning, turn=turn, more_regions=()))
        texts.append(other.text)
        names.append(str(other.entities.get("region")))
    entities = dict(first.entities)
    entities["regions"] = names
    return replace(first, text=" ".join(texts), entities=entities)

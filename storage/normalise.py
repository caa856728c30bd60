"""Name normalisation shared by the seed loader (stored alias keys) and the resolver."""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’]s\b")


def normalise_name(text: str) -> str:
    """Lower case, `&` -> `and`, punctuation and accents dropped, spaces collapsed.

    "St. Helens" -> "st helens"; "Telford & Wrekin" -> "telford and wrekin";
    "Bristol, City of" -> "bristol city of"; "Stoke-on-Trent" -> "stoke on trent".
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _POSSESSIVE.sub("", text.lower()).replace("&", " and ")
    text = _PUNCTUATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip()

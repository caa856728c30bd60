"""Notes written relative to when they were published, read as dates.

The bulletin 7 roster (4 November 2011) says Howard Cooper is "joining in January": January of the
bulletin's next year, so shown as "joining January 2012". A month named without a year means its
next occurrence after the source's date (the month of the source itself means that month).
"""

from __future__ import annotations

import re
from datetime import date

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
# Month names only capitalised ("they may join" is not May); the preposition in any case.
_IN_MONTH = re.compile(
    r"\b((?i:in|from|by|until|since|before|after))?\s*\b(" + "|".join(MONTH_NAMES) + r")\b(?!\s+\d{4})"
)


def month_after(month: int, published: date) -> date:
    """The first day of `month` on or after the month of `published`."""
    year = published.year + (1 if month < published.month else 0)
    return date(year, month, 1)


def dated_note(text: str, published: date | None) -> str:
    """`"joining in January"` published 4 Nov 2011 -> `"joining January 2012"`; a month that already
    has a year, or a note without a source date, is left as it is."""
    if published is None:
        return text

    def dated(match: re.Match[str]) -> str:
        preposition = match.group(1) or ""
        name = match.group(2)
        when = month_after(MONTH_NAMES.index(name) + 1, published)
        kept = "" if preposition.lower() in {"", "in"} else f"{preposition} "
        lead = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        return f"{lead}{kept}{name} {when.year}"

    return _IN_MONTH.sub(dated, text)

"""Intent names shared by the router, the NL engine and `ask --json`.

A reply whose intent is in ERROR_INTENTS did not do or answer what was asked (`Reply.ok` is
False); every other intent is an answer.
"""

from __future__ import annotations

ERROR = "error"  # something broke on our side: the apology
PERMISSION_DENIED = "permission_denied"
NEEDS_CONFIRMATION = "needs_confirmation"
BAD_DATE = "bad_date"
NOT_FOUND = "not_found"
ALREADY_DONE = "already_done"
NOTHING_TO_UNDO = "nothing_to_undo"
UNKNOWN_COUNCIL = "unknown_council"
UNKNOWN_REGION = "unknown_region"
UNKNOWN_COMMAND = "unknown_command"
EMPTY_MESSAGE = "empty_message"  # `ask -` read a blank line: still one reply, so lines pair up
OUT_OF_DOMAIN = "out_of_domain"  # a question about something the bot does not hold
# A command's arguments that it cannot act on (a number out of range, a date in the future).
PEER_REVIEW_ERROR = "peer_review_error"
PEER_CHALLENGE_ERROR = "peer_challenge_error"
FUNDING_ERROR = "funding_error"

ERROR_INTENTS: frozenset[str] = frozenset({
    ERROR,
    PERMISSION_DENIED,
    NEEDS_CONFIRMATION,
    BAD_DATE,
    NOT_FOUND,
    ALREADY_DONE,
    NOTHING_TO_UNDO,
    UNKNOWN_COUNCIL,
    UNKNOWN_REGION,
    UNKNOWN_COMMAND,
    EMPTY_MESSAGE,
    OUT_OF_DOMAIN,
    PEER_REVIEW_ERROR,
    PEER_CHALLENGE_ERROR,
    FUNDING_ERROR,
})

"""Regional sign-up to sector-led improvement (Children's Improvement Board bulletin 7, seed `004_...`).

"Subject to agreement with the lead chief executive, director for children's services and lead
member for children in each region resources are now available for regions to implement local
arrangements for: peer challenge; early support for councils identifying performance risks;
policy implementation; local promotion of good practice and innovation." A region is signed up
when all three signatories have agreed; the target is "all nine regions signed up before the end
of December". Lead brokers also "make contact with key people and organisations in the region":
the regional lead, regional improvement and efficiency partnerships, LGA senior and principal
advisers and regional leads on succession planning.

Every party has a short name typed in `/signup REGION PARTY STATUS`; the lists below are the
single source for the command's usage hint, the Slack modal's options and the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.calendar import programme_year

SIGNATORY = "signatory"
ARRANGEMENT = "arrangement"
CONTACT = "contact"

STATUSES: dict[str, tuple[str, ...]] = {
    SIGNATORY: ("pending", "agreed", "declined"),
    ARRANGEMENT: ("pending", "in_progress", "agreed", "in_place", "declined"),
    CONTACT: ("pending", "contacted", "met", "declined"),
}
DEFAULT_STATUS = "pending"
AGREED = "agreed"

STATUS_LABELS = {
    "pending": "Pending",
    "agreed": "Agreed",
    "declined": "Declined",
    "in_progress": "In progress",
    "in_place": "In place",
    "contacted": "Contacted",
    "met": "Met",
}

_STATUS_WORDS = {
    "agree": "agreed",
    "yes": "agreed",
    "signed": "agreed",
    "decline": "declined",
    "no": "declined",
    "refused": "declined",
    "waiting": "pending",
    "progress": "in_progress",
    "in progress": "in_progress",
    "inprogress": "in_progress",
    "started": "in_progress",
    "in place": "in_place",
    "inplace": "in_place",
    "live": "in_place",
    "contact": "contacted",
    "spoke": "contacted",
    "emailed": "contacted",
    "called": "contacted",
    "meeting": "met",
}


@dataclass(frozen=True)
class Party:
    key: str  # the short name typed in chat
    kind: str  # signatory | arrangement | contact
    label: str
    aliases: tuple[str, ...] = ()


PARTIES: tuple[Party, ...] = (
    Party("ce", SIGNATORY, "Lead chief executive", ("chief", "chiefexec", "chief-executive", "lead-ce")),
    Party("dcs", SIGNATORY, "Director of children's services", ("director",)),
    Party("member", SIGNATORY, "Lead member for children", ("lead-member", "leadmember", "lm", "councillor")),
    Party("challenge", ARRANGEMENT, "Peer challenge", ("peer-challenge", "peerchallenge")),
    Party("support", ARRANGEMENT, "Early support for councils identifying performance risks",
          ("early-support", "earlysupport", "early", "risks")),
    Party("policy", ARRANGEMENT, "Policy implementation", ("implementation",)),
    Party("practice", ARRANGEMENT, "Local promotion of good practice and innovation",
          ("good-practice", "goodpractice", "innovation", "promotion")),
    Party("lead", CONTACT, "Regional lead for sector-led work", ("regional-lead", "regionallead")),
    Party("riep", CONTACT, "Regional improvement and efficiency partnership", ("partnership",)),
    Party("lga", CONTACT, "LGA senior and principal advisers", ("advisers", "advisors")),
    Party("succession", CONTACT, "Regional leads on succession planning", ("succession-planning",)),
)  # fmt: skip
PARTIES_BY_KEY = {party.key: party for party in PARTIES}
SIGNATORIES = tuple(p for p in PARTIES if p.kind == SIGNATORY)
ARRANGEMENTS = tuple(p for p in PARTIES if p.kind == ARRANGEMENT)
CONTACTS = tuple(p for p in PARTIES if p.kind == CONTACT)

_PARTY_WORDS = {alias: party.key for party in PARTIES for alias in (party.key, *party.aliases)}


def parse_party(text: str) -> Party | None:
    return PARTIES_BY_KEY.get(_PARTY_WORDS.get(text.strip().lower().replace("_", "-"), ""))


def parse_status(party: Party, text: str) -> str | None:
    """The canonical status for `text` if it is one `party` can have (`agree` -> `agreed`)."""
    word = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    word = _STATUS_WORDS.get(word, word.replace(" ", "_"))
    return word if word in STATUSES[party.kind] else None


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def default_target_date(today: date) -> date:
    """31 December of the programme year (April to March) containing `today`: "before the end
    of December" in bulletin 7."""
    start, _ = programme_year(today)
    return date(start.year, 12, 31)


def party_help() -> str:
    """The short names and their statuses, for usage hints."""
    groups = (
        ("Signatories", SIGNATORIES),
        ("Arrangements", ARRANGEMENTS),
        ("Contacts", CONTACTS),
    )
    lines = []
    for title, parties in groups:
        statuses = "/".join(STATUSES[parties[0].kind])
        names = ", ".join(f"`{p.key}` ({p.label})" for p in parties)
        lines.append(f"{title} [{statuses}]: {names}")
    return "\n".join(lines)

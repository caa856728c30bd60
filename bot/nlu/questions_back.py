"""Replies that ask or decline rather than answer: which council was meant, what the bot does not
hold, and a question back when the message was not understood. Plain reply builders, kept apart
from the answerer so each reads on its own."""

from __future__ import annotations

from typing import Any

from bot.core.format import join_names
from bot.core.reply import Action, Reply

CAN_HELP = (
    "I can help with councils' Ofsted judgements and history, intervention deadlines, lead brokers, "
    "who to contact about peer reviews and training, regional sign-up, peer reviews and funding."
)
EXAMPLES = (
    Action("Who is the broker for Hull?", "/broker Hull"),
    Action("North West inadequate councils", "/council list North West inadequate"),
    Action("Help", "/help"),
)


def which_council(word: str, names: list[str]) -> Reply:
    """A name several councils share: list them and ask, rather than guess one."""
    text = f"\u201c{word}\u201d could be {join_names(names, 'or')}. Which one do you mean?"
    actions = tuple(Action(name, f"/council {name}") for name in names[:5])
    return Reply(text=text, actions=actions, kind="question", intent="clarify_council",
                 entities={"name": word, "candidates": names})


def not_held(what: str | None, *, council: str | None, region: str | None) -> Reply:
    """Plainly what the bot does not hold, and what it does hold about the place named: never
    a status card, which would look like an answer."""
    lead = f"I don't hold {what}." if what else "Sorry, that is outside what I know."
    entities: dict[str, Any] = {"not_held": what}
    if council is not None:
        entities["council"] = council
        text = (f"{lead} I can help with {council}'s Ofsted judgements and history, any intervention "
                f"deadline and its lead broker.")
        actions: tuple[Action, ...] = (Action(f"{council} status", f"/council {council}"),
                                       Action(f"{council} broker", f"/broker {council}"), Action("Help", "/help"))
    elif region is not None:
        entities["region"] = region
        text = (f"{lead} I can help with the Ofsted judgements and deadlines of {region}'s councils, its lead "
                f"broker, sign-up and its share of the funding.")
        actions = (Action(f"Councils in {region}", f"/council list {region}"),
                   Action(f"{region} broker", f"/broker {region}"), Action("Help", "/help"))
    else:
        text, actions = f"{lead} {CAN_HELP}", EXAMPLES
    return Reply(text=text, actions=actions, kind="help", intent="out_of_domain", entities=entities)


def clarify(intent: str, grade: str | None) -> Reply:
    """The question back when the message named no council or region the bot could act on."""
    understood = {
        "council_status": "about a council's Ofsted status",
        "deadlines": "about deadlines",
        "broker": "about a lead broker",
        "council_list": "for a list of councils",
        "council_count": "how many councils",
    }.get(intent, "")
    graded = f" judged {grade}" if grade else ""
    if understood:
        text = f"I think you're asking {understood}{graded}, but not which council or region. Try one of these:"
    elif grade:
        text = f"I understood \u201c{grade}\u201d but not what you'd like to know about it. Try one of these:"
    else:
        text = "I'm not sure what you're asking. Try one of these:"
    actions = (
        Action(f"Councils judged {grade}" if grade else "Councils in London",
               f"/council list {grade}" if grade else "/council list London"),
        Action("Who is the broker for Hull?", "/broker Hull"),
        Action("Help", "/help"),
    )
    return Reply(text=text, actions=actions, kind="question", intent="clarify",
                 entities={"judgement": grade} if grade else {})

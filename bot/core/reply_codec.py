"""Reply <-> JSON-able dict, so a neutral reply can wait in the outbox (or a queue) and be
rendered for its platform only when it is sent.

The dict mirrors the dataclasses field for field; `from_dict(to_dict(r)) == r` for every reply
whose entities are JSON-able (dates in entities come back as ISO strings). The JSON is orjson's:
a scheduler pass at 100x encodes some ten thousand replies and its delivery decodes twice that.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import orjson

from bot.core.reply import Action, Fact, Reply, Section

VERSION = 1


def _fact(fact: Fact) -> dict[str, str]:
    return {"label": fact.label, "value": fact.value}


# Dates and dataclasses go through `_default` as they would with the standard library's json;
# keys that are not strings become strings, as there.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _encode(value: Any) -> bytes:
    try:
        return orjson.dumps(value, default=_default, option=_OPTIONS)
    except TypeError:
        # What orjson refuses and the standard library writes: a lone surrogate (a "\udXXX"
        # escape in a JSON body a platform sent, echoed back in a reply) or an int beyond 64 bits.
        return json.dumps(value, default=_default).encode()


def _decode(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # What only the standard library reads: escaped lone surrogates (see `_encode`), and
        # NaN, Infinity or 1e400 in replies kept by earlier versions, which used it throughout.
        return json.loads(text)


def _default(value: object) -> str | list[Any]:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):  # a NamedTuple: orjson takes only plain tuples; json wrote a list
        return list(value)
    return str(value)


def to_dict(reply: Reply) -> dict[str, Any]:
    """A JSON-able dict of `reply` (tuples become lists)."""
    return _as_dict(reply, _decode(_encode(reply.entities)))


def _as_dict(reply: Reply, entities: Any) -> dict[str, Any]:
    return {
        "v": VERSION,
        "text": reply.text,
        "title": reply.title,
        "facts": [_fact(f) for f in reply.facts],
        "sections": [
            {"heading": s.heading, "facts": [_fact(f) for f in s.facts], "lines": list(s.lines)}
            for s in reply.sections
        ],
        "actions": [{"label": a.label, "command": a.command, "style": a.style} for a in reply.actions],
        "kind": reply.kind,
        "ephemeral": reply.ephemeral,
        "intent": reply.intent,
        "entities": entities,
        "footer": reply.footer,
    }


def _facts(items: Any) -> tuple[Fact, ...]:
    return tuple(Fact(str(f["label"]), str(f["value"])) for f in items or ())


def from_dict(data: dict[str, Any]) -> Reply:
    """The Reply a dict from :func:`to_dict` describes; unknown keys are ignored."""
    return Reply(
        text=str(data.get("text", "")),
        title=data.get("title"),
        facts=_facts(data.get("facts")),
        sections=tuple(
            Section(heading=s.get("heading"), facts=_facts(s.get("facts")), lines=tuple(s.get("lines") or ()))
            for s in data.get("sections") or ()
        ),
        actions=tuple(
            Action(label=str(a["label"]), command=str(a["command"]), style=a.get("style", "default"))
            for a in data.get("actions") or ()
        ),
        kind=data.get("kind", "answer"),
        ephemeral=bool(data.get("ephemeral", False)),
        intent=str(data.get("intent", "unknown")),
        entities=dict(data.get("entities") or {}),
        footer=data.get("footer"),
    )


def dumps(reply: Reply) -> str:
    """`to_dict(reply)` as JSON text, encoding the entities once (not to a dict and then again)."""
    return _encode(_as_dict(reply, reply.entities)).decode()


def loads(text: str) -> Reply:
    return from_dict(_decode(text))

"""Bolt middleware that lets each Events API `event_id` through once, durably.

It runs after Bolt's signature check, so only genuine Slack deliveries can claim an id. A first
delivery is processed even when it carries `X-Slack-Retry-Num` (Slack may retry before our
first answer was recorded, or the first attempt may never have reached us); any later delivery
of the same id is acknowledged with an empty 200 and ignored, which also stops Slack retrying.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot.services.slack_events import ProcessedEvents

log = logging.getLogger(__name__)

PRUNE_EVERY = 1000  # claims between clean-ups of old ledger rows


def retry_number(req: BoltRequest, body: dict[str, Any]) -> int:
    values = req.headers.get("x-slack-retry-num") or []
    raw = values[0] if values else body.get("retry_attempt") or 0
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def event_dedup_middleware(ledger: ProcessedEvents) -> Callable[..., BoltResponse | None]:
    claims = itertools.count(1)

    def deduplicate_events(req: BoltRequest, body: dict[str, Any], next: Callable[[], BoltResponse]) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next()
        event_type = str((body.get("event") or {}).get("type") or "")
        retry = retry_number(req, body)
        if ledger.claim(str(event_id), event_type=event_type, team_id=str(body.get("team_id") or ""),
                        retry_num=retry):
            if claims.__next__() % PRUNE_EVERY == 0:
                ledger.prune()
            return next()
        log.info("Ignoring repeated delivery of event %s (%s, retry %s)", event_id, event_type, retry)
        return BoltResponse(status=200, body="")

    return deduplicate_events

"""A newly subscribed channel is not flooded: over the seeded data (every inadequate council years
past its six-month deadline, no intervention recorded), its first week holds at most one post per
council, each passed deadline is said once, and the digest lists them in a section of its own."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from bot.services.digests import PAST_DEADLINE
from tests.conftest import TODAY
from tests.scheduler.conftest import Harness, at

REGIONS = ("North West", "London", "Yorkshire and The Humber", "South East", "West Midlands")


@pytest.mark.parametrize("region", REGIONS)
def test_first_week_holds_at_most_one_post_per_council(harness: Harness, region: str) -> None:
    harness.subscribe(region, channel="C_NEW", created=at(TODAY, 10))
    for offset in range(1, 8):
        harness.tick(TODAY + timedelta(days=offset), hour=12)
    posts = [reply for channel, reply in harness.sender.posts if channel == "C_NEW"]
    per_council = Counter(r.entities["name"] for r in posts if r.intent == "reminder")
    assert per_council, "the seeded data has passed deadlines in every region listed"
    assert max(per_council.values()) == 1, per_council
    nudges = [r for r in posts if r.entities.get("reminder") == "deadline passed"]
    for nudge in nudges:
        assert "; no intervention recorded since; record one with /escalate." in nudge.text
        assert "days overdue" not in nudge.text and "deadline passed " in nudge.text
    digests = [r for r in posts if r.intent == "digest"]
    assert len(digests) == 1
    [past] = [s for s in digests[0].sections if s.heading == PAST_DEADLINE]
    if digests[0].entities["overdue"]:
        assert nudges, "each passed deadline gets its one nudge in the channel's first week"
    listed = {line.split(": ", 1)[0] for line in past.lines}
    folded = any(line.startswith("…and ") for line in past.lines)
    assert folded or {n.entities["name"] for n in nudges} <= listed


def test_a_passed_deadline_is_not_posted_again_in_later_weeks(harness: Harness) -> None:
    harness.subscribe("North West", channel="C_NEW", created=at(TODAY, 10))
    for offset in range(1, 36):
        harness.tick(TODAY + timedelta(days=offset), hour=12)
    nudges = Counter(r.entities["name"] for _, r in harness.sender.posts
                     if r.entities.get("reminder") == "deadline passed")
    assert nudges and set(nudges.values()) == {1}
    weekly = [r for _, r in harness.sender.posts if r.intent == "digest"]
    assert len(weekly) >= 4
    assert all(any(s.heading == PAST_DEADLINE and len(s.lines) > 1 for s in r.sections) for r in weekly)

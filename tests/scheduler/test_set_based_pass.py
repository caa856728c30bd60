"""The set-based pass on a real database, SQLite and PostgreSQL: claims that take at most their
batch (so processes share a queue), one insert transaction per pass that drops a removed
subscription's rows, the lean reads matching the services they stand in for, and a grown
database decided and delivered exactly once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from bot.bootstrap import open_database
from bot.core import reply_codec
from bot.core.message import CONSOLE_USER
from bot.core.reply import Reply
from bot.scheduler import delivery
from bot.scheduler.delivery import Deliverer
from bot.services import Services
from bot.services.scheduling import NewOutboxRow, OutboxService, OutboxView, SubscriptionRows, SubscriptionView
from storage.tables import ChannelPacing, Council, InterventionEvent, PeerReview, PeerReviewTeamMember
from tests.conftest import make_settings
from tests.scheduler.conftest import FakeClock, RecordingSender, at, make_harness

DUE = date(2025, 7, 14)
LEASE = timedelta(minutes=5)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_services(request: pytest.FixtureRequest) -> Iterator[Services]:
    url = f"sqlite:///{request.getfixturevalue('db_path')}" if request.param == "sqlite" \
        else request.getfixturevalue("pg_url")
    settings = make_settings(url)
    db = open_database(settings)
    yield Services.create(settings, db)
    db.dispose()


def subscribe(services: Services, channel: str) -> SubscriptionView:
    actor = services.actors.actor_for(CONSOLE_USER)
    return services.scheduling.subscriptions.subscribe(actor, "slack", channel, None, at(date(2025, 7, 1), 10))


def rows_for(channel: str, count: int, first_hour: int = 9) -> list[NewOutboxRow]:
    return [
        NewOutboxRow(
            key=f"test|{channel}|{i:03d}", platform="slack", destination=channel, scope="national", kind="digest",
            subject=f"s{i}", series_key=f"test:{channel}:{i}", due_date=DUE,
            due_at=at(DUE, first_hour) + timedelta(minutes=i), payload=reply_codec.dumps(Reply(text=f"{channel} {i}")),
        )
        for i in range(count)
    ]


def test_a_claim_takes_at_most_its_limit_in_due_order_and_the_next_claimer_the_rest(any_services: Services) -> None:
    outbox = any_services.scheduling.outbox
    holder = subscribe(any_services, "C_HOLD")
    assert outbox.enqueue(holder.id, rows_for("C1", 40), at(DUE, 9)) == 40
    now = at(DUE, 12)
    first = outbox.claim("w1", now, LEASE, limit=15)
    second = outbox.claim("w2", now, LEASE, limit=15)
    rest = outbox.claim("w3", now, LEASE, limit=100)
    assert [len(first), len(second), len(rest)] == [15, 15, 10]
    claimed = first + second + rest
    assert len({row.id for row in claimed}) == 40
    assert [row.due_at for row in claimed] == sorted(row.due_at for row in claimed)
    assert outbox.claim("w4", now + timedelta(minutes=1), LEASE, limit=100) == []  # leases held


def test_one_pass_inserts_once_and_drops_the_rows_of_a_subscription_removed_meanwhile(
    any_services: Services,
) -> None:
    outbox = any_services.scheduling.outbox
    kept, removed = subscribe(any_services, "C_KEPT"), subscribe(any_services, "C_GONE")
    actor = any_services.actors.actor_for(CONSOLE_USER)
    any_services.scheduling.subscriptions.unsubscribe(actor, "slack", "C_GONE", None)
    decisions = [SubscriptionRows(kept.id, rows_for("C_KEPT", 5), (DUE, DUE - timedelta(days=7))),
                 SubscriptionRows(removed.id, rows_for("C_GONE", 5), (DUE, DUE - timedelta(days=7)))]
    assert outbox.enqueue_pass(decisions, at(DUE, 12)) == 5
    assert outbox.enqueue_pass(decisions, at(DUE, 12)) == 0  # insert-if-absent: nothing doubled
    assert {row.destination for row in outbox.list("pending")} == {"C_KEPT"}
    assert outbox.last_digest(kept.id, DUE + timedelta(days=1)) == DUE
    assert outbox.last_digest(removed.id, DUE + timedelta(days=1)) is None
    [view] = any_services.scheduling.subscriptions.for_destination("slack", "C_KEPT")
    assert view.checked_until == at(DUE, 12)
    outbox.enqueue_pass([SubscriptionRows(kept.id, [])], at(DUE, 10))  # an older pass never moves it back
    [view] = any_services.scheduling.subscriptions.for_destination("slack", "C_KEPT")
    assert view.checked_until == at(DUE, 12)


def test_keys_due_between_finds_rows_by_their_nominal_day(sched_services: Services) -> None:
    outbox = sched_services.scheduling.outbox
    holder = subscribe(sched_services, "C_HOLD")
    rows = rows_for("C1", 3)
    later = [row._replace(key=row.key + "|later", due_date=DUE + timedelta(days=3)) for row in rows]
    outbox.enqueue(holder.id, rows + later, at(DUE, 9))
    assert outbox.keys_due_between(DUE, DUE) == {row.key for row in rows}
    assert outbox.keys_due_between(DUE, DUE + timedelta(days=3)) == {row.key for row in rows + later}
    assert outbox.keys_due_between(DUE + timedelta(days=1), DUE + timedelta(days=2)) == set()


class ClaimLog(OutboxService):
    """The real outbox service, noting the size of each claim asked for."""

    limits: list[int]

    def claim(self, worker: str, now: datetime, lease: timedelta, limit: int = 50,  # type: ignore[override]
              platforms: tuple[str, ...] = ("slack", "teams"), due_by: datetime | None = None) -> list[OutboxView]:
        self.limits.append(limit)
        return super().claim(worker, now, lease, limit, platforms, due_by)


def test_delivery_claims_a_small_first_batch_then_doubling_ones_and_without_pacing_reserves_nothing(
    sched_services: Services,
) -> None:
    holder = subscribe(sched_services, "C_HOLD")
    rows = [row for channel in ("C1", "C2", "C3") for row in rows_for(channel, 100)]
    sched_services.scheduling.outbox.enqueue(holder.id, rows, at(DUE, 9))
    outbox = ClaimLog(sched_services.db)
    outbox.limits = []
    sender, clock = RecordingSender(), FakeClock()
    deliverer = Deliverer(outbox, {"slack": sender}, sleep=clock.sleep, monotonic=clock.monotonic,
                          per_channel_interval=0.0)
    report = deliverer.deliver(at(DUE, 12))
    assert report.sent == 300 and len(sender.posts) == 300
    assert outbox.limits[:5] == [delivery.CLAIM_BATCH * 2**i for i in range(5)]
    assert max(outbox.limits) <= delivery.CLAIM_BATCH_MAX
    assert clock.sleeps == []
    with Session(sched_services.db.engine, expire_on_commit=False) as session:
        assert session.exec(select(func.count()).select_from(ChannelPacing)).one() == 0
    assert sched_services.scheduling.outbox.counts() == {"sent": 300}
    sent = sched_services.scheduling.outbox.list("sent", limit=1000)
    assert {row.sent_at for row in sent} == {at(DUE, 12)}  # the fake clock stood still
    assert {row.message_id for row in sent} == {f"{n}.000" for n in range(1, 301)}


def test_each_message_is_recorded_as_sent_before_the_next_goes_out(any_services: Services) -> None:
    """What a kill -9 can double is at most the message in flight: whenever the sender is called,
    every earlier message is already committed as sent (seen from another connection)."""
    holder = subscribe(any_services, "C_HOLD")
    any_services.scheduling.outbox.enqueue(holder.id, rows_for("C1", 30) + rows_for("C2", 30), at(DUE, 9))
    seen: list[int] = []

    class CheckingSender(RecordingSender):
        def send(self, destination: str, reply: Reply) -> str | None:
            seen.append(any_services.scheduling.outbox.counts().get("sent", 0))
            return super().send(destination, reply)

    clock = FakeClock()
    deliverer = Deliverer(any_services.scheduling.outbox, {"slack": CheckingSender()}, sleep=clock.sleep,
                          monotonic=clock.monotonic, per_channel_interval=0.0)
    assert deliverer.deliver(at(DUE, 12)).sent == 60
    assert seen == list(range(60))


def test_lean_review_reads_match_the_peer_review_service(sched_services: Services) -> None:
    with Session(sched_services.db.engine, expire_on_commit=False) as session:
        councils = session.exec(select(Council).where(Council.current == True).limit(3)).all()  # noqa: E712
        scheduled = PeerReview(council_id=councils[0].id or 0, start_date=DUE, end_date=DUE + timedelta(days=2),
                               status="scheduled")
        other = PeerReview(council_id=councils[1].id or 0, start_date=DUE + timedelta(days=5),
                           end_date=DUE + timedelta(days=7), status="scheduled")
        done = PeerReview(council_id=councils[2].id or 0, start_date=DUE - timedelta(days=20),
                          end_date=DUE - timedelta(days=14), status="done")
        session.add_all([scheduled, other, done])
        session.flush()
        session.add_all([PeerReviewTeamMember(review_id=scheduled.id or 0, name=name) for name in ("Zed", "Ann")])
        session.commit()
    reads, reviews = sched_services.scheduling.reads, sched_services.peer_reviews
    window = (DUE - timedelta(days=1), DUE + timedelta(days=30))
    assert reads.scheduled_reviews(*window) == reviews.upcoming(*window)
    assert [r.team for r in reads.scheduled_reviews(DUE, DUE)] == [("Zed", "Ann")]
    assert reads.follow_ups_due(DUE, DUE) == reviews.follow_ups_due(DUE, DUE)
    assert [r.council for r in reads.follow_ups_due(DUE, DUE)] == [councils[2].name]


def test_due_items_take_each_councils_latest_event_and_leave_closed_ones_out(sched_services: Services) -> None:
    region = sched_services.directory.regions()[0]
    with Session(sched_services.db.engine, expire_on_commit=False) as session:
        first, second, third = councils = [
            Council(ons_code=f"X{i:08d}", dfe_code="999", name=f"Ladder council {i}", la_type="Synthetic",
                    region_id=region.id, current=True)
            for i in range(3)
        ]
        session.add_all(councils)
        session.flush()
        day = date(2026, 1, 5)
        session.add_all([
            # Same day twice: the one recorded later counts.
            InterventionEvent(council_id=first.id or 0, stage="judged_inadequate", event_date=day,
                              deadline=date(2026, 7, 5)),
            InterventionEvent(council_id=first.id or 0, stage="commissioner_appointed", event_date=day,
                              deadline=date(2026, 4, 5)),
            # Closed after an earlier stage: nothing due.
            InterventionEvent(council_id=second.id or 0, stage="judged_inadequate", event_date=day,
                              deadline=date(2026, 7, 5)),
            InterventionEvent(council_id=second.id or 0, stage="improving", event_date=day + timedelta(days=30)),
            # An older event recorded after a newer one: the newer date wins.
            InterventionEvent(council_id=third.id or 0, stage="judged_inadequate", event_date=day,
                              deadline=date(2026, 7, 5)),
            InterventionEvent(council_id=third.id or 0, stage="improvement_notice", event_date=day - timedelta(days=9),
                              deadline=date(2026, 2, 5)),
        ])
        session.commit()
        names = {c.id: c.name for c in (first, second, third)}
    items = {i.council_id: i for i in sched_services.escalations.due_items(date(2026, 3, 1), date(2026, 12, 31))
             if i.council_id in names}
    assert {names[k]: (v.stage_key, v.deadline, v.overdue) for k, v in items.items()} == {
        names[first.id]: ("commissioner_appointed", date(2026, 4, 5), False),
        names[third.id]: ("judged_inadequate", date(2026, 7, 5), False),
    }


def test_a_grown_database_is_decided_and_delivered_once_per_channel(sched_services: Services) -> None:
    """Three hundred more councils, each with a passed or coming deadline: each region channel
    and the national channel get every reminder due once, a passed deadline one nudge each,
    and passes repeated at the same moment add and send nothing."""
    regions = sched_services.directory.regions()
    today = date(2026, 11, 30)
    with Session(sched_services.db.engine, expire_on_commit=False) as session:
        grown = [Council(ons_code=f"X{i:08d}", dfe_code=f"{900 + i % 99:03d}", name=f"Grown council {i}",
                         la_type="Synthetic", region_id=regions[i % len(regions)].id, current=True)
                 for i in range(300)]
        session.add_all(grown)
        session.flush()
        for i, council in enumerate(grown):
            session.add(InterventionEvent(council_id=council.id or 0, stage="judged_inadequate",
                                          event_date=today - timedelta(days=200),
                                          deadline=today + timedelta(days=(i % 60) - 40)))
        session.commit()
    harness = make_harness(sched_services)
    created = at(today - timedelta(days=7), 10)
    for index, region in enumerate(regions[:2]):
        sched_services.scheduling.subscriptions.subscribe(
            sched_services.actors.actor_for(CONSOLE_USER), "slack", f"C{index}", region, created)
    harness.subscribe(None, channel="C_ENG", created=created)
    first = harness.tick(today)
    assert first.decided.inserted > 300 and first.delivered.sent == first.decided.inserted - first.decided.skipped
    posts = Counter((channel, reply.title) for channel, reply in harness.sender.posts)
    assert max(posts.values()) == 1
    nudges = [reply for channel, reply in harness.sender.posts
              if channel == "C_ENG" and reply.entities.get("reminder") == "deadline passed"]
    assert len({reply.entities["name"] for reply in nudges}) == len(nudges) > 100
    by_channel = Counter(channel for channel, _ in harness.sender.posts)
    assert by_channel["C_ENG"] > by_channel["C0"] + by_channel["C1"]  # national sees every region
    again = harness.tick(today)
    assert again.decided.inserted == 0 and again.delivered.sent == 0
    assert sched_services.scheduling.outbox.list("pending") == []

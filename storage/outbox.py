"""The delivery outbox: fan-out queue, claims with leases, purge (outcomes: storage.outcomes).

Exactly once rests on three things:
- Fan-out inserts one row per (subscription, article) under a unique constraint and advances
  the subscription's cursor in the same transaction: a crash redoes work, never duplicates it.
- A row is sent only by the instance that claimed it: the claim is one conditional UPDATE
  (`status = 'pending'`, `FOR UPDATE SKIP LOCKED` on PostgreSQL) that stamps the claimer and a
  lease. The claimer renews its leases while it works; only an expired lease is taken back.
- Outcomes are recorded with retries (a locked database waits, it does not turn an accepted
  send into a resend). A send whose outcome is unknown is counted on its rows: it is sent once
  more after a pause, and parked as `uncertain` if that is unknown too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.models import Article
from storage.articles import ArticleStore
from storage.clock import utcnow
from storage.db import retried_write, writing
from storage.fanout import FanOut
from storage.models import ArticleRow, ChatRow, OutboxRow, OutboxStatus, SubscriptionRow
from storage.outcomes import BOOKKEEPING_SECONDS, Delivery, Outcomes
from storage.subscriptions import Subscription, to_subscription

Status = OutboxStatus


PURGE_BATCH = 5_000  # rows a purge deletes in one write transaction


class _DayTaken(Exception):
    """Another instance has sent (or is sending) this daily digest's day."""


class OutboxStore(Outcomes):
    """The queue of what subscriptions are owed, shared by every instance on one database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        articles: ArticleStore,
        owner: str,
        lease_seconds: float = 60.0,
    ) -> None:
        self._sessions = sessions
        self._articles = articles
        self.owner = owner
        self.lease = timedelta(seconds=lease_seconds)
        self._fan_out = FanOut(sessions, articles)

    # ---- fan-out ----------------------------------------------------------------------------

    async def fan_out(self) -> int:
        """Queue every new article for every subscription it matches (storage/fanout.py)."""
        return await self._fan_out.fan_out()

    # ---- what is due, and claims ------------------------------------------------------------

    async def due(
        self,
        now: datetime,
        limit: int | None = None,
        wanted: Callable[[Subscription], bool] = lambda _: True,
    ) -> list[Delivery]:
        """What may be sent now, one Delivery per subscription (rows held by a 429 wait), for
        at most `limit` subscriptions that are `wanted` now (a daily one at its hour)."""
        waiting = select(OutboxRow.subscription_id).where(_ready(now)).distinct()
        waiting_subs = (
            select(SubscriptionRow, ChatRow)
            .join(ChatRow, ChatRow.id == SubscriptionRow.chat_id)
            .where(SubscriptionRow.active, ChatRow.active, SubscriptionRow.id.in_(waiting))
            .order_by(SubscriptionRow.id)
        )
        async with self._sessions() as session:
            # Instant ones are always wanted: the limit goes into SQL. Daily ones are few and
            # due only at their local hour: they are filtered here.
            instant = await session.execute(
                waiting_subs.where(SubscriptionRow.mode != "daily").limit(limit)
            )
            daily = await session.execute(waiting_subs.where(SubscriptionRow.mode == "daily"))
            chosen = sorted(
                (
                    s
                    for s in (to_subscription(r, chat) for r, chat in [*instant, *daily])
                    if wanted(s)
                ),
                key=lambda sub: sub.id,
            )[:limit]
            by_sub = {sub.id: sub for sub in chosen}
            rows = (
                await session.execute(
                    select(OutboxRow.id, OutboxRow.article_id, OutboxRow.subscription_id)
                    .where(_ready(now), OutboxRow.subscription_id.in_(list(by_sub)))
                    .order_by(OutboxRow.subscription_id, OutboxRow.article_id)
                )
            ).all()
        grouped: dict[int, tuple[list[int], list[int]]] = {}
        for row_id, article_id, sub_id in rows:
            entry = grouped.setdefault(sub_id, ([], []))
            entry[0].append(row_id)
            entry[1].append(article_id)
        by_id = await self._articles_by_id({a for _, ids in grouped.values() for a in ids})
        return [
            Delivery(by_sub[sub_id], tuple(row_ids), tuple(by_id[a] for a in ids if a in by_id))
            for sub_id, (row_ids, ids) in grouped.items()
        ]

    async def _articles_by_id(self, ids: set[int]) -> dict[int, Article]:
        wanted = sorted(ids)
        by_id: dict[int, Article] = {}
        for start in range(0, len(wanted), 500):
            for article in await self._articles.get_many(wanted[start : start + 500]):
                by_id[article.id] = article
        return by_id

    @retried_write(BOOKKEEPING_SECONDS)
    async def claim(
        self, delivery: Delivery, day: str | None = None, now: datetime | None = None
    ) -> Delivery | None:
        """Take the delivery's rows that are still pending, with a lease, for this instance.

        Returns the part claimed (None if another instance has it all). A daily digest also
        takes its day, compare-and-set, so two instances never send the same day twice.
        """
        try:
            claimed = await self._claim_rows(delivery, day, now or utcnow())
        except _DayTaken:
            return None  # rolled back: the rows stay pending for the day's owner
        if not claimed:
            return None
        ids = {row_id for row_id, _ in claimed}
        articles = {article_id for _, article_id in claimed}
        return replace(
            delivery,
            row_ids=tuple(i for i in delivery.row_ids if i in ids),
            articles=tuple(a for a in delivery.articles if a.id in articles),
            day=day,
        )

    async def _claim_rows(
        self, delivery: Delivery, day: str | None, now: datetime
    ) -> list[tuple[int, int]]:
        async with writing(self._sessions) as session:
            free = (
                select(OutboxRow.id)
                .where(OutboxRow.id.in_(delivery.row_ids), _ready(now))
                .with_for_update(skip_locked=True)
            )
            claimed = (
                await session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(free), OutboxRow.status == Status.PENDING)
                    .values(
                        status=Status.SENDING, claimed_by=self.owner, lease_until=now + self.lease
                    )
                    .returning(OutboxRow.id, OutboxRow.article_id)
                    .execution_options(synchronize_session=False)
                )
            ).all()
            sub = delivery.subscription
            if claimed and day is not None and not await _take_day(session, sub, day):
                raise _DayTaken()
            return [(int(i), int(a)) for i, a in claimed]

    @retried_write(BOOKKEEPING_SECONDS)
    async def renew(self) -> int:
        """Extend the leases of every row this instance is sending; returns how many."""
        async with writing(self._sessions) as session:
            result = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.status == Status.SENDING, OutboxRow.claimed_by == self.owner)
                .values(lease_until=utcnow() + self.lease)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    @retried_write(BOOKKEEPING_SECONDS)
    async def reclaim_expired(self, now: datetime | None = None, dead: Collection[str] = ()) -> int:
        """Take back rows whose claimer stopped renewing (it died mid-send), or that a claimer
        known to be dead holds (a restarted instance's predecessor): the outcome of that send
        is unknown, so it counts as one; returns how many rows came back."""
        now = now or utcnow()
        gone = OutboxRow.lease_until < now
        if dead:
            gone = gone | OutboxRow.claimed_by.in_(list(dead))
        expired = (OutboxRow.status == Status.SENDING) & gone
        async with writing(self._sessions) as session:
            parked = await session.execute(
                update(OutboxRow)
                .where(expired, OutboxRow.unknown_outcomes >= 1)
                .values(status=Status.UNCERTAIN, claimed_by=None, lease_until=None)
            )
            back = await session.execute(
                update(OutboxRow)
                .where(expired)
                .values(
                    status=Status.PENDING,
                    claimed_by=None,
                    lease_until=None,
                    unknown_outcomes=OutboxRow.unknown_outcomes + 1,
                )
            )
            return int(back.rowcount) + int(parked.rowcount)  # type: ignore[attr-defined]

    async def claimers(self) -> set[str]:
        """The instances holding claims right now (to tell a dead predecessor's)."""
        async with self._sessions() as session:
            found = await session.scalars(
                select(OutboxRow.claimed_by)
                .where(OutboxRow.status == Status.SENDING, OutboxRow.claimed_by.is_not(None))
                .distinct()
            )
            return {name for name in found if name}

    # ---- reading back, and forgetting -------------------------------------------------------

    async def delivered_after(
        self, subscription_id: int, after_article_id: int, limit: int
    ) -> list[Article]:
        """Articles of a subscription's digests after an id (behind a digest's "N more")."""
        async with self._sessions() as session:
            ids = await session.scalars(
                select(OutboxRow.article_id)
                .where(
                    OutboxRow.subscription_id == subscription_id,
                    OutboxRow.status == Status.SENT,
                    OutboxRow.article_id > after_article_id,
                )
                .order_by(OutboxRow.article_id)
                .limit(limit)
            )
            return await self._articles.get_many(list(ids))

    async def counts(self) -> dict[str, int]:
        """Rows per status (for tests, benchmarks and the operator)."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            )
            return {status: int(n) for status, n in rows}

    async def oldest_due(self, now: datetime | None = None) -> datetime | None:
        """When the longest-waiting row that may be sent now was queued (its article's
        arrival), None if nothing is due: a stuck outbox shows as an old value."""
        now = now or utcnow()
        async with self._sessions() as session:
            oldest: datetime | None = await session.scalar(
                select(func.min(ArticleRow.added_at))
                .join(OutboxRow, OutboxRow.article_id == ArticleRow.id)
                .join(SubscriptionRow, SubscriptionRow.id == OutboxRow.subscription_id)
                .where(_ready(now), SubscriptionRow.active, SubscriptionRow.mode == "instant")
            )
            return oldest

    @retried_write(BOOKKEEPING_SECONDS)
    async def purge(self, sent_before: datetime) -> int:
        """Forget rows that will never be delivered, and delivered rows older than a date
        (their digests' "N more" buttons then say the digest is gone); returns how many.

        In batches of PURGE_BATCH rows, each its own short write transaction: a million rows
        in one transaction held SQLite's write lock for 3.5 s, and every /subscribe and
        delivery bookkeeping write waited behind it."""
        done = (OutboxRow.status.in_((Status.DROPPED, Status.FAILED, Status.UNCERTAIN))) | (
            (OutboxRow.status == Status.SENT) & (OutboxRow.sent_at < sent_before)
        )
        removed = 0
        while True:
            async with writing(self._sessions) as session:
                batch = select(OutboxRow.id).where(done).limit(PURGE_BATCH).scalar_subquery()
                result = await session.execute(delete(OutboxRow).where(OutboxRow.id.in_(batch)))
                count = int(result.rowcount)  # type: ignore[attr-defined]
            removed += count
            if count < PURGE_BATCH:
                return removed


def _ready(now: datetime) -> ColumnElement[bool]:
    """Pending and not held back by a 429 or a pause."""
    return (OutboxRow.status == Status.PENDING) & (
        OutboxRow.not_before.is_(None) | (OutboxRow.not_before <= now)
    )


async def _take_day(session: AsyncSession, sub: Subscription, day: str) -> bool:
    """Compare-and-set a daily subscription's last digest day; False if it is taken."""
    result = await session.execute(
        update(SubscriptionRow)
        .where(
            SubscriptionRow.id == sub.id,
            SubscriptionRow.last_digest_on.is_distinct_from(day),
        )
        .values(last_digest_on=day)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]

"""Chats, subscriptions and the delivery outbox.

Exactly-once delivery rests on the outbox: fan-out inserts one row per (subscription, article)
under a unique constraint and advances the subscription's cursor in the same transaction, so a
crash can only redo work, never duplicate it. Sending claims rows ("sending") before the request
and marks them "sent" after; rows found "sending" at start-up were cut off mid-request and are
sent again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.dedupe import same_story
from engine.errors import NewsbotError
from engine.matching import ArticleMatcher, matching
from engine.models import Article
from engine.search import parse_query
from storage.articles import ArticleStore, utcnow
from storage.db import writing
from storage.models import ChatRow, OutboxRow, SubscriptionRow

MAX_SUBSCRIPTIONS_PER_CHAT = 20
FANOUT_BATCH = 200
RECENT_FOR_DEDUPE = 30


class SubscriptionNotFound(NewsbotError):
    """No such subscription in this chat."""

    def __init__(self, number: int) -> None:
        super().__init__(f"There is no subscription number {number} here. See /subscriptions.")


class TooManySubscriptions(NewsbotError):
    """The chat has reached its subscription limit."""

    def __init__(self) -> None:
        super().__init__(f"This chat already has {MAX_SUBSCRIPTIONS_PER_CHAT} subscriptions.")


@dataclass(frozen=True, slots=True)
class Subscription:
    """A chat's subscription."""

    id: int
    chat_id: int
    thread_id: int | None
    keywords: str
    mode: str
    daily_at: str | None
    timezone: str
    last_digest_on: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """Articles waiting for one subscription, with the outbox row ids that carry them."""

    subscription: Subscription
    row_ids: tuple[int, ...]
    articles: tuple[Article, ...]


def _to_subscription(row: SubscriptionRow, timezone: str) -> Subscription:
    return Subscription(
        row.id,
        row.chat_id,
        row.thread_id,
        row.keywords,
        row.mode,
        row.daily_at,
        timezone,
        row.last_digest_on,
    )


class SubscriptionStore:
    """Subscriptions of chats and the outbox of what they are owed."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], articles: ArticleStore) -> None:
        self._sessions = sessions
        self._articles = articles

    # ---- chats and subscriptions ---------------------------------------------------------

    async def _chat(self, session: AsyncSession, chat_id: int) -> ChatRow:
        chat = await session.get(ChatRow, chat_id)
        if chat is None:
            chat = ChatRow(id=chat_id, timezone="UTC", active=True)
            session.add(chat)
            await session.flush()
        return chat

    async def subscribe(
        self, chat_id: int, thread_id: int | None, keywords: str, mode: str, daily_at: str | None
    ) -> Subscription:
        """Add a subscription; only articles added from now on count as new for it."""
        if keywords:
            parse_query(keywords)  # EmptyQuery / QueryTooLong as for /search
        cursor = await self._articles.max_id()
        async with writing(self._sessions) as session:
            chat = await self._chat(session, chat_id)
            chat.active = True
            count = await session.scalar(
                select(func.count()).where(
                    SubscriptionRow.chat_id == chat_id, SubscriptionRow.active
                )
            )
            if (count or 0) >= MAX_SUBSCRIPTIONS_PER_CHAT:
                raise TooManySubscriptions()
            row = SubscriptionRow(
                chat_id=chat_id,
                thread_id=thread_id,
                keywords=keywords,
                mode=mode,
                daily_at=daily_at,
                created_at=utcnow(),
                after_article_id=cursor,
                active=True,
            )
            session.add(row)
            await session.flush()
            return _to_subscription(row, chat.timezone)

    async def for_chat(self, chat_id: int) -> list[Subscription]:
        """The chat's active subscriptions, oldest first (numbered 1.. in the chat)."""
        async with self._sessions() as session:
            chat = await session.get(ChatRow, chat_id)
            rows = await session.scalars(
                select(SubscriptionRow)
                .where(SubscriptionRow.chat_id == chat_id, SubscriptionRow.active)
                .order_by(SubscriptionRow.id)
            )
            tz = chat.timezone if chat else "UTC"
            return [_to_subscription(r, tz) for r in rows]

    async def unsubscribe(self, chat_id: int, subscription_id: int | None) -> int:
        """End one subscription of this chat (by id), or all of them (None); returns how many."""
        async with writing(self._sessions) as session:
            query = update(SubscriptionRow).where(
                SubscriptionRow.chat_id == chat_id, SubscriptionRow.active
            )
            if subscription_id is not None:
                query = query.where(SubscriptionRow.id == subscription_id)
            result = await session.execute(query.values(active=False))
            await session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.status == "pending",
                    OutboxRow.subscription_id.in_(
                        select(SubscriptionRow.id).where(~SubscriptionRow.active)
                    ),
                )
                .values(status="dropped")
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def set_timezone(self, chat_id: int, timezone: str) -> None:
        """Set the zone daily digests are timed in."""
        async with writing(self._sessions) as session:
            (await self._chat(session, chat_id)).timezone = timezone

    async def deactivate_chat(self, chat_id: int) -> None:
        """The bot was blocked or removed: stop everything for this chat."""
        async with writing(self._sessions) as session:
            await session.execute(update(ChatRow).where(ChatRow.id == chat_id).values(active=False))
            await session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.chat_id == chat_id)
                .values(active=False)
            )
            await session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.status.in_(("pending", "sending")),
                    OutboxRow.subscription_id.in_(
                        select(SubscriptionRow.id).where(SubscriptionRow.chat_id == chat_id)
                    ),
                )
                .values(status="dropped")
            )

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its subscriptions follow it to the new id."""
        async with writing(self._sessions) as session:
            old = await session.get(ChatRow, old_id)
            if old is None:
                return
            new = await self._chat(session, new_id)
            new.timezone, new.active = old.timezone, old.active
            await session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.chat_id == old_id)
                .values(chat_id=new_id)
            )
            await session.delete(old)

    # ---- fan-out ----------------------------------------------------------------------------

    async def fan_out(self) -> int:
        """Queue every new article for every subscription it matches; returns rows queued.

        Subscriptions that share a cursor share the work: the new articles are read and
        de-duplicated once, then matched per subscription.
        """
        async with self._sessions() as session:
            subs = list(
                await session.scalars(select(SubscriptionRow).where(SubscriptionRow.active))
            )
        by_cursor: dict[int, list[SubscriptionRow]] = defaultdict(list)
        for sub in subs:
            by_cursor[sub.after_article_id].append(sub)
        newest = await self._articles.max_id()
        queued = 0
        for cursor, group in sorted(by_cursor.items()):
            while cursor < newest:
                articles = await self._articles.since(cursor, FANOUT_BATCH)
                if not articles:
                    break
                fresh = [ArticleMatcher(a) for a in await self._without_repeats(articles)]
                rows = [
                    {"subscription_id": sub.id, "article_id": article.id, "status": "pending"}
                    for sub in group
                    for article in matching(sub.keywords, fresh)
                ]
                cursor = articles[-1].id
                await self._queue(rows, [sub.id for sub in group], cursor)
                queued += len(rows)
        return queued

    async def _without_repeats(self, articles: list[Article]) -> list[Article]:
        """Drop articles that repeat a story told just before (or earlier in the batch)."""
        first = articles[0].id
        recent = await self._articles.get_many(
            list(range(max(1, first - RECENT_FOR_DEDUPE), first))
        )
        fresh: list[Article] = []
        for article in articles:
            if not any(same_story(article, seen) for seen in [*recent, *fresh]):
                fresh.append(article)
        return fresh

    async def _queue(self, rows: list[dict[str, object]], sub_ids: list[int], cursor: int) -> None:
        # Rows and cursors commit together: a crash redoes the batch, and the unique
        # (subscription, article) constraint turns the redo into a no-op.
        async with writing(self._sessions) as session:
            if rows:
                dialect = session.get_bind().dialect.name
                insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
                await session.execute(insert(OutboxRow).on_conflict_do_nothing(), rows)
            for start in range(0, len(sub_ids), 500):
                await session.execute(
                    update(SubscriptionRow)
                    .where(
                        SubscriptionRow.id.in_(sub_ids[start : start + 500]),
                        SubscriptionRow.after_article_id < cursor,
                    )
                    .values(after_article_id=cursor)
                )

    # ---- delivery -----------------------------------------------------------------------------

    async def recover(self) -> int:
        """At start-up: rows left "sending" by a crash go back to "pending"; returns how many."""
        async with writing(self._sessions) as session:
            result = await session.execute(
                update(OutboxRow).where(OutboxRow.status == "sending").values(status="pending")
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def pending(self, now: datetime) -> list[Delivery]:
        """What is due now, one Delivery per subscription, not counting rows held by a 429."""
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(OutboxRow.id, OutboxRow.article_id, SubscriptionRow, ChatRow.timezone)
                    .join(SubscriptionRow, SubscriptionRow.id == OutboxRow.subscription_id)
                    .join(ChatRow, ChatRow.id == SubscriptionRow.chat_id)
                    .where(
                        OutboxRow.status == "pending",
                        SubscriptionRow.active,
                        ChatRow.active,
                        (OutboxRow.not_before.is_(None)) | (OutboxRow.not_before <= now),
                    )
                    .order_by(OutboxRow.subscription_id, OutboxRow.article_id)
                )
            ).all()
        grouped: dict[int, tuple[Subscription, list[int], list[int]]] = {}
        for row_id, article_id, sub_row, tz in rows:
            entry = grouped.setdefault(sub_row.id, (_to_subscription(sub_row, tz), [], []))
            entry[1].append(row_id)
            entry[2].append(article_id)
        wanted = sorted({a for _, _, article_ids in grouped.values() for a in article_ids})
        by_id: dict[int, Article] = {}
        for start in range(0, len(wanted), 500):
            for article in await self._articles.get_many(wanted[start : start + 500]):
                by_id[article.id] = article
        return [
            Delivery(sub, tuple(row_ids), tuple(by_id[a] for a in article_ids if a in by_id))
            for sub, row_ids, article_ids in grouped.values()
        ]

    async def claim(self, row_ids: Sequence[int]) -> None:
        """Mark rows as being sent (committed before the request goes out)."""
        await self._set_status(row_ids, "sending")

    async def mark_sent(self, delivery: Delivery, local_day: str | None) -> None:
        """The digest went out: its rows are done; a daily subscription remembers the day."""
        async with writing(self._sessions) as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(delivery.row_ids))
                .values(status="sent", sent_at=utcnow())
            )
            if local_day:
                await session.execute(
                    update(SubscriptionRow)
                    .where(SubscriptionRow.id == delivery.subscription.id)
                    .values(last_digest_on=local_day)
                )

    async def postpone(self, row_ids: Sequence[int], seconds: float) -> None:
        """Telegram said 429: hold the rows (persisted, so a restart keeps waiting)."""
        async with writing(self._sessions) as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(row_ids))
                .values(status="pending", not_before=utcnow() + timedelta(seconds=seconds))
            )

    async def release(self, row_ids: Sequence[int]) -> None:
        """A send failed for a passing reason: back to pending for the next round."""
        await self._set_status(row_ids, "pending")

    async def fail(self, row_ids: Sequence[int]) -> None:
        """Telegram refused for good (bad request): keep the rows, out of the queue."""
        await self._set_status(row_ids, "failed")

    async def _set_status(self, row_ids: Sequence[int], status: str) -> None:
        async with writing(self._sessions) as session:
            await session.execute(
                update(OutboxRow).where(OutboxRow.id.in_(row_ids)).values(status=status)
            )

    async def delivered_after(
        self, subscription_id: int, after_article_id: int, limit: int
    ) -> list[Article]:
        """Articles of a subscription's digests after an id (behind a digest's "N more")."""
        async with self._sessions() as session:
            ids = await session.scalars(
                select(OutboxRow.article_id)
                .where(
                    OutboxRow.subscription_id == subscription_id,
                    OutboxRow.status == "sent",
                    OutboxRow.article_id > after_article_id,
                )
                .order_by(OutboxRow.article_id)
                .limit(limit)
            )
            return await self._articles.get_many(list(ids))

    async def outbox_counts(self) -> dict[str, int]:
        """Rows per status (for tests, benchmarks and the operator)."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            )
            return {status: int(n) for status, n in rows}

    async def purge(self, sent_before: datetime) -> int:
        """Forget rows that will never be delivered, and delivered rows older than a date
        (their digests' "N more" buttons then say the digest is gone); returns how many."""
        async with writing(self._sessions) as session:
            result = await session.execute(
                delete(OutboxRow).where(
                    (OutboxRow.status.in_(("dropped", "failed")))
                    | ((OutboxRow.status == "sent") & (OutboxRow.sent_at < sent_before))
                )
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

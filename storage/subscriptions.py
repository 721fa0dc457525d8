"""Chats and their subscriptions (the outbox of what they are owed is storage/outbox.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.errors import N_, NewsbotError
from engine.search import parse_query
from storage.articles import ArticleStore
from storage.clock import utcnow
from storage.db import writing
from storage.models import ChatRow, OutboxRow, OutboxStatus, SubscriptionRow

MAX_SUBSCRIPTIONS_PER_CHAT = 20


class TooManySubscriptions(NewsbotError):
    """The chat has reached its subscription limit."""

    message = N_("This chat already has {count} subscriptions.")

    def __init__(self) -> None:
        super().__init__(count=MAX_SUBSCRIPTIONS_PER_CHAT)


class AlreadySubscribed(NewsbotError):
    """An equal subscription is already active in this chat (or topic, or channel)."""

    message = N_("Already subscribed: #{number} (see /subscriptions).")

    def __init__(self, number: int) -> None:
        super().__init__(number=number)


def words_key(words: str) -> str:
    """Words as a subscription matches them: case and order do not matter."""
    return " ".join(sorted(set(words.lower().split())))


def _digest_key(row: SubscriptionRow) -> tuple[object, ...]:
    """What makes two subscriptions of a chat deliver the same digests to the same place."""
    excluded = words_key(row.excluded or "")
    return (
        row.thread_id,
        row.deliver_to,
        words_key(row.keywords),
        excluded,
        row.mode,
        row.daily_at,
    )


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
    excluded: str = ""
    silent: bool = False
    deliver_to: int | None = None  # a channel, instead of the chat
    deliver_to_name: str | None = None
    quiet: tuple[str, str] | None = None  # the chat's quiet hours (local HH:MM, HH:MM)
    language: str | None = None  # the chat's /language, else the subscriber's

    @property
    def target(self) -> int:
        """Where the digests go: the channel, or the chat itself."""
        return self.deliver_to if self.deliver_to is not None else self.chat_id


@dataclass(frozen=True, slots=True)
class SubscriptionOptions:
    """What /subscribe may set beyond keywords and schedule."""

    excluded: str = ""
    silent: bool = False
    deliver_to: int | None = None
    deliver_to_name: str | None = None
    language: str | None = None  # the subscriber's Telegram language_code


def to_subscription(row: SubscriptionRow, chat: ChatRow | None) -> Subscription:
    """The subscription as the layers above see it, with its chat's zone and quiet hours."""
    quiet = None
    if chat is not None and chat.quiet_start and chat.quiet_end:
        quiet = (chat.quiet_start, chat.quiet_end)
    return Subscription(
        row.id,
        row.chat_id,
        row.thread_id,
        row.keywords,
        row.mode,
        row.daily_at,
        chat.timezone if chat is not None else "UTC",
        row.last_digest_on,
        row.excluded or "",
        bool(row.silent),
        row.deliver_to,
        row.deliver_to_name,
        quiet,
        (chat.language if chat is not None else None) or row.language,
    )


# What a stopped subscription owed, and which of it to drop. A user's /unsubscribe drops only
# rows nobody has claimed: a digest being sent right now finishes and is recorded by its
# sender. When Telegram says the chat or channel is gone (403), the claimed rows are that very
# send's, and nothing will ever arrive: they are dropped too.
UNCLAIMED = (OutboxStatus.PENDING,)
OWED = (OutboxStatus.PENDING, OutboxStatus.SENDING)


async def _drop_owed(
    session: AsyncSession, subscriptions: Select[Any], statuses: tuple[OutboxStatus, ...]
) -> None:
    """Mark the rows in `statuses` of these subscriptions dropped."""
    await session.execute(
        update(OutboxRow)
        .where(OutboxRow.status.in_(statuses), OutboxRow.subscription_id.in_(subscriptions))
        .values(status=OutboxStatus.DROPPED)
    )


class SubscriptionStore:
    """Chats and their subscriptions."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], articles: ArticleStore) -> None:
        self._sessions = sessions
        self._articles = articles

    async def _chat(self, session: AsyncSession, chat_id: int) -> ChatRow:
        chat = await session.get(ChatRow, chat_id)
        if chat is None:
            chat = ChatRow(id=chat_id, timezone="UTC", active=True)
            session.add(chat)
            await session.flush()
        return chat

    async def subscribe(
        self,
        chat_id: int,
        thread_id: int | None,
        keywords: str,
        mode: str,
        daily_at: str | None,
        options: SubscriptionOptions | None = None,
    ) -> Subscription:
        """Add a subscription; only articles added from now on count as new for it."""
        options = options or SubscriptionOptions()
        for words in (keywords, options.excluded):
            if words:
                parse_query(words)  # EmptyQuery / QueryTooLong as for /search
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
                excluded=options.excluded,
                silent=options.silent,
                deliver_to=options.deliver_to,
                deliver_to_name=options.deliver_to_name,
                language=(options.language or "")[:16] or None,
            )
            await self._refuse_an_equal(session, row)
            session.add(row)
            await session.flush()
            return to_subscription(row, chat)

    async def _refuse_an_equal(self, session: AsyncSession, wanted: SubscriptionRow) -> None:
        """AlreadySubscribed, with its number in /subscriptions, when an active subscription
        of this chat would deliver the same digests to the same place."""
        rows = await session.scalars(
            select(SubscriptionRow)
            .where(SubscriptionRow.chat_id == wanted.chat_id, SubscriptionRow.active)
            .order_by(SubscriptionRow.id)
        )
        for number, row in enumerate(rows, 1):
            if _digest_key(row) == _digest_key(wanted):
                raise AlreadySubscribed(number)

    async def for_chat(self, chat_id: int) -> list[Subscription]:
        """The chat's active subscriptions, oldest first (numbered 1.. in the chat)."""
        async with self._sessions() as session:
            chat = await session.get(ChatRow, chat_id)
            rows = await session.scalars(
                select(SubscriptionRow)
                .where(SubscriptionRow.chat_id == chat_id, SubscriptionRow.active)
                .order_by(SubscriptionRow.id)
            )
            return [to_subscription(r, chat) for r in rows]

    async def unsubscribe(self, chat_id: int, subscription_id: int | None) -> int:
        """End one subscription of this chat (by id), or all of them (None); returns how many."""
        async with writing(self._sessions) as session:
            query = update(SubscriptionRow).where(
                SubscriptionRow.chat_id == chat_id, SubscriptionRow.active
            )
            if subscription_id is not None:
                query = query.where(SubscriptionRow.id == subscription_id)
            result = await session.execute(query.values(active=False))
            stopped = select(SubscriptionRow.id).where(
                SubscriptionRow.chat_id == chat_id, ~SubscriptionRow.active
            )
            await _drop_owed(session, stopped, UNCLAIMED)
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def set_timezone(self, chat_id: int, timezone: str) -> None:
        """Set the zone daily digests are timed in."""
        async with writing(self._sessions) as session:
            (await self._chat(session, chat_id)).timezone = timezone

    async def set_language(self, chat_id: int, language: str | None) -> None:
        """Set (or, with None, clear) the language the chat's replies and digests are in."""
        async with writing(self._sessions) as session:
            (await self._chat(session, chat_id)).language = language

    async def speech(self, chat_id: int) -> tuple[str | None, str]:
        """The chat's chosen language (None: not chosen) and its time zone."""
        async with self._sessions() as session:
            chat = await session.get(ChatRow, chat_id)
            return (chat.language, chat.timezone) if chat is not None else (None, "UTC")

    async def set_quiet(self, chat_id: int, start: str | None, end: str | None) -> None:
        """Set (or, with None, end) the chat's quiet hours."""
        async with writing(self._sessions) as session:
            chat = await self._chat(session, chat_id)
            chat.quiet_start, chat.quiet_end = start, end

    async def quiet_hours(self, chat_id: int) -> tuple[str, str] | None:
        """The chat's quiet hours, if any."""
        async with self._sessions() as session:
            chat = await session.get(ChatRow, chat_id)
            if chat is None or not chat.quiet_start or not chat.quiet_end:
                return None
            return chat.quiet_start, chat.quiet_end

    async def deactivate_subscription(self, subscription_id: int) -> None:
        """Its channel removed the bot: stop this subscription only, and drop what it owed."""
        async with writing(self._sessions) as session:
            await session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.id == subscription_id)
                .values(active=False)
            )
            await _drop_owed(session, select(literal(subscription_id)), OWED)

    async def deactivate_chat(self, chat_id: int) -> None:
        """The bot was blocked or removed: stop everything for this chat."""
        async with writing(self._sessions) as session:
            await session.execute(update(ChatRow).where(ChatRow.id == chat_id).values(active=False))
            await session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.chat_id == chat_id)
                .values(active=False)
            )
            chats = select(SubscriptionRow.id).where(SubscriptionRow.chat_id == chat_id)
            await _drop_owed(session, chats, OWED)

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its subscriptions follow it to the new id."""
        async with writing(self._sessions) as session:
            old = await session.get(ChatRow, old_id)
            if old is None:
                return
            new = await self._chat(session, new_id)
            new.timezone, new.active, new.language = old.timezone, old.active, old.language
            await session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.chat_id == old_id)
                .values(chat_id=new_id)
            )
            await session.delete(old)

"""Fan-out: queue every new article for every subscription it matches.

One row per (subscription, article) under a unique constraint, with the subscription's cursor
advanced in the same transaction: a crash or a second instance can only redo the work, and the
redo inserts nothing. An article is matched on its own words (engine/keyword_index.py, with
engine/matching.py's rules), never on a cached vocabulary that another process's ingest could
have made stale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.dedupe import same_story
from engine.keyword_index import KeywordIndex
from engine.models import Article
from storage.articles import ArticleStore
from storage.db import retried_write, writing
from storage.dialect import upsert
from storage.models import ArticleRow, OutboxRow, OutboxStatus, SubscriptionRow

FANOUT_BATCH = 200
RECENT_FOR_DEDUPE = 30
QUEUE_SECONDS = 30.0  # retry budget of one batch's write
ROWS_A_STATEMENT = 500  # outbox rows a statement inserts: thousands would hold the event loop
STEP_SECONDS = 0.002  # CPU work runs this long (and one step more) before the loop's turn
# ...and then idles this long: the event loop's select() frees the interpreter for the database
# driver's thread, which would otherwise wait a whole switch interval (5 ms) for every call
# and make every reply slow while a fan-out runs.
STEP_PAUSE_SECONDS = 0.0002

_T = TypeVar("_T")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Behind:
    """A subscription whose cursor is behind the newest article."""

    id: int
    keywords: str
    excluded: str


class FanOut:
    """Turns new articles into outbox rows."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], articles: ArticleStore) -> None:
        self._sessions = sessions
        self._articles = articles
        # The keyword index of the last group of subscriptions matched: kept while the same
        # subscriptions (ids, keywords, excluded words, as read this round) are behind, so a
        # change made by any process since is seen at the point of decision.
        self._index: tuple[tuple[_Behind, ...], KeywordIndex] | None = None

    async def fan_out(self) -> int:
        """Queue every new article for every subscription it matches; returns rows queued.

        Subscriptions that share a cursor share the work: the new articles are read and
        de-duplicated once, then each is matched on its own words per subscription.
        """
        newest = await self._articles.max_id()
        async with self._sessions() as session:
            behind = await session.execute(  # only subscriptions with something new to read
                select(
                    SubscriptionRow.id,
                    SubscriptionRow.keywords,
                    SubscriptionRow.excluded,
                    SubscriptionRow.after_article_id,
                ).where(SubscriptionRow.active, SubscriptionRow.after_article_id < newest)
            )
            by_cursor: dict[int, list[_Behind]] = defaultdict(list)
            await _in_steps(_grouped(behind, by_cursor))  # 10,000 rows take a while
        queued = 0
        for cursor, group in sorted(by_cursor.items()):
            index = await self._index_of(tuple(group))
            while cursor < newest:
                articles = await self._articles.since(cursor, FANOUT_BATCH)
                if not articles:
                    break
                recent = await self._recent(articles[0].id)
                # From here to the rows, CPU work only, in steps (see _in_steps).
                log.debug("fan-out: matching %d articles for %d", len(articles), len(group))
                fresh: list[Article] = []
                await _in_steps(_fresh_steps(articles, recent, fresh))
                rows = await _matched_rows(index, group, fresh)
                log.debug("fan-out: %d rows for %d articles", len(rows), len(articles))
                cursor = articles[-1].id
                queued += await self._queue(rows, [sub.id for sub in group], cursor)
        return queued

    async def _index_of(self, group: tuple[_Behind, ...]) -> KeywordIndex:
        """The keyword index of these subscriptions (each keyed by its place in the group)."""
        if self._index is None or self._index[0] != group:
            index = KeywordIndex()
            await _in_steps(index.build((n, s.keywords, s.excluded) for n, s in enumerate(group)))
            self._index = (group, index)
        return self._index[1]

    async def _recent(self, first: int) -> list[Article]:
        """The articles just before `first`, which new ones must not repeat."""
        return await self._articles.get_many(list(range(max(1, first - RECENT_FOR_DEDUPE), first)))

    @retried_write(QUEUE_SECONDS)
    async def _queue(self, rows: list[dict[str, object]], sub_ids: list[int], cursor: int) -> int:
        # Rows and cursors commit together: a crash (or a second instance) redoes the batch,
        # and the unique (subscription, article) constraint turns the redo into a no-op.
        async with writing(self._sessions) as session:
            rows = await _once_per_place(session, rows)
            for start in range(0, len(rows), ROWS_A_STATEMENT):  # the loop is free in between
                await session.execute(
                    upsert(session, OutboxRow).on_conflict_do_nothing(),
                    rows[start : start + ROWS_A_STATEMENT],
                )
            for start in range(0, len(sub_ids), 500):
                await session.execute(
                    update(SubscriptionRow)
                    .where(
                        SubscriptionRow.id.in_(sub_ids[start : start + 500]),
                        SubscriptionRow.after_article_id < cursor,
                    )
                    .values(after_article_id=cursor)
                )
        return len(rows)


def _fresh_steps(
    articles: list[Article], recent: list[Article], fresh: list[Article]
) -> Iterator[None]:
    """Append to `fresh` each article that repeats no story told just before (`recent`) or
    earlier in the batch (`fresh`), one article a step (comparing it with up to 230 others
    takes a few milliseconds)."""
    for article in articles:
        if not any(same_story(article, seen) for seen in [*recent, *fresh]):
            fresh.append(article)
        yield


async def _in_steps(steps: Iterable[_T]) -> list[_T]:
    """The items of CPU-bound steps, run on the event loop but handing it back whenever
    STEP_SECONDS have passed: a burst of articles for thousands of keyword subscriptions never
    holds the loop, and with it every chat's replies, for longer than a step. (A worker
    thread did not do that: it took the interpreter's lock from the loop for seconds.)"""
    items = []
    deadline = time.perf_counter() + STEP_SECONDS
    for item in steps:
        items.append(item)
        if time.perf_counter() >= deadline:
            await asyncio.sleep(STEP_PAUSE_SECONDS)
            deadline = time.perf_counter() + STEP_SECONDS
    return items


async def _matched_rows(
    index: KeywordIndex, group: list[_Behind], articles: list[Article]
) -> list[dict[str, object]]:
    """An outbox row for each (subscription, article) whose keywords the article matches,
    subscription by subscription (the first of a place's subscriptions gets the article)."""
    pairs = sorted(p for found in await _in_steps(index.pairs(articles)) for p in found)
    rows: list[dict[str, object]] = []
    await _in_steps(_rows_of(pairs, group, rows))
    return rows


def _rows_of(
    pairs: list[tuple[int, int]], group: list[_Behind], rows: list[dict[str, object]]
) -> Iterator[None]:
    """Append the outbox row of each (place in group, article id), a thousand a step."""
    for start in range(0, len(pairs), 1_000):
        rows += (
            {"subscription_id": group[n].id, "article_id": a, "status": OutboxStatus.PENDING}
            for n, a in pairs[start : start + 1_000]
        )
        yield


def _grouped(
    behind: Iterable[tuple[int, str, str | None, int]], by_cursor: dict[int, list[_Behind]]
) -> Iterator[None]:
    """Group the subscriptions behind by their cursor, yielding every thousand."""
    for n, (sub_id, keywords, excluded, cursor) in enumerate(behind, 1):
        by_cursor[cursor].append(_Behind(sub_id, keywords, excluded or ""))
        if n % 1_000 == 0:
            yield


async def _once_per_place(
    session: AsyncSession, rows: list[dict[str, object]]
) -> list[dict[str, object]]:
    """The rows that bring a place (a chat, a topic, a channel) a story it is not owed yet:
    when several of a chat's subscriptions match an article, only the first gets it, and a
    later source of a story the place was already given (by any of its subscriptions, sent or
    pending) brings nothing; it is in the story's view (/story, the 🗞 button). An article
    not grouped yet counts as a story of its own."""
    if not rows:
        return rows
    sub_ids = sorted({int(str(r["subscription_id"])) for r in rows})
    article_ids = sorted({int(str(r["article_id"])) for r in rows})
    place = SubscriptionRow.chat_id, SubscriptionRow.thread_id, SubscriptionRow.deliver_to
    place_of: dict[int, tuple[object, ...]] = {}
    for start in range(0, len(sub_ids), 500):
        found = await session.execute(
            select(SubscriptionRow.id, *place).where(
                SubscriptionRow.id.in_(sub_ids[start : start + 500])
            )
        )
        place_of.update({row[0]: tuple(row[1:]) for row in found})
    story_of: dict[int, tuple[str, int]] = {}
    for start in range(0, len(article_ids), 500):
        grouped = await session.execute(
            select(ArticleRow.id, ArticleRow.story_id).where(
                ArticleRow.id.in_(article_ids[start : start + 500])
            )
        )
        story_of.update({a: ("story", s) if s is not None else ("article", a) for a, s in grouped})
    stories = sorted({key[1] for key in story_of.values() if key[0] == "story"})
    chats = sorted({int(str(p[0])) for p in place_of.values()})
    seen: set[tuple[tuple[object, ...], tuple[str, int]]] = set()
    for start in range(0, len(article_ids), 500):  # owed these very articles
        owed = await session.execute(
            select(OutboxRow.article_id, *place)
            .join(SubscriptionRow, SubscriptionRow.id == OutboxRow.subscription_id)
            .where(
                OutboxRow.article_id.in_(article_ids[start : start + 500]),
                SubscriptionRow.chat_id.in_(chats),
            )
        )
        seen.update((tuple(row[1:]), story_of[row[0]]) for row in owed)
    for start in range(0, len(stories), 500):  # owed another source of their stories
        owed = await session.execute(
            select(ArticleRow.story_id, *place)
            .join(OutboxRow, OutboxRow.article_id == ArticleRow.id)
            .join(SubscriptionRow, SubscriptionRow.id == OutboxRow.subscription_id)
            .where(
                ArticleRow.story_id.in_(stories[start : start + 500]),
                SubscriptionRow.chat_id.in_(chats),
            )
        )
        seen.update((tuple(row[1:]), ("story", int(row[0]))) for row in owed)
    kept = []
    for row in rows:
        key = (place_of[int(str(row["subscription_id"]))], story_of[int(str(row["article_id"]))])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept

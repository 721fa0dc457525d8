"""The article repository: add, fetch, list, search and summarise, returning engine dataclasses."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.errors import ArticleNotFound
from engine.models import Article, ParsedArticle, SearchPage
from engine.numbers import MAX_ID
from engine.search import QueryPlan
from engine.story_features import Features
from engine.summary import DEFAULT_BUDGET, DEFAULT_SENTENCES, Summary, summarize
from engine.text import words
from storage.clock import utcnow
from storage.db import retried_while_locked, writing
from storage.dialect import index_for, upsert
from storage.hybrid import Meaning, hybrid
from storage.models import ArticleRow
from storage.removal import Removal, remove_articles
from storage.search import HELD_TERMS, SearchIndex
from storage.stories import Arrival, assign, unweighed, weigh
from storage.summaries import default_summary

_HASH_CHUNK = 500
INSERT_SECONDS = 120.0  # how long an ingest batch waits for another writer's lock in all


TITLE_CHARS, SOURCE_CHARS, URL_CHARS = 300, 500, 2000  # the articles table's columns


def _outlet(article: ParsedArticle) -> str | None:
    """The source name as stored (cut to its column)."""
    return article.source[:SOURCE_CHARS] if article.source else None


def content_hash(body: str) -> str:
    """Hash of the folded words of a body: the same story re-spaced or re-cased is a duplicate."""
    return hashlib.sha256(" ".join(words(body)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AddResult:
    """What an add did: ids of new articles and how many duplicates were skipped."""

    added: tuple[int, ...]
    duplicates: int


@dataclass(frozen=True, slots=True)
class Prepared:
    """A batch's CPU work, done before the write lock is taken and off the event loop: the
    articles new within the batch by content hash, how many repeated one of them, their
    summaries and their story features (not yet weighed: that reads the store)."""

    batch: dict[str, ParsedArticle]
    duplicates: int
    summaries: dict[str, str | None]
    features: list[Features]


def prepared(articles: Iterable[ParsedArticle]) -> Prepared:
    """A batch's CPU work (see Prepared), done here: for a worker thread or process."""
    batch: dict[str, ParsedArticle] = {}
    duplicates = 0
    for parsed in articles:
        digest = content_hash(parsed.body)
        if digest in batch:
            duplicates += 1
        else:
            batch[digest] = parsed
    summaries = {d: default_summary(a.body) for d, a in batch.items()}
    texts = [(a.title, a.body, a.published) for a in batch.values()]
    return Prepared(batch, duplicates, summaries, unweighed(texts))


async def prepare_batch(articles: Iterable[ParsedArticle]) -> Prepared:
    """Prepare articles for `ArticleStore.add` in a worker thread (it reads nothing)."""
    return await asyncio.to_thread(prepared, list(articles))


async def _fetch(session: AsyncSession, ids: Sequence[int]) -> list[Article]:
    rows = await session.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids)))
    by_id = {row.id: to_article(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def to_article(row: ArticleRow) -> Article:
    """The engine's view of an article row."""
    return Article(
        id=row.id,
        title=row.title,
        body=row.body,
        published=row.published,
        source=row.source,
        url=row.url,
        added_at=row.added_at,
        summary=tuple(row.summary.split("\n")) if row.summary else (),
        story_id=row.story_id,
    )


def newest_first() -> tuple[ColumnElement[Any], ...]:
    """Newest first (publication date, else when added): ix_articles_newest walked backwards."""
    newest = func.coalesce(ArticleRow.published, ArticleRow.added_at)
    return newest.desc(), ArticleRow.id.desc()


def latest_statement(limit: int, offset: int) -> Select[ArticleRow]:
    """The newest articles, a page at a time."""
    return select(ArticleRow).order_by(*newest_first()).offset(offset).limit(limit)


def dated_before_statement(cutoff: date, limit: int) -> Select[int]:
    """The oldest ids dated before `cutoff`: the ix_articles_newest index, walked forwards."""
    day = func.coalesce(ArticleRow.published, ArticleRow.added_at)
    return select(ArticleRow.id).where(day < cutoff).order_by(day, ArticleRow.id).limit(limit)


class ArticleStore:
    """Articles in the database, seen through the text engine."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], held_terms: int = HELD_TERMS
    ) -> None:
        self._sessions = sessions
        db_engine = sessions.kw["bind"]
        self._index = index_for(db_engine.dialect.name)
        self._search = SearchIndex(db_engine, self._index, held_terms)
        # Search by meaning, fused with the words (storage/hybrid.py), once the bot sets it.
        self.meaning: Meaning | None = None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory of the store's database (shared by the other repositories)."""
        return self._sessions

    async def add(self, articles: Iterable[ParsedArticle] | Prepared) -> AddResult:
        """Insert articles whose content is new; return new ids (in order) and duplicates.
        A batch `prepared` already (a bulk ingest prepares the next batch while this one is
        written) skips that step."""
        ready = articles if isinstance(articles, Prepared) else await prepare_batch(articles)
        if not ready.batch:
            return AddResult((), ready.duplicates)
        # Only the frequencies are read here: the weighing needs the store as it is now.
        async with self._sessions() as reader:
            weighed = dict(zip(ready.batch, await weigh(reader, ready.features), strict=True))
        added, skipped = await self._insert(ready.batch, ready.summaries, weighed)
        return AddResult(added, ready.duplicates + skipped)

    @retried_while_locked(INSERT_SECONDS)
    async def _insert(
        self,
        batch: dict[str, ParsedArticle],
        summaries: dict[str, str | None],
        weighed: dict[str, Any],
    ) -> tuple[tuple[int, ...], int]:
        """One write transaction: insert what is new of `batch` (by content hash), index it
        and group it into stories; the new ids and how many were already stored. Another
        process's long ingest may hold SQLite's write lock past the busy timeout: the whole
        transaction is tried again (it changed nothing), never half of it."""
        batch = dict(batch)  # a retry starts again from the caller's batch
        duplicates = 0
        async with writing(self._sessions) as session:
            hashes = list(batch)
            for start in range(0, len(hashes), _HASH_CHUNK):
                chunk = hashes[start : start + _HASH_CHUNK]
                existing = await session.scalars(
                    select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(chunk))
                )
                for digest in existing:
                    del batch[digest]
                    duplicates += 1
            now = utcnow()
            rows = [
                {
                    # Cut to the columns (PostgreSQL refuses longer text); an address too long
                    # to store whole is left out: a cut address leads somewhere else.
                    "title": a.title[:TITLE_CHARS],
                    "body": a.body,
                    "published": a.published,
                    "source": _outlet(a),
                    "url": a.url if a.url and len(a.url) <= URL_CHARS else None,
                    "content_hash": digest,
                    "added_at": now,
                    # Computed once at add, so reads (/summary, inline mode) never write.
                    "summary": summaries[digest],
                }
                for digest, a in batch.items()
            ]
            added: tuple[int, ...] = ()
            if rows:
                # Another instance may add the same story between the check above and here
                # (PostgreSQL runs writers concurrently): ON CONFLICT skips it, no error.
                statement = upsert(session, ArticleRow).on_conflict_do_nothing(
                    index_elements=[ArticleRow.content_hash]
                )
                inserted = await session.execute(
                    statement.returning(ArticleRow.id, ArticleRow.content_hash), rows
                )
                digests = {int(i): d for i, d in inserted}
                added = tuple(sorted(digests))
                duplicates += len(rows) - len(added)
                if added:
                    await self._index.index_new(session, added)
                    # article_days gets each one's day from the database's trigger.
                    days = {i: batch[digests[i]].published or now.date() for i in added}
                    arrivals = [
                        Arrival(i, weighed[digests[i]], days[i], _outlet(batch[digests[i]]))
                        for i in added
                    ]
                    await assign(session, arrivals, now)
        return added, duplicates

    async def dated_before(self, cutoff: date, limit: int) -> list[int]:
        """Up to `limit` ids of articles whose day (publication date, else the day added) is
        before `cutoff`, oldest first: read from the ix_articles_newest index, not a scan."""
        async with self._sessions() as session:
            return list(await session.scalars(dated_before_statement(cutoff, limit)))

    async def remove(self, ids: Iterable[int]) -> Removal:
        """Remove articles and everything that refers to them (storage.removal); this
        process's vocabulary is read again at the next search."""
        removal = await remove_articles(self._sessions, self._index, ids)
        if removal.removed:
            self._search.forget_vocabulary()
        return removal

    async def count(self) -> int:
        """How many articles are stored."""
        async with self._sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(ArticleRow)) or 0)

    async def max_id(self) -> int:
        """The newest article id, 0 for an empty store."""
        async with self._sessions() as session:
            return int(await session.scalar(select(func.max(ArticleRow.id))) or 0)

    async def get(self, article_id: int) -> Article:
        """The article with this id, or ArticleNotFound."""
        if not 1 <= article_id <= MAX_ID:
            raise ArticleNotFound(article_id)  # the driver cannot even bind such a number
        async with self._sessions() as session:
            row = await session.get(ArticleRow, article_id)
            if row is None:
                raise ArticleNotFound(article_id)
            return to_article(row)

    async def get_many(self, ids: Sequence[int]) -> list[Article]:
        """The articles with these ids, in the given order (unknown ids are skipped)."""
        if not ids:
            return []
        async with self._sessions() as session:
            return await _fetch(session, ids)

    async def latest(self, limit: int, offset: int = 0) -> tuple[list[Article], bool]:
        """Newest first (publication date, else the day it was added); and whether more follow."""
        async with self._sessions() as session:
            rows = await session.scalars(latest_statement(limit + 1, offset))
            found = [to_article(r) for r in rows]
        return found[:limit], len(found) > limit

    async def since(self, after_id: int, limit: int = 500) -> list[Article]:
        """Articles added after `after_id`, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(ArticleRow)
                .where(ArticleRow.id > after_id)
                .order_by(ArticleRow.id)
                .limit(limit)
            )
            return [to_article(r) for r in rows]

    async def plan(self, query: str) -> QueryPlan:
        """Parse a query and map its words onto the index (raises EmptyQuery, QueryTooLong)."""
        return await self._search.plan(query)

    async def weighed_plan(self, query: str) -> tuple[QueryPlan, int]:
        """The plan, and about how many articles hold its rarest matchable word."""
        return await self._search.weighed_plan(query)

    async def search(
        self, query: str, limit: int = 5, offset: int = 0, one_per_story: bool = False
    ) -> SearchPage:
        """Rank articles for a query, typo-tolerant, fused with the nearest by meaning once
        `meaning` is filled; `offset` pages; `one_per_story`: offsets count stories."""
        words, meaning = self._search.search, self.meaning
        if meaning is None or not meaning.ready:
            return await words(query, limit, offset, one_per_story)
        fetch = self.get_many
        return await hybrid(
            words, meaning, fetch, query, limit=limit, offset=offset, one_per_story=one_per_story
        )

    async def summary(
        self,
        article: Article,
        sentences: int = DEFAULT_SENTENCES,
        budget: int = DEFAULT_BUDGET,
        focus: frozenset[str] = frozenset(),
    ) -> Summary:
        """An extractive summary, leaning towards the `focus` words (a search's matched
        words); the default one was computed when the article was added and comes with it."""
        if sentences == DEFAULT_SENTENCES and budget == DEFAULT_BUDGET and not focus:
            if article.summary:
                return Summary(article.summary)
            async with self._sessions() as session:
                cached = await session.scalar(
                    select(ArticleRow.summary).where(ArticleRow.id == article.id)
                )
            if cached:
                return Summary(tuple(cached.split("\n")))
        return summarize(article.body, sentences=sentences, budget=budget, query_words=set(focus))

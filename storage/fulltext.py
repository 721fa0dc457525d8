"""The full-text index behind search, per database: SQLite FTS5, or PostgreSQL's tsvector/GIN.

Both answer the same questions: which terms are indexed (the vocabulary typo-tolerant matching
maps query words onto) and which changed since a mark, how many articles each term is in, and
which articles match a plan, best first. Only vocabulary terms ever reach the index's query
language, quoted, never the user's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from engine.models import Article
from engine.search import Candidate, WordPlan
from engine.snippets import MARK_END, MARK_START
from engine.text import words as text_words

PREFIX_FREQUENCY_TERMS = 500  # terms summed to estimate how common a prefix is
SHORT_PREFIX_FREQUENCY = 10**9  # a prefix of 1-2 letters counts as the most common word


def _expression(words: Sequence[WordPlan], term: str, prefix: str, any_of: str, all_of: str) -> str:
    """Every word (any of its variants) in an index's query language; only vocabulary terms,
    letters and digits, are ever placed in it."""
    groups = []
    for word in words:
        alternatives = [term.format(t) for t in word.terms]
        alternatives += [prefix.format(p) for p in word.prefixes]
        groups.append("(" + any_of.join(alternatives) + ")")
    return all_of.join(groups)


def _article(row: Any) -> Article:
    published, added_at = row.published, row.added_at
    # Raw SQL on SQLite returns dates as text; ORM-free reads convert them here.
    if isinstance(published, str):
        published = date.fromisoformat(published)
    if isinstance(added_at, str):
        added_at = datetime.fromisoformat(added_at)
    return Article(row.id, row.title, row.body, published, row.source, row.url, added_at)


_COLUMNS = "a.id, a.title, a.body, a.published, a.source, a.url, a.added_at"


class FullTextIndex:
    """Vocabulary and candidate look-ups; one subclass per database."""

    async def mark(self, session: AsyncSession) -> int:
        """A number that grows whenever articles (so possibly terms) are added."""
        raise NotImplementedError

    async def terms(self, session: AsyncSession) -> list[str]:
        """Every indexed term."""
        raise NotImplementedError

    async def terms_since(self, session: AsyncSession, mark: int) -> Iterable[str]:
        """The terms of articles added since `mark` (may repeat known terms)."""
        raise NotImplementedError

    async def frequencies(self, session: AsyncSession, words: Sequence[WordPlan]) -> list[int]:
        """For each word, about how many articles contain it (any of its variants)."""
        raise NotImplementedError

    async def ranked(
        self, session: AsyncSession, words: Sequence[WordPlan], limit: int, by_relevance: bool
    ) -> list[Candidate]:
        """Up to `limit` articles matching every word, most relevant first (or newest first
        when ranking every match would cost too much)."""
        raise NotImplementedError

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        """Index articles just inserted in this transaction (before it commits)."""


def _sum_frequencies(
    words: Sequence[WordPlan], docs: dict[str, int], prefix_docs: dict[str, int]
) -> list[int]:
    found = []
    for word in words:
        total = sum(docs.get(t, 0) for t in word.terms)
        for stem in word.prefixes:
            total += prefix_docs.get(stem, SHORT_PREFIX_FREQUENCY)
        found.append(total)
    return found


class Fts5Index(FullTextIndex):
    """SQLite: the articles_fts table (FTS5, unicode61, diacritics removed) and its fts5vocab."""

    TITLE_WEIGHT = 5.0

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        # One statement per batch; the ids of one SQLite write transaction form a range, and
        # a range scan keeps the statement small however large the batch.
        await session.execute(
            text(
                "INSERT INTO articles_fts(rowid, title, body) "
                "SELECT id, title, body FROM articles WHERE id BETWEEN :lo AND :hi"
            ),
            {"lo": min(ids), "hi": max(ids)},
        )

    async def mark(self, session: AsyncSession) -> int:
        # SQLite serialises writers, so ids grow in commit order: the newest id is a mark.
        return int(await session.scalar(text("SELECT max(id) FROM articles")) or 0)

    async def terms(self, session: AsyncSession) -> list[str]:
        return list(await session.scalars(text("SELECT term FROM articles_vocab")))

    async def terms_since(self, session: AsyncSession, mark: int) -> Iterable[str]:
        rows = await session.execute(
            text("SELECT title, body FROM articles WHERE id > :m"), {"m": mark}
        )
        return {w for title, body in rows for w in text_words(title + " " + body)}

    async def frequencies(self, session: AsyncSession, words: Sequence[WordPlan]) -> list[int]:
        terms = sorted({t for w in words for t in w.terms})
        docs: dict[str, int] = {}
        if terms:
            marks = ", ".join(f":t{i}" for i in range(len(terms)))
            rows = await session.execute(
                text(f"SELECT term, doc FROM articles_vocab WHERE term IN ({marks})"),
                {f"t{i}": t for i, t in enumerate(terms)},
            )
            docs = {term: int(doc) for term, doc in rows}
        prefix_docs = {}
        for stem in {p for w in words for p in w.prefixes if len(p) >= 3}:
            prefix_docs[stem] = int(
                await session.scalar(
                    text(
                        "SELECT coalesce(sum(doc), 0) FROM (SELECT doc FROM articles_vocab "
                        "WHERE term >= :lo AND term < :hi LIMIT :n)"
                    ),
                    {"lo": stem, "hi": stem + "\uffff", "n": PREFIX_FREQUENCY_TERMS},
                )
                or 0
            )
        return _sum_frequencies(words, docs, prefix_docs)

    async def ranked(
        self, session: AsyncSession, words: Sequence[WordPlan], limit: int, by_relevance: bool
    ) -> list[Candidate]:
        match = _expression(words, '"{}"', '"{}" *', " OR ", " AND ")
        bm25 = f"bm25(articles_fts, {self.TITLE_WEIGHT}, 1.0)"
        # Ranking every match of a common word costs O(matches); newest-first stops early.
        order = bm25 if by_relevance else "rowid DESC"
        # highlight() runs in the outer query only, for the few rows the inner one kept.
        rows = await session.execute(
            text(
                f"SELECT {_COLUMNS}, {bm25} AS score, "
                f"highlight(articles_fts, 0, '{MARK_START}', '{MARK_END}') AS marked_title, "
                f"highlight(articles_fts, 1, '{MARK_START}', '{MARK_END}') AS marked_body "
                "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                "WHERE articles_fts MATCH :q AND articles_fts.rowid IN ("
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q "
                f"ORDER BY {order} LIMIT :k)"
            ),
            {"q": match, "k": limit},
        )
        return [Candidate(_article(r), r.marked_title, r.marked_body, float(r.score)) for r in rows]


PG_DOCUMENT = "to_tsvector('simple', title || ' ' || body)"


class PostgresIndex(FullTextIndex):
    """PostgreSQL: a GIN index on the 'simple' tsvector of title and body (kept by PostgreSQL),
    and the search_terms table (term, articles, version) kept here on every insert."""

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        # The version row is locked until commit, so versions become visible in order: a
        # reader that saw version v has seen every term added up to v.
        version = await session.scalar(
            text("UPDATE search_version SET version = version + 1 RETURNING version")
        )
        id_list = ",".join(str(int(i)) for i in ids)
        documents = f"SELECT {PG_DOCUMENT} FROM articles WHERE id = ANY('{{{id_list}}}'::int[])"
        # Sorted, so concurrent inserters lock existing terms in the same order (no deadlock).
        await session.execute(
            text(
                "INSERT INTO search_terms (term, docs, version) "
                "SELECT word, ndoc, :v FROM ts_stat(:documents) ORDER BY word "
                "ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + excluded.docs"
            ),
            {"v": version, "documents": documents},
        )

    async def mark(self, session: AsyncSession) -> int:
        return int(await session.scalar(text("SELECT version FROM search_version")) or 0)

    async def terms(self, session: AsyncSession) -> list[str]:
        return list(await session.scalars(text("SELECT term FROM search_terms")))

    async def terms_since(self, session: AsyncSession, mark: int) -> Iterable[str]:
        return list(
            await session.scalars(
                text("SELECT term FROM search_terms WHERE version > :m"), {"m": mark}
            )
        )

    async def frequencies(self, session: AsyncSession, words: Sequence[WordPlan]) -> list[int]:
        terms = sorted({t for w in words for t in w.terms})
        rows = await session.execute(
            text("SELECT term, docs FROM search_terms WHERE term = ANY(:terms)"), {"terms": terms}
        )
        docs = {term: int(n) for term, n in rows}
        prefix_docs = {}
        for stem in {p for w in words for p in w.prefixes if len(p) >= 3}:
            prefix_docs[stem] = int(
                await session.scalar(
                    text(
                        "SELECT coalesce(sum(docs), 0) FROM (SELECT docs FROM search_terms "
                        "WHERE term >= :lo AND term < :hi LIMIT :n) t"
                    ),
                    {"lo": stem, "hi": stem + "\uffff", "n": PREFIX_FREQUENCY_TERMS},
                )
                or 0
            )
        return _sum_frequencies(words, docs, prefix_docs)

    async def ranked(
        self, session: AsyncSession, words: Sequence[WordPlan], limit: int, by_relevance: bool
    ) -> list[Candidate]:
        tsquery = _expression(words, "'{}'", "'{}':*", " | ", " & ")
        query = "to_tsquery('simple', :q)"
        score = f"-ts_rank({PG_DOCUMENT}, {query})" if by_relevance else "0.0"
        order = "score, a.id DESC" if by_relevance else "a.id DESC"
        rows = await session.execute(
            text(
                f"SELECT {_COLUMNS}, {score} AS score FROM articles a "
                f"WHERE {PG_DOCUMENT} @@ {query} ORDER BY {order} LIMIT :k"
            ),
            {"q": tsquery, "k": limit},
        )
        return [Candidate(_article(r), score=float(r.score)) for r in rows]


def index_for(dialect: str) -> FullTextIndex:
    """The index implementation for a database dialect name."""
    if dialect == "sqlite":
        return Fts5Index()
    if dialect == "postgresql":
        return PostgresIndex()
    raise ValueError(f"no full-text index for {dialect}: use SQLite or PostgreSQL")

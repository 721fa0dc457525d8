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
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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


def _article(
    article_id: int,
    title: str,
    body: str,
    published: date | str | None,
    source: str | None,
    url: str | None,
    added_at: datetime | str,
) -> Article:
    # Raw SQL on SQLite returns dates as text; ORM-free reads convert them here.
    if isinstance(published, str):
        published = date.fromisoformat(published)
    if isinstance(added_at, str):
        added_at = datetime.fromisoformat(added_at)
    return Article(article_id, title, body, published, source, url, added_at)


_COLUMNS = "a.id, a.title, a.body, a.published, a.source, a.url, a.added_at"
# Reads run on a session or, for search, a bare connection (no transaction to begin and end).
Reader = AsyncSession | AsyncConnection
# One step of candidate retrieval: the words that must all match, how many, ranked or newest.
Tier = tuple[Sequence[WordPlan], int, bool]


class FullTextIndex:
    """Vocabulary and candidate look-ups; one subclass per database."""

    async def mark(self, reader: Reader) -> int:
        """A number that grows whenever articles (so possibly terms) are added."""
        raise NotImplementedError

    async def terms(self, reader: Reader) -> list[str]:
        """Every indexed term."""
        raise NotImplementedError

    async def terms_since(self, reader: Reader, mark: int) -> Iterable[str]:
        """The terms of articles added since `mark` (may repeat known terms)."""
        raise NotImplementedError

    async def frequencies(self, reader: Reader, words: Sequence[WordPlan]) -> list[int]:
        """For each word, about how many articles contain it (any of its variants)."""
        raise NotImplementedError

    async def ranked(
        self, reader: Reader, words: Sequence[WordPlan], limit: int, by_relevance: bool
    ) -> list[Candidate]:
        """Up to `limit` articles matching every word, most relevant first (or newest first
        when ranking every match would cost too much)."""
        raise NotImplementedError

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        """Index articles just inserted in this transaction (before it commits)."""

    async def lookup(self, reader: Reader, words: Sequence[WordPlan]) -> tuple[int, list[int]]:
        """The change mark and the words' frequencies, read together."""
        return await self.mark(reader), await self.frequencies(reader, words)

    async def ranked_tiers(self, reader: Reader, tiers: Sequence[Tier]) -> list[list[Candidate]]:
        """`ranked` for each tier (word set, limit, by relevance), in order."""
        return [await self.ranked(reader, *tier) for tier in tiers]


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


async def _sqlite_rows(reader: Reader, sql: str, params: dict[str, Any]) -> list[Any]:
    """Rows of a read on the reader's SQLite connection in one trip to the driver's thread.

    Search is latency-bound: through SQLAlchemy each statement costs several trips to
    aiosqlite's thread (begin, execute, fetch, close), more than the SQL itself on a small
    store. aiosqlite's execute_fetchall does it in one.
    """
    connection = reader if isinstance(reader, AsyncConnection) else await reader.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is not None and hasattr(driver, "execute_fetchall"):
        return list(await driver.execute_fetchall(sql, params))
    return list(await reader.execute(text(sql), params))


class Fts5Index(FullTextIndex):
    """SQLite: the articles_fts table (FTS5, unicode61, diacritics removed) and its fts5vocab."""

    RANK = "bm25(5.0, 1.0)"  # BM25 with a title match worth five body matches

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

    async def mark(self, reader: Reader) -> int:
        # SQLite serialises writers, so ids grow in commit order: the newest id is a mark.
        return int(await reader.scalar(text("SELECT max(id) FROM articles")) or 0)

    async def terms(self, reader: Reader) -> list[str]:
        return list(await reader.scalars(text("SELECT term FROM articles_vocab")))

    async def terms_since(self, reader: Reader, mark: int) -> Iterable[str]:
        rows = await reader.execute(
            text("SELECT title, body FROM articles WHERE id > :m"), {"m": mark}
        )
        return {w for title, body in rows for w in text_words(title + " " + body)}

    async def frequencies(self, reader: Reader, words: Sequence[WordPlan]) -> list[int]:
        return (await self.lookup(reader, words))[1]

    async def lookup(self, reader: Reader, words: Sequence[WordPlan]) -> tuple[int, list[int]]:
        # One statement (each one is a round trip to the driver's thread): the mark, each
        # term's article count, and each prefix's (summed over its first terms).
        params: dict[str, object] = {"n": PREFIX_FREQUENCY_TERMS}
        parts = ["SELECT '' AS term, max(id) AS doc FROM articles"]
        terms = sorted({t for w in words for t in w.terms})
        if terms:
            params.update({f"t{i}": t for i, t in enumerate(terms)})
            marks = ", ".join(f":t{i}" for i in range(len(terms)))
            parts.append(f"SELECT term, doc FROM articles_vocab WHERE term IN ({marks})")
        stems = sorted({p for w in words for p in w.prefixes if len(p) >= 3})
        for i, stem in enumerate(stems):
            params.update({f"s{i}": stem + "*", f"lo{i}": stem, f"hi{i}": stem + "\uffff"})
            parts.append(
                f"SELECT :s{i}, (SELECT coalesce(sum(doc), 0) FROM (SELECT doc FROM "
                f"articles_vocab WHERE term >= :lo{i} AND term < :hi{i} LIMIT :n))"
            )
        rows = await _sqlite_rows(reader, " UNION ALL ".join(parts), params)
        mark = int(rows[0][1] or 0)
        docs = {term: int(doc) for term, doc in rows[1:]}
        prefix_docs = {stem: docs.pop(stem + "*", 0) for stem in stems}
        return mark, _sum_frequencies(words, docs, prefix_docs)

    async def ranked(
        self, reader: Reader, words: Sequence[WordPlan], limit: int, by_relevance: bool
    ) -> list[Candidate]:
        return (await self.ranked_tiers(reader, [(words, limit, by_relevance)]))[0]

    async def ranked_tiers(self, reader: Reader, tiers: Sequence[Tier]) -> list[list[Candidate]]:
        parts: list[str] = []
        params: dict[str, Any] = {}
        for i, (words, limit, by_relevance) in enumerate(tiers):
            params.update({f"q{i}": _expression(words, '"{}"', '"{}" *', " OR ", " AND ")})
            params[f"k{i}"] = limit
            # Ranking every match of a common word costs O(matches); newest-first stops early.
            # Ordered by FTS5's own rank (or rowid) the table returns rows in order, so
            # highlight() runs only for the rows kept, not for every match.
            order = "rank" if by_relevance else "rowid DESC"
            parts.append(
                f"SELECT {i} AS tier, {_COLUMNS}, f.score, f.marked_title, f.marked_body FROM ("
                "SELECT rowid, rank AS score, "
                f"highlight(articles_fts, 0, '{MARK_START}', '{MARK_END}') AS marked_title, "
                f"highlight(articles_fts, 1, '{MARK_START}', '{MARK_END}') AS marked_body "
                f"FROM articles_fts WHERE articles_fts MATCH :q{i} AND rank MATCH '{self.RANK}' "
                f"ORDER BY {order} LIMIT :k{i}) f JOIN articles a ON a.id = f.rowid"
            )
        found: list[list[Candidate]] = [[] for _ in tiers]
        for tier, *columns, score, marked_title, marked_body in await _sqlite_rows(
            reader, " UNION ALL ".join(parts), params
        ):
            candidate = Candidate(_article(*columns), marked_title, marked_body, float(score))
            found[tier].append(candidate)
        return found


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

    async def mark(self, reader: Reader) -> int:
        return int(await reader.scalar(text("SELECT version FROM search_version")) or 0)

    async def terms(self, reader: Reader) -> list[str]:
        return list(await reader.scalars(text("SELECT term FROM search_terms")))

    async def terms_since(self, reader: Reader, mark: int) -> Iterable[str]:
        return list(
            await reader.scalars(
                text("SELECT term FROM search_terms WHERE version > :m"), {"m": mark}
            )
        )

    async def frequencies(self, reader: Reader, words: Sequence[WordPlan]) -> list[int]:
        terms = sorted({t for w in words for t in w.terms})
        rows = await reader.execute(
            text("SELECT term, docs FROM search_terms WHERE term = ANY(:terms)"), {"terms": terms}
        )
        docs = {term: int(n) for term, n in rows}
        prefix_docs = {}
        for stem in {p for w in words for p in w.prefixes if len(p) >= 3}:
            prefix_docs[stem] = int(
                await reader.scalar(
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
        self, reader: Reader, words: Sequence[WordPlan], limit: int, by_relevance: bool
    ) -> list[Candidate]:
        tsquery = _expression(words, "'{}'", "'{}':*", " | ", " & ")
        query = "to_tsquery('simple', :q)"
        score = f"-ts_rank({PG_DOCUMENT}, {query})" if by_relevance else "0.0"
        order = "score, a.id DESC" if by_relevance else "a.id DESC"
        rows = await reader.execute(
            text(
                f"SELECT {_COLUMNS}, {score} AS score FROM articles a "
                f"WHERE {PG_DOCUMENT} @@ {query} ORDER BY {order} LIMIT :k"
            ),
            {"q": tsquery, "k": limit},
        )
        return [Candidate(_article(*r[:7]), score=float(r.score)) for r in rows]


def index_for(dialect: str) -> FullTextIndex:
    """The index implementation for a database dialect name."""
    if dialect == "sqlite":
        return Fts5Index()
    if dialect == "postgresql":
        return PostgresIndex()
    raise ValueError(f"no full-text index for {dialect}: use SQLite or PostgreSQL")

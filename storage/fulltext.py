"""The full-text index behind search, per database: SQLite FTS5, or PostgreSQL's tsvector/GIN.

Both answer the same questions: which terms are indexed and in how many articles (the
vocabulary typo-tolerant matching maps query words onto), what changed since a mark, and which
articles match a plan, best first. Only vocabulary terms ever reach the index's query
language, quoted, never the user's text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, column, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.selectable import TextualSelect

from engine.models import Article, StoryBrief
from engine.search import Candidate, Vocabulary, WordPlan
from engine.snippets import MARK_END, MARK_START
from engine.text import words as text_words
from storage.story_batch import brief

# Reads run on a session or, for search, a bare connection (no transaction to begin and end).
Reader = AsyncSession | AsyncConnection
# One step of candidate retrieval: the words that must all match, how many, ranked or newest.
Tier = tuple[Sequence[WordPlan], int, bool]
_COLUMNS = (
    "a.id, a.title, a.body, a.published, a.source, a.url, a.added_at, a.story_id, "
    # Lists say "3 sources: A, B" without another read.
    "(SELECT size FROM stories WHERE id = a.story_id), "
    "(SELECT outlets FROM stories WHERE id = a.story_id)"
)


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
    story_id: int | None,
    story_size: int | None,
    story_outlets: Any,
) -> Article:
    # Raw SQL on SQLite returns dates as text; ORM-free reads convert them here.
    if isinstance(published, str):
        published = date.fromisoformat(published)
    if isinstance(added_at, str):
        added_at = datetime.fromisoformat(added_at)
    return Article(
        article_id,
        title,
        body,
        published,
        source,
        url,
        added_at,
        story_id=story_id,
        # Known either way: several sources, or alone (size 1, nothing more to read).
        story=brief(story_id, story_size, story_outlets)
        or StoryBrief(story_id or 0, story_size or 1, ()),
    )


class FullTextIndex:
    """Vocabulary and candidate look-ups; one subclass per database."""

    async def load(self, reader: Reader) -> tuple[int, Vocabulary]:
        """The change mark and the whole vocabulary as of that mark (or later)."""
        raise NotImplementedError

    async def top_up(self, reader: Reader, vocabulary: Vocabulary, mark: int) -> None:
        """Bring the vocabulary from `mark` up to now (terms and article counts)."""
        raise NotImplementedError

    async def ranked_tiers(
        self, reader: Reader, tiers: Sequence[Tier], exclude: Sequence[int] = ()
    ) -> tuple[int, list[list[Candidate]]]:
        """The change mark, read with the candidates: for each tier (words, limit, by
        relevance), up to `limit` articles matching every word (`exclude`d ids aside), most
        relevant first (or newest first when ranking every match would cost too much)."""
        raise NotImplementedError

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        """Index articles just inserted in this transaction (before it commits)."""

    def all_matching(self, words: Sequence[WordPlan]) -> TextualSelect:
        """A sub-select of the ids of every article matching every word (for counts)."""
        raise NotImplementedError


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
    """SQLite: the articles_fts table (FTS5, unicode61, diacritics removed) and its fts5vocab.
    SQLite serialises writers, so ids grow in commit order: the newest id is the mark."""

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

    async def load(self, reader: Reader) -> tuple[int, Vocabulary]:
        mark = int(await reader.scalar(text("SELECT max(id) FROM articles")) or 0)
        rows = await reader.execute(text("SELECT term, doc FROM articles_vocab"))
        return mark, Vocabulary({term: int(doc) for term, doc in rows})

    async def top_up(self, reader: Reader, vocabulary: Vocabulary, mark: int) -> None:
        rows = await reader.execute(
            text("SELECT title, body FROM articles WHERE id > :m"), {"m": mark}
        )
        counts: Counter[str] = Counter()
        for title, body in rows:
            counts.update(set(text_words(title + " " + body)))
        vocabulary.add(counts)

    async def ranked_tiers(
        self, reader: Reader, tiers: Sequence[Tier], exclude: Sequence[int] = ()
    ) -> tuple[int, list[list[Candidate]]]:
        # Found already: filtered before the limit, so no highlight() is spent on them again.
        skip = f" AND rowid NOT IN ({','.join(str(int(i)) for i in exclude)})" if exclude else ""
        # One statement (each is a round trip to the driver's thread), the mark included, so
        # the mark and the candidates come from the same snapshot.
        nulls = ", ".join(["NULL"] * 12)
        parts = [f"SELECT -1, max(id), {nulls} FROM articles"]
        params: dict[str, Any] = {}
        for i, (words, limit, by_relevance) in enumerate(tiers):
            params[f"q{i}"] = _expression(words, '"{}"', '"{}" *', " OR ", " AND ")
            params[f"k{i}"] = limit
            # Ranking every match of a common word costs O(matches); newest-first stops early.
            # Ordered by FTS5's own rank (or rowid) the table returns rows in order, so
            # highlight() runs only for the rows kept, not for every match.
            order = "rank" if by_relevance else "rowid DESC"
            parts.append(
                f"SELECT {i}, {_COLUMNS}, f.score, f.marked_title, f.marked_body FROM ("
                "SELECT rowid, rank AS score, "
                f"highlight(articles_fts, 0, '{MARK_START}', '{MARK_END}') AS marked_title, "
                f"highlight(articles_fts, 1, '{MARK_START}', '{MARK_END}') AS marked_body "
                f"FROM articles_fts WHERE articles_fts MATCH :q{i} AND rank MATCH '{self.RANK}'"
                f"{skip} ORDER BY {order} LIMIT :k{i}) f JOIN articles a ON a.id = f.rowid"
            )
        rows = await _sqlite_rows(reader, " UNION ALL ".join(parts), params)
        mark = 0
        found: list[list[Candidate]] = [[] for _ in tiers]
        for tier, *columns, score, marked_title, marked_body in rows:
            if tier < 0:
                mark = int(columns[0] or 0)
            else:
                article = _article(*columns)
                found[tier].append(
                    Candidate.marked(article, marked_title, marked_body, float(score))
                )
        return mark, found

    def all_matching(self, words: Sequence[WordPlan]) -> TextualSelect:
        match = _expression(words, '"{}"', '"{}" *', " OR ", " AND ")
        return (
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_q")
            .bindparams(fts_q=match)
            .columns(column("rowid", Integer))
        )


class PostgresIndex(FullTextIndex):
    """PostgreSQL: the stored search_vector (title weighted A, body B) with its GIN index, and
    search_terms (term, articles, version that last changed it), kept here on every insert;
    search_version counts the inserts and is the mark."""

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        # The version row is locked until commit, so versions become visible in order: a
        # reader that saw version v has seen every term changed up to v.
        version = await session.scalar(
            text("UPDATE search_version SET version = version + 1 RETURNING version")
        )
        id_list = ",".join(str(int(i)) for i in ids)
        documents = f"SELECT search_vector FROM articles WHERE id = ANY('{{{id_list}}}'::int[])"
        # Sorted, so concurrent inserters lock existing terms in the same order (no deadlock).
        await session.execute(
            text(
                "INSERT INTO search_terms (term, docs, version) "
                "SELECT word, ndoc, :v FROM ts_stat(:documents) ORDER BY word "
                "ON CONFLICT (term) DO UPDATE "
                "SET docs = search_terms.docs + excluded.docs, version = excluded.version"
            ),
            {"v": version, "documents": documents},
        )

    async def load(self, reader: Reader) -> tuple[int, Vocabulary]:
        mark = int(await reader.scalar(text("SELECT version FROM search_version")) or 0)
        rows = await reader.execute(text("SELECT term, docs FROM search_terms"))
        return mark, Vocabulary({term: int(docs) for term, docs in rows})

    async def top_up(self, reader: Reader, vocabulary: Vocabulary, mark: int) -> None:
        rows = await reader.execute(
            text("SELECT term, docs FROM search_terms WHERE version > :m"), {"m": mark}
        )
        vocabulary.set_frequencies({term: int(docs) for term, docs in rows})

    async def ranked_tiers(
        self, reader: Reader, tiers: Sequence[Tier], exclude: Sequence[int] = ()
    ) -> tuple[int, list[list[Candidate]]]:
        # One statement, so one snapshot: the mark and the candidates agree.
        parts = [
            "(SELECT -1 AS tier, version::bigint AS id, NULL::varchar AS title, NULL::text, "
            "NULL::date, NULL::varchar, NULL::varchar, NULL::timestamp, NULL::integer, "
            "NULL::integer, NULL::json, NULL::float8 FROM search_version)"
        ]
        params: dict[str, Any] = {"skip": list(exclude)}
        for i, (words, limit, by_relevance) in enumerate(tiers):
            params[f"q{i}"] = _expression(words, "'{}'", "'{}':*", " | ", " & ")
            params[f"k{i}"] = limit
            query = f"to_tsquery('simple', :q{i})"
            # ts_rank reads every matching row's vector: only for word sets in few articles.
            score = f"-ts_rank(a.search_vector, {query})" if by_relevance else "0.0"
            parts.append(
                f"(SELECT {i}, {_COLUMNS}, {score} AS score FROM articles a "
                f"WHERE a.search_vector @@ {query} AND a.id <> ALL(:skip) "
                f"ORDER BY score, a.id DESC LIMIT :k{i})"
            )
        rows = await reader.execute(text(" UNION ALL ".join(parts)), params)
        mark = 0
        found: list[list[Candidate]] = [[] for _ in tiers]
        for tier, *columns, score in rows:
            if tier < 0:
                mark = int(columns[0])
            else:
                found[tier].append(Candidate(_article(*columns), None, float(score)))
        return mark, found

    def all_matching(self, words: Sequence[WordPlan]) -> TextualSelect:
        tsquery = _expression(words, "'{}'", "'{}':*", " | ", " & ")
        return (
            text("SELECT id FROM articles WHERE search_vector @@ to_tsquery('simple', :ts_q)")
            .bindparams(ts_q=tsquery)
            .columns(column("id", Integer))
        )

"""The full-text index behind search, per database: SQLite FTS5, or PostgreSQL's tsvector/GIN.

Both answer the same two questions: which terms are indexed (the vocabulary typo-tolerant
matching maps query words onto), and which articles match a plan, newest first. Only
vocabulary terms ever reach the index's query language, quoted, never the user's text.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, column, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import TextualSelect

from engine.search import WordPlan


def _expression(words: Sequence[WordPlan], term: str, prefix: str, any_of: str, all_of: str) -> str:
    """Every word (any of its variants) in an index's query language; only vocabulary terms,
    letters and digits, are ever placed in it."""
    groups = []
    for word in words:
        alternatives = [term.format(t) for t in word.terms]
        alternatives += [prefix.format(p) for p in word.prefixes]
        groups.append("(" + any_of.join(alternatives) + ")")
    return all_of.join(groups)


class FullTextIndex:
    """Vocabulary and candidate look-ups; one subclass per database."""

    async def terms(self, session: AsyncSession) -> list[str]:
        """Every indexed term."""
        raise NotImplementedError

    async def newest_matching(
        self, session: AsyncSession, words: Sequence[WordPlan], limit: int
    ) -> list[int]:
        """Ids of up to `limit` articles matching every word (any of its variants), newest first."""
        raise NotImplementedError

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        """Index articles just inserted in this transaction (before it commits)."""

    def all_matching(self, words: Sequence[WordPlan]) -> TextualSelect:
        """A sub-select of the ids of every article matching every word (for counts)."""
        raise NotImplementedError


class Fts5Index(FullTextIndex):
    """SQLite: the articles_fts table (FTS5, unicode61, diacritics removed) and its fts5vocab."""

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

    async def terms(self, session: AsyncSession) -> list[str]:
        return list(await session.scalars(text("SELECT term FROM articles_vocab")))

    async def newest_matching(
        self, session: AsyncSession, words: Sequence[WordPlan], limit: int
    ) -> list[int]:
        match = _expression(words, '"{}"', '"{}" *', " OR ", " AND ")
        # FTS5 walks rowids backwards cheaply; ORDER BY rank would score every match.
        rows = await session.scalars(
            text(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q "
                "ORDER BY rowid DESC LIMIT :k"
            ),
            {"q": match, "k": limit},
        )
        return list(rows)

    def all_matching(self, words: Sequence[WordPlan]) -> TextualSelect:
        match = _expression(words, '"{}"', '"{}" *', " OR ", " AND ")
        return (
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_q")
            .bindparams(fts_q=match)
            .columns(column("rowid", Integer))
        )


PG_DOCUMENT = "to_tsvector('simple', title || ' ' || body)"
_PG_TERMS = (
    "SELECT word FROM ts_stat("
    "'SELECT to_tsvector(''simple'', title || '' '' || body) FROM articles')"
)


class PostgresIndex(FullTextIndex):
    """PostgreSQL: a GIN index on the 'simple' tsvector of title and body (kept by PostgreSQL)."""

    async def terms(self, session: AsyncSession) -> list[str]:
        # ts_stat reads every document: fine for a vocabulary reloaded only after new articles.
        return list(await session.scalars(text(_PG_TERMS)))

    async def newest_matching(
        self, session: AsyncSession, words: Sequence[WordPlan], limit: int
    ) -> list[int]:
        tsquery = _expression(words, "'{}'", "'{}':*", " | ", " & ")
        rows = await session.scalars(
            text(
                f"SELECT id FROM articles WHERE {PG_DOCUMENT} @@ to_tsquery('simple', :q) "
                "ORDER BY id DESC LIMIT :k"
            ),
            {"q": tsquery, "k": limit},
        )
        return list(rows)

    def all_matching(self, words: Sequence[WordPlan]) -> TextualSelect:
        tsquery = _expression(words, "'{}'", "'{}':*", " | ", " & ")
        return (
            text(f"SELECT id FROM articles WHERE {PG_DOCUMENT} @@ to_tsquery('simple', :ts_q)")
            .bindparams(ts_q=tsquery)
            .columns(column("id", Integer))
        )


def index_for(dialect: str) -> FullTextIndex:
    """The index implementation for a database dialect name."""
    if dialect == "sqlite":
        return Fts5Index()
    if dialect == "postgresql":
        return PostgresIndex()
    raise ValueError(f"no full-text index for {dialect}: use SQLite or PostgreSQL")

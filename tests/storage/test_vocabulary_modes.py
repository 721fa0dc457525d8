"""A store too large to hold its vocabulary in memory reads, for each search, just the terms
its words can touch: the results are the same as with the whole vocabulary held (typos,
prefixes, plurals), and the term counts stay right after adds and deletes, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from engine.errors import QueryError
from engine.models import ParsedArticle
from ingest.pipeline import ingest_articles
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate

EVAL = Path(
    os.environ.get("NEWSBOT_EVAL_DIR", Path(__file__).resolve().parents[3] / "shared" / "eval")
)
ARTICLES = 500  # the first BBC articles (business, then entertainment)


def _bbc() -> list[tuple[str, ParsedArticle]]:
    paths = sorted((EVAL / "bbc").glob("*/*.txt"))[:ARTICLES]
    found = []
    for path in paths:
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        source = path.relative_to(EVAL).as_posix()
        found.append((source, ParsedArticle(title=title.strip(), body=body.strip(), source=source)))
    return found


@pytest.fixture
async def stores(database_url: str) -> AsyncIterator[tuple[ArticleStore, ArticleStore]]:
    """One database searched two ways: the whole vocabulary held, and read per search."""
    if not (EVAL / "bbc").is_dir():
        pytest.skip(f"the BBC set is not at {EVAL} (../shared/eval)")
    db_engine = make_db_engine(database_url)
    await migrate(db_engine)
    sessions = make_sessionmaker(db_engine)
    held, read = ArticleStore(sessions), ArticleStore(sessions, held_terms=0)
    await ingest_articles(held, [article for _, article in _bbc()])
    yield held, read
    await db_engine.dispose()


async def test_searches_find_the_same_whether_the_vocabulary_is_held_or_read(
    stores: tuple[ArticleStore, ArticleStore],
) -> None:
    held, read = stores
    sources = {source for source, _ in _bbc()}
    lines = (EVAL / "search" / "queries-dev.jsonl").read_text(encoding="utf-8").splitlines()
    queries = [q for q in map(json.loads, lines) if q["source"] in sources]
    assert len(queries) > 100
    kinds = set()
    for query in queries:
        try:
            expected = [h.article.id for h in (await held.search(query["query"])).hits]
        except QueryError:
            continue
        page = await read.search(query["query"])
        assert [h.article.id for h in page.hits] == expected, query
        kinds.add(query["kind"])
    assert kinds == {"exact", "typo", "prefix"}


async def _counts(store: ArticleStore) -> dict[str, int]:
    async with store.sessions() as session:
        rows = await session.execute(text("SELECT term, docs FROM search_terms WHERE docs > 0"))
        return {term: int(docs) for term, docs in rows}


async def test_term_counts_follow_adds_and_deletes(
    stores: tuple[ArticleStore, ArticleStore],
) -> None:
    held, read = stores
    before = await _counts(held)
    [new] = (
        await held.add([ParsedArticle("Quokkas reach Baku", "A quokka colony settled.")])
    ).added
    after = await _counts(held)
    assert after["quokka"] == 1 and after["baku"] == before.get("baku", 0) + 1
    assert (await read.search("quoka")).hits[0].article.id == new
    assert (await held.remove([new])).removed == (new,)
    assert await _counts(held) == before
    assert not (await read.search("quokka colony")).hits


async def test_a_long_word_two_typos_away_is_found_once_another_instance_adds_it(
    database_url: str,
) -> None:
    # A search keeps the long terms of its two-typo buckets for the next one; an article
    # added since (here by another instance) must not be missed because of them, and one
    # removed must not be found.
    db_engine = make_db_engine(database_url)
    await migrate(db_engine)
    sessions = make_sessionmaker(db_engine)
    writer, reader = ArticleStore(sessions), ArticleStore(sessions, held_terms=0)
    await writer.add([ParsedArticle("Quarterly figures", "Quarterly quantities quieten.")])
    typed = "quintesentialy"  # "quintessentially" less two letters
    assert not (await reader.search(typed)).hits
    [new] = (
        await writer.add([ParsedArticle("Tea", "A quintessentially British afternoon.")])
    ).added
    page = await reader.search(typed)
    assert [h.article.id for h in page.hits] == [new]
    assert (await reader.search("quintesentialy afternon")).hits[0].article.id == new
    await writer.remove([new])
    assert not (await reader.search(typed)).hits
    await db_engine.dispose()

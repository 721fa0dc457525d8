"""What the feed list keeps (issue 18, item 10): an address longer than the url column is
invalid, on SQLite and on PostgreSQL (where it would otherwise fail the whole import)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from engine.errors import IngestError
from storage.db import make_db_engine, make_sessionmaker, migrate
from storage.feeds import FeedStore

URL_CHARS = 2000  # the url column's length (storage.models.FeedRow)
LONG = "https://long.example/feed?" + "x" * 2100


@pytest.fixture
async def feeds(database_url: str) -> AsyncIterator[FeedStore]:
    """An empty feed list in a store of each kind."""
    db_engine = make_db_engine(database_url)
    try:
        await migrate(db_engine)
        yield FeedStore(make_sessionmaker(db_engine))
    finally:
        await db_engine.dispose()


async def test_one_address_too_long_is_counted_invalid_and_the_rest_imported(
    feeds: FeedStore,
) -> None:
    longest = "https://edge.example/f?" + "y" * (URL_CHARS - 23)
    report = await feeds.add_many([("https://a.example/rss", "A"), (LONG, "Long"), (longest, None)])
    assert [f.url for f in report.added] == ["https://a.example/rss", longest]
    assert report.invalid == (LONG,)
    assert [f.url for f in await feeds.all()] == ["https://a.example/rss", longest]


async def test_adding_an_address_too_long_is_one_line(feeds: FeedStore) -> None:
    with pytest.raises(IngestError, match=f"at most {URL_CHARS} characters"):
        await feeds.add(LONG)
    assert await feeds.all() == []

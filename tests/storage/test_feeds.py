"""Feed rows: adding, listing, refusing what is not a web address (polling is tests/ingest)."""

from __future__ import annotations

import pytest

from engine.errors import IngestError
from storage.articles import ArticleStore
from storage.feeds import FeedStore


async def test_adding_a_feed_twice_is_a_no_op(store: ArticleStore) -> None:
    feeds = FeedStore(store._sessions)
    feed = await feeds.add("https://news.example/rss")
    assert (await feeds.add("https://news.example/rss")).id == feed.id
    assert [f.url for f in await feeds.all()] == ["https://news.example/rss"]


async def test_feed_urls_must_be_http(store: ArticleStore) -> None:
    with pytest.raises(IngestError):
        await FeedStore(store._sessions).add("file:///etc/passwd")

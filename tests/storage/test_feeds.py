"""Feed rows: adding, listing, refusing what is not a web address, ids never reused, backoff
(polling is tests/ingest)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.errors import IngestError
from ingest.errors import FeedAnswered
from storage.articles import ArticleStore
from storage.clock import utcnow
from storage.feeds import BACKOFF_CAP, BACKOFF_FIRST, FeedPoll, FeedState, FeedStore, backoff


async def test_adding_a_feed_twice_is_a_no_op(store: ArticleStore) -> None:
    feeds = FeedStore(store._sessions)
    feed = await feeds.add("https://news.example/rss")
    assert (await feeds.add("https://news.example/rss")).id == feed.id
    assert [f.url for f in await feeds.all()] == ["https://news.example/rss"]


async def test_feed_urls_must_be_http(store: ArticleStore) -> None:
    with pytest.raises(IngestError):
        await FeedStore(store._sessions).add("file:///etc/passwd")


async def test_ids_are_never_reused_after_a_removal(store: ArticleStore) -> None:
    feeds = FeedStore(store._sessions)
    first = await feeds.add("https://a.example/rss")
    last = await feeds.add("https://b.example/rss")
    assert await feeds.remove(last.id)  # the highest id: SQLite would hand it out again
    again = await feeds.add("https://c.example/rss")
    assert again.id > last.id > first.id


async def test_add_many_reports_added_existing_and_invalid(store: ArticleStore) -> None:
    feeds = FeedStore(store._sessions)
    await feeds.add("https://a.example/rss")
    report = await feeds.add_many(
        [
            ("https://a.example/rss", "A"),
            ("https://b.example/atom", "B"),
            ("javascript:alert(1)", None),
            ("https://c.example/rss", None),
        ]
    )
    assert [(f.url, f.title) for f in report.added] == [
        ("https://b.example/atom", "B"),
        ("https://c.example/rss", None),
    ]
    assert report.existing == ("https://a.example/rss",)
    assert report.invalid == ("javascript:alert(1)",)


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [BACKOFF_FIRST, 2 * BACKOFF_FIRST, 4 * BACKOFF_FIRST]
    assert backoff(50) == BACKOFF_CAP


async def test_a_failing_feed_backs_off_and_a_good_poll_resets_it(store: ArticleStore) -> None:
    feeds = FeedStore(store._sessions)
    feed = await feeds.add("https://a.example/rss")
    assert feed.state is FeedState.NEW
    for failures in (1, 2):
        await feeds.record(feed, FeedPoll(errors=[FeedAnswered(503)], failed=True))
        [feed] = await feeds.all()
        assert feed.state is FeedState.BACKING_OFF and feed.failures == failures
        assert feed.retry_at is not None and feed.last_polled_at is not None
        assert feed.retry_at - feed.last_polled_at == backoff(failures)
        assert await feeds.due() == []  # not retried at the full rate
    assert [f.id for f in await feeds.due(utcnow() + backoff(2) + timedelta(seconds=1))] == [
        feed.id
    ]
    await feeds.record(feed, FeedPoll(title="A wire"), added=3)
    await feeds.record(feed, FeedPoll(not_modified=True), added=0)
    [feed] = await feeds.all()
    assert (feed.state, feed.failures, feed.retry_at) == (FeedState.OK, 0, None)
    assert (feed.articles_added, feed.title, feed.last_error) == (3, "A wire", None)

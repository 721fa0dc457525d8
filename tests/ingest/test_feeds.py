"""Feeds polled from a local HTTP server the test runs on 127.0.0.1."""

from __future__ import annotations

import pytest

from ingest.feeds import html_text, poll_feed
from ingest.pipeline import ingest_articles
from ingest.web import FetchPolicy, http_client
from storage.articles import ArticleStore
from storage.feeds import FeedStore
from tests.support.web import LocalWeb


async def test_feed_poll_takes_full_text_and_uses_conditional_get(
    store: ArticleStore, site: LocalWeb, intranet: FetchPolicy
) -> None:
    feeds = FeedStore(store._sessions)
    feed = await feeds.add(f"{site.base}/feed.xml")
    async with http_client(intranet) as client:
        poll = await poll_feed(client, feed)
        report = await ingest_articles(store, poll.articles)
        await feeds.record(feed, poll)
        assert len(report.added) == 2 and poll.errors == []
        titles = {a.title: a for a in (await store.latest(5))[0]}
        assert "Ferry record" in titles and "Grain corridor reopens" in titles
        grain = titles["Grain corridor reopens"]
        assert "reopened on Monday" in grain.body and "Home | World" not in grain.body
        assert grain.published is not None and grain.published.isoformat() == "2026-11-03"

        [feed] = await feeds.all()
        again = await poll_feed(client, feed)
        assert again.not_modified and again.articles == []
    feed_requests = [h for path, h in site.requests if path.startswith("/feed")]
    assert feed_requests[-1].get("If-None-Match") == '"v1"'
    assert feed_requests[-1].get("If-Modified-Since") == "Tue, 03 Nov 2026 10:00:00 GMT"


async def test_broken_feeds_are_reported_not_raised(
    store: ArticleStore, site: LocalWeb, intranet: FetchPolicy
) -> None:
    feeds = FeedStore(store._sessions)
    async with http_client(intranet) as client:
        missing = await poll_feed(client, await feeds.add(f"{site.base}/nothing"))
        refused = await poll_feed(client, await feeds.add("http://127.0.0.1:9/feed"))
    assert [str(e) for e in missing.errors] == ["the server answered 404 Not Found"]
    assert missing.articles == []
    assert [str(e) for e in refused.errors] == [
        "could not fetch http://127.0.0.1:9/feed: "
        "no connection (the server is down, unknown or refuses it)"
    ]
    assert missing.failed and refused.failed


async def test_feeds_go_through_the_fetcher_that_refuses_private_addresses(
    store: ArticleStore, site: LocalWeb
) -> None:
    feeds = FeedStore(store._sessions)
    async with http_client() as client:  # the default policy: ALLOW_PRIVATE_HOSTS=false
        poll = await poll_feed(client, await feeds.add(f"{site.base}/feed.xml"))
    assert poll.articles == [] and site.requests == []
    assert [str(e) for e in poll.errors] == [
        "127.0.0.1 is a loopback address; only public web addresses are fetched"
    ]


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("<p>Baku &amp; Alat</p><p>opened</p>", "Baku & Alat opened"),
        ("Line one<br>Line two", "Line one Line two"),
        ("&lt;p&gt; is shown, <!-- not this --> kept", "<p> is shown, kept"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),  # a bare "<" is text, not the start of a tag
        ("   ", ""),
    ],
)
def test_entry_html_becomes_text_with_words_kept_apart(entry: str, text: str) -> None:
    assert " ".join(html_text(entry).split()) == text

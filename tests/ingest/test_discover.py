"""/feed add's autodiscovery against pages a local server serves on 127.0.0.1."""

from __future__ import annotations

import pytest

from engine.errors import IngestError
from ingest.discover import alternate_feeds, discover_feed
from ingest.errors import FetchRefused, NotAFeed
from ingest.web import FetchPolicy, http_client
from tests.support.web import LocalWeb


def test_alternate_links_are_read_in_page_order_and_made_absolute() -> None:
    html = (
        '<link rel="alternate" type="application/atom+xml" href="/a.atom">'
        '<LINK REL="Alternate feed" TYPE="application/rss+xml" HREF="rss">'
        '<link rel="alternate" type="text/html" href="/fr/">'
        '<link rel="alternate" type="application/rss+xml" href="">'
    )
    assert alternate_feeds(html, "https://x.example/blog/post") == [
        "https://x.example/a.atom",
        "https://x.example/blog/rss",
    ]


@pytest.mark.parametrize(
    ("path", "feed_path", "title"),
    [
        ("/rss.xml", "/rss.xml", "Harbour News"),  # a feed is taken as it is
        ("/home", "/rss.xml", "Harbour News"),  # a page linking to one
        ("/blog/", "/blog/atom", "Atom Wire"),  # relative href, type with parameters
        ("/dead", "/rss.xml", "Harbour News"),  # a dead first link: the next one
    ],
)
async def test_a_feed_or_the_feed_a_page_links_to_is_found(
    feeds_web: LocalWeb, intranet: FetchPolicy, path: str, feed_path: str, title: str
) -> None:
    async with http_client(intranet) as client:
        found = await discover_feed(client, feeds_web.base + path)
    assert (found.url, found.title) == (feeds_web.base + feed_path, title)


async def test_a_page_without_a_feed_is_refused_in_one_line(
    feeds_web: LocalWeb, intranet: FetchPolicy
) -> None:
    async with http_client(intranet) as client:
        with pytest.raises(NotAFeed) as caught:
            await discover_feed(client, f"{feeds_web.base}/portal")
        with pytest.raises(IngestError, match="answered 404 Not Found"):
            await discover_feed(client, f"{feeds_web.base}/nothing")
    assert str(caught.value) == (
        f"{feeds_web.base}/portal is neither an RSS/Atom feed nor a page that links to one"
    )


async def test_discovery_keeps_the_fetchers_private_address_rule(feeds_web: LocalWeb) -> None:
    async with http_client() as client:  # ALLOW_PRIVATE_HOSTS=false
        with pytest.raises(FetchRefused):
            await discover_feed(client, f"{feeds_web.base}/home")
    assert feeds_web.requests == []

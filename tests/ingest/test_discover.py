"""/feed add's autodiscovery against pages a local server serves on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.errors import IngestError
from ingest.discover import alternate_feeds, discover_feed
from ingest.errors import FetchRefused, NotAFeed
from ingest.web import FetchPolicy, http_client
from tests.ingest.conftest import NAVIGATION, LocalWeb, page

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>
<item><title>Ferry</title><link>http://x.example/a</link><description>Text</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Wire</title><id>urn:x</id><updated>2026-11-01T00:00:00Z</updated></feed>"""


def _home(href: str, kind: str = "application/rss+xml") -> str:
    return (
        f'<html><head><title>Home</title><link rel="stylesheet" href="/s.css">'
        f'<link rel="alternate" type="{kind}" title="News" href="{href}"></head>'
        "<body><p>Welcome</p></body></html>"
    )


@pytest.fixture
def web(serve: Callable[[str], LocalWeb]) -> LocalWeb:
    site = serve("127.0.0.1")
    site.routes["/rss.xml"] = page(RSS, "application/rss+xml")
    site.routes["/blog/atom"] = page(ATOM, "application/atom+xml")
    site.routes["/home"] = page(_home("/rss.xml"))
    site.routes["/blog/"] = page(_home("atom", "application/atom+xml; charset=utf-8"))
    site.routes["/portal"] = page(NAVIGATION)
    site.routes["/dead"] = page(_home("/missing.xml") + _home("/rss.xml"))
    return site


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
    web: LocalWeb, intranet: FetchPolicy, path: str, feed_path: str, title: str
) -> None:
    async with http_client(intranet) as client:
        found = await discover_feed(client, web.base + path)
    assert (found.url, found.title) == (web.base + feed_path, title)


async def test_a_page_without_a_feed_is_refused_in_one_line(
    web: LocalWeb, intranet: FetchPolicy
) -> None:
    async with http_client(intranet) as client:
        with pytest.raises(NotAFeed) as caught:
            await discover_feed(client, f"{web.base}/portal")
        with pytest.raises(IngestError, match="answered 404 Not Found"):
            await discover_feed(client, f"{web.base}/nothing")
    assert str(caught.value) == (
        f"{web.base}/portal is neither an RSS/Atom feed nor a page that links to one"
    )


async def test_discovery_keeps_the_fetchers_private_address_rule(web: LocalWeb) -> None:
    async with http_client() as client:  # ALLOW_PRIVATE_HOSTS=false
        with pytest.raises(FetchRefused):
            await discover_feed(client, f"{web.base}/home")
    assert web.requests == []

"""Feed autodiscovery for /feed add: the address is a feed, or a web page whose
`<link rel="alternate" type="application/rss+xml" href="…">` names one (the convention browsers
and feed readers follow). Everything is fetched through the one web fetcher (ingest.web)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from ingest.errors import BadStatus, FetchFailed, NotAFeed
from ingest.feeds import is_feed, parse_feed
from ingest.web import Fetched, WebClient

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml"}
)
MAX_CANDIDATES = 3  # links tried from one page: a page listing dozens of feeds is not fetched


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A feed address that serves a feed, and the title the feed gives itself."""

    url: str
    title: str | None


class _AlternateLinks(HTMLParser):
    """Collects the href of every `<link rel="alternate">` with a feed's type, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        found = {name: (value or "") for name, value in attrs}
        rels = found.get("rel", "").lower().split()
        kind = found.get("type", "").lower().split(";")[0].strip()
        href = found.get("href", "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href and href not in self.hrefs:
            self.hrefs.append(href)


def alternate_feeds(page: str, base: str) -> list[str]:
    """The feed addresses a page announces, made absolute against the page's address."""
    parser = _AlternateLinks()
    parser.feed(page)
    parser.close()
    return [urljoin(base, href) for href in parser.hrefs]


async def _as_feed(fetched: Fetched, url: str) -> FoundFeed | None:
    parsed = await parse_feed(fetched.content)
    if not is_feed(parsed):
        return None
    return FoundFeed(url, (parsed.feed.get("title") or "").strip() or None)


async def _get(client: WebClient, url: str) -> Fetched:
    fetched = await client.get(url)
    if fetched.status != 200:
        raise BadStatus(url, fetched.status)
    return fetched


async def discover_feed(client: WebClient, url: str) -> FoundFeed:
    """The feed at `url`, or the first feed its page links to; NotAFeed (or a FetchError)
    says why there is none."""
    fetched = await _get(client, url)
    found = await _as_feed(fetched, url)
    if found is not None:
        return found
    for candidate in alternate_feeds(fetched.text, fetched.url)[:MAX_CANDIDATES]:
        try:
            found = await _as_feed(await _get(client, candidate), candidate)
        except FetchFailed:
            continue  # a dead link among several: try the next one
        if found is not None:
            return found
    raise NotAFeed(url)

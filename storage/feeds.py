"""RSS/Atom feeds: the list of feeds, and polling one with conditional GET.

feedparser reads the feed; an entry that carries only a teaser gets its full text from the
linked page through trafilatura. ETag and Last-Modified are kept so an unchanged feed costs a
304 and nothing more.
"""

from __future__ import annotations

import asyncio
import html
import re
from calendar import timegm
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import feedparser
import httpx
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.document import parse_text_article
from engine.errors import IngestError
from engine.models import ParsedArticle
from storage.articles import utcnow
from storage.db import writing
from storage.loaders import html_to_article
from storage.models import FeedRow

TEASER_CHARS = 400
MAX_ENTRIES = 50
FETCH_TIMEOUT = 15.0
MAX_PAGE_BYTES = 5 * 1024 * 1024
USER_AGENT = "newsbot/0.1 (+feed reader)"
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed and its conditional-GET validators."""

    id: int
    url: str
    etag: str | None
    modified: str | None


@dataclass(slots=True)
class FeedPoll:
    """What one poll found."""

    articles: list[ParsedArticle] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    modified: str | None = None
    errors: list[str] = field(default_factory=list)


class FeedStore:
    """The feeds to poll."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, url: str) -> Feed:
        """Add a feed (http/https only); adding one twice is a no-op."""
        if not re.match(r"https?://[^\s/]+", url):
            raise IngestError("a feed URL must start with http:// or https://")
        try:
            async with writing(self._sessions) as session:
                session.add(FeedRow(url=url))
        except IntegrityError:
            pass
        async with self._sessions() as session:
            row = (await session.scalars(select(FeedRow).where(FeedRow.url == url))).one()
            return Feed(row.id, row.url, row.etag, row.modified)

    async def remove(self, feed_id: int) -> bool:
        """Stop polling a feed; False if there was none with that id."""
        async with writing(self._sessions) as session:
            result = await session.execute(delete(FeedRow).where(FeedRow.id == feed_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def all(self) -> list[Feed]:
        """Every feed."""
        async with self._sessions() as session:
            rows = await session.scalars(select(FeedRow).order_by(FeedRow.id))
            return [Feed(r.id, r.url, r.etag, r.modified) for r in rows]

    async def record(self, feed: Feed, poll: FeedPoll) -> None:
        """Keep the validators and the last error of a poll."""
        values: dict[str, Any] = {
            "last_polled_at": utcnow(),
            "last_error": "; ".join(poll.errors)[:500] or None,
        }
        if not poll.not_modified:
            values.update(etag=poll.etag, modified=poll.modified)
        async with writing(self._sessions) as session:
            await session.execute(update(FeedRow).where(FeedRow.id == feed.id).values(**values))


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(timegm(parsed), UTC).date()


def _entry_text(entry: Any) -> str:
    content = entry.get("content") or []
    raw = content[0].get("value", "") if content else entry.get("summary", "")
    return html.unescape(_TAG.sub(" ", raw or "")).strip()


async def fetch_page(client: httpx.AsyncClient, url: str) -> ParsedArticle:
    """One web page as an article (trafilatura), or IngestError."""
    try:
        response = await client.get(url, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise IngestError(f"could not fetch {url}: {exc.__class__.__name__}") from None
    if response.status_code != 200:
        raise IngestError(f"{url} answered HTTP {response.status_code}")
    if len(response.content) > MAX_PAGE_BYTES:
        raise IngestError(f"{url} is larger than {MAX_PAGE_BYTES // 2**20} MiB")
    return await asyncio.to_thread(
        html_to_article, response.text, source=httpx.URL(url).host, url=url
    )


async def poll_feed(client: httpx.AsyncClient, feed: Feed) -> FeedPoll:
    """Fetch a feed with conditional GET; full text for entries that are only teasers."""
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.modified:
        headers["If-Modified-Since"] = feed.modified
    try:
        response = await client.get(feed.url, headers=headers, follow_redirects=True)
    except httpx.HTTPError as exc:
        return FeedPoll(errors=[f"fetch failed: {exc.__class__.__name__}"])
    if response.status_code == 304:
        return FeedPoll(not_modified=True)
    if response.status_code != 200:
        return FeedPoll(errors=[f"HTTP {response.status_code}"])
    parsed = await asyncio.to_thread(feedparser.parse, response.content)
    poll = FeedPoll(
        etag=response.headers.get("ETag"), modified=response.headers.get("Last-Modified")
    )
    if parsed.bozo and not parsed.entries:
        poll.errors.append("not a readable RSS/Atom feed")
        return poll
    source = parsed.feed.get("title") or httpx.URL(feed.url).host
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = entry.get("link")
        text = _entry_text(entry)
        if len(text) < TEASER_CHARS and link:
            try:
                page = await fetch_page(client, link)
            except IngestError as exc:
                poll.errors.append(str(exc))
            else:
                text = page.body if len(page.body) > len(text) else text
        if not text:
            continue
        article = parse_text_article(text, source=source, url=link)
        title = (entry.get("title") or "").strip()
        poll.articles.append(
            ParsedArticle(
                title=title[:300] or article.title,
                body=article.body,
                published=_entry_date(entry),
                source=source,
                url=link,
            )
        )
    return poll


def http_client() -> httpx.AsyncClient:
    """The client feeds and /add use: timeouts, a user agent, no environment proxies."""
    return httpx.AsyncClient(
        timeout=FETCH_TIMEOUT, headers={"User-Agent": USER_AGENT}, trust_env=False
    )

"""Poll an RSS/Atom feed once with conditional GET (shared by the CLI and the feed job).

feedparser reads the feed; an entry that carries only a teaser gets its full text from the
linked page through trafilatura. ETag and Last-Modified are kept so an unchanged feed costs a
304 and nothing more. The feed and its pages are fetched through the one web fetcher
(ingest.web), so a feed cannot point the bot at a private address either.
"""

from __future__ import annotations

import asyncio
import html
import re
from calendar import timegm
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from engine.document import parse_text_article
from engine.errors import IngestError
from engine.models import ParsedArticle
from ingest.errors import FetchError
from ingest.web import WebClient, fetch_page
from storage.feeds import Feed, FeedPoll

TEASER_CHARS = 400
MAX_ENTRIES = 50
_TAG = re.compile(r"<[^>]+>")


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(timegm(parsed), UTC).date()


def _entry_text(entry: Any) -> str:
    content = entry.get("content") or []
    raw = content[0].get("value", "") if content else entry.get("summary", "")
    return html.unescape(_TAG.sub(" ", raw or "")).strip()


async def poll_feed(client: WebClient, feed: Feed) -> FeedPoll:
    """Fetch a feed with conditional GET; full text for entries that are only teasers."""
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.modified:
        headers["If-Modified-Since"] = feed.modified
    try:
        fetched = await client.get(feed.url, headers)
    except FetchError as exc:
        return FeedPoll(errors=[str(exc)])
    if fetched.status == 304:
        return FeedPoll(not_modified=True)
    if fetched.status != 200:
        return FeedPoll(errors=[f"HTTP {fetched.status}"])
    parsed = await asyncio.to_thread(feedparser.parse, fetched.content)
    poll = FeedPoll(etag=fetched.headers.get("ETag"), modified=fetched.headers.get("Last-Modified"))
    if parsed.bozo and not parsed.entries:
        poll.errors.append("not a readable RSS/Atom feed")
        return poll
    source = parsed.feed.get("title") or urlsplit(feed.url).hostname
    for entry in parsed.entries[:MAX_ENTRIES]:
        article = await _entry_article(client, entry, source, poll)
        if article is not None:
            poll.articles.append(article)
    return poll


async def _entry_article(
    client: WebClient, entry: Any, source: str | None, poll: FeedPoll
) -> ParsedArticle | None:
    """One entry as an article; a teaser gets the linked page's text (its errors go in poll)."""
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
        return None
    article = parse_text_article(text, source=source, url=link)
    title = (entry.get("title") or "").strip()
    return ParsedArticle(
        title=title[:300] or article.title,
        body=article.body,
        published=_entry_date(entry),
        source=source,
        url=link,
    )

"""Poll an RSS/Atom feed once with conditional GET (shared by the CLI and the feed job).

feedparser reads the feed; an entry that carries only a teaser gets its full text from the
linked page through trafilatura. ETag and Last-Modified are kept so an unchanged feed costs a
304 and nothing more. The feed and its pages are fetched through the one web fetcher
(ingest.web), so a feed cannot point the bot at a private address either. A poll that cannot
read the feed itself is `failed`: the store then backs the feed off.
"""

from __future__ import annotations

import asyncio
import logging
from calendar import timegm
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
import lxml.html

from engine.document import parse_text_article
from engine.errors import IngestError
from engine.models import ParsedArticle
from ingest.errors import FeedAnswered, FeedGone, FeedTooSlow, FeedUnreadable, FetchError
from ingest.pipeline import ingest_articles
from ingest.web import WebClient, fetch_page
from storage.articles import ArticleStore
from storage.feeds import Feed, FeedPoll, FeedStore

log = logging.getLogger(__name__)
TEASER_CHARS = 400
FEED_SECONDS = 90.0  # one feed's budget, its teaser pages included
CONCURRENT_FEEDS = 4  # feeds polled at once: slow ones never hold up the rest
# A whole pass starts no feed after this many seconds (the ones already polling finish within
# FEED_SECONDS): 1,000 feeds of 90 s each would otherwise take hours. Feeds not reached are
# the least recently polled, so the next pass takes them first (FeedStore.due's order).
PASS_SECONDS = 600.0
MAX_ENTRIES = 50


def _entry_date(entry: Any) -> date | None:
    """An entry's date; a date no calendar has (a MySQL zero date, year 0 after a zone
    shift) is no date."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(timegm(parsed), UTC).date()
    except (ValueError, OverflowError, OSError):
        return None


def _entry_text(entry: Any) -> str:
    content = entry.get("content") or []
    raw = content[0].get("value", "") if content else entry.get("summary", "")
    return html_text(raw or "")


def html_text(raw: str) -> str:
    """The text of an HTML fragment (entities decoded), a space between elements so words in
    neighbouring elements stay apart."""
    if not raw.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(raw, create_parent="div").itertext()).strip()


def is_feed(parsed: Any) -> bool:
    """Whether feedparser recognised an RSS/Atom document (an HTML page has no version)."""
    return bool(parsed.get("version")) and not (parsed.bozo and not parsed.entries)


async def parse_feed(content: bytes) -> Any:
    """feedparser's reading of a document, off the event loop."""
    return await asyncio.to_thread(feedparser.parse, content)


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
        return FeedPoll(errors=[exc], failed=True)
    if fetched.status == 304:
        return FeedPoll(not_modified=True)
    if fetched.status != 200:
        return FeedPoll(errors=[FeedAnswered(fetched.status)], failed=True)
    parsed = await parse_feed(fetched.content)
    if not is_feed(parsed):
        return FeedPoll(errors=[FeedGone()], failed=True)
    poll = FeedPoll(
        etag=fetched.headers.get("ETag"),
        modified=fetched.headers.get("Last-Modified"),
        title=(parsed.feed.get("title") or "").strip() or None,
    )
    source = poll.title or urlsplit(feed.url).hostname
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
            poll.errors.append(exc)
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


@dataclass(frozen=True, slots=True)
class Refresh:
    """One feed polled and stored: the poll, and how many articles were new or duplicates."""

    feed: Feed
    poll: FeedPoll
    added: tuple[int, ...]
    duplicates: int


async def refresh(
    client: WebClient, feeds: FeedStore, articles: ArticleStore, feed: Feed
) -> Refresh:
    """Poll one feed, add its new articles, and record the outcome on the feed (backoff).

    Whatever goes wrong with one feed (a value its parser or the database refuses, memory) is
    that feed's failure: recorded, backed off, shown in /feeds; the pass goes on."""
    try:
        async with asyncio.timeout(FEED_SECONDS):
            poll = await poll_feed(client, feed)
        report = await ingest_articles(articles, poll.articles)
    except TimeoutError:
        poll = FeedPoll(errors=[FeedTooSlow(FEED_SECONDS)], failed=True)
        await feeds.record(feed, poll)
        return Refresh(feed, poll, (), 0)
    except Exception as exc:
        log.exception("feed %s could not be polled", feed.url)
        poll = FeedPoll(errors=[FeedUnreadable(type(exc).__name__)], failed=True)
        await feeds.record(feed, poll)
        return Refresh(feed, poll, (), 0)
    await feeds.record(feed, poll, added=len(report.added))
    return Refresh(feed, poll, tuple(report.added), report.duplicates)


async def refresh_all(
    client: WebClient,
    feeds: FeedStore,
    articles: ArticleStore,
    due: list[Feed],
    pass_seconds: float = PASS_SECONDS,
) -> AsyncIterator[Refresh]:
    """Poll `due` feeds, CONCURRENT_FEEDS at a time, each within FEED_SECONDS; each Refresh
    as it is done (three slow teasers used to hold every later feed back a minute). No feed
    starts after `pass_seconds`: those left wait for the next pass, where they come first."""
    gate = asyncio.Semaphore(CONCURRENT_FEEDS)
    loop = asyncio.get_running_loop()
    ends = loop.time() + pass_seconds
    left: list[Feed] = []

    async def one(feed: Feed) -> Refresh | None:
        async with gate:
            if loop.time() >= ends:
                left.append(feed)
                return None
            try:
                return await refresh(client, feeds, articles, feed)
            except Exception:  # even recording its failure failed: the others still run
                log.exception("feed %s: the poll's outcome could not be recorded", feed.url)
                return None

    # Tasks started in `due`'s order: the semaphore lets them in first come, first served.
    tasks = [asyncio.create_task(one(feed)) for feed in due]
    try:
        for done in asyncio.as_completed(tasks):
            result = await done
            if result is not None:
                yield result
    finally:
        for task in tasks:
            task.cancel()
    if left:
        log.warning(
            "the feed pass reached its %g s limit: %s of %s feeds wait for the next pass",
            pass_seconds,
            len(left),
            len(due),
        )

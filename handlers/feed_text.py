"""How the team's feeds read in a chat: the /feeds list and an OPML import's report (HTML,
escaped; long lists are split by replies.send)."""

from __future__ import annotations

from datetime import datetime

from handlers.render import esc
from storage.feeds import Feed, FeedImport, FeedState

NO_FEEDS = "No feeds yet. An admin adds one with /feed add URL (a feed or a site that has one)."
SHOWN_INVALID = 5


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _state(feed: Feed) -> str:
    """The second line of a feed: when it was polled, what it added, how it is failing."""
    if feed.state is FeedState.NEW:
        return "not polled yet"
    assert feed.last_polled_at is not None
    added = f"{feed.articles_added} article{'s' if feed.articles_added != 1 else ''} added"
    line = f"polled {_when(feed.last_polled_at)} · {added}"
    if feed.state is FeedState.BACKING_OFF:
        retry = f", next try {_when(feed.retry_at)}" if feed.retry_at else ""
        line += (
            f"\n   ⚠️ failing ({feed.failures} in a row): {esc(feed.last_error or 'unknown')}"
            f"; backing off{retry}"
        )
    elif feed.last_error:
        line += f"\n   last problem: {esc(feed.last_error)}"
    return line


def feed_list(feeds: list[Feed]) -> str:
    """/feeds: each feed with its id (for /feed remove), name, address and state."""
    if not feeds:
        return NO_FEEDS
    lines = [f"📡 <b>The team's feeds</b> ({len(feeds)})"]
    for feed in feeds:
        name = f"<b>{esc(feed.title)}</b> — " if feed.title else ""
        lines.append(f"\n#{feed.id} {name}{esc(feed.url)}\n   {_state(feed)}")
    lines.append("\n<i>/feed remove N stops feed N; /export sends the list as OPML.</i>")
    return "\n".join(lines)


def import_report(report: FeedImport) -> str:
    """What an OPML import did, in plain text: added, already there, invalid (named)."""
    parts = [
        f"{len(report.added)} added",
        f"{len(report.existing)} already there",
        f"{len(report.invalid)} invalid",
    ]
    text = "OPML import: " + ", ".join(parts) + "."
    if report.invalid:
        shown = [url or "(an outline without an address)" for url in report.invalid]
        more = len(shown) - SHOWN_INVALID
        text += "\nNot web addresses: " + ", ".join(shown[:SHOWN_INVALID])
        text += f" and {more} more" if more > 0 else ""
    if report.added:
        text += "\nNew feeds are polled on the normal schedule."
    return text

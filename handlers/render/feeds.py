"""How the team's feeds read in a chat: the /feeds list (HTML, escaped), a page at a time so
each reply is one message, with ‹ Prev / Next › to the neighbouring pages."""

from __future__ import annotations

from dataclasses import dataclass

from engine.text import shorten
from handlers.render import MESSAGE_LIMIT, esc, utf16_len
from i18n import N_, _, moment, ngettext
from i18n.errors import explain
from storage.feeds import Feed, FeedState

PAGE_FEEDS = 10  # feeds on one page of /feeds, at most
# A page leaves room for the header and footer; one feed is bounded by the cuts below, so
# even a page of one feed with the longest address, title and error fits a message.
PAGE_BUDGET = MESSAGE_LIMIT - 500
URL_SHOWN, TITLE_SHOWN, ERROR_SHOWN = 300, 100, 200

NO_FEEDS = N_("No feeds yet. An admin adds one with /feed add URL (a feed or a site that has one).")


def _problem(feed: Feed) -> str:
    """The last poll's problems in the reader's language (as kept in English for older rows)."""
    if feed.problems:
        return "; ".join(explain(p) for p in feed.problems)
    return feed.last_error or ""


def _state(feed: Feed) -> str:
    """The second line of a feed: when it was polled, what it added, how it is failing."""
    if feed.state is FeedState.NEW:
        return _("not polled yet")
    assert feed.last_polled_at is not None
    count = feed.articles_added
    added = ngettext("{count} article added", "{count} articles added", count).format(count=count)
    line = _("polled {when}").format(when=moment(feed.last_polled_at)) + f" · {added}"
    if feed.state is FeedState.BACKING_OFF:
        problem = esc(shorten(_problem(feed) or _("unknown"), ERROR_SHOWN))
        failing = _("⚠️ failing ({count} in a row): {problem}; backing off").format(
            count=feed.failures, problem=problem
        )
        if feed.retry_at:
            failing += _(", next try {when}").format(when=moment(feed.retry_at))
        line += "\n   " + failing
    elif feed.last_error:
        problem = esc(shorten(_problem(feed), ERROR_SHOWN))
        line += "\n   " + _("last problem: {problem}").format(problem=problem)
    return line


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One message of /feeds and where the neighbouring pages start (None: no such page)."""

    text: str
    previous: int | None
    next: int | None


def _entry(feed: Feed) -> str:
    """One feed: its id (for /feed remove), name, address (cut: /export has it whole), state."""
    title = shorten(feed.title, TITLE_SHOWN) if feed.title else ""
    name = f"<b>{esc(title)}</b> — " if title else ""
    return f"\n#{feed.id} {name}{esc(shorten(feed.url, URL_SHOWN))}\n   {_state(feed)}"


def _fill(entries: list[str], order: range) -> int:
    """How many entries, taken in `order`, fit one page (at least one)."""
    taken = used = 0
    for index in order:
        used += utf16_len(entries[index]) + 1
        if taken and (taken == PAGE_FEEDS or used > PAGE_BUDGET):
            break
        taken += 1
    return taken


def feed_page(feeds: list[Feed], offset: int) -> FeedPage:
    """/feeds from the `offset`-th feed: as many as fit one message (at most PAGE_FEEDS)."""
    if not feeds:
        return FeedPage(_(NO_FEEDS), None, None)
    offset = min(max(offset, 0), len(feeds) - 1)
    entries = [_entry(feed) for feed in feeds]
    shown = _fill(entries, range(offset, len(entries)))
    before = _fill(entries, range(offset - 1, -1, -1)) if offset else 0
    lines = [
        _("📡 <b>The team's feeds</b> ({count})").format(count=len(feeds)),
        *entries[offset : offset + shown],
        "\n<i>" + _("/feed remove N stops feed N; /export sends the list as OPML.") + "</i>",
    ]
    following = offset + shown if offset + shown < len(feeds) else None
    return FeedPage("\n".join(lines), offset - before if offset else None, following)

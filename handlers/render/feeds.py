"""How the team's feeds read in a chat: the /feeds list (HTML, escaped; long lists are
split by replies.send)."""

from __future__ import annotations

from handlers.render import esc
from i18n import N_, _, moment, ngettext
from storage.feeds import Feed, FeedState

NO_FEEDS = N_("No feeds yet. An admin adds one with /feed add URL (a feed or a site that has one).")


def _state(feed: Feed) -> str:
    """The second line of a feed: when it was polled, what it added, how it is failing."""
    if feed.state is FeedState.NEW:
        return _("not polled yet")
    assert feed.last_polled_at is not None
    count = feed.articles_added
    added = ngettext("{count} article added", "{count} articles added", count).format(count=count)
    line = _("polled {when}").format(when=moment(feed.last_polled_at)) + f" · {added}"
    if feed.state is FeedState.BACKING_OFF:
        problem = esc(feed.last_error or _("unknown"))
        failing = _("⚠️ failing ({count} in a row): {problem}; backing off").format(
            count=feed.failures, problem=problem
        )
        if feed.retry_at:
            failing += _(", next try {when}").format(when=moment(feed.retry_at))
        line += "\n   " + failing
    elif feed.last_error:
        line += "\n   " + _("last problem: {problem}").format(problem=esc(feed.last_error))
    return line


def feed_list(feeds: list[Feed]) -> str:
    """/feeds: each feed with its id (for /feed remove), name, address and state."""
    if not feeds:
        return _(NO_FEEDS)
    lines = [_("📡 <b>The team's feeds</b> ({count})").format(count=len(feeds))]
    for feed in feeds:
        name = f"<b>{esc(feed.title)}</b> — " if feed.title else ""
        lines.append(f"\n#{feed.id} {name}{esc(feed.url)}\n   {_state(feed)}")
    lines.append(
        "\n<i>" + _("/feed remove N stops feed N; /export sends the list as OPML.") + "</i>"
    )
    return "\n".join(lines)

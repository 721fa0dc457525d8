"""The team's feeds, for the chat (/feed, /feeds, /export, an OPML document) and the CLI
(`python -m bot feeds …`): the same rules for adding (a feed, or a page that announces one),
removing, importing and exporting OPML, and polling by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from engine.errors import NewsbotError
from engine.numbers import parse_int
from engine.opml import OpmlFeed, parse_opml, write_opml
from i18n import N_, _, ngettext
from ingest.discover import discover_feed
from ingest.errors import short_url
from ingest.feeds import Refresh, refresh_all
from ingest.web import FetchPolicy, http_client
from storage.articles import ArticleStore
from storage.feeds import MAX_FEED_ID, Feed, FeedImport, FeedStore, check_feed_url

SHOWN_INVALID = 5  # invalid addresses named in an import's report
# A bounded list keeps /feeds readable and a poll pass short: at most MAX_FEEDS in all, and at
# most MAX_IMPORT new ones from one OPML file (send it again for the next ones).
MAX_FEEDS = 1000
MAX_IMPORT = 200


class FeedListFull(NewsbotError):
    """The feed list holds MAX_FEEDS feeds: a new one needs one removed first."""

    message = N_("The feed list is full ({limit} feeds); remove one before adding another.")

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit)


@dataclass(frozen=True, slots=True)
class Added:
    """A feed asked for: the one added, or the one already on the list (`new` is False)."""

    feed: Feed | None
    url: str
    new: bool


async def add(feeds: FeedStore, policy: FetchPolicy, url: str, *, check: bool = True) -> Added:
    """Add the feed at `url`, or the feed a page at `url` announces (fetched under `policy`:
    NotAFeed and FetchError explain why not). `check=False` adds the address as given,
    unfetched (a feed that is down today; IngestError for what is no web address)."""
    check_feed_url(url)  # the store's one line on what a feed address must be
    if await feeds.count() >= MAX_FEEDS:
        raise FeedListFull(MAX_FEEDS)
    if check:
        async with http_client(policy) as client:
            found = await discover_feed(client, url)
        url, title = found.url, found.title
        check_feed_url(url)  # a page may announce an address no feed list keeps
    else:
        title = None
    report = await feeds.add_many([(url, title)])
    if report.added:
        return Added(report.added[0], url, True)
    return Added(await feeds.find(url), url, False)


async def remove(feeds: FeedStore, number: str) -> int | None:
    """Remove feed `number` (ASCII digits as typed); its id, or None if there is no such feed."""
    feed_id = parse_int(number, 1, MAX_FEED_ID)
    if feed_id is not None and await feeds.remove(feed_id):
        return feed_id
    return None


async def import_opml(feeds: FeedStore, document: bytes) -> FeedImport:
    """Add the feeds of an OPML document, at most MAX_IMPORT new ones and MAX_FEEDS in all
    (InvalidOpml; addresses checked, nothing fetched; the report counts those left out)."""
    entries = [(e.url, e.title) for e in parse_opml(document)]
    room = min(MAX_IMPORT, MAX_FEEDS - await feeds.count())
    return await feeds.add_many(entries, room=room)


async def export_opml(feeds: FeedStore) -> tuple[bytes, int]:
    """The team's feeds as an OPML document, and how many it lists."""
    found = await feeds.all()
    return write_opml(OpmlFeed(f.url, f.title) for f in found), len(found)


async def poll_all(
    feeds: FeedStore, articles: ArticleStore, policy: FetchPolicy
) -> AsyncIterator[tuple[Feed, Refresh]]:
    """Poll every feed now, backing off or not (by hand), under `policy`; each as it is done.
    The least recently polled go first, as in the job, so a pass cut short resumes there."""
    every = sorted(
        await feeds.all(), key=lambda f: (f.last_polled_at is not None, f.last_polled_at or 0, f.id)
    )
    async with http_client(policy) as client:
        async for done in refresh_all(client, feeds, articles, every):
            yield done.feed, done


def import_report(report: FeedImport) -> str:
    """What an OPML import did, in plain text: added, already there, invalid (named)."""
    text = _("OPML import: {added} added, {existing} already there, {invalid} invalid.").format(
        added=len(report.added), existing=len(report.existing), invalid=len(report.invalid)
    )
    if report.invalid:
        shown = [short_url(url) or _("(an outline without an address)") for url in report.invalid]
        more = len(shown) - SHOWN_INVALID
        listed = ", ".join(shown[:SHOWN_INVALID])
        text += "\n" + _("Not web addresses: {addresses}").format(addresses=listed)
        text += _(" and {count} more").format(count=more) if more > 0 else ""
    if report.left_out:
        text += "\n" + ngettext(
            "{count} new feed was left out: one import adds at most {per_import}, and the list "
            "holds at most {total}.",
            "{count} new feeds were left out: one import adds at most {per_import}, and the list "
            "holds at most {total}.",
            report.left_out,
        ).format(count=report.left_out, per_import=MAX_IMPORT, total=MAX_FEEDS)
    if report.added:
        text += "\n" + _("New feeds are polled on the normal schedule.")
    return text

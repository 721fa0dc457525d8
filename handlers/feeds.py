"""The team's feeds from the chat: /feeds (anyone let in), /feed add|remove, OPML import (a
document) and /export (admins for writes, through handlers.access's gate; reads for all)."""

from __future__ import annotations

from telegram import Update

from engine.errors import ID_CHARS
from engine.numbers import is_ascii_int
from engine.opml import MAX_OPML_BYTES
from engine.text import shorten
from engine.urls import is_web_url
from handlers import render
from handlers.access import require_admin
from handlers.context import NewsContext
from handlers.render import callbacks
from handlers.render import feeds as feed_text
from handlers.replies import pressed, send, usage
from i18n import N_, _, ngettext
from ingest.errors import short_url
from services import feeds as feed_service

USAGE = N_(
    "Usage: /feed add URL (a feed, or a site that links to one) | /feed remove N (see /feeds)"
)
EXPORT_NAME = "newsbot-feeds.opml"
TOO_LARGE = N_("That OPML file is larger than {size} KiB; please split it.")


async def _plain(update: Update, text: str) -> None:
    """A reply shown as typed (addresses from users may hold < and &)."""
    if update.effective_message:
        await update.effective_message.reply_text(text, parse_mode=None)


async def feeds(update: Update, context: NewsContext) -> None:
    """/feeds: the team's feeds with their state (polled, articles added, failing, backoff),
    a page at a time."""
    await _send_page(update, context, 0, edit=False)


async def feeds_page(update: Update, context: NewsContext) -> None:
    """‹ Prev / Next › under /feeds."""
    parsed = await pressed(update)
    if parsed is None or update.callback_query is None:
        return
    await update.callback_query.answer()
    await _send_page(update, context, int(parsed.args[0]), edit=True)


async def _send_page(update: Update, context: NewsContext, offset: int, edit: bool) -> None:
    page = feed_text.feed_page(await context.feeds.all(), offset)
    prev_data, next_data = callbacks.page_buttons("feeds", page.previous, page.next)
    markup = render.results_keyboard([], prev_data, next_data, 0)
    await send(update, page.text, markup, edit=edit)


async def feed(update: Update, context: NewsContext) -> None:
    """/feed add URL | /feed remove N."""
    args = context.args or []
    action = args[0].lower() if args else ""
    if len(args) == 2 and action == "add" and is_web_url(args[1]):
        if await require_admin(update, context):
            await _add(update, context, args[1])
    elif len(args) == 2 and action == "remove" and is_ascii_int(args[1]):
        if await require_admin(update, context):
            await _remove(update, context, args[1])
    else:
        await usage(update, _(USAGE))


async def _add(update: Update, context: NewsContext, url: str) -> None:
    """Find the feed (the address itself, or the page's announced feed) and add it."""
    added = await feed_service.add(context.feeds, context.fetch_policy, url)
    url = short_url(added.url)  # an address may be 2,000 characters: echoed cut (/feeds has it)
    if added.new and added.feed is not None:
        name = f"{added.feed.title} " if added.feed.title else ""
        text = _("Added feed #{number}: {name}({url}). It is polled on schedule.")
        await _plain(update, text.format(number=added.feed.id, name=name, url=url))
    elif added.feed is not None:
        text = _("Feed #{number} is already on the list: {url}")
        await _plain(update, text.format(number=added.feed.id, url=url))
    else:
        await _plain(update, _("That feed is already on the list: {url}").format(url=url))


async def _remove(update: Update, context: NewsContext, number: str) -> None:
    feed_id = await feed_service.remove(context.feeds, number)
    if feed_id is not None:
        text = _("Removed feed #{number}; its articles stay in the corpus.")
        await usage(update, text.format(number=feed_id))
    else:
        text = _("There is no feed #{number}; /feeds lists them.")
        await usage(update, text.format(number=shorten(number, ID_CHARS)))


async def export(update: Update, context: NewsContext) -> None:
    """/export: the team's feeds as an OPML document."""
    message = update.effective_message
    document, count = await feed_service.export_opml(context.feeds)
    if message is None:
        return
    if not count:
        await usage(update, _(feed_text.NO_FEEDS))
        return
    await message.reply_document(
        document,
        filename=EXPORT_NAME,
        caption=ngettext("{count} feed as OPML", "{count} feeds as OPML", count).format(
            count=count
        ),
    )


async def opml_document(update: Update, context: NewsContext) -> None:
    """An .opml file sent to the bot: an admin's import (addresses checked, nothing fetched)."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    if not await require_admin(update, context):
        return
    if (message.document.file_size or 0) > MAX_OPML_BYTES:
        await usage(update, _(TOO_LARGE).format(size=MAX_OPML_BYTES // 1024))
        return
    file = await message.document.get_file()
    document = bytes(await file.download_as_bytearray())
    report = await feed_service.import_opml(context.feeds, document)  # InvalidOpml: one line
    await _plain(update, feed_service.import_report(report))

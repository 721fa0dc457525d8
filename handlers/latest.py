"""/latest [N] and its paging buttons."""

from __future__ import annotations

from telegram import Update

from engine.numbers import parse_int
from handlers import render
from handlers.context import NewsContext
from handlers.render import callbacks
from handlers.replies import pressed, send, usage
from i18n import N_, _
from services import search as searching
from services.search import MAX_LATEST

USAGE = N_("Usage: /latest [N], N from 1 to {max}")


def _button(offset: int | None, limit: int) -> str | None:
    """A page button's data: the page size rides along, so /latest 2 pages by 2 throughout."""
    return None if offset is None else callbacks.callback("latest", offset, limit)


async def _send_page(
    update: Update, context: NewsContext, limit: int, offset: int, edit: bool
) -> None:
    found = await searching.latest(
        context.articles, limit=limit, offset=offset, stories=context.stories
    )
    pages = found.pages
    prev_data, next_data = _button(pages.previous, limit), _button(pages.next, limit)
    markup = render.results_keyboard(
        found.articles, prev_data, next_data, pages.offset + 1, found.stories.keys()
    )
    text = render.latest_list(found.articles, pages.offset, found.stories)
    await send(update, text, markup, edit=edit)


async def latest(update: Update, context: NewsContext) -> None:
    """/latest [N]: the newest articles, with Summary buttons and paging."""
    args = context.args or []
    limit = parse_int(args[0], 1, MAX_LATEST) if len(args) == 1 else context.page_size_for(update)
    if len(args) > 1 or limit is None:
        await usage(update, _(USAGE).format(max=MAX_LATEST))
        return
    await _send_page(update, context, limit, 0, edit=False)


async def latest_page(update: Update, context: NewsContext) -> None:
    """‹ Prev / Next › under /latest."""
    parsed = await pressed(update)
    if parsed is None or update.callback_query is None:
        return
    await update.callback_query.answer()
    offset, size = parsed.args
    limit = parse_int(size, 1, MAX_LATEST) if size else context.page_size_for(update)
    await _send_page(
        update, context, limit or context.page_size_for(update), int(offset or 0), edit=True
    )

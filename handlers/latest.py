"""/latest [N] and its paging buttons."""

from __future__ import annotations

from telegram import Update

from engine.numbers import parse_int
from handlers import render
from handlers.commands import is_group
from handlers.context import NewsContext
from handlers.replies import pressed, send, usage
from handlers.search import GROUP_PAGE_SIZE, MAX_OFFSET
from i18n import N_, _

MAX_LATEST = 10
USAGE = N_("Usage: /latest [N], N from 1 to {max}")


async def _send_page(
    update: Update, context: NewsContext, limit: int, offset: int, edit: bool
) -> None:
    articles, more = await context.articles.latest(limit, offset)
    prev_data = render.callback("latest", max(0, offset - limit)) if offset else None
    next_data = (
        render.callback("latest", offset + limit) if more and offset + limit <= MAX_OFFSET else None
    )
    markup = render.results_keyboard(articles, prev_data, next_data, offset + 1)
    await send(update, render.latest_list(articles, offset), markup, edit=edit)


async def latest(update: Update, context: NewsContext) -> None:
    """/latest [N]: the newest articles, with Summary buttons and paging."""
    args = context.args or []
    default = GROUP_PAGE_SIZE if is_group(update) else context.page_size
    limit = parse_int(args[0], 1, MAX_LATEST) if len(args) == 1 else default
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
    size = GROUP_PAGE_SIZE if is_group(update) else context.page_size
    await _send_page(update, context, size, min(int(parsed.args[0]), MAX_OFFSET), edit=True)

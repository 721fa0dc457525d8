"""/search WORDS, its paging buttons, and plain text in private chats."""

from __future__ import annotations

from telegram import Update

from handlers import render
from handlers.commands import is_group
from handlers.context import NewsContext
from handlers.replies import pressed, send, usage
from i18n import _

GROUP_PAGE_SIZE = 3
MAX_OFFSET = 200


def _page_size(update: Update, context: NewsContext) -> int:
    return GROUP_PAGE_SIZE if is_group(update) else context.page_size


async def _send_page(
    update: Update, context: NewsContext, query: str, offset: int, edit: bool
) -> None:
    limit = _page_size(update, context)
    page = await context.articles.search(query, limit=limit, offset=offset)
    next_offset = offset + limit
    more = page.has_more and next_offset <= MAX_OFFSET
    key = await context.paging.remember(query) if offset or more else ""
    prev_data = render.callback("search", key, max(0, offset - limit)) if offset else None
    next_data = render.callback("search", key, next_offset) if more else None
    text = render.search_results(page, compact=is_group(update))
    articles = [hit.article for hit in page.hits]
    markup = render.results_keyboard(articles, prev_data, next_data, offset + 1)
    await send(update, text, markup, edit=edit)


async def search(update: Update, context: NewsContext) -> None:
    """/search WORDS: the best matches, typo-tolerant, with paging and Summary buttons."""
    query = " ".join(context.args or []).strip()
    if not query:
        await usage(update, _("Usage: /search WORDS, e.g. /search ECO summit"))
        return
    await _send_page(update, context, query, 0, edit=False)


async def private_text(update: Update, context: NewsContext) -> None:
    """Plain text in a private chat is a search."""
    if update.effective_message and update.effective_message.text:
        await _send_page(update, context, update.effective_message.text.strip(), 0, edit=False)


async def search_page(update: Update, context: NewsContext) -> None:
    """‹ Prev / Next › under search results."""
    parsed = await pressed(update)
    query = update.callback_query
    if parsed is None or query is None:
        return
    text = await context.paging.recall(parsed.args[0])
    if text is None:
        await query.answer(_("This list has expired: please search again."))
        return
    await query.answer()
    await _send_page(update, context, text, min(int(parsed.args[1]), MAX_OFFSET), edit=True)

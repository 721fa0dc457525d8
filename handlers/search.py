"""/search WORDS, its paging buttons, and plain text in private chats."""

from __future__ import annotations

from telegram import Update

from handlers import render
from handlers.context import NewsContext, is_group
from handlers.render import callbacks
from handlers.replies import pressed, send, usage
from i18n import _
from services import search as searching


async def _send_page(
    update: Update, context: NewsContext, query: str, offset: int, edit: bool
) -> None:
    found = await searching.search(
        context.articles,
        context.paging,
        query,
        limit=context.page_size_for(update),
        offset=offset,
        stories=context.stories,
    )
    pages = found.pages
    prev_data, next_data = callbacks.page_buttons("search", pages.previous, pages.next, found.key)
    articles = [hit.article for hit in found.page.hits]
    text = render.search_results(found.page, compact=is_group(update), stories=found.stories)
    markup = render.results_keyboard(
        articles, prev_data, next_data, pages.offset + 1, found.stories.keys()
    )
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
    text = await searching.recall(context.paging, parsed.args[0])
    if text is None:
        await query.answer(_("This list has expired: please search again."))
        return
    await query.answer()
    await _send_page(update, context, text, int(parsed.args[1]), edit=True)

"""/summary ID|WORDS [N] and the 📄 buttons under results."""

from __future__ import annotations

from telegram import Update

from engine.summary import MAX_SENTENCES
from handlers import render
from handlers.context import NewsContext
from handlers.replies import pressed, send, usage
from i18n import N_, _
from services import summaries

USAGE = N_("Usage: /summary ID or /summary WORDS, optionally followed by N (1–{max}) sentences")


async def summary(update: Update, context: NewsContext) -> None:
    """/summary ID|WORDS [N]: an extractive summary with title, date and source."""
    request = summaries.parse_request(context.args or [])
    if request is None:
        await usage(update, _(USAGE).format(max=MAX_SENTENCES))
        return
    article, result = await summaries.summarize(context.articles, request)
    await send(update, render.summary_message(article, result))


async def summary_button(update: Update, context: NewsContext) -> None:
    """📄 N under a result list: that article's summary, as a new message."""
    parsed = await pressed(update)
    if parsed is None or update.callback_query is None:
        return
    await update.callback_query.answer()
    article, result = await summaries.of_article(context.articles, int(parsed.args[0]))
    await send(update, render.summary_message(article, result))

"""/add URL: an admin adds one web page to the corpus (subscribers get it as new)."""

from __future__ import annotations

from telegram import Update

from engine.urls import is_web_url
from handlers import render
from handlers.access import require_admin
from handlers.context import NewsContext
from handlers.replies import usage
from i18n import N_, _
from ingest.web import fetch_page, http_client

USAGE = N_("Usage: /add https://example.com/article")


async def add(update: Update, context: NewsContext) -> None:
    """/add URL: fetch the page, keep its main text, add it to the corpus."""
    args = context.args or []
    if len(args) != 1 or not is_web_url(args[0]):
        await usage(update, _(USAGE))
        return
    if not await require_admin(update, context):
        return
    async with http_client(context.fetch_policy) as client:
        article = await fetch_page(client, args[0])
    result = await context.articles.add([article])
    if result.added:
        text = _("Added #{number}: {title}")
        await usage(
            update, text.format(number=result.added[0], title=render.esc(article.title[:200]))
        )
    else:
        await usage(update, _("That article is already in the corpus."))

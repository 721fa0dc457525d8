"""/trend WORDS [days]: a bar chart of how many articles mention the words per day (per week
for long periods), sent as a photo; an empty result is a line, not an empty chart."""

from __future__ import annotations

import asyncio

from telegram import Update

from engine.trends import DEFAULT_DAYS, MAX_DAYS, Trend
from handlers import render
from handlers.context import NewsContext
from handlers.replies import usage
from i18n import N_, _
from services import charts, trends

USAGE = N_("Usage: /trend WORDS [days] (days from 1 to {max}, default {default})")


def nothing_found(trend: Trend) -> str:
    """The line that replaces an empty chart."""
    words = render.esc(" ".join(trend.words))
    return _("No article of the last {days} days mentions “{words}”.").format(
        days=trend.days, words=words
    )


async def trend(update: Update, context: NewsContext) -> None:
    """/trend WORDS [days]: the chart with its title as caption, or one line if none match."""
    request = trends.parse_request(context.args or [])
    message = update.effective_message
    if request is None or message is None:
        await usage(update, _(USAGE).format(max=MAX_DAYS, default=DEFAULT_DAYS))
        return
    found = await trends.mentions(context.articles, request)
    if not found.total:
        await usage(update, nothing_found(found))
        return
    png = await asyncio.to_thread(charts.render_png, found)  # ~0.1 s of drawing off the loop
    await message.reply_photo(png, caption=render.esc(charts.title(found)))

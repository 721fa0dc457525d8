"""/story N and the 🗞 buttons under results: every source of a story with its link, and one
summary of the story."""

from __future__ import annotations

from telegram import Update

from engine.numbers import story_id
from handlers.context import NewsContext
from handlers.render.stories import story_message
from handlers.replies import pressed, send, usage
from i18n import N_, _
from services import stories

USAGE = N_("Usage: /story N, the number of a story (🗞 under results)")


async def story(update: Update, context: NewsContext) -> None:
    """/story N: the story's summary and every source, newest first."""
    args = context.args or []
    number = story_id(args[0]) if len(args) == 1 else None  # StoryNotFound: a polite line
    if number is None:
        await usage(update, _(USAGE))
        return
    await send(update, story_message(await stories.view(context.stories, number)))


async def story_button(update: Update, context: NewsContext) -> None:
    """🗞 N under a result list: that result's story, as a new message."""
    parsed = await pressed(update)
    if parsed is None or update.callback_query is None:
        return
    await update.callback_query.answer()
    number = story_id(parsed.args[0])
    if number is None:  # the button's pattern allows digits only: never here
        return
    await send(update, story_message(await stories.view(context.stories, number)))

"""Which language replies are in: before every other handler, the chat's choice (`/language`)
or else the user's Telegram language; and `/language` itself."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

import i18n
from engine.errors import ID_CHARS
from engine.text import shorten
from handlers import render
from handlers.access import asks_me, may_change
from handlers.context import NewsContext
from handlers.replies import usage
from i18n import N_, _

log = logging.getLogger(__name__)
LANGUAGE_GROUP = -2  # before the gate (-1): even an outsider is told no in their language
AUTO = ("auto", "off")
USAGE = N_(
    "Usage: /language xx to reply in one language here ({languages}), "
    "or /language auto to follow each person's Telegram language."
)


async def choose(update: Update, context: NewsContext) -> None:
    """Reply in the chat's chosen language, else the user's; dates in the chat's time zone.

    The chat's choice is read only for requests (a message to the bot, a button, a file such
    as an OPML list), never for group chatter the bot ignores, and read each time: another
    instance may have changed it.
    """
    user, chat = update.effective_user, update.effective_chat
    chosen, zone = None, "UTC"
    message = update.message
    asked = update.callback_query is not None or (
        message is not None
        and (asks_me(message, context.bot.username) or message.document is not None)
    )
    if chat is not None and asked:
        try:
            chosen, zone = await context.subscriptions.speech(chat.id)
        except Exception:
            # The store is down: answer anyway, in the user's language. Raised here, it would
            # reach the error handler (an apology) and the handler after it would still answer;
            # commands that need no database would apologise for nothing.
            log.warning("could not read the language of chat %s", chat.id, exc_info=True)
    i18n.speak(chosen or (user.language_code if user else None), zone)


def install(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Put the language choice in front of every handler (once)."""
    installed = app.handlers.get(LANGUAGE_GROUP, [])
    if not any(isinstance(h, TypeHandler) and h.callback is choose for h in installed):
        app.add_handler(TypeHandler(Update, choose), group=LANGUAGE_GROUP)


def _listed() -> str:
    return ", ".join(f"{code} ({i18n.language_name(code)})" for code in i18n.languages())


async def language(update: Update, context: NewsContext) -> None:
    """/language [xx|auto]: show or set the language of this chat's replies and digests."""
    args, chat = context.args or [], update.effective_chat
    if chat is None:
        return
    if not args:
        chosen, _zone = await context.subscriptions.speech(chat.id)
        now = i18n.language_name(i18n.current().language)
        if chosen:
            text = _("Replies here are in {language}, chosen for this chat.")
        else:
            text = _("Replies here are in {language}, from your Telegram settings.")
        await usage(update, text.format(language=now) + "\n" + _(USAGE).format(languages=_listed()))
        return
    wanted = args[0].lower() if len(args) == 1 else ""
    code = i18n.supported(wanted) if len(wanted) <= 16 else None
    if wanted not in AUTO and code is None:
        text = _("There is no language “{typed}” here: choose one of {languages}, or auto.")
        typed = render.esc(shorten(" ".join(args), ID_CHARS))
        await usage(update, text.format(typed=typed, languages=_listed()))
        return
    if not await may_change(update, context):
        return
    await context.subscriptions.set_language(chat.id, code if wanted not in AUTO else None)
    if wanted in AUTO:
        user = update.effective_user
        with i18n.using(user.language_code if user else None, i18n.current().timezone):
            await usage(update, _("Replies here now follow each person's Telegram language."))
        return
    with i18n.using(code, i18n.current().timezone):
        text = _("Replies and digests here are now in {language}.")
        await usage(update, text.format(language=i18n.language_name(code or "")))

"""The one error handler: domain errors become their sentence; the rest is logged, and the user
gets an apology, never a traceback."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError

from engine.errors import NewsbotError
from handlers.context import NewsContext
from i18n import N_, _
from i18n.errors import explain

log = logging.getLogger(__name__)
APOLOGY = N_("Sorry, something went wrong on my side. Please try again.")


async def on_error(update: object, context: NewsContext) -> None:
    """Translate domain errors into replies; log anything else with the update that caused it."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update: %r", error, exc_info=error)
        return
    if isinstance(error, RetryAfter):
        # Telegram holds this chat back for longer than a reply may wait: the reply is dropped
        # (answering now would only hit the same 429); other chats are not affected.
        chat = update.effective_chat.id if update.effective_chat else None
        log.info("reply to chat %s dropped: Telegram asked to wait %s", chat, error.retry_after)
        return
    if isinstance(error, NewsbotError):
        text = explain(error)
    else:
        log.error("error while handling update %s", update.to_dict(), exc_info=error)
        if isinstance(error, Forbidden):
            return  # the chat blocked us: nobody to tell
        text = _(APOLOGY)
    if update.callback_query:
        # It may have been answered already; a second answer fails harmlessly.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(text[:200])
    if update.effective_message:
        try:
            await update.effective_message.reply_text(text, parse_mode=None)
        except Exception:  # the error handler itself must never raise
            log.warning("could not tell the user about an error", exc_info=True)

"""Sending replies: split to Telegram's limit, or edit the message whose button was pressed."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from handlers import render
from handlers.render import callbacks
from i18n import _


async def send(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = False
) -> None:
    """Reply with `text` (in parts if longer than a message); buttons go on the last part."""
    parts = render.split_message(text)
    if edit and update.callback_query and len(parts) == 1:
        try:
            await update.callback_query.edit_message_text(parts[0], reply_markup=markup)
        except BadRequest as exc:
            # A double tap asks for the page already shown: nothing to change, nothing wrong.
            if "not modified" not in exc.message.lower():
                raise
        return
    message = update.effective_message
    if message is None:
        return
    for i, part in enumerate(parts):
        await message.reply_text(part, reply_markup=markup if i == len(parts) - 1 else None)


async def usage(update: Update, line: str) -> None:
    """A one-line usage reply."""
    if update.effective_message:
        await update.effective_message.reply_text(line)


async def pressed(update: Update) -> callbacks.Callback | None:
    """The pressed button's data, validated; forged or stale data gets a polite answer."""
    query = update.callback_query
    if query is None:
        return None
    parsed = callbacks.parse_callback(query.data)
    if parsed is None or update.effective_chat is None:
        await query.answer(_("That button is no longer valid."))
        return None
    return parsed

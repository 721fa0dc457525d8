"""Sending replies: split to Telegram's limit, or edit the message whose button was pressed."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from handlers import render


async def send(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = False
) -> None:
    """Reply with `text` (in parts if longer than a message); buttons go on the last part."""
    parts = render.split_message(text)
    if edit and update.callback_query and len(parts) == 1:
        await update.callback_query.edit_message_text(parts[0], reply_markup=markup)
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

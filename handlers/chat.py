"""Who may do what: the one gate every handler relies on.

Groups: only a chat's administrators change its subscriptions or add to the corpus.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from handlers.commands import is_group
from handlers.context import NewsContext
from handlers.replies import usage

ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def may_change(update: Update, context: NewsContext) -> bool:
    """Anyone in a private chat; only administrators in groups (members are told politely)."""
    if not is_group(update):
        return True
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return False
    if (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return True  # an anonymous administrator, posting as the group
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        await usage(update, "I couldn't check who the admins are here; please try again later.")
        return False
    if member.status in ADMIN_STATUSES:
        return True
    text = "Only this group's admins can do that here."
    if update.callback_query:
        await update.callback_query.answer(text)
    else:
        await usage(update, text)
    return False

"""The Telegram Channel for delivery: a digest rendered as one HTML message with its buttons
(in the chat's language, else its subscriber's; dates in the chat's zone), sent with
send_message, and Telegram's answer read as an Outcome."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import httpx
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

import i18n
from delivery.channel import Sent
from delivery.rounds import Outcome
from handlers.render.digest import digest_message
from storage.outcomes import Delivery

log = logging.getLogger(__name__)
SEND_READ_TIMEOUT = 30.0  # generous: a slow answer is better than an unknown outcome
# The transport's errors (python-telegram-bot chains httpx's) for a request that surely never
# reached Telegram: safe to send again.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

# rate_limit_args of a digest's send: a 429 (or a chat known to be blocked) is answered at
# once, never waited out in the limiter; delivery stores the wait on the chat's rows.
NO_RETRIES = -1

Digest = tuple[str, InlineKeyboardMarkup | None]


def retry_seconds(error: RetryAfter) -> float:
    """A 429's wait in seconds (python-telegram-bot gives an int or a timedelta)."""
    wait: int | float | timedelta = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class TelegramChannel:
    """Digests as Telegram messages through one bot."""

    def __init__(self, bot: ExtBot[Any]) -> None:
        self.bot = bot

    async def render(self, delivery: Delivery) -> Digest:
        """The digest's HTML and buttons, in the subscriber's language and zone."""
        sub = delivery.subscription
        with i18n.using(sub.language, sub.timezone):
            return digest_message(sub.keywords, sub.id, delivery.articles)

    async def send(self, delivery: Delivery, message: Digest) -> Sent:
        """One send_message; what Telegram said, as an Outcome."""
        sub, (text, markup) = delivery.subscription, message
        try:
            await self.bot.send_message(
                sub.target,
                text,
                message_thread_id=sub.thread_id if sub.deliver_to is None else None,
                disable_notification=sub.silent,
                reply_markup=markup,
                read_timeout=SEND_READ_TIMEOUT,
                rate_limit_args=NO_RETRIES if self.bot.rate_limiter else None,
            )
        except RetryAfter as exc:
            return Sent(Outcome.POSTPONED, retry_after=retry_seconds(exc))
        except Forbidden:
            return Sent(Outcome.BLOCKED)
        except ChatMigrated as exc:
            return Sent(Outcome.MIGRATED, new_chat_id=exc.new_chat_id)
        except BadRequest as exc:
            log.warning("digest for subscription %s refused: %s", sub.id, exc.message)
            return Sent(Outcome.FAILED)
        except NetworkError as exc:  # TimedOut is a NetworkError
            if isinstance(exc.__cause__, NOT_SENT):
                return Sent(Outcome.RELEASED)
            return Sent(Outcome.UNKNOWN)
        except Exception:
            log.exception("digest for subscription %s failed", sub.id)
            return Sent(Outcome.RELEASED)
        return Sent(Outcome.SENT)

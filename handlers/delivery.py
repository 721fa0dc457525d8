"""Delivering digests from the outbox: rate-limited, 429-aware, 403-aware, exactly once.

One round: queue new articles for matching subscriptions (fan-out), then send what is due. A
digest's rows are claimed (committed) before the request and marked sent after it, so a crash
at any point either redoes a digest that never reached Telegram or finds it already sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from engine.models import Article
from handlers import render
from handlers.ratelimit import NO_RETRIES
from storage.articles import ArticleStore
from storage.subscriptions import Delivery, SubscriptionStore

log = logging.getLogger(__name__)
CONCURRENT_SENDS = 8  # enough to keep ~30 msg/s going at real network latency


@dataclass(slots=True)
class RoundReport:
    """What one delivery round did."""

    queued: int = 0
    sent: int = 0
    postponed: int = 0
    blocked: int = 0
    failed: int = 0
    chats: list[int] = field(default_factory=list)


async def first_lines(
    articles: ArticleStore, items: Sequence[Article], cache: dict[int, str] | None = None
) -> list[str]:
    """One summary sentence per article, for digest lines (`cache` shares them in a round)."""
    cache = {} if cache is None else cache
    for article in items:
        if article.id not in cache:
            summary = await articles.summary(article)
            cache[article.id] = summary.sentences[0] if summary.sentences else article.title
    return [cache[a.id] for a in items]


def due_day(delivery: Delivery, now: datetime) -> tuple[bool, str | None]:
    """Whether a delivery is due now, and for daily digests the local day it stands for."""
    sub = delivery.subscription
    if sub.mode != "daily" or not sub.daily_at:
        return True, None
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo(sub.timezone))
    day = local.date().isoformat()
    return (local.strftime("%H:%M") >= sub.daily_at and sub.last_digest_on != day), day


async def _send_digest(
    bot: ExtBot[Any],
    subs: SubscriptionStore,
    articles: ArticleStore,
    delivery: Delivery,
    day: str | None,
    report: RoundReport,
    lines: dict[int, str],
) -> None:
    sub = delivery.subscription
    heading = f"New: {sub.keywords}" if sub.keywords else "New articles"
    summaries = await first_lines(articles, delivery.articles[: render.DIGEST_CAP], lines)
    # One digest, one message: a digest split in two could be half sent when a 429 or a crash
    # comes between the parts. Articles that do not fit wait behind the "N more" button.
    shown_count = len(summaries)
    while True:
        shown = delivery.articles[:shown_count]
        more = len(delivery.articles) - shown_count
        text = render.digest(heading, shown, summaries[:shown_count], more)
        if render.utf16_len(text) <= render.MESSAGE_LIMIT or shown_count == 1:
            break
        shown_count -= 1
    text = render.split_message(text)[0]
    markup = render.digest_keyboard(shown, more, sub.id, shown[-1].id)
    # The outbox owns retries: a 429 is persisted, not slept through by the rate limiter.
    no_retries = NO_RETRIES if bot.rate_limiter else None
    await subs.claim(delivery.row_ids)
    try:
        await bot.send_message(
            sub.chat_id,
            text,
            message_thread_id=sub.thread_id,
            reply_markup=markup,
            rate_limit_args=no_retries,
        )
    except RetryAfter as exc:
        wait = exc.retry_after
        seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
        await subs.postpone(delivery.row_ids, seconds)
        report.postponed += 1
        return
    except Forbidden:
        log.info("chat %s blocked or removed the bot: its subscriptions stop", sub.chat_id)
        await subs.deactivate_chat(sub.chat_id)
        report.blocked += 1
        return
    except ChatMigrated as exc:
        await subs.migrate_chat(sub.chat_id, exc.new_chat_id)
        await subs.release(delivery.row_ids)
        return
    except BadRequest as exc:
        # A permanent refusal (deleted topic, bad chat): retrying would loop forever.
        log.warning("digest for subscription %s refused: %s", sub.id, exc.message)
        await subs.fail(delivery.row_ids)
        report.failed += 1
        return
    except NetworkError:
        await subs.release(delivery.row_ids)
        report.failed += 1
        return
    except Exception:
        # Unexpected: keep the digest queued for the next round rather than stuck "sending".
        log.exception("digest for subscription %s failed", sub.id)
        await subs.release(delivery.row_ids)
        report.failed += 1
        return
    await subs.mark_sent(delivery, day)
    report.sent += 1
    report.chats.append(sub.chat_id)


async def deliver_round(
    bot: ExtBot[Any], subs: SubscriptionStore, articles: ArticleStore, now: datetime | None = None
) -> RoundReport:
    """Fan out new articles, then send every due digest (a few at a time, rate-limited)."""
    report = RoundReport(queued=await subs.fan_out())
    now = now or datetime.now(UTC).replace(tzinfo=None)
    gate = asyncio.Semaphore(CONCURRENT_SENDS)
    lines: dict[int, str] = {}

    async def one(delivery: Delivery, day: str | None) -> None:
        async with gate:
            await _send_digest(bot, subs, articles, delivery, day, report, lines)

    jobs = []
    for delivery in await subs.pending(now):
        due, day = due_day(delivery, now)
        if due and delivery.articles:
            jobs.append(one(delivery, day))
    await asyncio.gather(*jobs)
    return report

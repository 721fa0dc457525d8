"""Fan-out of one new article to N subscribed chats through a request layer that enforces
Telegram's cap: achieved rate as a share of the cap, messages lost, duplicates.

    python -m bench.fanout [--chats 10000] [--cap 30] [--latency-ms 20]

The request layer answers 429 (retry_after 1) whenever a send would exceed `cap` messages in
any one-second window, and takes `latency-ms` per request like a network would. Delivery runs
as the bot runs it: rounds of `deliver_round` (fan-out, then sends through AIORateLimiter).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

from handlers.delivery import deliver_round
from telegram import Bot
from telegram.ext import ExtBot
from telegram.request import RequestData

from bot.offline import RecordingRequest
from bot.ratelimit import NewsRateLimiter
from engine.models import ParsedArticle
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.subscriptions import SubscriptionStore


class RateCapRequest(RecordingRequest):
    """A Bot API that delivers at most `cap` messages a second and says 429 beyond that."""

    def __init__(self, cap: int, latency: float) -> None:
        super().__init__()
        self.cap, self.latency = cap, latency
        self.window: deque[float] = deque()
        self.delivered: list[tuple[int, float]] = []
        self.rejected = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        await asyncio.sleep(self.latency)
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if name == "getMe":
            result: Any = {"id": 1, "is_bot": True, "first_name": "b", "username": "b_bot"}
        elif name == "sendMessage":
            now = time.monotonic()
            while self.window and now - self.window[0] >= 1.0:
                self.window.popleft()
            if len(self.window) >= self.cap:
                self.rejected += 1
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests",
                    "parameters": {"retry_after": 1},
                }
                return 429, json.dumps(body).encode()
            self.window.append(now)
            chat_id = int(params["chat_id"])
            self.delivered.append((chat_id, now))
            result = {
                "message_id": len(self.delivered),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": "x",
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--cap", type=int, default=30)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_engine = make_db_engine(sqlite_url(Path(tmp) / "fanout.db"))
        await migrate(db_engine)
        sessions = make_sessionmaker(db_engine)
        articles = ArticleStore(sessions)
        subs = SubscriptionStore(sessions, articles)
        t0 = time.perf_counter()
        for chat_id in range(1, args.chats + 1):
            await subs.subscribe(chat_id, None, "", "instant", None)
        setup = time.perf_counter() - t0
        await articles.add([ParsedArticle("Breaking", "One new article for everyone. It matters.")])

        request = RateCapRequest(args.cap, args.latency_ms / 1000)
        bot: Bot = ExtBot("1:bench", request=request, rate_limiter=NewsRateLimiter())
        await bot.initialize()
        start = time.monotonic()
        rounds = 0
        while (
            len(request.delivered) < args.chats
            and time.monotonic() - start < args.chats / args.cap * 3 + 60
        ):
            await deliver_round(bot, subs, articles)
            rounds += 1
            if len(request.delivered) < args.chats:
                await asyncio.sleep(0.2)  # the job's interval in the bot is OUTBOX_POLL_SECONDS
        end = time.monotonic()
        await bot.shutdown()
        counts = Counter(chat for chat, _ in request.delivered)
        lost = args.chats - len(counts)
        duplicates = sum(n - 1 for n in counts.values())
        elapsed = end - start
        first, last = request.delivered[0][1], request.delivered[-1][1]
        rate = len(request.delivered) / elapsed
        send_rate = (len(request.delivered) - 1) / (last - first) if last > first else 0.0
        print(
            f"chats {args.chats}, cap {args.cap}/s, latency {args.latency_ms:.0f} ms "
            f"(subscriptions created in {setup:.1f} s)"
        )
        print(
            f"delivered {len(request.delivered)} in {elapsed:.1f} s over {rounds} rounds: "
            f"{rate:.2f} msg/s = {rate / args.cap:.1%} of cap (fan-out included); "
            f"first to last send {send_rate:.2f} msg/s = {send_rate / args.cap:.1%} of cap"
        )
        print(
            f"lost {lost}, duplicates {duplicates}, 429s from the capped layer {request.rejected}"
        )
        print(f"outbox {await subs.outbox_counts()}")
        await db_engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())

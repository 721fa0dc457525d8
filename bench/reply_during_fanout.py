"""Does a reply still come while a fan-out runs? 2,000 keyword subscriptions (bench
.keyword_fanout's), 60 BBC articles arriving, fan-out running, and a /search sent to the bot
every 0.2 s meanwhile; its latency beside the same search on an idle bot (the peer: the bot
itself, not fanning out), in the same run.

`python -m bench.reply_during_fanout [SUBSCRIPTIONS] [ARTICLES]`
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from telegram import Update

from bench.keyword_fanout import _articles, _subscriptions
from bot import offline
from bot.app import build_application
from bot.container import open_services
from bot.settings import Settings
from engine.models import ParsedArticle
from storage.subscriptions import SubscriptionOptions


async def _search(app: object, query: str) -> float:
    started = time.perf_counter()
    update = Update.de_json(offline.message_update(f"/search {query}"), app.bot)  # type: ignore[attr-defined]
    await app.process_update(update)  # type: ignore[attr-defined]
    return time.perf_counter() - started


async def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    arriving = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    corpus = _articles(2_225)
    folder = Path(tempfile.mkdtemp())
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{folder}/bench.db", seed=False
    )
    services = await open_services(settings)
    await services.articles.add(
        [ParsedArticle(a.title, a.body) for a in corpus[arriving : arriving + 1_000]]
    )
    for chat, (keywords, excluded) in enumerate(_subscriptions(count, corpus), 1):
        await services.subscriptions.subscribe(
            chat, None, keywords, "instant", None, SubscriptionOptions(excluded)
        )
    app = build_application(settings, services, request=offline.RecordingRequest(),
                            schedule_jobs=False)  # fmt: skip
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    idle = [await _search(app, "oil prices") for _ in range(10)]
    await services.articles.add([ParsedArticle(a.title, a.body) for a in corpus[:arriving]])
    started = time.perf_counter()
    fanout = asyncio.create_task(services.outbox.fan_out())
    busy: list[float] = []
    while not fanout.done():
        busy.append(await _search(app, "oil prices"))
        await asyncio.sleep(0.2)
    queued = await fanout
    took = time.perf_counter() - started
    await app.shutdown()
    await services.close()
    day = time.strftime("%Y-%m-%d")
    print(f"{count:,} keyword subscriptions, {arriving} new articles, 1,000 stored ({day})")
    print(f"fan-out: {took:.1f} s, {queued} rows queued; {len(busy)} searches meanwhile")
    for name, times in (("during fan-out", busy), ("idle bot (peer)", idle)):
        ms = sorted(t * 1000 for t in times)
        print(f"/search {name:16} median {statistics.median(ms):7.1f} ms, max {ms[-1]:7.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())

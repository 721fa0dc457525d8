"""Does a reply still come while a fan-out runs? 10,000 keyword subscriptions (bench
.keyword_fanout's), 500 BBC articles arriving, fan-out running, a /search sent to the bot
every 0.2 s meanwhile, and a probe waking every 10 ms to measure how long the event loop was
held. Printed beside the peers of the same run: the same search on the idle bot, and an
exact-word loop over the same subscriptions and articles (the floor of fan-out's matching).
The first search after the burst (which reads the new articles into search's vocabulary,
fan-out or not) runs before the fan-out and is printed apart.

`python -m bench.reply_during_fanout [SUBSCRIPTIONS] [ARTICLES] [--matching MODE]`: MODE is
`steps` (what fan-out does: on the event loop, handing it back every few ms), `thread` (the
same matching in a worker thread) or `process` (in a spawned worker process).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from telegram import Update

import storage.fanout
from bench.keyword_fanout import _articles, _exact, _subscriptions
from bot import offline
from bot.app import build_application
from bot.container import open_services
from bot.settings import Settings
from engine.keyword_index import KeywordIndex
from engine.models import Article, ParsedArticle
from storage.models import OutboxStatus
from storage.subscriptions import SubscriptionOptions

PROBE_SECONDS = 0.01
_indexes: dict[int, KeywordIndex] = {}  # a worker process's index, by its subscriptions


async def _search(app: Any, query: str) -> float:
    started = time.perf_counter()
    await app.process_update(Update.de_json(offline.message_update(f"/search {query}"), app.bot))
    return time.perf_counter() - started


async def _probe(holds: list[tuple[float, float]]) -> None:
    """Wake every PROBE_SECONDS; how late each wake-up is, is how long the loop was held.
    Beside it, the CPU time the loop's thread used meanwhile: a late wake-up with little of it
    was the machine (other processes on its two cores, the interpreter lock), not the loop."""
    while True:
        started, cpu = time.perf_counter(), time.thread_time()
        await asyncio.sleep(PROBE_SECONDS)
        late = time.perf_counter() - started - PROBE_SECONDS
        holds.append((late, time.thread_time() - cpu))


def _timing_collections(pauses: list[float]) -> Callable[[str, dict[str, int]], None]:
    """Append how long each garbage collection takes (the collector runs wherever the loop
    happens to be: a pause no code of ours can hand back)."""
    started: list[float] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append(time.perf_counter() - started.pop())

    gc.callbacks.append(timed)
    return timed


async def _in_thread(steps: Iterable[Any]) -> list[Any]:
    return await asyncio.to_thread(list, steps)


def _pairs_in_process(subs: tuple[tuple[str, str], ...], articles: list[Article]) -> list[Any]:
    index = _indexes.get(hash(subs))
    if index is None:
        index = _indexes[hash(subs)] = KeywordIndex()
        for n, (keywords, excluded) in enumerate(subs):
            index.add(n, keywords, excluded)
    return sorted(p for found in index.pairs(articles) for p in found)


def _use_process(pool: ProcessPoolExecutor) -> None:
    """Fan-out's matching sent to a spawned worker process (the index built there, once)."""

    async def index_of(self: Any, group: tuple[Any, ...]) -> Any:
        return tuple((s.keywords, s.excluded) for s in group)

    async def matched_rows(subs: Any, group: list[Any], articles: list[Article]) -> list[Any]:
        loop = asyncio.get_running_loop()
        pairs = await loop.run_in_executor(pool, _pairs_in_process, subs, articles)
        status = OutboxStatus.PENDING
        return [
            {"subscription_id": group[n].id, "article_id": a, "status": status} for n, a in pairs
        ]

    storage.fanout.FanOut._index_of = index_of  # type: ignore[method-assign]
    storage.fanout._matched_rows = matched_rows  # type: ignore[assignment]


async def main(count: int, arriving: int, mode: str) -> None:
    corpus = _articles(2_225)
    subs = _subscriptions(count, corpus)
    folder = Path(tempfile.mkdtemp())
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{folder}/bench.db", seed=False
    )
    services = await open_services(settings)
    stored = corpus[arriving : arriving + 1_000]
    await services.articles.add([ParsedArticle(a.title, a.body) for a in stored])
    for chat, (keywords, excluded) in enumerate(subs, 1):
        await services.subscriptions.subscribe(
            chat, None, keywords, "instant", None, SubscriptionOptions(excluded)
        )
    app = build_application(settings, services, request=offline.RecordingRequest(),
                            schedule_jobs=False)  # fmt: skip
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    pool = None
    if mode == "thread":
        storage.fanout._in_steps = _in_thread
    elif mode == "process":
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        pool.submit(int).result()  # the worker started before the clock does
        _use_process(pool)
    idle = [await _search(app, "oil prices") for _ in range(10)]
    await services.articles.add([ParsedArticle(a.title, a.body) for a in corpus[:arriving]])
    # The first search after a burst reads the new articles into its vocabulary (search's
    # cost, with or without a fan-out): measured apart, before the fan-out starts.
    first = await _search(app, "oil prices")
    holds: list[tuple[float, float]] = []
    collections: list[float] = []
    probe = asyncio.create_task(_probe(holds))
    await asyncio.sleep(0.1)
    calm = max(holds)[0]
    started = time.perf_counter()
    timing = _timing_collections(collections)
    fanout = asyncio.create_task(services.outbox.fan_out())
    busy: list[float] = []
    while not fanout.done():
        busy.append(await _search(app, "oil prices"))
        await asyncio.sleep(0.2)
    queued = await fanout
    took = time.perf_counter() - started
    probe.cancel()
    gc.callbacks.remove(timing)
    if pool:
        pool.shutdown()
    started = time.perf_counter()
    exact = _exact(subs, corpus[:arriving])
    floor = time.perf_counter() - started
    await app.shutdown()
    await services.close()
    day = time.strftime("%Y-%m-%d")
    print(f"{count:,} keyword subscriptions, {arriving} new articles, 1,000 stored, {mode} ({day})")
    print(f"fan-out: {took:.2f} s, {queued:,} rows queued; {len(busy)} searches meanwhile")
    print(f"exact-word loop over the same pairs (peer): {floor:.2f} s, {exact:,} matches;"
          f" fan-out / exact: {took / floor:.2f}x")  # fmt: skip
    late, cpu = max(holds)
    busiest = max(c for _, c in holds)
    print(f"longest event-loop hold during fan-out: {late * 1e3:.1f} ms, {cpu * 1e3:.1f} ms of it"
          f" on the loop's CPU (before it: {calm * 1e3:.1f} ms); most loop CPU between two"
          f" 10 ms wake-ups: {busiest * 1e3:.1f} ms; {len(holds)} wake-ups")  # fmt: skip
    print(f"garbage collections during fan-out: {len(collections)}, the longest"
          f" {max(collections, default=0) * 1e3:.1f} ms")  # fmt: skip
    print(f"first /search after the {arriving} new articles (vocabulary top-up, before"
          f" fan-out): {first * 1e3:.1f} ms")  # fmt: skip
    for name, times in (("during fan-out", busy), ("idle bot (peer)", idle)):
        ms = sorted(t * 1000 for t in times)
        print(f"/search {name:16} median {statistics.median(ms):7.1f} ms, max {ms[-1]:7.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("subscriptions", type=int, nargs="?", default=10_000)
    parser.add_argument("articles", type=int, nargs="?", default=500)
    parser.add_argument("--matching", choices=("steps", "thread", "process"), default="steps")
    args = parser.parse_args()
    asyncio.run(main(args.subscriptions, args.articles, args.matching))

"""Stories in the store: what grouping costs an ingest and what one entry per story costs a
search, on the BBC set in a SQLite file.

    python -m bench.story_store [--rounds 3]

Printed: the ingest (2,225 articles in batches of 500, as `python -m bot ingest` does) with
the time inside the grouping step's parts (features before the lock; postings and states
read, writes, document counts under it) and the stories made; then search latency over the
dev queries (warm, 5 a page, every query once a round), the store's plain ranking beside the
list the chat and the CLI show (one entry per story, with its sources' outlets), in one
process. The machine's load shows in both alike: compare within a run.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import storage.articles as articles_module
import storage.stories as stories_module
from bench import bbc
from bench.search import pct
from engine.errors import QueryError
from ingest.pipeline import ingest_articles
from services import search as searching
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.story_store import StoryStore

SPENT: dict[str, float] = {}


def _timed(name: str, run: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await run(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + time.perf_counter() - started

    return timed


def _instrument() -> None:
    """Time the grouping step's parts where ArticleStore.add and assign call them."""
    articles_module.prepare = _timed("features (before the lock)", stories_module.prepare)  # type: ignore[assignment]
    articles_module.assign = _timed("grouping step (under the lock)", stories_module.assign)  # type: ignore[assignment]
    stories_module.working_set = _timed("  postings and states read", stories_module.working_set)  # type: ignore[assignment]
    stories_module._write = _timed("  stories and keys written", stories_module._write)  # type: ignore[assignment]
    stories_module._count = _timed("  document counts", stories_module._count)  # type: ignore[assignment]


async def _latency(run: Callable[[str], Awaitable[object]], queries: list[str], rounds: int) -> str:
    samples = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            try:
                await run(query)
            except QueryError:
                continue
            samples.append((time.perf_counter() - started) * 1000)
    return f"p50 {pct(samples, 50):.2f} ms, p95 {pct(samples, 95):.2f} ms ({len(samples)} searches)"


async def main(rounds: int) -> None:
    _instrument()
    with tempfile.TemporaryDirectory() as folder:
        db_engine = make_db_engine(sqlite_url(Path(folder) / "bench.db"))
        await migrate(db_engine)
        sessions = make_sessionmaker(db_engine)
        store, stories = ArticleStore(sessions), StoryStore(sessions)
        started = time.perf_counter()
        report = await ingest_articles(store, bbc.articles())
        took = time.perf_counter() - started
        added = len(report.added)
        print(f"ingest: {added} articles in {took:.2f} s ({added / took:,.0f}/s); ", end="")
        print(f"{await stories.count():,} stories")
        for name, seconds in sorted(SPENT.items(), key=lambda item: item[0].startswith(" ")):
            print(f"  {name}: {seconds:.2f} s ({seconds / added * 1000:.2f} ms an article)")
        queries = [q.text for q in bbc.queries()]

        async def plain(query: str) -> object:
            return await store.search(query, limit=5)

        async def folded(query: str) -> object:
            return await searching.search(store, None, query, limit=5, stories=stories)

        await _latency(plain, queries, 1)  # warm: vocabulary, caches
        print(f"search, the store's ranking: {await _latency(plain, queries, rounds)}")
        print(f"search, one entry per story: {await _latency(folded, queries, rounds)}")
        await db_engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))

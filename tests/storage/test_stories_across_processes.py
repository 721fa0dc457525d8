"""Two processes adding two reports of one event at the same moment end with one story, on
SQLite and on PostgreSQL: the grouping step runs under the database's lock, so the second
sees the first's story."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from sqlalchemy import text

from engine.models import ParsedArticle
from storage.dialect import STORIES_LOCK
from tests.support.pg import fresh_database
from tests.support.stores import open_store
from tests.support.stories import IAN_1, IAN_2, RULING_1, RULING_2

ROOT = Path(__file__).resolve().parents[2]

# Opens the store, says "ready", waits for a line on stdin (both processes get it at once),
# then adds its reports one ingest each, as `python -m bot ingest FILE` would.
ADDER = """
import asyncio, json, sys
from engine.models import ParsedArticle
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker

async def main(url, reports):
    db_engine = make_db_engine(url)
    store = ArticleStore(make_sessionmaker(db_engine))
    await store.count()
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    for title, body in reports:
        await store.add([ParsedArticle(title, body)])
    await db_engine.dispose()

asyncio.run(main(sys.argv[1], json.loads(sys.argv[2])))
"""


async def _adder(url: str, reports: list[tuple[str, str]]) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        ADDER,
        url,
        json.dumps(reports),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    assert await process.stdout.readline() == b"ready\n"
    return process


async def test_two_processes_adding_two_reports_at_once_make_one_story(database_url: str) -> None:
    services = await open_store(database_url, seed=False)
    try:
        async with asyncio.timeout(120):
            adders = [
                await _adder(database_url, [IAN_1, RULING_1]),
                await _adder(database_url, [IAN_2, RULING_2]),
            ]
            for adder in adders:  # both are ready: go
                assert adder.stdin is not None
                adder.stdin.write(b"go\n")
                await adder.stdin.drain()
            assert [await a.wait() for a in adders] == [0, 0]
        stories: dict[str, set[int | None]] = {}
        for article in await services.articles.get_many(range(1, 5)):
            event = "ian" if "Ian" in article.title or "Fort Myers" in article.body else "texas"
            stories.setdefault(event, set()).add(article.story_id)
        assert len(stories["ian"]) == 1 and len(stories["texas"]) == 1
        assert stories["ian"] != stories["texas"]
        assert await services.stories.count() == 2
    finally:
        await services.close()


async def test_an_ingest_on_postgresql_waits_for_the_stories_lock() -> None:
    async with fresh_database() as url:
        services = await open_store(url, seed=False)
        try:
            async with services.db_engine.connect() as holder, holder.begin():
                await holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": STORIES_LOCK})
                adding = asyncio.create_task(services.articles.add([ParsedArticle(*IAN_1)]))
                waiting = text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND objid = :k"
                )
                async with asyncio.timeout(30):  # the ingest reaches the lock and waits there
                    while not await holder.scalar(waiting, {"k": STORIES_LOCK}):
                        assert not adding.done(), "the ingest grouped without the stories lock"
                        await asyncio.sleep(0.01)
                assert not adding.done()
            added = (await adding).added  # the lock is free: the ingest goes on
            assert (await services.articles.get(added[0])).story_id is not None
        finally:
            await services.close()

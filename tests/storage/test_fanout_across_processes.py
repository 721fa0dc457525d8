"""Fan-out while another process adds articles: every keyword subscriber gets each one."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from storage.db import sqlite_url
from storage.models import OutboxRow
from storage.outbox import OutboxStore
from tests.support.stores import open_store

ROOT = Path(__file__).resolve().parents[2]
# Brand-new words, none in the seed corpus, one per subscriber (each 3+ edits from the others).
WORDS = [
    "quorvanth",
    "blistrome",
    "caddowix",
    "dremfalio",
    "eskulvor",
    "fenwraith",
    "gostrappel",
    "hulmivane",
    "ixtaberon",
    "jorplenty",
    "kvasmodel",
    "lurnisept",
    "mogrubane",
    "nypharell",
    "oxbludgen",
    "pentrakis",
    "quillamor",
    "rhendovax",
    "skolpyrid",
    "tavinkorm",
]

ADDER = """
import asyncio, sys
from engine.models import ParsedArticle
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, sqlite_url

async def main(db, words):
    db_engine = make_db_engine(sqlite_url(db))
    store = ArticleStore(make_sessionmaker(db_engine))
    for word in words:  # one quick ingest each, as `python -m bot ingest FILE` would do
        body = f"Reporters followed the {word} story all day. The {word} affair grew."
        await store.add([ParsedArticle(f"The {word} affair", body)])
    await db_engine.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2:]))
"""


async def test_articles_added_by_another_process_reach_every_keyword_subscriber(
    tmp_path: Path,
) -> None:
    db = tmp_path / "race.db"
    services = await open_store(sqlite_url(db))
    articles, subs, sessions = services.articles, services.subscriptions, services.articles.sessions
    for chat_id, word in enumerate(WORDS, start=1):
        await subs.subscribe(chat_id, None, word, "instant", None)
    outbox = OutboxStore(sessions, articles, "test")
    await articles.search("peace")  # this process now holds a warm vocabulary

    adder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", ADDER, str(db), *WORDS, cwd=ROOT
    )
    while adder.returncode is None:  # delivery rounds keep running while the other adds
        await outbox.fan_out()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(adder.wait(), 0.02)
    assert adder.returncode == 0
    await outbox.fan_out()

    async with sessions() as session:
        queued = (await session.execute(select(OutboxRow.subscription_id))).scalars().all()
    await services.close()
    per_subscriber = Counter(queued)
    missing = [WORDS[i] for i in range(len(WORDS)) if per_subscriber[i + 1] == 0]
    assert not missing, f"never queued for their subscribers: {missing}"
    assert set(per_subscriber.values()) == {1}, "each subscriber gets exactly its one article"

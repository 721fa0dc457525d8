"""The same store on PostgreSQL (runs when NEWSBOT_TEST_PG_URL points at a server; .ci/run
starts one when it can)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import insert, text

from engine.models import ParsedArticle
from storage.articles import ArticleStore, content_hash
from storage.models import ArticleRow
from storage.outbox import OutboxStore
from storage.subscriptions import SubscriptionStore
from tests.support.pg import PG_URL, fresh_database
from tests.support.samples import seed_id
from tests.support.stores import open_store

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="NEWSBOT_TEST_PG_URL is not set (a PostgreSQL server for these tests)"
)


@pytest.fixture
async def pg() -> AsyncIterator[tuple[ArticleStore, SubscriptionStore]]:
    """A fresh database on the server, migrated and seeded; dropped afterwards."""
    async with fresh_database() as url:
        services = await open_store(url)
        try:
            yield services.articles, services.subscriptions
        finally:
            await services.close()


@pytest.mark.parametrize(
    ("query", "seed"),
    [("Khankendy summit", "000"), ("Azerbajan Armenia peace", "004"), ("Bayramov ECO", "002")],
)
async def test_misspelled_queries_find_the_right_seed_on_postgres(
    pg: tuple[ArticleStore, SubscriptionStore], query: str, seed: str
) -> None:
    articles, _ = pg
    page = await articles.search(query)
    assert page.hits[0].article.id == seed_id(seed)


async def test_store_basics_on_postgres(pg: tuple[ArticleStore, SubscriptionStore]) -> None:
    articles, _ = pg
    assert await articles.count() == 5
    latest, more = await articles.latest(3)
    assert len(latest) == 3 and more
    result = await articles.add(
        [
            ParsedArticle("Zebra", "Zebra crossing in Baku."),
            ParsedArticle("Z", "zebra crossing in baku."),
        ]
    )
    assert len(result.added) == 1 and result.duplicates == 1
    assert (await articles.search("zebr")).hits[0].article.title == "Zebra"
    for hostile in ['"', "*", "NEAR", "' OR 1=1 --", "a & b | !c", "x:*"]:
        try:
            await articles.search(hostile)
        except Exception as exc:  # only domain errors may surface
            assert type(exc).__module__ == "engine.errors", exc
    summary = await articles.summary(await articles.get(seed_id("002")))
    assert "Bayramov" in summary.text


async def test_outbox_fan_out_is_idempotent_on_postgres(
    pg: tuple[ArticleStore, SubscriptionStore],
) -> None:
    articles, subs = pg
    sub = await subs.subscribe(-100, None, "", "instant", None)
    await articles.add([ParsedArticle("News", "Fresh news for the team.")])
    outbox = OutboxStore(articles.sessions, articles, "first", lease_seconds=60)
    assert await outbox.fan_out() == 1
    assert await outbox.fan_out() == 0
    [delivery] = await outbox.due(datetime(2100, 1, 1))
    claimed = await outbox.claim(delivery)
    assert claimed is not None
    later = OutboxStore(articles.sessions, articles, "second", lease_seconds=60)
    assert await later.claim(delivery) is None, "a claimed row is nobody else's"
    assert await later.reclaim_expired() == 0, "a live lease is not taken back"
    await outbox.mark_sent(claimed)
    assert await outbox.counts() == {"sent": 1}
    await subs.migrate_chat(-100, -100200)
    assert [s.id for s in await subs.for_chat(-100200)] == [sub.id]


async def test_two_instances_adding_the_same_story_at_once_both_succeed(
    pg: tuple[ArticleStore, SubscriptionStore],
) -> None:
    articles, _ = pg
    body = "Both instances fetched this very story at once."
    row = {
        "title": "Same story",
        "body": body,
        "content_hash": content_hash(body),
        "added_at": datetime(2026, 11, 25),
    }
    async with articles.sessions() as first, first.begin():
        await first.execute(insert(ArticleRow).values(**row))  # the first instance, uncommitted
        # The second instance's check sees nothing yet; its insert waits on the unique index.
        second = asyncio.create_task(articles.add([ParsedArticle("Same story", body)]))
        while not await _someone_waits_on_a_lock(articles):
            assert not second.done(), second.result()
        # Leaving the block commits the first instance's row.
    result = await second
    assert result.added == () and result.duplicates == 1
    assert await articles.count() == 6


async def _someone_waits_on_a_lock(articles: ArticleStore) -> bool:
    async with articles.sessions() as session:
        waiting = await session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


async def test_search_terms_are_kept_on_insert_and_other_instances_see_them(
    pg: tuple[ArticleStore, SubscriptionStore],
) -> None:
    articles, _ = pg
    await articles.search("azerbaijan")  # this instance now holds a warm vocabulary
    other = ArticleStore(articles.sessions)  # another instance, its own vocabulary
    await other.add([ParsedArticle("Quokkas reach Baku", "A quokka colony settled in Baku.")])
    await other.add([ParsedArticle("More quokkas", "Another quokka was seen.")])
    async with articles.sessions() as session:
        docs = await session.scalar(text("SELECT docs FROM search_terms WHERE term = 'quokka'"))
        full = await session.scalar(
            text(
                "SELECT ndoc FROM ts_stat('SELECT to_tsvector(''simple'', title || '' '' "
                "|| body) FROM articles') WHERE word = 'quokka'"
            )
        )
    assert docs == full == 2  # the same counts a full ts_stat read would give
    page = await articles.search("quoka")  # a typo: only a vocabulary with "quokka" finds it
    assert {h.article.title for h in page.hits} == {"Quokkas reach Baku", "More quokkas"}

"""RETENTION_DAYS bounds the store: the daily purge removes articles whose day (publication
date, else the day added) is older than the setting, in short batches, with their digest
rows and term counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.models import ParsedArticle
from services import corpus
from storage.clock import utcnow
from tests.support.stores import open_store
from tests.support.stories import distinct_events

ANIMALS = ("zebra", "walrus", "pelican", "lynx", "otter", "heron")


def _story(n: int, days_ago: int | None) -> ParsedArticle:
    """A report of its own event (its own story), about one animal."""
    day = None if days_ago is None else (utcnow() - timedelta(days=days_ago)).date()
    [event] = distinct_events(1, start=n)
    return ParsedArticle(
        title=event.title, body=f"{event.body} A {ANIMALS[n]} was seen.", published=day
    )


async def test_articles_older_than_the_retention_go_with_their_digests(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = await open_store(database_url, seed=False)
    try:
        await services.subscriptions.subscribe(1, None, "", "instant", None)
        ages = [400, 200, 91, 89, 3, None]  # None: undated, added today
        ids = (await services.articles.add([_story(n, age) for n, age in enumerate(ages)])).added
        await services.outbox.fan_out()
        monkeypatch.setattr(corpus, "RETENTION_BATCH", 2)  # several short transactions
        assert await corpus.expire(services.articles, 90, utcnow().date()) == 3
        kept = {a.id for a in (await services.articles.latest(10))[0]}
        assert kept == set(ids[3:])
        assert (await services.outbox.counts()).get("pending") == 3
        assert not (await services.articles.search("zebra")).hits
        assert not (await services.articles.plan("walrus")).matchable, "gone from the counts"
        assert (await services.articles.search("lynx")).hits
        assert await corpus.expire(services.articles, 90, utcnow().date()) == 0
    finally:
        await services.close()

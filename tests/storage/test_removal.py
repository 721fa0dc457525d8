"""Removing articles (storage.removal through ArticleStore.remove), on SQLite and PostgreSQL:
gone from search and its vocabulary, from digests not yet sent, and from nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from engine.errors import ArticleNotFound, StoryNotFound
from engine.models import ParsedArticle
from storage.clock import utcnow
from tests.support.samples import seed_id
from tests.support.stores import open_store

STORY = ParsedArticle(
    title="Quokka ferry crosses the Caspian",
    body="The quokka ferry crossed the Caspian on Monday. Zanzibarite crews cheered the quokka. "
    * 3,
)
OTHER = ParsedArticle(
    title="Caspian ports expand",
    body="Caspian ports expand their quays this winter, officials said on Monday. " * 3,
)


async def test_a_removed_article_leaves_search_vocabulary_and_pending_digests(
    database_url: str,
) -> None:
    services = await open_store(database_url)
    try:
        await services.subscriptions.subscribe(1, None, "", "instant", None)
        added = (await services.articles.add([STORY, OTHER])).added
        await services.outbox.fan_out()
        assert (await services.outbox.counts()).get("pending") == 2
        assert (await services.articles.plan("zanzibarite")).matchable
        assert [h.article.id for h in (await services.articles.search("quokka")).hits] == [added[0]]

        removal = await services.articles.remove([added[0], 999_999, 2**40])

        assert removal.removed == (added[0],) and removal.unknown == (999_999, 2**40)
        assert removal.pending_digest_rows == 1 and removal.sent_digest_rows == 0
        assert (await services.outbox.counts()).get("pending") == 1  # the other article's
        assert (await services.articles.search("quokka")).hits == ()
        # The word is gone from the vocabulary too: no typo correction lands on it.
        assert not (await services.articles.plan("zanzibarite")).corrections
        assert "zanzibarite" not in {
            t for w in (await services.articles.plan("zanzibarite")).words for t in w.terms
        }
        with pytest.raises(ArticleNotFound):
            await services.articles.get(added[0])
        # What was due is still delivered: the other article's row is claimed as before.
        due = await services.outbox.due(utcnow() + timedelta(minutes=1))
        assert [a.id for d in due for a in d.articles] == [added[1]]
    finally:
        await services.close()


async def test_a_second_removal_finds_nothing(database_url: str) -> None:
    services = await open_store(database_url)
    try:
        [story] = (await services.articles.add([STORY])).added
        assert (await services.articles.remove([story])).removed == (story,)
        again = await services.articles.remove([story])
        assert again.removed == () and again.unknown == (story,)
    finally:
        await services.close()


async def test_another_process_stops_finding_a_removed_article(database_url: str) -> None:
    """The bot keeps running while `python -m bot delete` removes an article: its next search
    does not return it (candidates come from the index the removal changed)."""
    bot, cli = await open_store(database_url), await open_store(database_url)
    try:
        [story] = (await bot.articles.add([STORY])).added
        assert (await bot.articles.search("quokka ferry")).hits
        await cli.articles.remove([story])
        assert (await bot.articles.search("quokka ferry")).hits == ()
    finally:
        await bot.close()
        await cli.close()


async def test_removing_a_storys_sources_shrinks_it_and_then_removes_it(database_url: str) -> None:
    """The seeds' two Khankendi reports are one story: removing one leaves a story of one
    source (still found by later reports of the event); removing the other leaves no story
    row and no keys."""
    services = await open_store(database_url)

    async def stored() -> tuple[int | None, int]:
        async with services.articles.sessions() as session:
            size = await session.scalar(
                text("SELECT size FROM stories WHERE id = :s"), {"s": story_id}
            )
            keys = await session.scalar(
                text("SELECT count(*) FROM story_keys WHERE story_id = :s"), {"s": story_id}
            )
            return size, int(keys or 0)

    try:
        first, second = seed_id("000"), seed_id("001")
        story_id = (await services.articles.get(first)).story_id
        assert story_id is not None and (await services.articles.get(second)).story_id == story_id
        assert (await services.stories.get(story_id)).size == 2
        await services.articles.remove([first])
        assert [a.id for a in (await services.stories.get(story_id)).sources] == [second]
        size, keys = await stored()
        assert size == 1 and keys > 0
        await services.articles.remove([second])
        with pytest.raises(StoryNotFound):
            await services.stories.get(story_id)
        assert await stored() == (None, 0)
    finally:
        await services.close()

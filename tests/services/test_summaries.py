"""One id-or-words parser and one summary use case, for the chat and the CLI alike."""

from __future__ import annotations

import pytest

from engine.errors import ArticleNotFound, NoMatch
from engine.summary import DEFAULT_SENTENCES
from services.summaries import SummaryRequest, of_article, parse_request, summarize
from storage.articles import ArticleStore
from tests.support.samples import seed_id


@pytest.mark.parametrize(
    ("words", "sentences", "expected"),
    [
        (["42"], None, SummaryRequest(42, "", DEFAULT_SENTENCES)),
        (["#42", "2"], None, SummaryRequest(42, "", 2)),
        (["ECO", "summit"], None, SummaryRequest(None, "ECO summit", DEFAULT_SENTENCES)),
        (["ECO", "summit", "4"], None, SummaryRequest(None, "ECO summit", 4)),
        (["ECO", "summit", "4"], 2, SummaryRequest(None, "ECO summit 4", 2)),  # --sentences 2
        (["42", "1"], 5, SummaryRequest(None, "42 1", 5)),
        (["  ", "7"], None, SummaryRequest(7, "", DEFAULT_SENTENCES)),
    ],
)
def test_requests_are_read_the_same_way_everywhere(
    words: list[str], sentences: int | None, expected: SummaryRequest
) -> None:
    assert parse_request(words, sentences) == expected


@pytest.mark.parametrize("words", [[], [""], ["²"], ["٣"], ["bayramov", "²"], ["3", "99"]])
def test_unusable_requests_are_none(words: list[str]) -> None:
    assert parse_request(words) is None


@pytest.mark.parametrize("typed", ["0", "99999999999999999999999"])
def test_an_id_no_article_can_have_is_not_found(typed: str) -> None:
    with pytest.raises(ArticleNotFound):
        parse_request([typed])


async def test_words_find_the_best_match_and_steer_its_summary(seeded: ArticleStore) -> None:
    article, focused = await summarize(seeded, SummaryRequest(None, "Baku-Tbilisi-Kars railwy", 1))
    _, plain = await of_article(seeded, article.id)
    assert article.id == seed_id("003")
    assert "railway" in focused.text and "railway" not in plain.sentences[0]


async def test_an_id_gives_that_article(seeded: ArticleStore) -> None:
    article, summary = await summarize(seeded, SummaryRequest(seed_id("002"), "", 2))
    assert article.id == seed_id("002") and len(summary.sentences) == 2


async def test_words_that_match_nothing_say_so(seeded: ArticleStore) -> None:
    with pytest.raises(NoMatch):
        await summarize(seeded, SummaryRequest(None, "zzzzqqq", 3))


@pytest.mark.parametrize("query", ["Bayramov COP29", "Bayramov Armenia normalization"])
async def test_words_the_lede_lacks_are_brought_in_after_it(
    seeded: ArticleStore, query: str
) -> None:
    article, focused = await summarize(seeded, SummaryRequest(None, query))
    _, plain = await of_article(seeded, article.id)
    lacking = {w for w in query.casefold().split() if w not in plain.sentences[0].casefold()}
    lacking = {w for w in lacking if w in article.body.casefold()}  # not every word need match
    assert focused.sentences[0] == plain.sentences[0]
    assert lacking and all(w in focused.text.casefold() for w in lacking), focused.text
    assert focused.sentences != plain.sentences

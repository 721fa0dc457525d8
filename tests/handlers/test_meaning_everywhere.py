"""Search by meaning in every place a person searches: /search, plain text in a private chat,
inline mode and /summary WORDS all find the truce report for "armistice", a word it never
uses (a topic embedder stands in for the model: tests/support/meaning)."""

from __future__ import annotations

from bot import offline
from tests.support.app import Harness
from tests.support.meaning import TRUCE, TopicEmbedder, with_meaning


async def _truce(harness: Harness) -> int:
    added = (await harness.services.articles.add([TRUCE])).added[0]
    await with_meaning(harness.services, TopicEmbedder())
    return added


async def test_search_and_plain_text_find_an_article_by_meaning(harness: Harness) -> None:
    added = await _truce(harness)
    for typed in ("/search armistice", "armistice"):
        [reply] = await harness.text(typed)
        assert TRUCE.title in reply and f"#{added}" in reply
        assert "≈ found by meaning" in reply


async def test_inline_mode_finds_an_article_by_meaning(harness: Harness) -> None:
    await _truce(harness)
    await harness.send(offline.inline_update("armistice"))
    [answer] = harness.request.sent("answerInlineQuery")
    assert [r["title"] for r in answer["results"]] == [TRUCE.title]


async def test_summary_of_words_summarises_the_article_found_by_meaning(
    harness: Harness,
) -> None:
    added = await _truce(harness)
    [reply] = await harness.text("/summary armistice")
    assert TRUCE.title in reply and f"#{added}" in reply

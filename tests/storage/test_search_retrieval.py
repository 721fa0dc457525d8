"""Candidates come from the index's ranking, not recency; the least informative words are
dropped first; another process's new words are found at once (issue 10's misses)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from engine.models import ParsedArticle
from engine.search import Vocabulary
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.fulltext import Tier
from storage.search import HELD_TERMS, MIN_CANDIDATES, SCORE_TO_COUNT, tiers

# Every test here runs with the vocabulary held in memory (a store of few terms) and read per
# search (a store of more than HELD_TERMS terms, as at a million articles).
MODES = {"held": HELD_TERMS, "read-per-search": 0}


@pytest.fixture(params=list(MODES))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ArticleStore]:
    """An empty, migrated SQLite store searched in each vocabulary mode."""
    db_engine = make_db_engine(sqlite_url(tmp_path / "test.db"))
    await migrate(db_engine)
    yield ArticleStore(make_sessionmaker(db_engine), held_terms=MODES[request.param])
    await db_engine.dispose()


def filler(i: int, words: str) -> ParsedArticle:
    return ParsedArticle(f"Report {i} on {words}", f"Item {i}. The {words} were in the news.")


async def test_an_older_article_with_a_short_prefix_beats_many_newer_ones(
    store: ArticleStore,
) -> None:
    await store.add([ParsedArticle("Blair starts campaign", "Tony Blair starts his campaign.")])
    # More newer matches of "blair" and "sta…" than candidates are ranked.
    await store.add([filler(i, "Blair staff") for i in range(MIN_CANDIDATES + 20)])
    page = await store.search("blair sta")
    assert page.hits[0].article.title == "Blair starts campaign"


async def test_common_words_are_dropped_before_the_rare_one(store: ArticleStore) -> None:
    await store.add([ParsedArticle("Greenspan warns", "Alan Greenspan spoke about the dollar.")])
    await store.add([filler(i, "dollar gain") for i in range(MIN_CANDIDATES + 10)])
    # No article holds all three words: "gain" (or "dollar") goes, never "greenspan".
    page = await store.search("dollar gain greenspan")
    assert page.hits[0].article.title == "Greenspan warns"


async def test_a_wrongly_corrected_rare_word_does_not_hide_the_others(store: ArticleStore) -> None:
    await store.add([ParsedArticle("Barcelona title hopes hit by loss", "Barcelona lost.")])
    await store.add([ParsedArticle("Ho wins", "Ho won the race.")])
    # "hoes" finds no term; the two other words still find the article.
    page = await store.search("barcelona hoes loss")
    assert page.hits[0].article.title == "Barcelona title hopes hit by loss"


async def test_when_no_article_holds_every_word_the_most_words_win(store: ArticleStore) -> None:
    await store.add([ParsedArticle("Italy aim to beat England", "Italy aim high.")])
    await store.add([ParsedArticle(f"Rattle {i}", f"A rattle, number {i}.") for i in range(8)])
    await store.add([ParsedArticle(f"Aim {i}", f"The aim, number {i}.") for i in range(9)])
    await store.add([filler(i, "Italy England") for i in range(20)])
    # "rattle" (in 8 articles) alone fills a page, but three of the four words beat one.
    page = await store.search("italy aim rattle england")
    assert page.hits[0].article.title == "Italy aim to beat England"


async def test_a_slip_onto_a_letter_the_word_does_not_hold_is_found_in_any_alphabet(
    store: ArticleStore,
) -> None:
    """A Latin word's slips are looked for among the Latin letters; a Cyrillic word's among
    the letters the store's words use (read once, when a word needs them)."""
    await store.add([ParsedArticle("Правительство утвердило бюджет", "Парламент согласился.")])
    await store.add([ParsedArticle("Government approves budget", "Parliament agreed.")])
    # "е" replaced by "и": the query holds no "е"; "u" by "w" in "bwdget".
    for query, title in (
        ("бюджит", "Правительство утвердило бюджет"),
        ("bwdget", "Government approves budget"),
    ):
        page = await store.search(query)
        assert [h.article.title for h in page.hits] == [title], query


async def test_natural_phrasing_on_the_store(seeded: ArticleStore) -> None:
    page = await seeded.search("any news about the Khojaly genocide?")
    assert page.hits and "Khojaly" in page.hits[0].article.title + page.hits[0].article.body


async def test_words_added_by_another_process_are_found_on_the_next_search(
    seeded: ArticleStore, tmp_path: Path
) -> None:
    await seeded.search("azerbaijan")  # this process now holds a warm vocabulary
    other_engine = make_db_engine(sqlite_url(tmp_path / "test.db"))
    other = ArticleStore(make_sessionmaker(other_engine))
    await other.add([ParsedArticle("Quokkas reach Baku", "A quokka colony settled near Baku.")])
    await other_engine.dispose()
    page = await seeded.search("quoka")  # a typo: only a vocabulary with "quokka" finds it
    assert page.hits and page.hits[0].article.title == "Quokkas reach Baku"


async def test_a_word_searched_before_another_process_adds_its_article_finds_it_after(
    seeded: ArticleStore, tmp_path: Path
) -> None:
    # The first search plans "quoka" onto nothing; that plan must not outlive the new words.
    assert not (await seeded.search("quoka")).hits
    other_engine = make_db_engine(sqlite_url(tmp_path / "test.db"))
    other = ArticleStore(make_sessionmaker(other_engine))
    await other.add([ParsedArticle("Quokkas reach Baku", "A quokka colony settled near Baku.")])
    await other_engine.dispose()
    page = await seeded.search("quoka")
    assert page.hits and page.hits[0].article.title == "Quokkas reach Baku"


def test_steps_drop_the_most_common_word_first() -> None:
    vocabulary = Vocabulary({"dollar": 900, "gain": 400, "greenspan": 3})
    plan = vocabulary.plan(["dollar", "gain", "greenspan"])
    steps = [[w.word for w in words] for words, *_ in tiers(list(plan.words), vocabulary, 30, 10)]
    assert steps[:4] == [
        ["greenspan", "gain", "dollar"],
        ["greenspan", "gain"],
        ["greenspan", "dollar"],
        ["gain", "dollar"],
    ]
    assert steps[4] == ["greenspan"]


def test_common_single_words_are_read_newest_first() -> None:
    vocabulary = Vocabulary({"said": 10**6, "greenspan": 3})
    plan = vocabulary.plan(["said", "greenspan"])
    by_relevance = {
        tuple(w.word for w in words): by
        for words, _, by, *_ in tiers(list(plan.words), vocabulary, 30, 10)
    }
    assert by_relevance[("said",)] == 0 and by_relevance[("greenspan",)] == 1


def test_words_in_far_more_articles_filter_a_step_and_do_not_rank_it() -> None:
    """At a million articles bm25() would read "said"'s and "price"'s whole lists to weigh
    them: they only filter the step, which the rarer words rank."""
    common = 30 * SCORE_TO_COUNT * 1_000
    vocabulary = Vocabulary({"said": common, "price": common, "fuel": 3_000, "indonesia": 1_000})
    plan = vocabulary.plan(["said", "fuel", "indonesia", "price"])
    first = tiers(list(plan.words), vocabulary, 30, 10)[0]
    assert [w.word for w in first[0]] == ["indonesia", "fuel", "said", "price"]
    assert first[2] == 2
    small = Vocabulary({"said": 900, "price": 900, "fuel": 30, "indonesia": 10})
    plan = small.plan(["said", "fuel", "indonesia", "price"])
    assert tiers(list(plan.words), small, 30, 10)[0][2] == 4  # a small store ranks by all


async def test_a_step_ranked_by_its_rarer_words_holds_every_word(store: ArticleStore) -> None:
    """The index's side of the rule above: every article of the step holds all its words, the
    most relevant to the rarer words first, though far newer ones match too."""
    await store.add([ParsedArticle("Greenspan on the dollar", "Greenspan said the dollar fell.")])
    await store.add([filler(i, "Greenspan dollar") for i in range(MIN_CANDIDATES + 10)])
    await store.add([filler(i, "Greenspan") for i in range(MIN_CANDIDATES + 10)])
    plan = await store.plan("greenspan dollar")
    greenspan, dollar = plan.words
    index = store._search._index
    async with store.sessions() as session:
        _, (found,) = await index.ranked_tiers(session, [Tier((greenspan, dollar), 5, 1)])
    assert len(found) == 5
    assert all("dollar" in c.article.body for c in found)
    assert found[0].article.title == "Greenspan on the dollar"


async def test_a_one_sentence_description_is_searched_not_refused(seeded: ArticleStore) -> None:
    """An editor's description of a story runs past 200 characters: it is a query like any
    other (its first ten content words), not "too long"."""
    description = (
        "Leaders of the Economic Cooperation Organization gathered for a summit in Khankendi, "
        "a city in Azerbaijan's Karabakh region, where the host presented the meeting as a "
        "sign of regional change and of the country's growing international standing."
    )
    assert len(description) > 200
    page = await seeded.search(description)
    assert page.hits and "Khankendi" in page.hits[0].article.title + page.hits[0].article.body


def _read_terms(store: ArticleStore, monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Every term each of the store's full-text statements asked for (one set a statement)."""
    index = store._search._index
    read: list[set[str]] = []
    original = index.ranked_tiers

    async def spy(reader: Any, steps: Any, exclude: Any = ()) -> Any:
        read.append({t for step in steps for w in step.words for t in w.terms})
        return await original(reader, steps, exclude)

    monkeypatch.setattr(index, "ranked_tiers", spy)
    return read


async def test_articles_holding_every_word_as_typed_fill_the_page_unread_typos(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "taxes" is one typo from "tapes": while enough articles hold "federal tapes" as typed,
    the typo's list is never read (at a million articles such lists were most of a search's
    time), and the page is the same: an article needing a typo ranks below them anyway."""
    await store.add([filler(i, "federal taxes") for i in range(25)])
    await store.add([filler(i, "federal tapes") for i in range(15)])
    read = _read_terms(store, monkeypatch)
    page = await store.search("federal tapes")
    assert page.has_more and all("federal tapes" in h.article.title for h in page.hits)
    asked = set().union(*read)
    assert "tapes" in asked and "taxes" not in asked


async def test_too_few_holding_the_words_as_typed_still_lets_the_typos_in(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words as typed are each in many articles but together in two: the typos are read
    next, and the two come first, the typo's articles after them."""
    await store.add([filler(i, "federal taxes") for i in range(25)])
    await store.add([ParsedArticle(f"Tapes {i}", f"Old tapes, box {i}.") for i in range(15)])
    await store.add([filler(i, "federal tapes") for i in range(2)])
    read = _read_terms(store, monkeypatch)
    page = await store.search("federal tapes")
    titles = [h.article.title for h in page.hits]
    assert all("federal tapes" in t for t in titles[:2]), titles
    assert page.has_more and len(titles) > 2, titles
    assert all("federal taxes" in t for t in titles[2:]), titles
    assert "taxes" not in read[0] and "taxes" in set().union(*read[1:])

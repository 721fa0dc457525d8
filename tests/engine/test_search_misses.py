"""The misses of issue 10, each on a small literal corpus: filler words, plural slips, the
first-letter typo, snippets across a heading, and what a query plan keeps."""

from __future__ import annotations

from datetime import datetime

import pytest

from engine.lang.en import inflections
from engine.models import Article
from engine.search import Vocabulary, parse_query, rank
from engine.snippets import LINE_SEPARATOR, snippet
from engine.text import words

ADDED = datetime(2026, 1, 1)


def art(i: int, title: str, body: str) -> Article:
    return Article(i, title, body, None, None, None, ADDED)


CORPUS = [
    art(1, "Greenspan speech lifts dollar", "The dollar gains after Alan Greenspan spoke."),
    art(2, "Dollar gain in Asia", "The dollar had a small gain in Asian trading."),
    art(3, "Wasps sign Dawson", "Matt Dawson joins Wasps from Northampton."),
    art(4, "Severe weather warning", "Severe storms are expected across the north."),
    art(5, "Tsunami debt relief", "Creditors agreed to freeze the debt of tsunami nations."),
    art(6, "What the news is about", "A story about what is new in the news."),
]
VOCAB = Vocabulary(w for a in CORPUS for w in words(a.title + " " + a.body))


def first(query: str) -> int:
    return rank(VOCAB.plan(parse_query(query)), CORPUS)[0].article.id


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("news about greenspan", ["greenspan"]),
        ("what did greenspan say about the dollar", ["greenspan", "dollar"]),
        ("anything on yukos", ["yukos"]),
        ("latest on tsunami debt", ["tsunami", "debt"]),
        ("what's the latest on newcastle babayaro's", ["newcastle", "babayaro"]),
        ("what is the news about", ["what", "is", "the", "news", "about"]),  # only filler: kept
    ],
)
def test_stop_words_and_filler_never_decide_a_search(query: str, kept: list[str]) -> None:
    assert parse_query(query) == kept


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("news about greenspan", 1),
        ("what did greenspan say about the dollar", 1),
        ("latest on tsunami debt", 5),
        ("show me wasp dawson", 3),  # singular for the plural in the text
        ("dawson wasps?", 3),
    ],
)
def test_natural_phrasing_finds_the_obvious_article(query: str, expected: int) -> None:
    assert first(query) == expected


def test_a_filler_word_at_the_end_does_not_make_the_last_word_a_prefix() -> None:
    plan = VOCAB.plan(parse_query("dolla latest"))
    assert plan.words[0].prefixes == {}  # "dolla" was finished, not still being typed


@pytest.mark.parametrize(
    ("word", "form"), [("gain", "gains"), ("gains", "gain"), ("wasp", "wasps")]
)
def test_a_slip_onto_another_real_word_still_matches_the_other_form(word: str, form: str) -> None:
    assert VOCAB.plan([word]).words[0].terms[form] == 0  # no typo: a plural is not a misspelling
    assert first(f"greenspan {word}" if "gain" in word else f"dawson {word}") in (1, 3)


@pytest.mark.parametrize("word", ["mrs", "gets", "hoes"])
def test_short_words_keep_their_final_s(word: str) -> None:
    assert word[:-1] not in inflections(word) and word[:-2] not in inflections(word)


def test_the_plural_is_not_exact_so_the_exact_form_ranks_first() -> None:
    corpus = [art(1, "Gains", "gains today"), art(2, "Gain", "gain today")]
    vocab = Vocabulary(["gain", "gains", "today"])
    assert [h.article.id for h in rank(vocab.plan(["gain", "today"]), corpus)] == [2, 1]


@pytest.mark.parametrize("typed", ["zevere", "sevre", "sever", "evere"])
def test_one_typo_anywhere_including_the_first_letter(typed: str) -> None:
    assert "severe" in VOCAB.plan([typed]).words[0].terms


def test_two_typos_in_a_long_word() -> None:
    vocab = Vocabulary(["northampton"])
    assert vocab.plan(["nortamptn"]).words[0].terms == {"northampton": 2}


def test_frequency_counts_articles_and_prefixes() -> None:
    vocab = Vocabulary({"dollar": 40, "dollars": 2, "greenspan": 3})
    assert vocab.frequency(vocab.plan(["dollar"]).words[0]) == 42
    assert vocab.frequency(vocab.plan(["green"]).words[0]) == 3
    vocab.add(["greenspan", "yukos"])
    assert vocab.frequency(vocab.plan(["greenspan"]).words[0]) == 4


def test_snippets_keep_line_breaks_as_boundaries() -> None:
    body = "Commitment to Peace and Stability\nHajiyev began the talks in Brussels."
    start = body.index("Hajiyev")
    cut = snippet(body, [(start, start + 7)], start)
    assert "Stability Hajiyev" not in cut.text
    assert f"Stability{LINE_SEPARATOR}Hajiyev" in cut.text or cut.text.startswith("Hajiyev")
    assert [cut.text[a:b] for a, b in cut.marks] == ["Hajiyev"]


def test_a_snippet_starts_at_the_line_of_the_match() -> None:
    body = "A heading\n" + "x " * 10 + "\nThe Hajiyev line follows here."
    start = body.index("Hajiyev")
    cut = snippet(body, [(start, start + 7)], start)
    assert cut.text.startswith("The Hajiyev")


def test_a_correction_names_the_word_the_results_match() -> None:
    """'cheif' is one edit from 'chef' and from 'chief': the hint names the one most articles
    hold (and so the results), not the shorter one."""
    vocab = Vocabulary({"chief": 6, "executive": 6, "resigns": 6, "chef": 1, "opens": 1})
    assert vocab.plan(parse_query("cheif executive resigns")).corrections == (
        "chief",
        "executive",
        "resigns",
    )

from datetime import date, datetime

import pytest

from engine.errors import EmptyQuery, QueryTooLong
from engine.models import Article
from engine.search import Vocabulary, allowed_typos, parse_query, rank
from engine.text import fold, words

ADDED = datetime(2026, 1, 1)


def art(i: int, title: str, body: str, published: date | None = None) -> Article:
    return Article(i, title, body, published, None, None, ADDED)


CORPUS = [
    art(1, "Summit in Khankendi", "Leaders met in Khankendi for the ECO summit on transport."),
    art(2, "Peace talks", "Azerbaijan and Armenia discussed peace in Washington."),
    art(3, "Minister meets ECO chief", "Jeyhun Bayramov met the ECO secretary general."),
    art(4, "Energy news", "Gas exports grew. The summit was not mentioned. Khankendi is far away."),
]
VOCAB = Vocabulary(w for a in CORPUS for w in words(a.title + " " + a.body))


def search(query: str) -> list[int]:
    return [h.article.id for h in rank(VOCAB.plan(parse_query(query)), CORPUS)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Khankendy summit", 1),
        ("khankendi SUMMIT", 1),
        ("summit khankendi", 1),
        ("Azerbajan Armenia peace", 2),
        ("armenia azerbaijan", 2),
        ("Bayramov ECO", 3),
        ("bayramv", 3),
        ("bayr", 3),
    ],
)
def test_typos_case_and_word_order_find_the_right_article_first(query: str, expected: int) -> None:
    assert search(query)[0] == expected


@pytest.mark.parametrize(
    ("word", "typos"), [("eco", 0), ("peace", 1), ("bayramov", 1), ("azerbaijan", 2)]
)
def test_typo_allowance_grows_with_word_length(word: str, typos: int) -> None:
    assert allowed_typos(word) == typos


def test_short_words_must_be_exact() -> None:
    assert search("gaz") == []  # "gas" is one typo away, but 3-letter words get none


def test_more_matched_words_beat_fewer() -> None:
    assert search("khankendi transport")[0] == 1


def test_proximity_ranks_words_close_together_first() -> None:
    corpus = [
        art(1, "A", "summit " + "filler " * 60 + "khankendi"),
        art(2, "B", "the summit in khankendi"),
    ]
    vocab = Vocabulary(w for a in corpus for w in words(a.body))
    assert [h.article.id for h in rank(vocab.plan(["summit", "khankendi"]), corpus)] == [2, 1]


def test_recency_breaks_ties() -> None:
    corpus = [
        art(1, "A", "peace talks", date(2020, 1, 1)),
        art(2, "B", "peace talks", date(2024, 1, 1)),
    ]
    vocab = Vocabulary(["peace", "talks"])
    assert [h.article.id for h in rank(vocab.plan(["peace", "talks"]), corpus)] == [2, 1]


def test_snippet_marks_the_matched_words() -> None:
    hit = rank(VOCAB.plan(parse_query("bayramv")), CORPUS)[0]
    marked = [hit.snippet.text[a:b] for a, b in hit.snippet.marks]
    assert marked == ["Bayramov"]


def test_corrections_report_what_was_searched() -> None:
    assert VOCAB.plan(parse_query("Khankendy summit")).corrections == ("khankendi", "summit")
    assert VOCAB.plan(parse_query("summit")).corrections == ()


@pytest.mark.parametrize("query", ["", "   ", "🙂🙂", '"*"', "<&>", "-- ;"])
def test_queries_without_words_are_rejected_clearly(query: str) -> None:
    with pytest.raises(EmptyQuery):
        parse_query(query)


def test_huge_queries_are_rejected_clearly() -> None:
    with pytest.raises(QueryTooLong):
        parse_query("a" * 10_000)


@pytest.mark.parametrize(
    "query", ["NEAR(summit khankendi)", 'summit AND "khankendi"', "summit*", "O'Brien's summit"]
)
def test_search_syntax_is_treated_as_plain_words(query: str) -> None:
    assert 1 in search(query)


def test_fold_keeps_offsets_and_strips_diacritics() -> None:
    text = "Şuşa İlham Ǆ ß café"
    assert len(fold(text)) == len(text)
    assert fold("Şuşa café") == "susa cafe"


def test_vocabulary_takes_in_new_terms_for_exact_typo_and_prefix_matches() -> None:
    vocab = Vocabulary(["summit", "baku"])
    vocab.add(["caspian", "ferries", "2026"])
    plan = vocab.plan(parse_query("caspain ferr"))
    assert plan.words[0].terms == {"caspian": 1}
    assert plan.words[1].prefixes == {"ferr": 0}
    assert vocab.plan(["2025"]).words[0].terms == {}


def test_snippets_are_one_line_and_marks_still_point_at_the_words() -> None:
    body = "First paragraph ends here.\n\nSecond   paragraph names Bayramov\nand more."
    corpus = [art(1, "T", body)]
    vocab = Vocabulary(words(body))
    hit = rank(vocab.plan(["bayramov"]), corpus)[0]
    assert "\n" not in hit.snippet.text and "  " not in hit.snippet.text
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.marks] == ["Bayramov"]


def test_one_per_story_keeps_each_storys_best_ranked_article() -> None:
    added = datetime(2026, 12, 6)
    ferry = "The Caspian ferry resumes."
    articles = [
        Article(1, "Ferry resumes", ferry, None, None, None, added, story_id=7),
        Article(2, "Caspian ferry resumes sailing", ferry, None, None, None, added, story_id=7),
        Article(3, "Port fire", "A Caspian port fire.", None, None, None, added, story_id=8),
    ]
    vocab = Vocabulary(w for a in articles for w in words(a.title + " " + a.body))
    plan = vocab.plan(parse_query("caspian ferry"))
    every = [h.article.id for h in rank(plan, articles)]
    folded = [h.article.id for h in rank(plan, articles, one_per_story=True)]
    assert sorted(every) == [1, 2, 3]
    assert folded == [every[0], 3]  # story 7's best-ranked article, then story 8's

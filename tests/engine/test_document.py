from datetime import date

import pytest

from engine.document import parse_text_article, strip_boilerplate
from engine.sentences import split_sentences
from engine.titles import DATELINE
from tests.support.samples import SEED_FILES

BOILERPLATE = [
    "Connect with us",
    "Hi, what are you looking for?",
    "Share this article:",
    "You May Also Like",
    "EU Reporter publishes",
    "stone dealer",
]


def _seed(prefix: str) -> str:
    return next(p for p in SEED_FILES if p.name.startswith(prefix)).read_text(encoding="utf-8")


def test_leading_date_line_becomes_the_publication_date() -> None:
    article = parse_text_article(_seed("004"))
    assert article.published == date(2026, 2, 28)
    assert not article.body.lstrip().startswith("date")
    assert "date 2026" not in article.title


def test_article_without_date_line_has_no_date() -> None:
    assert parse_text_article(_seed("000")).published is None


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_web_boilerplate_never_reaches_the_article(phrase: str) -> None:
    article = parse_text_article(_seed("003"))
    assert phrase not in article.body
    assert phrase not in article.title


def test_boilerplate_removal_keeps_the_story() -> None:
    article = parse_text_article(_seed("003"))
    assert article.title == "Azerbaijan’s Perspective on Regional Stability"
    assert article.body.startswith("In a significant diplomatic move")
    assert article.body.endswith("for all its inhabitants.")


def test_a_lede_too_long_for_a_title_gives_its_main_clause_not_a_later_sentence() -> None:
    article = parse_text_article(_seed("001"))
    lede = split_sentences(DATELINE.sub("", article.body))[0]
    assert len(article.title) <= 90
    assert lede.startswith(article.title)
    assert lede[len(article.title)] == " "


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_seed_gets_a_non_empty_title_and_body(path) -> None:  # type: ignore[no-untyped-def]
    article = parse_text_article(path.read_text(encoding="utf-8"))
    assert 10 <= len(article.title) <= 90
    assert not article.title.endswith(("…", ",", " the", " of", " and"))
    assert len(article.body) > 1000


def test_strip_boilerplate_cuts_everything_after_a_share_box() -> None:
    text = "Real news.\nShare this article:\nTeaser one\nTeaser two"
    assert strip_boilerplate(text) == "Real news."


def test_empty_text_gets_a_placeholder_title() -> None:
    assert parse_text_article("   ").title == "Untitled"


def test_a_quoted_name_after_titled_becomes_the_title() -> None:
    article = parse_text_article('A forum titled "Trade Routes of the Caspian" met in Baku.')
    assert article.title == "Trade Routes of the Caspian"


def test_a_quoted_name_too_long_for_a_title_keeps_its_subject_after_the_colon() -> None:
    article = parse_text_article(_seed("004"))
    assert article.title == "Azerbaijan and Armenia after the Washington Summit"


def test_a_leading_date_phrase_is_not_part_of_the_title() -> None:
    article = parse_text_article("On September 25, the minister met the ECO chief. More text.")
    assert article.title == "The minister met the ECO chief"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON, March 3, 2025. The envoy met the minister in the capital.", date(2025, 3, 3)),
        ("BRUSSELS, 14 October 2024 - Ministers agreed on a new gas route.", date(2024, 10, 14)),
        ("Published 2023-11-05. The port opened a second terminal on Monday.", date(2023, 11, 5)),
    ],
)
def test_a_date_the_text_states_in_its_opening_is_its_date(text: str, expected: date) -> None:
    assert parse_text_article(text).published == expected


@pytest.mark.parametrize(
    "text",
    [
        "On September 25, the minister met the ECO chief. More text.",
        "The envoy spoke today.\n\nOn the night of February 25–26, 1992, the city was seized.",
        "The council met on February 30, 2024 to discuss the budget.",
    ],
)
def test_no_year_a_later_date_or_an_impossible_date_leaves_it_undated(text: str) -> None:
    assert parse_text_article(text).published is None


def test_a_date_line_wins_over_a_date_in_the_text() -> None:
    article = parse_text_article(" date 2026-01-02 PARIS, March 3, 2025. Talks resumed.")
    assert article.published == date(2026, 1, 2)

from datetime import datetime

import pytest

from engine.dedupe import canonical_url, same_story
from engine.models import Article

BODY = "The port of Alat opened a new terminal for containers this week, officials said. " * 4


def art(title: str, body: str, url: str | None = None) -> Article:
    return Article(1, title, body, None, None, url, datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://news.example/a?utm_source=tg&id=3", "http://www.news.example/a/?id=3&fbclid=x"),
        ("https://news.example/a#comments", "https://NEWS.example/a"),
    ],
)
def test_tracking_parameters_and_cosmetics_do_not_change_the_url(a: str, b: str) -> None:
    assert canonical_url(a) == canonical_url(b)


def test_different_query_values_are_different_pages() -> None:
    assert canonical_url("https://x.example/?id=1") != canonical_url("https://x.example/?id=2")


def test_same_text_under_a_new_title_is_the_same_story() -> None:
    assert same_story(
        art("Alat opens terminal", BODY), art("Alat port: new terminal", BODY + " Updated.")
    )


def test_same_url_is_the_same_story_whatever_the_text() -> None:
    a = art("A", "short", "https://x.example/s?utm_medium=feed")
    assert same_story(a, art("B", "other", "https://x.example/s"))


def test_short_similar_texts_are_different_stories() -> None:
    a = art("Wheat prices moved", "Wheat prices moved in Baku. Traders met.")
    b = art("Cotton prices moved", "Cotton prices moved in Baku. Traders met.")
    assert not same_story(a, b)


def test_different_long_texts_are_different_stories() -> None:
    other = (
        "Ministers met in Brussels to discuss energy security and gas transit routes today. " * 4
    )
    assert not same_story(art("Alat", BODY), art("Brussels", other))

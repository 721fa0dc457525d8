"""Typed numbers are plain ASCII digits within a range; everything else is refused."""

from __future__ import annotations

import pytest

from engine.errors import ArticleNotFound
from engine.numbers import MAX_ID, article_id, parse_int


@pytest.mark.parametrize(("text", "expected"), [("1", 1), ("10", 10), ("007", 7), ("0", None)])
def test_ascii_numbers_in_range_are_read(text: str, expected: int | None) -> None:
    assert parse_int(text, 1, 10) == expected


@pytest.mark.parametrize(
    "text", ["²", "٣", "３", "-1", "+1", " 1", "1 ", "1.0", "1e1", "", "11", "9" * 5000]
)
def test_anything_but_ascii_digits_in_range_is_refused(text: str) -> None:
    assert parse_int(text, 1, 10) is None


def test_article_ids_beyond_any_row_are_not_found_as_typed() -> None:
    assert article_id("42") == 42 and article_id(str(MAX_ID)) == MAX_ID
    assert article_id("²") is None and article_id("abc") is None
    for typed, shown in (("0", "0"), (str(MAX_ID + 1), str(MAX_ID + 1)), ("9" * 5000, "9" * 29)):
        with pytest.raises(ArticleNotFound) as caught:
            article_id(typed)
        cut = "…" if shown != typed else ""
        assert str(caught.value) == f"No article with id {shown}{cut}.", "echoed short"

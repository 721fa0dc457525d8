"""Whether a body holds article text at all (a page of menu links does not)."""

from __future__ import annotations

import pytest

from engine.document import too_little_text

STORY = "The grain corridor through Baku reopened on Monday after repairs to the rail link."


@pytest.mark.parametrize(
    "body",
    ["", "   ", "Home", "Home | About", "Home\nNews\nContact us", "🙂 🙂 🙂 🙂", "Share this"],
)
def test_menus_and_scraps_are_not_article_text(body: str) -> None:
    assert too_little_text(body)


@pytest.mark.parametrize(
    "body",
    [
        STORY,
        "Alpha story, corrected.",
        "Ministers met in Baku today!",
        "اجتمع الوزراء في باكو اليوم.",
        " ".join(["word"] * 40),  # a long text without punctuation is still text
    ],
)
def test_sentences_and_long_texts_are_article_text(body: str) -> None:
    assert not too_little_text(body)

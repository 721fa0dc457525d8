"""Readers' comments below a plain-text article are not article text (issue 23): the
summaries and a focused summary must not quote a reader as if the article said it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.models import ParsedArticle
from ingest.files import load_file

BBC = Path(__file__).resolve().parents[3] / "shared" / "eval" / "bbc"

ARTICLE = [
    "Port opens second ferry terminal",
    "The port of Alat opened a second ferry terminal on Monday, officials said.",
    "The terminal doubles the port's capacity, the transport minister told reporters.",
    "According to the port authority, 40 ferries a week will use it by the summer.",
    "A spokesman said the old terminal would be refitted next year.",
]
COMMENTS = [
    "About time! I have waited hours for a ferry every summer.",
    "Will it cut the queues? I doubt it.",
    "Great news for the region, well done to all involved!",
    "You could have built a bridge for that money.",
    "My family uses the ferry every week and we are delighted.",
]


def _load(tmp_path: Path, paragraphs: list[str]) -> ParsedArticle:
    path = tmp_path / "article.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    (article,) = load_file(path)
    assert isinstance(article, ParsedArticle)
    return article


def test_readers_comments_after_a_txt_article_are_left_out(tmp_path: Path) -> None:
    article = _load(tmp_path, ARTICLE + COMMENTS)
    assert "40 ferries a week" in article.body
    assert not any(comment[:20] in article.body for comment in COMMENTS)


def test_a_few_remarks_at_the_end_stay_article_text(tmp_path: Path) -> None:
    # Under five paragraphs in a reader's voice is no comment section.
    article = _load(tmp_path, ARTICLE + COMMENTS[:3])
    assert all(comment in article.body for comment in COMMENTS[:3])


@pytest.mark.skipif(not BBC.is_dir(), reason=f"no evaluation corpus at {BBC}")
def test_the_veritas_articles_comments_are_not_its_text() -> None:
    # politics/293: "Veritas is the beginning of the end for Kilroy-Silk." ended /summary
    # Kilroy Veritas; the comments begin at "Veritas? It's the BNP in an expensive suit!".
    (article,) = load_file(BBC / "politics" / "293.txt")
    assert isinstance(article, ParsedArticle)
    assert "Mr Hockney also left UKIP" in article.body
    assert "expensive suit" not in article.body
    assert "beginning of the end" not in article.body

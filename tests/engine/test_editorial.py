"""Issue 23's examples, with their articles from ../shared/eval/bbc (read where they are, never
copied): no summary shows a sentence without what it leans on, a focused summary carries the
query's words the lede lacks, and a body without its headline gets its title from the lede."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.dangling import dangling, leans_on, opens_with_connective
from engine.document import parse_text_article
from engine.sentences import split_sentences
from engine.summary import summarize
from engine.text import words

BBC = Path(__file__).resolve().parents[3] / "shared" / "eval" / "bbc"
pytestmark = pytest.mark.skipif(not BBC.is_dir(), reason=f"no evaluation corpus at {BBC}")

# The article of each example and the sentence opening its summary went wrong with.
EXAMPLES = [
    ("politics/281.txt", "Mr Knapman rejected the idea"),  # Mr Knapman never introduced
    ("politics/111.txt", "Mr Hockney also left UKIP"),
    ("politics/293.txt", "Mr Hockney also left UKIP"),
    ("tech/336.txt", "But that has not stopped"),
]
TITLED = ["business/314.txt", "entertainment/373.txt", "politics/111.txt", "tech/336.txt"]


def _body(name: str) -> str:
    """The article without its headline line."""
    return (BBC / name).read_text(encoding="utf-8").partition("\n")[2].strip()


def _antecedent_before(summary: tuple[str, ...], article: list[str], sentence: str) -> bool:
    index = article.index(sentence)
    at = summary.index(sentence)
    return at > 0 and summary[at - 1] == article[index - 1]


@pytest.mark.parametrize(("name", "opening"), EXAMPLES)
@pytest.mark.parametrize("count", [3, 5, 10])
def test_a_sentence_that_leans_on_another_comes_only_with_it(
    name: str, opening: str, count: int
) -> None:
    body = _body(name)
    article = split_sentences(body)
    summary = summarize(body, sentences=count).sentences
    assert dangling(summary, article) == []
    leaning = next(s for s in article if s.startswith(opening))
    if leaning in summary and not opening.startswith("Mr"):
        assert _antecedent_before(summary, article, leaning)


@pytest.mark.parametrize(
    ("name", "query"),
    [("politics/293.txt", "Kilroy Veritas"), ("politics/111.txt", "Kilroy Veritas")],
)
def test_a_focused_summary_keeps_the_lede_and_carries_the_words_it_lacks(
    name: str, query: str
) -> None:
    body = _body(name)
    article = split_sentences(body)
    lacking = {w for w in words(query) if w not in words(article[0])}
    focused = summarize(body, query_words=words(query))
    assert focused.sentences[0] == article[0]
    assert lacking and lacking <= set(words(focused.text))
    assert dangling(focused.sentences, article) == []


@pytest.mark.parametrize("name", TITLED)
def test_a_body_without_its_headline_is_titled_from_its_lede(name: str) -> None:
    body = _body(name)
    title = parse_text_article(body).title
    lede = split_sentences(body)[0]
    assert title.split()[0] in lede.split()[:10]
    assert " ".join(title.split()[:2]) in lede
    assert not opens_with_connective(title)
    assert not title.endswith("…") and len(title) <= 90


def test_a_first_sentence_leaning_on_a_heading_is_not_chosen() -> None:
    """The text opens with a heading no summary holds, then "But he denied …": that sentence
    leans on something the reader never sees (politics/389 of the summary set)."""
    from engine.dangling import dangling
    from engine.sentences import split_sentences
    from engine.summary import summarize

    text = (
        "The shape of the economy In graphics\n"
        "But he denied that he was ruling out membership of the currency union this year. "
        "The chancellor set out his spending plans for the next three years on Monday. "
        "Public investment will rise by four billion pounds under the new rules. "
        "Economists said the plans depended on growth staying above two per cent."
    )
    summary = summarize(text).sentences
    assert summary and not any(s.startswith("But") for s in summary), summary
    assert not dangling(summary, split_sentences(text))


@pytest.mark.parametrize(
    ("first", "introduces"),
    [
        ("Mittal Steel could cut 45,000 jobs over five years, its chief executive said.", True),
        ("The Knapman-Smith trust could cut 45,000 jobs over five years, its head said.", False),
        ("The Knapmans could cut 45,000 jobs over five years, their company said.", False),
    ],
)
def test_a_person_named_by_title_leans_on_the_sentence_naming_them_as_a_word(
    first: str, introduces: bool
) -> None:
    surname = "Mittal" if first.startswith("Mittal") else "Knapman"
    sentences = [first, "The cuts come slowly.", f"Mr {surname} told investors it would wait."]
    assert leans_on(sentences, 2) == (0 if introduces else None)

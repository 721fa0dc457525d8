"""KeywordIndex gives the answers ArticleMatcher gives: on real BBC articles with keywords
taken from them (typos, plurals, prefixes, excluded words) and on generated typos."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.keyword_index import KeywordIndex
from engine.lang.en import inflections
from engine.matching import ArticleMatcher, matching
from engine.models import Article
from engine.text import words
from engine.vocabulary import SMALL_VOCABULARY

BBC = Path(__file__).resolve().parents[3] / "shared" / "eval" / "bbc"
WHEN = datetime(2026, 12, 6)


def _article(n: int, title: str, body: str) -> Article:
    return Article(n, title, body, None, None, None, WHEN)


def _before(subs: list[tuple[str, str]], articles: list[Article]) -> set[tuple[int, int]]:
    """(subscription, article) pairs as fan-out matched them before: ArticleMatcher."""
    matchers = [ArticleMatcher(a) for a in articles]
    return {(n, a.id) for n, (k, x) in enumerate(subs) for a in matching(k, matchers, x)}


def _now(subs: list[tuple[str, str]], articles: list[Article]) -> set[tuple[int, int]]:
    index = KeywordIndex()
    for n, (keywords, excluded) in enumerate(subs):
        index.add(n, keywords, excluded)
    return {pair for found in index.pairs(articles) for pair in found}


def _typo(word: str, rng: random.Random) -> str:
    """One or two random edits (delete, swap, replace, insert), any length of word."""
    for _ in range(rng.choice((1, 1, 2))):
        i = rng.randrange(len(word))
        c = rng.choice("abcdefghijklmnopqrstuvwxyz0é")
        match rng.randrange(4):
            case 0 if len(word) > 1:
                word = word[:i] + word[i + 1 :]
            case 1 if i + 1 < len(word):
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            case 2:
                word = word[:i] + c + word[i + 1 :]
            case _:
                word = word[:i] + c + word[i:]
    return word


def _keyword(vocabulary: list[str], rng: random.Random) -> str:
    word = rng.choice(vocabulary)
    roll = rng.random()
    if roll < 0.3:
        return _typo(word, rng)
    if roll < 0.4 and inflections(word):
        return sorted(inflections(word))[0]
    if roll < 0.5:
        return word[: rng.randrange(1, len(word) + 1)]  # a prefix, as the last word
    return word


def _subscriptions(vocabulary: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    subs = [("", ""), ("***", ""), ("the of", ""), ("", "said")]  # empty, no words, stop words
    for _ in range(count):
        keywords = " ".join(_keyword(vocabulary, rng) for _ in range(rng.choice((1, 1, 2, 3))))
        if rng.random() < 0.1:
            keywords += " news"  # a stop word last: the word before it is no prefix
        excluded = " ".join(_keyword(vocabulary, rng) for _ in range(rng.choice((0, 0, 1, 2))))
        subs.append((keywords, excluded))
    return subs


def _bbc(limit: int) -> list[Article]:
    files = sorted(BBC.glob("*/*.txt"))
    random.Random(3).shuffle(files)
    found = []
    for n, path in enumerate(files[:limit], 1):
        title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        found.append(_article(n, title.strip(), body.strip()))
    return found


@pytest.mark.skipif(not BBC.is_dir(), reason=f"the BBC corpus is not at {BBC}")
def test_same_answers_as_article_matcher_on_bbc_articles() -> None:
    articles = _bbc(120)
    vocabulary = sorted({w for a in articles for w in words(a.title + " " + a.body)})
    subs = _subscriptions(vocabulary, 400, seed=19)
    expected = _before(subs, articles)
    assert len(expected) > 1_000  # the keywords do match: typos, plurals, prefixes
    assert _now(subs, articles) == expected


_LETTERS = "abcdeilnorst"
_WORD = st.text(_LETTERS, min_size=1, max_size=11)


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.lists(_WORD, min_size=1, max_size=25), min_size=1, max_size=4),
    subs=st.lists(st.tuples(st.lists(_WORD, max_size=3), st.lists(_WORD, max_size=2)), max_size=12),
    seed=st.integers(0, 2**16),
)
def test_same_answers_on_generated_typos(
    texts: list[list[str]], subs: list[tuple[list[str], list[str]]], seed: int
) -> None:
    rng = random.Random(seed)
    articles = [_article(n, "", " ".join(t)) for n, t in enumerate(texts, 1)]
    vocabulary = sorted({w for t in texts for w in t})
    keyworded = [
        (" ".join(rng.choice((w, _typo(w, rng), _keyword(vocabulary, rng))) for w in k),
         " ".join(x))
        for k, x in subs
    ]  # fmt: skip
    assert _now(keyworded, articles) == _before(keyworded, articles)


def test_a_large_article_keeps_the_vocabularys_alphabet() -> None:
    """Past SMALL_VOCABULARY words an article's one-edit variants are generated from Latin
    letters for a Latin word: a digit in place of a letter is then no typo, as before."""
    filler = " ".join(f"w{n}x" for n in range(SMALL_VOCABULARY + 1))
    small = _article(1, "Ferr1 boats", "A ferr1 sails.")
    large = _article(2, "Ferr1 boats", "A ferr1 sails. " + filler)
    subs = [("ferry", ""), ("ferri", ""), ("boat", ""), ("w12", "")]
    assert _now(subs, [small, large]) == _before(subs, [small, large])
    assert (0, 1) in _before(subs, [small]) and (0, 2) not in _before(subs, [large])

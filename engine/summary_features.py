"""What the summariser reads off a text's candidate sentences: their content words (folded by
engine.lang.en.root) and as written, and each sentence's score.

The score is a small logistic model of "an editor's extract holds this sentence", fitted on
the BBC News Summary dev split (whose references are sentences copied from their articles) by
`python -m bench.summary_weights`, which re-derives the constants below on each half of the
split and scores the other half with them. Only the coefficients ship: no model library runs
here.

Written for speed as much as for reading (summaries are computed for every article added, and
bench.summaries times them beside TextRank): one regular-expression pass per sentence (two
with an apostrophe), roots cached per word, centrality summed word by word.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, filterfalse

from engine.lang.en import SUMMARY_STOP_WORDS, root
from engine.text import WORD_RE, fold

# What the model reads of each sentence, in the order of Weights.coefficients.
FEATURES = (
    "recurring",  # content words other sentences also use, per len ** 0.2 (÷ the text's best)
    "centrality",  # summed cosine similarity to the other sentences of its words as written
    # (not folded, numbers kept, "firm's" one word), ÷ the text's best
    "content share",  # content words among all its words (lists of names score high)
    "log length",  # natural log of its characters
    "position",  # 0 for the first candidate sentence, 1 for the last
)
# `recurring` divides by len ** 0.2: a long sentence holds more of the article's themes.
_RECURRING_POWER = 0.2
# The words as written: "firm's" and "it's" stay one word. For ASCII text the same as plain
# character classes, which match faster.
_WRITTEN_RE = re.compile(r"[^\W_]+(?:'[^\W\d_]+)?")
_ASCII_WRITTEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")  # WORD_RE on lower-case ASCII text


@dataclass(frozen=True, slots=True)
class Weights:
    """A sentence's value: sigmoid(intercept + coefficients · features) times its length in
    characters to the power `length_power` (the budget is in characters)."""

    intercept: float
    coefficients: tuple[float, ...]  # one per FEATURES, in its order
    length_power: float

    def __post_init__(self) -> None:
        if len(self.coefficients) != len(FEATURES):
            raise ValueError(f"{len(FEATURES)} coefficients expected, one per feature")


# Fitted on all 1,087 dev articles by `python -m bench.summary_weights` (2026-12-06).
WEIGHTS = Weights(
    intercept=-0.911,
    coefficients=(3.160, 4.949, -1.965, -0.518, -0.286),
    length_power=0.2,
)


class _Terms(dict[str, str]):
    """Each folded word's root, "" for a stop word or a number: filled as words are met, so
    a known word costs one dictionary lookup (every article's words are read this way)."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _MAX_TERMS:
            self.clear()
        term = "" if word in SUMMARY_STOP_WORDS or word.isdigit() else root(word)
        self[word] = term
        return term


_MAX_TERMS = 1 << 17
_TERMS = _Terms()


@dataclass(frozen=True, slots=True)
class Reading:
    """A text's candidate sentences as the summariser reads them, one item per sentence."""

    terms: list[list[str]]  # content words, rooted, in order (no stop words, no numbers)
    written: list[frozenset[str]]  # the words as written, without stop words (numbers kept)
    words: list[int]  # how many words


def read(sentences: Sequence[str]) -> Reading:
    """The sentences' content words (rooted and as written) and word counts."""
    reading = Reading([], [], [])
    add_terms, add_written, add_words = (
        reading.terms.append,
        reading.written.append,
        reading.words.append,
    )
    is_stop_word, term_of = SUMMARY_STOP_WORDS.__contains__, _TERMS.__getitem__
    for sentence in sentences:
        # For ASCII text fold() is lower(), which runs without a table lookup per character.
        if sentence.isascii():
            folded, words_re, written_re = sentence.lower(), _ASCII_WORD_RE, _ASCII_WRITTEN_RE
        else:
            folded, words_re, written_re = fold(sentence), WORD_RE, _WRITTEN_RE
        written = written_re.findall(folded)
        # Without an apostrophe both readings split alike: one pass does for both.
        found = words_re.findall(folded) if "'" in folded else written
        add_terms(list(filter(None, map(term_of, found))))
        add_written(frozenset(filterfalse(is_stop_word, written)))
        add_words(len(found))
    return reading


def centrality(sets: Sequence[frozenset[str]]) -> list[float]:
    """Per sentence, its summed cosine similarity to the others (LexRank's degree, no
    iteration), divided by the text's highest.

    Summed word by word rather than pair by pair (the same sum, in time linear in the words):
    sentence i's similarity to j is the sum over their shared words of 1 / sqrt(|i| |j|).
    """
    weight: dict[str, float] = {}
    get = weight.get
    inverse = [1.0 / math.sqrt(len(x)) if x else 0.0 for x in sets]
    for words, share in zip(sets, inverse, strict=True):
        for word in words:
            weight[word] = get(word, 0.0) + share
    found = [
        sum(map(weight.__getitem__, words)) * share - 1.0 if words else 0.0
        for words, share in zip(sets, inverse, strict=True)
    ]
    top = max(found, default=0.0) or 1.0
    return [value / top for value in found]


def features(
    reading: Reading, lengths: Sequence[int], sets: Sequence[frozenset[str]]
) -> list[tuple[float, ...]]:
    """Each sentence's FEATURES (`sets`: its content words; bench.summary_weights fits the
    weights on them)."""
    # A word counts once per other sentence that also uses it (a word said once is no theme).
    count = Counter(chain.from_iterable(sets)).__getitem__
    recurring = [
        (sum(map(count, toks)) - len(toks)) / len(toks) ** _RECURRING_POWER if toks else 0.0
        for toks in reading.terms
    ]
    most = max(recurring, default=0.0) or 1.0
    central = centrality(reading.written)
    last = max(len(lengths) - 1, 1)
    return [
        (
            recurring[i] / most,
            central[i],
            len(reading.terms[i]) / (reading.words[i] or 1),
            math.log(lengths[i] or 1),
            i / last,
        )
        for i in range(len(lengths))
    ]


def values(
    rows: Sequence[tuple[float, ...]], lengths: Sequence[int], weights: Weights = WEIGHTS
) -> list[float]:
    """Each sentence's value by the model, the text's best scoring 1."""
    bias, coefficients, power = weights.intercept, weights.coefficients, weights.length_power
    exp, mul = math.exp, operator.mul
    found = [
        length**power / (1.0 + exp(-bias - sum(map(mul, coefficients, row))))
        for row, length in zip(rows, lengths, strict=True)
    ]
    top = max(found, default=0.0) or 1.0
    return [value / top for value in found]


def scores(values: Sequence[float], tokenised: Sequence[list[str]], focus: set[str]) -> list[float]:
    """The values with the query's boost: a query word counts even in a sentence of words
    said once ("bakery" in a summit story)."""
    if not focus:
        return list(values)
    hits = [len(focus.intersection(toks)) for toks in tokenised]
    return [s * (1.0 + 2.0 * h) + h for s, h in zip(values, hits, strict=True)]

"""Extractive summaries: rank sentences, keep the best that fit the budget, restore order.

The shape of sumy's summarisers: score every sentence, keep the top N, give them back in
document order. The score is a small logistic model over a sentence's recurring content words,
its centrality, its share of content words, its length and position (weights fitted on the BBC
News Summary dev split by bench.summary_weights: engine.summary_features) and, when a query is
given, a boost for sentences holding its words. There is no lead bonus: the lede is placed
first by rule.

Three rules make the result read like a summary rather than a list of central sentences
(engine.selection applies them):
- The lede (the first summary-worthy sentence) opens every summary: it is the article's main
  point ("Hajiyev held a press conference in Brussels"), even when later sentences repeat the
  article's most frequent words more often. Asked for words, the summary brings in, after
  the lede, the first sentences that carry the words the lede lacks.
- Maximal marginal relevance: each next sentence is the best score less its overlap with
  what is already chosen, and a sentence that mostly repeats a chosen one (half the shorter
  one's content words, "released" and "release" one word) is never taken. Three content
  words said again in a row ("commitment to peace and cooperation") count as nearly that
  much overlap.
- A sentence that leans on another ("But…", "He said…", "Mr Knapman…") comes only with it
  (engine.dangling).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.dependencies import Dependencies
from engine.lang.en import SUMMARY_STOP_WORDS, root, stem
from engine.selection import Greedy, Limits, select
from engine.sentences import split_sentences
from engine.summary_features import (
    WEIGHTS,
    Weights,
    features,
    read,
    scores,
    values,
)
from engine.text import shorten, words

DEFAULT_SENTENCES = 3
DEFAULT_BUDGET = 700
MAX_SENTENCES = 10  # the most a user may ask for (/summary, the CLI)
_MIN_WORDS = 5
_END_PUNCT = tuple('.!?"”’…)')


@dataclass(frozen=True, slots=True)
class Summary:
    """The chosen sentences, in document order."""

    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        """The summary as one paragraph."""
        return " ".join(self.sentences)


def _eligible(sentence: str) -> bool:
    """Headings, datelines and fragments are not summary material."""
    return len(
        sentence.split(maxsplit=_MIN_WORDS - 1)
    ) >= _MIN_WORDS and sentence.rstrip().endswith(_END_PUNCT)


def content_words(sentence: str) -> list[str]:
    """The stemmed words of a sentence that carry its content (no stopwords, no numbers)."""
    return [stem(w) for w in words(sentence) if w not in SUMMARY_STOP_WORDS and not w.isdigit()]


def _candidates(text: str) -> tuple[list[str], list[int]]:
    """The summary-worthy sentences of `text` and their positions among all its sentences."""
    every = split_sentences(text)
    positions = [i for i, s in enumerate(every) if _eligible(s)]
    if not positions:
        return every[:1], [0] if every else []
    return [every[i] for i in positions], positions


def sentence_features(text: str) -> tuple[list[str], list[tuple[float, ...]]]:
    """The summary-worthy sentences of `text` and what the sentence model reads of each
    (engine.summary_features.FEATURES; bench.summary_weights fits the weights on them)."""
    candidates, _ = _candidates(text)
    reading = read(candidates)
    sets = [frozenset(t) for t in reading.terms]
    return candidates, features(reading, [len(s) for s in candidates], sets)


def _carries(tokenised: Sequence[list[str]], focus: set[str]) -> list[frozenset[str]]:
    """Per sentence, the query's words it holds that the lede lacks (words no sentence holds
    are typos or stop words: they are ignored)."""
    lacking = focus - set(tokenised[0])
    return [frozenset(lacking.intersection(toks)) for toks in tokenised]


def summarize(
    text: str,
    *,
    sentences: int = DEFAULT_SENTENCES,
    budget: int = DEFAULT_BUDGET,
    query_words: Iterable[str] = (),
    diverse: bool = True,
    weights: Weights = WEIGHTS,
) -> Summary:
    """Pick up to `sentences` sentences totalling at most `budget` characters.

    The lede comes first; with query words, the sentences that carry the ones the lede lacks
    come next (a one-sentence summary is the best of those alone). No sentence comes without
    the one it leans on (engine.dangling). `diverse=False` turns redundancy control off (only
    for comparison in bench.summaries: it shows what repeating costs and earns in ROUGE);
    `weights` are the sentence model's (bench.summary_weights fits others to compare).
    """
    sentences = max(1, sentences)
    candidates, positions = _candidates(text)
    if not candidates:
        return Summary(())
    focus = {root(w) for w in query_words if w not in SUMMARY_STOP_WORDS}
    reading = read(candidates)
    tokenised = reading.terms
    lengths = [len(s) for s in candidates]
    sets = [frozenset(t) for t in tokenised]
    ranks = scores(values(features(reading, lengths, sets), lengths, weights), tokenised, focus)
    carries = _carries(tokenised, focus) if focus else []
    greedy = Greedy(
        candidates,
        ranks,
        sets if diverse else None,
        Dependencies(candidates, positions),
        Limits(sentences, budget),
        tokenised if diverse else (),
    )
    lede = sentences > 1 or not any(carries)
    chosen = select(greedy, lede=lede, carries=carries)
    if not chosen:
        # Even the best sentence is over budget: cut it rather than say nothing.
        best = max(range(len(candidates)), key=lambda i: (ranks[i], -i))
        return Summary((shorten(candidates[best], max(budget, 20)),))
    return Summary(tuple(candidates[i] for i in chosen))

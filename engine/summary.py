"""Extractive summaries: rank sentences, keep the best that fit the budget, restore order.

The shape of sumy's summarisers: score every sentence, keep the top N, give them back in
document order. The score is a Luhn-style content-word frequency, a small lead bonus (news puts
the point first) and, when a query is given, a boost for sentences holding its words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from engine.sentences import split_sentences
from engine.text import shorten, words

DEFAULT_SENTENCES = 3
DEFAULT_BUDGET = 700
MAX_SENTENCES = 10
_MIN_WORDS = 5
_END_PUNCT = tuple('.!?"”’…)')

_STOPWORD_TEXT = """
a about after again against all also an and any are as at be been before being between both
but by can could did do does during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not now of off on
once only or other our out over own said same she should so some such than that the their them
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your s t
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


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
    return len(sentence.split()) >= _MIN_WORDS and sentence.rstrip().endswith(_END_PUNCT)


def summarize(
    text: str,
    *,
    sentences: int = DEFAULT_SENTENCES,
    budget: int = DEFAULT_BUDGET,
    query_words: Iterable[str] = (),
) -> Summary:
    """Pick up to `sentences` sentences totalling at most `budget` characters."""
    sentences = max(1, min(sentences, MAX_SENTENCES))
    candidates = [s for s in split_sentences(text) if _eligible(s)]
    if not candidates:
        candidates = split_sentences(text)[:1]
    if not candidates:
        return Summary(())
    tokenised = [
        [w for w in words(s) if w not in STOPWORDS and not w.isdigit()] for s in candidates
    ]
    freq = Counter(w for toks in tokenised for w in set(toks))
    focus = {w for w in query_words if w not in STOPWORDS}
    scores = []
    for index, toks in enumerate(tokenised):
        if not toks:
            scores.append(0.0)
            continue
        content = sum(freq[w] for w in toks) / len(toks) ** 0.5
        lead = 1.5 if index == 0 else 1.2 if index < 3 else 1.0
        hits = len(focus.intersection(toks))
        scores.append(content * lead * (1.0 + 2.0 * hits))
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    used = 0
    for i in order:
        length = len(candidates[i]) + (1 if chosen else 0)
        if used + length > budget:
            continue
        chosen.append(i)
        used += length
        if len(chosen) == sentences:
            break
    if not chosen:
        # Even the best sentence is over budget: cut it rather than say nothing.
        return Summary((shorten(candidates[order[0]], max(budget, 20)),))
    return Summary(tuple(candidates[i] for i in sorted(chosen)))

"""Extractive summaries: rank sentences, keep the best that fit the budget, restore order.

The shape of sumy's summarisers: score every sentence, keep the top N, give them back in
document order. The score is a Luhn-style content-word frequency with a lead bonus (news puts
the point first) and, when a query is given, a boost for sentences holding its words.

Two rules make the result read like a summary rather than a list of central sentences:
- The lede (the first summary-worthy sentence) opens every summary without a query: it is the
  article's main point ("Hajiyev held a press conference in Brussels"), even when later
  sentences repeat the article's most frequent words more often.
- Maximal marginal relevance: each next sentence is the best score less its similarity to what
  is already chosen, and a sentence that mostly repeats a chosen one is never taken.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.lang.en import SUMMARY_STOP_WORDS, stem
from engine.sentences import split_sentences
from engine.text import WORD_RE, fold, shorten, words

DEFAULT_SENTENCES = 3
DEFAULT_BUDGET = 700
MAX_SENTENCES = 10  # the most a user may ask for (/summary, the CLI)
_MIN_WORDS = 5
_END_PUNCT = tuple('.!?"”’…)')
# MMR: how much a sentence's overlap with the chosen ones costs, against its own score (the
# best sentence scores 1).
REDUNDANCY_WEIGHT = 0.7
# Overlap at which a sentence says again what a chosen one says: half the shorter one's content
# words are in the other. Such a sentence is never taken.
REPEATS = 0.5
# The overlap a repeated phrase ("commitment to peace") counts for, at least.
PHRASE_REPEAT = 0.45
# How much of a sentence's score comes from its centrality (LexRank's degree) rather than words.
CENTRALITY_WEIGHT = 0.8
# Words per sentence are divided by len ** LENGTH_POWER: long sentences hold more, not 1:1 more.
LENGTH_POWER = 0.5
# News puts the point first: the first three candidates' bonus.
LEAD = (1.5, 1.2, 1.2)


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


def content_words(sentence: str) -> list[str]:
    """The stemmed words of a sentence that carry its content (no stopwords, no numbers)."""
    return [stem(w) for w in words(sentence) if w not in SUMMARY_STOP_WORDS and not w.isdigit()]


def phrases(sentence: str) -> frozenset[tuple[str, str]]:
    """Pairs of lower-case content words next to each other (stopwords skipped): "commitment
    to peace". Names ("South Caucasus") are the subject, not a phrase said again."""
    pairs = set()
    previous = ""
    # fold keeps offsets, so the folded words line up with the original ones.
    for raw, word in zip(WORD_RE.findall(sentence), WORD_RE.findall(fold(sentence)), strict=False):
        if word in SUMMARY_STOP_WORDS:
            continue
        current = stem(word) if raw[0].islower() and not word.isdigit() else ""
        if previous and current:
            pairs.add((previous, current))
        previous = current
    return frozenset(pairs)


def _similarities(sets: Sequence[frozenset[str]]) -> tuple[list[list[float]], list[list[float]]]:
    """For every pair of sentences, cosine similarity and containment (the diagonal is 0).

    Containment is the share of the shorter sentence's content words the longer one holds: one
    sentence saying again what another says, whatever else the longer adds.
    """
    n = len(sets)
    cosine = [[0.0] * n for _ in range(n)]
    contained = [[0.0] * n for _ in range(n)]
    for i in range(n):
        a = sets[i]
        for j in range(i + 1, n):
            b = sets[j]
            if not a or not b:
                continue
            common = len(a & b)
            cosine[i][j] = cosine[j][i] = common / math.sqrt(len(a) * len(b))
            contained[i][j] = contained[j][i] = common / min(len(a), len(b))
    return cosine, contained


def _scores(
    tokenised: Sequence[list[str]], table: Sequence[Sequence[float]], focus: set[str]
) -> list[float]:
    """Recurring content words per sentence, times centrality, a lead bonus and the query's boost.

    A word counts once per other sentence that also uses it (a word said once is no theme);
    centrality is a sentence's summed similarity to the others (LexRank's degree, no iteration).
    """
    freq = Counter(w for toks in tokenised for w in set(toks))
    centrality = [sum(row) for row in table]
    most_central = max(centrality, default=0.0) or 1.0
    scores = []
    for index, toks in enumerate(tokenised):
        if not toks:
            scores.append(0.0)
            continue
        recurring = sum(freq[w] - 1 for w in toks) / len(toks) ** LENGTH_POWER
        central = 1 - CENTRALITY_WEIGHT + CENTRALITY_WEIGHT * centrality[index] / most_central
        lead = LEAD[index] if index < len(LEAD) else 1.0
        scores.append(recurring * central * lead)
    top = max(scores, default=0.0) or 1.0
    # A query word counts even in a sentence of words said once ("bakery" in a summit story).
    hits = [len(focus.intersection(toks)) for toks in tokenised]
    return [s / top * (1.0 + 2.0 * h) + h for s, h in zip(scores, hits, strict=True)]


def _count_repeated_phrases(candidates: Sequence[str], overlap: list[list[float]]) -> None:
    """Raise the overlap of two sentences sharing a phrase to at least PHRASE_REPEAT."""
    said = [phrases(s) for s in candidates]
    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if said[i] & said[j]:
                overlap[i][j] = overlap[j][i] = max(overlap[i][j], PHRASE_REPEAT)


def _select(
    candidates: Sequence[str],
    scores: Sequence[float],
    overlaps: Sequence[Sequence[float]] | None,
    limits: tuple[int, int],
    lede: bool,
) -> list[int]:
    """Greedy MMR under the (sentences, characters) limits; the lede first when asked for.

    Each step takes the sentence with the best score less its overlap with the chosen ones
    (none with `overlaps` None), skipping what would overflow or repeat a chosen sentence.
    """
    count, budget = limits
    chosen: list[int] = []
    used = 0
    # Each sentence's overlap with the closest chosen one, kept up to date as sentences are taken.
    overlap = [0.0] * len(candidates)
    left = list(range(len(candidates)))
    while left and len(chosen) < count:
        room = budget - used - bool(chosen)
        fitting = [i for i in left if len(candidates[i]) <= room and overlap[i] < REPEATS]
        if not fitting:
            break
        if lede and not chosen and fitting[0] == 0:
            best = 0
        else:
            best = max(fitting, key=lambda i: scores[i] - REDUNDANCY_WEIGHT * overlap[i])
        chosen.append(best)
        left.remove(best)
        used += len(candidates[best]) + (len(chosen) > 1)
        if overlaps is not None:
            row = overlaps[best]
            overlap = [max(o, row[i]) for i, o in enumerate(overlap)]
    return sorted(chosen)


def summarize(
    text: str,
    *,
    sentences: int = DEFAULT_SENTENCES,
    budget: int = DEFAULT_BUDGET,
    query_words: Iterable[str] = (),
    diverse: bool = True,
) -> Summary:
    """Pick up to `sentences` sentences totalling at most `budget` characters.

    Without a query the lede comes first. `diverse=False` turns redundancy control off (only
    for comparison in bench.summaries: it shows what repeating costs and earns in ROUGE).
    """
    sentences = max(1, sentences)
    candidates = [s for s in split_sentences(text) if _eligible(s)]
    if not candidates:
        candidates = split_sentences(text)[:1]
    if not candidates:
        return Summary(())
    focus = {stem(w) for w in query_words if w not in SUMMARY_STOP_WORDS}
    tokenised = [content_words(s) for s in candidates]
    cosine, contained = _similarities([frozenset(t) for t in tokenised])
    scores = _scores(tokenised, cosine, focus)
    if diverse:
        _count_repeated_phrases(candidates, contained)
        chosen = _select(candidates, scores, contained, (sentences, budget), lede=not focus)
    else:
        chosen = _select(candidates, scores, None, (sentences, budget), lede=not focus)
    if not chosen:
        # Even the best sentence is over budget: cut it rather than say nothing.
        best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
        return Summary((shorten(candidates[best], max(budget, 20)),))
    return Summary(tuple(candidates[i] for i in chosen))


def rank_sentences(text: str) -> list[str]:
    """The summary-worthy sentences of `text`, best first, by the score summaries use."""
    candidates = [s for s in split_sentences(text) if _eligible(s)]
    tokenised = [content_words(s) for s in candidates]
    cosine, _ = _similarities([frozenset(t) for t in tokenised])
    scores = _scores(tokenised, cosine, set())
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    return [candidates[i] for i in order]

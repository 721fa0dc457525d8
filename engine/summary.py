"""Extractive summaries: rank sentences, keep the best that fit the budget, restore order.

The shape of sumy's summarisers: score every sentence, keep the top N, give them back in
document order. The score is a Luhn-style content-word frequency times centrality and, when a
query is given, a boost for sentences holding its words. There is no lead bonus: the lede is
placed first by rule, and a bonus for the sentences after it chose ones the references
leave out (ROUGE-2 at the BBC set's budget 0.678 -> 0.687).

Three rules make the result read like a summary rather than a list of central sentences
(engine.selection applies them):
- The lede (the first summary-worthy sentence) opens every summary: it is the article's main
  point ("Hajiyev held a press conference in Brussels"), even when later sentences repeat the
  article's most frequent words more often. Asked for words, the summary brings in, after
  the lede, the first sentences that carry the words the lede lacks.
- Maximal marginal relevance: each next sentence is the best score less its similarity to
  what is already chosen (a shared phrase such as "commitment to peace" counts), and a
  sentence that mostly repeats a chosen one is never taken.
- A sentence that leans on another ("But…", "He said…", "Mr Knapman…") comes only with it
  (engine.dangling).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.lang.en import SUMMARY_STOP_WORDS, root, stem
from engine.selection import Dependencies, Greedy, Limits, select
from engine.sentences import split_sentences
from engine.text import WORD_RE, fold, shorten, words

DEFAULT_SENTENCES = 3
DEFAULT_BUDGET = 700
MAX_SENTENCES = 10  # the most a user may ask for (/summary, the CLI)
_MIN_WORDS = 5
_END_PUNCT = tuple('.!?"”’…)')
# The overlap a repeated phrase ("commitment to peace") counts for, at least.
PHRASE_REPEAT = 0.45
# How much of a sentence's score comes from its centrality (LexRank's degree) rather than words.
CENTRALITY_WEIGHT = 0.8
# Words per sentence are divided by len ** LENGTH_POWER: long sentences hold more, not 1:1 more
# (0.2 rather than 0.5: a long sentence carries more of the article; bench.summaries).
LENGTH_POWER = 0.2


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


def _terms(sentence: str) -> list[str]:
    """`content_words` folded further (engine.lang.en.root), for choosing a summary's sentences:
    "released" and "release" are one word when judging whether two sentences say the same."""
    return [root(w) for w in words(sentence) if w not in SUMMARY_STOP_WORDS and not w.isdigit()]


def phrases(sentence: str) -> frozenset[tuple[str, str]]:
    """Pairs of lower-case content words next to each other (stopwords skipped): "commitment
    to peace". Names ("South Caucasus") are the subject, not a phrase said again."""
    pairs = set()
    previous = ""
    # fold keeps offsets, so a folded word's first character is found in the original.
    for match in WORD_RE.finditer(fold(sentence)):
        word = match.group()
        if word in SUMMARY_STOP_WORDS:
            continue
        current = root(word) if sentence[match.start()].islower() and not word.isdigit() else ""
        if previous and current:
            pairs.add((previous, current))
        previous = current
    return frozenset(pairs)


def _similarities(sets: Sequence[frozenset[str]]) -> tuple[list[list[float]], list[list[float]]]:
    """For every pair of sentences, cosine similarity and containment (the diagonal is 0).

    Containment is the share of the shorter sentence's content words the longer one holds: one
    sentence saying again what another says, whatever else the longer adds. Pairs are counted
    through the words they share (most pairs share none).
    """
    n = len(sets)
    holders: dict[str, list[int]] = {}
    for i, words_of in enumerate(sets):
        for w in words_of:
            holders.setdefault(w, []).append(i)
    common = [[0] * n for _ in range(n)]
    for found in holders.values():
        for k, i in enumerate(found):
            row = common[i]
            for j in found[k + 1 :]:
                row[j] += 1
    cosine = [[0.0] * n for _ in range(n)]
    contained = [[0.0] * n for _ in range(n)]
    sizes = [len(x) for x in sets]
    for i in range(n):
        row = common[i]
        for j in range(i + 1, n):
            shared = row[j]
            if shared:
                cosine[i][j] = cosine[j][i] = shared / math.sqrt(sizes[i] * sizes[j])
                contained[i][j] = contained[j][i] = shared / min(sizes[i], sizes[j])
    return cosine, contained


def _scores(
    tokenised: Sequence[list[str]], table: Sequence[Sequence[float]], focus: set[str]
) -> list[float]:
    """Recurring content words per sentence, times centrality, and the query's boost.

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
        scores.append(recurring * central)
    top = max(scores, default=0.0) or 1.0
    # A query word counts even in a sentence of words said once ("bakery" in a summit story).
    hits = [len(focus.intersection(toks)) for toks in tokenised]
    return [s / top * (1.0 + 2.0 * h) + h for s, h in zip(scores, hits, strict=True)]


def _count_repeated_phrases(candidates: Sequence[str], overlap: list[list[float]]) -> None:
    """Raise the overlap of two sentences sharing a phrase to at least PHRASE_REPEAT."""
    sayers: dict[tuple[str, str], list[int]] = {}
    for i, sentence in enumerate(candidates):
        for phrase in phrases(sentence):
            sayers.setdefault(phrase, []).append(i)
    for found in sayers.values():  # most phrases are said once: no pair to look at
        for k, i in enumerate(found):
            for j in found[k + 1 :]:
                overlap[i][j] = overlap[j][i] = max(overlap[i][j], PHRASE_REPEAT)


def _candidates(text: str) -> tuple[list[str], list[int]]:
    """The summary-worthy sentences of `text` and their positions among all its sentences."""
    every = split_sentences(text)
    positions = [i for i, s in enumerate(every) if _eligible(s)]
    if not positions:
        return every[:1], [0] if every else []
    return [every[i] for i in positions], positions


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
) -> Summary:
    """Pick up to `sentences` sentences totalling at most `budget` characters.

    The lede comes first; with query words, the sentences that carry the ones the lede lacks
    come next (a one-sentence summary is the best of those alone). No sentence comes without
    the one it leans on (engine.dangling). `diverse=False` turns redundancy control off (only
    for comparison in bench.summaries: it shows what repeating costs and earns in ROUGE).
    """
    sentences = max(1, sentences)
    candidates, positions = _candidates(text)
    if not candidates:
        return Summary(())
    focus = {root(w) for w in query_words if w not in SUMMARY_STOP_WORDS}
    tokenised = [_terms(s) for s in candidates]
    cosine, contained = _similarities([frozenset(t) for t in tokenised])
    scores = _scores(tokenised, cosine, focus)
    carries = _carries(tokenised, focus) if focus else []
    overlaps = None
    if diverse:
        _count_repeated_phrases(candidates, contained)
        overlaps = contained
    greedy = Greedy(
        candidates, scores, overlaps, Dependencies(candidates, positions), Limits(sentences, budget)
    )
    lede = sentences > 1 or not any(carries)
    chosen = select(greedy, lede=lede, carries=carries)
    if not chosen:
        # Even the best sentence is over budget: cut it rather than say nothing.
        best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
        return Summary((shorten(candidates[best], max(budget, 20)),))
    return Summary(tuple(candidates[i] for i in chosen))

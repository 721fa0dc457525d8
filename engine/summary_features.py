"""What the summariser reads off a text's candidate sentences: their content words (folded by
engine.lang.en.root), how alike every pair is, and each sentence's score.

Written for speed as much as for reading (summaries are computed for every article added, and
bench.summaries times them beside TextRank): one regular-expression pass per sentence, roots
cached per word, pairs compared by set intersections.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from engine.lang.en import SUMMARY_STOP_WORDS, root
from engine.text import WORD_RE, fold

# How much of a sentence's score comes from its centrality (LexRank's degree) rather than words.
CENTRALITY_WEIGHT = 0.8
# Words per sentence are divided by len ** LENGTH_POWER: long sentences hold more, not 1:1 more
# (0.2 rather than 0.5: a long sentence carries more of the article; bench.summaries).
LENGTH_POWER = 0.2


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


def terms(sentence: str) -> list[str]:
    """The sentence's content words (no stop words, no numbers), rooted, in order."""
    # For ASCII text fold() is lower(), which runs without a table lookup per character.
    folded = sentence.lower() if sentence.isascii() else fold(sentence)
    return [term for term in map(_TERMS.__getitem__, WORD_RE.findall(folded)) if term]


def similarities(sets: Sequence[frozenset[str]]) -> tuple[list[list[float]], list[list[float]]]:
    """For every pair of sentences, cosine similarity and containment (the diagonal is 0).

    Containment is the share of the shorter sentence's content words the longer one holds: one
    sentence saying again what another says, whatever else the longer adds.
    """
    n = len(sets)
    sizes = [len(x) for x in sets]
    cosine = [[0.0] * n for _ in range(n)]
    contained = [[0.0] * n for _ in range(n)]
    roots = [math.sqrt(size) for size in sizes]
    for i in range(n):
        mine, size = sets[i], sizes[i]
        if not size:
            continue
        cos_row, con_row, root_i = cosine[i], contained[i], roots[i]
        # C does the intersections; Python only visits the pairs that share a word.
        for j, shared in enumerate(map(len, map(mine.intersection, sets[i + 1 :])), i + 1):
            if shared:
                other = sizes[j]
                cos_row[j] = cosine[j][i] = shared / (root_i * roots[j])
                con_row[j] = contained[j][i] = shared / (size if size < other else other)
    return cosine, contained


def scores(
    tokenised: Sequence[list[str]], table: Sequence[Sequence[float]], focus: set[str]
) -> list[float]:
    """Recurring content words per sentence, times centrality, and the query's boost.

    A word counts once per other sentence that also uses it (a word said once is no theme);
    centrality is a sentence's summed similarity to the others (LexRank's degree, no iteration).
    There is no lead bonus: the lede is placed first by rule, and a bonus for the sentences
    after it chose ones the references leave out (bench.summaries).
    """
    freq = Counter(chain.from_iterable(map(set, tokenised)))
    count = freq.__getitem__
    centrality = [sum(row) for row in table]
    most_central = max(centrality, default=0.0) or 1.0
    found = []
    for index, toks in enumerate(tokenised):
        if not toks:
            found.append(0.0)
            continue
        recurring = (sum(map(count, toks)) - len(toks)) / len(toks) ** LENGTH_POWER
        central = 1 - CENTRALITY_WEIGHT + CENTRALITY_WEIGHT * centrality[index] / most_central
        found.append(recurring * central)
    top = max(found, default=0.0) or 1.0
    if not focus:
        return [s / top for s in found]
    # A query word counts even in a sentence of words said once ("bakery" in a summit story).
    hits = [len(focus.intersection(toks)) for toks in tokenised]
    return [s / top * (1.0 + 2.0 * h) + h for s, h in zip(found, hits, strict=True)]

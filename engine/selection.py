"""Choosing a summary's sentences: greedy maximal marginal relevance under a sentence count
and a character budget, never one that says again what a chosen one says, and a sentence
that leans on another (engine.dangling) only together with it.

A unit's value cannot exceed the best score on the chain it may take in, so a leaning
sentence whose chain cannot beat the best unit so far is not worked out (the same sentences
on all 1,087 BBC dev articles, at the budget, by default and focused).

A candidate is a unit: the sentence and whatever it leans on that is not chosen yet ("But
that has not stopped…" and the sentence before it; "Mr Knapman rejected…" and the sentence
that first names Roger Knapman). A unit that would overflow the budget, or holds a sentence
that repeats a chosen one, is passed over for the next best.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.dependencies import Dependencies

# MMR: how much a sentence's overlap with the chosen ones costs, against its own score (the
# best sentence scores 1).
# Light: the hard rule below keeps repeats out; a heavier penalty mostly passed over sentences
# that add to the summary (0.7 -> 0.3: ROUGE-2 +0.011, repeats 3 -> 8 of 1,087 dev articles).
REDUNDANCY_WEIGHT = 0.3
# Overlap at which a sentence says again what a chosen one says: half the shorter one's
# content words are in the other. Such a sentence is never taken.
REPEATS = 0.5
# The overlap three content words said again in a row count for, at least: nearly a repeat,
# so MMR passes over the sentence unless it adds much (seed 003 says "commitment to peace"
# once; as a hard rule it cost ROUGE-2 0.022 on the BBC dev split, this costs nothing).
PHRASE_REPEAT = 0.45


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a summary may hold."""

    sentences: int
    chars: int


class Greedy:
    """One summary being chosen: the chosen candidates, the characters they use, and each
    candidate's overlap with the closest chosen one (kept up to date as units are taken).

    Overlap is containment: the share of the shorter sentence's content words the other
    holds (one saying again what another says, whatever else the longer adds). It is worked
    out only against the sentences taken, as they are taken: a summary takes a few.
    """

    def __init__(
        self,
        candidates: Sequence[str],
        scores: Sequence[float],
        words: Sequence[frozenset[str]] | None,
        dependencies: Dependencies,
        limits: Limits,
        terms: Sequence[Sequence[str]] = (),
    ) -> None:
        """`words`: each candidate's content words (None: no redundancy control); `terms`:
        the same in order, for the phrases a candidate says again (nearly a repeat)."""
        self.candidates, self.scores, self.words = candidates, scores, words
        self.terms = terms
        self._runs: dict[int, frozenset[tuple[str, ...]]] = {}
        self.dependencies, self.limits = dependencies, limits
        self.chosen: list[int] = []
        self._used = 0
        self._overlap = [0.0] * len(candidates)
        self._lengths = [len(c) for c in candidates]
        self._sizes = [len(w) for w in words] if words is not None else []
        self._open = list(range(len(candidates)))  # the candidates that may still fit

    def _unit(self, index: int, taken: set[int]) -> list[int] | None:
        if self.dependencies.stands_alone(index):
            return [index]
        return self.dependencies.unit(index, taken)

    def _fits_one(self, index: int) -> bool:
        """`_fits([index])`, without the generality (it runs for every candidate each turn)."""
        room = self.limits.chars - self._used - bool(self.chosen)
        return (
            len(self.chosen) < self.limits.sentences
            and self._lengths[index] <= room
            and self._overlap[index] < REPEATS
        )

    def _fits(self, unit: Sequence[int]) -> bool:
        if len(unit) == 1:
            return self._fits_one(unit[0])
        if len(self.chosen) + len(unit) > self.limits.sentences:
            return False
        room = self.limits.chars - self._used - bool(self.chosen)
        if sum(self._lengths[m] for m in unit) + len(unit) - 1 > room:
            return False
        if any(self._overlap[m] >= REPEATS for m in unit):
            return False
        return self.words is None or all(
            self._contained(a, b) < REPEATS for k, a in enumerate(unit) for b in unit[k + 1 :]
        )

    def _contained(self, a: int, b: int) -> float:
        assert self.words is not None
        smaller = min(self._sizes[a], self._sizes[b])
        return len(self.words[a] & self.words[b]) / smaller if smaller else 0.0

    def value(self, unit: Sequence[int]) -> float:
        """The unit's mean score less its overlap with what is chosen (MMR; what it leans on
        may weigh it down)."""
        total = sum(self.scores[m] - REDUNDANCY_WEIGHT * self._overlap[m] for m in unit)
        return total / len(unit)

    def units(self, indices: Sequence[int]) -> list[list[int]]:
        """The units of `indices` (not chosen yet) that can still be taken."""
        taken = set(self.chosen)
        found = []
        for index in indices:
            if index in taken:
                continue
            unit = self._unit(index, taken)
            if unit is not None and self._fits(unit):
                found.append(unit)
        return found

    def take(self, unit: Sequence[int]) -> None:
        """Add a unit to the summary."""
        for member in unit:
            self._used += self._lengths[member] + bool(self.chosen)
            self.chosen.append(member)
            if self.words is not None and self._sizes[member]:
                self._overlap_with(member)

    def _overlap_with(self, member: int) -> None:
        """Raise each candidate's overlap to its containment with `member` where higher."""
        assert self.words is not None
        size, sizes, words, lengths = self._sizes[member], self._sizes, self.words, self._lengths
        overlap = self._overlap  # updated in place: fill() holds it
        # Only the sentences that may still fit need their overlap (room only shrinks).
        room = self.limits.chars - self._used - 1
        self._open = [i for i in self._open if lengths[i] <= room]
        open_words = [words[i] for i in self._open]
        said = self._said(member) if self.terms else frozenset()
        runs = self._runs
        # C does the intersections; Python only visits the sentences that share a word.
        shares = map(len, map(words[member].intersection, open_words))
        for i, shared in zip(self._open, shares, strict=True):
            if shared:
                other = sizes[i]
                value = shared / (size if size < other else other)
                # A run of three content words said again ("commitment to peace and
                # cooperation") shares three words (a run repeating a word is let go).
                if (
                    value < PHRASE_REPEAT
                    and shared > 2
                    and said
                    and not said.isdisjoint(runs.get(i) or self._said(i))
                ):
                    value = PHRASE_REPEAT
                if value > overlap[i]:
                    overlap[i] = value

    def _said(self, index: int) -> frozenset[tuple[str, ...]]:
        """The candidate's runs of three content words, worked out when first needed."""
        runs = self._runs.get(index)
        if runs is None:
            t = self.terms[index]
            runs = self._runs[index] = frozenset(zip(t, t[1:], t[2:], strict=False))
        return runs

    def fill(self) -> None:
        """Take the best unit until the limits are reached or nothing fits.

        Once a sentence does not fit on its own it never will, alone or in a unit (room and
        count only shrink, overlaps only grow), and one leaning on what no summary holds never
        has a unit: both are dropped for good, so each turn looks only at what may still fit.
        """
        n = len(self.candidates)
        stands = self.dependencies.stands_alone
        alone = [i for i in range(n) if stands(i)]
        leaning = [i for i in range(n) if not stands(i)]
        lengths, overlap, scores = self._lengths, self._overlap, self.scores
        # The most a unit of each leaning sentence can be worth (MMR only takes away): units
        # that cannot beat the best so far are not worked out.
        ceiling = {i: max(self.scores[m] for m in self.dependencies.reach(i)) for i in leaning}
        while len(self.chosen) < self.limits.sentences:
            taken = set(self.chosen)
            room = self.limits.chars - self._used - bool(self.chosen)
            # _fits_one for each, written out: this runs for every candidate each turn.
            alone = [
                i for i in alone if i not in taken and lengths[i] <= room and overlap[i] < REPEATS
            ]
            best: list[int] | None = None
            best_value = 0.0
            if alone:
                worth = [scores[i] - REDUNDANCY_WEIGHT * overlap[i] for i in alone]
                top = max(range(len(worth)), key=worth.__getitem__)  # the first of equals
                best, best_value = [alone[top]], worth[top]
            kept = []
            for index in leaning:
                if index in taken or lengths[index] > room or overlap[index] >= REPEATS:
                    continue
                if best is not None and ceiling[index] <= best_value:
                    kept.append(index)
                    continue
                unit = self.dependencies.unit(index, taken)
                if unit is None:
                    continue
                kept.append(index)
                value = self.value(unit)
                # The value first: it is cheaper than the fit and rules most units out.
                if (best is None or value > best_value) and self._fits(unit):
                    best, best_value = unit, value
            leaning = kept
            if best is None:
                return
            self.take(best)


def _coverage(
    unit: Sequence[int], carries: Sequence[frozenset[str]], uncovered: frozenset[str]
) -> tuple[int, int]:
    """The most of the words, then where the article first brings them in (its later mentions
    lean on that one; readers' comments at the end of a page mention them too)."""
    words = frozenset().union(*(carries[m] for m in unit))
    return len(words & uncovered), -unit[-1]


def select(greedy: Greedy, *, lede: bool, carries: Sequence[frozenset[str]] = ()) -> list[int]:
    """The chosen candidates in document order: the lede first when asked for, then units
    carrying the words in `carries` (per candidate: the query's words the lede lacks) until
    each is carried once, the first that brings them in, then the best."""
    if lede and greedy.units([0]) == [[0]]:
        greedy.take([0])
    uncovered = frozenset().union(*carries) if carries else frozenset()
    while uncovered:
        units = greedy.units([i for i, words in enumerate(carries) if words & uncovered])
        if not units:
            break

        unit = max(units, key=lambda u: _coverage(u, carries, uncovered))
        greedy.take(unit)
        uncovered -= frozenset().union(*(carries[m] for m in unit))
    greedy.fill()
    return sorted(greedy.chosen)

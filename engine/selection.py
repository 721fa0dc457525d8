"""Choosing a summary's sentences: greedy maximal marginal relevance under a sentence count
and a character budget, never one that says again what a chosen one says, and a sentence
that leans on another (engine.dangling) only together with it.

Worked out lazily, with the same result: a sentence's worth only falls as others are chosen,
so the best is found from a heap of worths as last worked out (most sentences are never
compared with what was chosen after them), and a leaning sentence whose chain, up to the
first chosen sentence, cannot beat the best unit so far is not worked out (the same
sentences on all 1,087 BBC dev articles, at the budget, by default and focused, as the eager
loop before; 16 % less time).

A candidate is a unit: the sentence and whatever it leans on that is not chosen yet ("But
that has not stopped…" and the sentence before it; "Mr Knapman rejected…" and the sentence
that first names Roger Knapman). A unit that would overflow the budget, or holds a sentence
that repeats a chosen one, is passed over for the next best.
"""

from __future__ import annotations

import heapq
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
    candidate's overlap with the closest chosen one (brought up to date when asked for).

    Overlap is containment: the share of the shorter sentence's content words the other
    holds (one saying again what another says, whatever else the longer adds). It is worked
    out only against the sentences taken: a summary takes a few.
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
        self._seen = [0] * len(candidates)  # how many chosen ones each overlap counts
        self._lengths = [len(c) for c in candidates]
        self._sizes = [len(w) for w in words] if words is not None else []

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
            and self.overlap(index) < REPEATS
        )

    def _fits(self, unit: Sequence[int]) -> bool:
        if len(unit) == 1:
            return self._fits_one(unit[0])
        if len(self.chosen) + len(unit) > self.limits.sentences:
            return False
        room = self.limits.chars - self._used - bool(self.chosen)
        if sum(self._lengths[m] for m in unit) + len(unit) - 1 > room:
            return False
        if any(self.overlap(m) >= REPEATS for m in unit):
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
        total = sum(self.scores[m] - REDUNDANCY_WEIGHT * self.overlap(m) for m in unit)
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

    def overlap(self, index: int) -> float:
        """The candidate's overlap with the closest chosen one: brought up to date with the
        ones chosen since it was last asked for (most candidates are never asked again)."""
        chosen, seen = self.chosen, self._seen[index]
        if seen == len(chosen) or self.words is None:
            return self._overlap[index]
        words, sizes = self.words, self._sizes
        mine, size, value = words[index], sizes[index], self._overlap[index]
        for member in chosen[seen:]:
            shared = len(mine.intersection(words[member])) if sizes[member] else 0
            if not shared or member == index:
                continue
            other = sizes[member]
            contained = shared / (size if size < other else other)
            # A run of three content words said again ("commitment to peace and
            # cooperation") shares three words (a run repeating a word is let go).
            if (
                contained < PHRASE_REPEAT
                and shared > 2
                and self.terms
                and not self._said(member).isdisjoint(self._said(index))
            ):
                contained = PHRASE_REPEAT
            if contained > value:
                value = contained
        self._overlap[index], self._seen[index] = value, len(chosen)
        return value

    def _said(self, index: int) -> frozenset[tuple[str, ...]]:
        """The candidate's runs of three content words, worked out when first needed."""
        runs = self._runs.get(index)
        if runs is None:
            t = self.terms[index]
            runs = self._runs[index] = frozenset(zip(t, t[1:], t[2:], strict=False))
        return runs

    def _best_alone(
        self, heap: list[tuple[float, int]], taken: set[int], room: int
    ) -> tuple[int, float] | None:
        """The best sentence that stands alone and fits, and its worth (the first of equals).

        `heap` holds each one's worth when last worked out, best first: a worth only falls
        as sentences are chosen, so the top is worked out again until it stays on top, and
        most sentences are never compared with what was chosen after them (a lazy greedy).
        What no longer fits leaves the heap for good (room only shrinks, overlap only grows).
        """
        lengths, scores = self._lengths, self.scores
        while heap:
            bound, index = heap[0]
            if index in taken or lengths[index] > room:
                heapq.heappop(heap)
                continue
            overlap = self.overlap(index)
            if overlap >= REPEATS:
                heapq.heappop(heap)
                continue
            worth = scores[index] - REDUNDANCY_WEIGHT * overlap
            if -worth == bound:  # still on top: nothing else can be worth more
                return index, worth
            heapq.heapreplace(heap, (-worth, index))
        return None

    def _ceiling(self, reach: Sequence[int], taken: set[int]) -> float:
        """The most a leaning sentence's unit can be worth now: its members are the start of
        its chain up to the first chosen sentence, and MMR only takes away (overlaps as last
        worked out are at most what they are now). Units that cannot beat the best so far
        are not worked out."""
        scores, overlap, most = self.scores, self._overlap, -1.0
        for member in reach:
            if member in taken:
                break
            worth = scores[member] - REDUNDANCY_WEIGHT * overlap[member]
            if worth > most:
                most = worth
        return most

    def fill(self) -> None:
        """Take the best unit until the limits are reached or nothing fits.

        Once a sentence does not fit on its own it never will, alone or in a unit (room and
        count only shrink, overlaps only grow), and one leaning on what no summary holds never
        has a unit: both are dropped for good, so each turn looks only at what may still fit.
        """
        stands, scores = self.dependencies.stands_alone, self.scores
        heap = [(-scores[i], i) for i in range(len(self.candidates)) if stands(i)]
        heapq.heapify(heap)
        leaning = [i for i in range(len(self.candidates)) if not stands(i)]
        reach = {i: self.dependencies.reach(i) for i in leaning}
        while len(self.chosen) < self.limits.sentences:
            taken = set(self.chosen)
            room = self.limits.chars - self._used - bool(self.chosen)
            found = self._best_alone(heap, taken, room)
            best, best_value = ([found[0]], found[1]) if found else (None, 0.0)
            kept = []
            for index in leaning:
                if index in taken or self._lengths[index] > room:
                    continue
                if best is not None and self._ceiling(reach[index], taken) <= best_value:
                    kept.append(index)
                    continue
                if self.overlap(index) >= REPEATS:
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

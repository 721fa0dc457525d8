"""A large store's searches keep the long terms of the two-typo buckets they read
(storage/fulltext.py LongTerms): what a search took stays as it was while another search
replaces them, and what is held stays bounded."""

from __future__ import annotations

from engine.vocabulary import TermLookups
from storage.fulltext import LongTerms


def _lookups(*buckets: tuple[str, int, int]) -> TermLookups:
    return TermLookups(frozenset(), tuple(buckets), (), tuple("w" * lo for _, lo, _ in buckets))


def test_a_search_keeps_what_it_took_when_another_reads_at_a_newer_mark() -> None:
    held = LongTerms()
    q = _lookups(("q", 7, 9))
    assert held.holding(q).terms == {}  # nothing read yet
    held.terms(q, [0], [("quarter quantum", 7, 0), ("quarters", 8, 0)], mark=5)
    taken = held.holding(q)
    assert taken.mark == 5 and sorted(taken.terms[0]) == ["quantum", "quarter", "quarters"]
    # Another search reads the bucket at mark 6 (a new article), then one of another letter.
    held.terms(q, [0], [("quantums", 8, 0)], mark=6)
    assert sorted(taken.terms[0]) == ["quantum", "quarter", "quarters"] and taken.mark == 5
    assert held.holding(q) == (6, {0: ["quantums"]})


def test_held_terms_stay_bounded() -> None:
    held = LongTerms()
    held.MAX_TERMS = 10
    for letter in "abcdef":
        q = _lookups((letter, 7, 7))
        held.terms(q, [0], [(" ".join(f"{letter}{n:06}" for n in range(4)), 7, 0)], mark=1)
    assert held.holding(_lookups(("f", 7, 7))).terms  # the newest is held
    assert not held.holding(_lookups(("a", 7, 7))).terms  # the oldest went first
    total = sum(len(held.holding(_lookups((c, 7, 7))).terms.get(0, [])) for c in "abcdef")
    assert total <= 10

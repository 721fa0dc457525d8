"""Reciprocal rank fusion: score = sum over the rankings of 1 / (K + rank), rank from 1, as
Elasticsearch, OpenSearch and ParadeDB fuse a word ranking with a vector ranking. Ranks, not
scores, are added, so BM25's and cosine's scales never need calibrating against each other.

An entry may carry a weight below 1 (a word result that matched only some of the query's
words: storage/hybrid.py), which scales its term of the sum."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import TypeVar

K = 60
T = TypeVar("T", bound=Hashable)


def fuse_weighted(*rankings: Sequence[tuple[T, float]], k: int = K) -> list[T]:
    """The items of every ranking of (item, weight) by their fused score, best first; ties
    keep the order in which the items were first met (the first ranking's order wins)."""
    scores: dict[T, float] = defaultdict(float)
    for ranking in rankings:
        for rank, (item, weight) in enumerate(ranking, 1):
            scores[item] += weight / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])


def fuse(*rankings: Sequence[T], k: int = K) -> list[T]:
    """Plain reciprocal rank fusion of ranked item lists (every weight 1)."""
    return fuse_weighted(*([(item, 1.0) for item in ranking] for ranking in rankings), k=k)

"""Reciprocal rank fusion: score = sum over the rankings of 1 / (K + rank), rank from 1, as
Elasticsearch, OpenSearch and ParadeDB fuse a word ranking with a vector ranking. Ranks, not
scores, are added, so BM25's and cosine's scales never need calibrating against each other."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import TypeVar

K = 60
T = TypeVar("T", bound=Hashable)


def fuse(*rankings: Sequence[T], k: int = K) -> list[T]:
    """The items of every ranking by their fused score, best first; ties keep the order in
    which the items were first met (the first ranking's order wins)."""
    scores: dict[T, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] += 1.0 / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])

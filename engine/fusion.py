"""Fusing the word ranking with the nearest articles by meaning, by their scores.

An entry's score is its cosine similarity to the query, plus WORD_WEIGHT times the square of
the share of the query's words it matched. An entry the words found but meaning did not list
counts as near as it can be: the lowest similarity meaning listed, or the floor below which
meaning lists nothing (the caller says which); with nothing found by meaning, the words'
entries keep their order by the share of words they matched.

Why scores and not reciprocal rank fusion (Σ 1/(60 + rank), as Elasticsearch and OpenSearch
fuse): on the development stories (bench/meaning.py) RRF ranked the right story first less
often than the model alone (headlines 0.849 against 0.855, and 0.859 against 0.874 with the
title-weighted vectors), because a rank hides how much nearer the first article is than the
second. A cosine plus a small word bonus keeps that (headlines 0.869, descriptions 0.826),
as Weaviate's relative score fusion does. WORD_WEIGHT 0.03 measured best with the BBC typo
queries' first hits unchanged (0.02: one typo query lost; 0.04 and more: headlines fall).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

WORD_WEIGHT = 0.03
T = TypeVar("T", bound=Hashable)


def blend(
    nearest: Sequence[tuple[T, float]],
    words: Sequence[tuple[T, float]],
    *,
    unlisted: float,
    weight: float = WORD_WEIGHT,
) -> list[T]:
    """The entries of both lists, best first: `nearest` is (entry, cosine similarity),
    nearest first; `words` is (entry, share of the query's words matched), in the word
    ranking's order; an entry only words found counts the similarity `unlisted`. Ties keep
    the order in which entries were first met, meaning's first."""
    scores: dict[T, float] = {}
    for item, similarity in nearest:
        scores.setdefault(item, similarity)
    bonus: dict[T, float] = {}
    for item, share in words:
        bonus.setdefault(item, weight * share * share)
    base = unlisted if scores else 0.0
    for item, extra in bonus.items():
        scores[item] = scores.get(item, base) + extra
    return sorted(scores, key=lambda item: -scores[item])

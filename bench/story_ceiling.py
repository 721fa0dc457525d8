"""How far a learned combination of every piece of evidence at hand can take story grouping,
fitted and scored on the very stream it is tuned on: an upper bound, not a result.

    nice -n 10 python -m bench.story_ceiling [--seed 21] [--vectors K]

(the first run embeds the 7,356 dev articles with the product's e5 model, about 15 minutes on
two cores, cached under ~/.cache/newsbot-bench; then about 4 minutes.)

Each article of the shuffled dev stream (bench.stories, `--seed`) is compared with the
candidate stories newsbot's word index returns, plus the K stories whose sources' mean e5
vector is closest to its own (`--vectors`, default 10: the stories the words miss). Every pair
that passes the engine's guards is described by the word evidence (bench.story_pairs' terms:
mean cosine with the sources, title share, numbers, dates said, keys shared, the best rival's
cosine) and the vector evidence (mean and best e5 cosine with the sources, the best rival's,
whether the pair is the best by each measure). Training pairs come from one pass over the
stream while the true stories grow (positive: the article's own story). Fitted on ALL of them:
a logistic regression, and gradient-boosted trees (a non-linear combination). Each is then run
as a single-pass grouping of the same stream at a grid of thresholds and scored with B-cubed
P / R / F1 on every article: in-sample, the best F1 here is more than any held-out run of the
same method can show.
"""

from __future__ import annotations

import argparse
import os
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from bench import story_baselines as base
from bench.meaning import vectors
from bench.stories import load
from bench.story_pairs import Article, Stream, allowed
from engine.embedding import embedded_text
from engine.stories import evidence, in_window
from engine.story_features import Features, idf
from ingest.embedder import E5Embedder

WORDS = ("cosine", "title", "numbers", "when", "shared", "rival", "top")
VECTORS = ("v_mean", "v_max", "v_rival", "v_top", "from_words")
NAMES = WORDS + VECTORS
Decide = Callable[[Any], Any]  # feature rows -> a score per row


class _Passages:
    def __init__(self, embedder: E5Embedder) -> None:
        self.embedder = embedder

    def passage(self, texts: list[str]) -> Any:
        return np.asarray(self.embedder.passages(texts), dtype=np.float32)


def dev_vectors() -> dict[str, Any]:
    """Each dev article's e5 vector (title and lede, as the product embeds it), unit length."""
    given = load()
    texts = [embedded_text(a["title"] or "", a["text"] or "") for a in given]
    matrix = vectors(
        _Passages(E5Embedder(passage_threads=os.cpu_count() or 1)), texts, "stories-dev-e5small-q4"
    )
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return {a["id"]: matrix[i] for i, a in enumerate(given)}


class VectorStream(Stream):
    """newsbot's word index and state, with each story's sources' vectors beside it."""

    def __init__(self, vector_of: dict[str, Any], near: int) -> None:
        super().__init__()
        self.vector_of, self.near = vector_of, near
        self.sums = np.zeros((8192, 384), np.float32)
        self.sizes = np.zeros(8192, np.float32)
        self.members: dict[int, list[str]] = {}

    def rows(self, article: Article, found: Features) -> tuple[list[list[float]], list[int]]:
        """Every allowed candidate's feature row, and its story."""
        v = self.vector_of[article["id"]]
        words = {
            s: st
            for s, st in self.index.candidates(found, self.frequencies)
            if in_window(found, st)
        }
        candidates = dict(words)
        if self.members and self.near:
            live = np.fromiter(self.members, int)
            means = (self.sums[live] @ v) / self.sizes[live]
            for s in live[np.argsort(-means)[: self.near]]:
                candidates.setdefault(int(s), self.index.stories[int(s)])
        title_idf = {k: idf(self.frequencies, k) for k in found.title}
        raw = []
        for s, st in candidates.items():
            e = evidence(found, st, title_idf)
            if allowed(e):
                mean = float(self.sums[s] @ v / self.sizes[s])
                best = max(float(self.vector_of[a] @ v) for a in self.members[s])
                raw.append((s, e, mean, best))
        cos = sorted((e.cosine for _, e, _, _ in raw), reverse=True)
        vec = sorted((m for _, _, m, _ in raw), reverse=True)

        def rival(values: list[float], mine: float) -> float:
            return (values[1] if len(values) > 1 else 0.0) if mine == values[0] else values[0]

        out = [
            [
                *(e.cosine, e.title, min(e.numbers, 2), e.when, min(e.shared, 20) / 20),
                *(rival(cos, e.cosine), float(e.cosine == cos[0])),
                *(mean, best, rival(vec, mean), float(mean == vec[0]), float(s in words)),
            ]
            for s, e, mean, best in raw
        ]
        return out, [s for s, _, _, _ in raw]

    def add(self, story: int, found: Features, article: Article) -> None:
        self.put(story, found)
        self.sums[story] += self.vector_of[article["id"]]
        self.sizes[story] += 1
        self.members.setdefault(story, []).append(article["id"])


def training(stream: Sequence[Article], vector_of: dict[str, Any], near: int) -> Any:
    """(rows, labels): each article against its candidates while the true stories grow."""
    s, ids = VectorStream(vector_of, near), dict[str, int]()
    rows: list[list[float]] = []
    labels: list[int] = []
    for article in stream:
        gold = ids.setdefault(article["cluster"], len(ids))
        found = s.features(article)
        found_rows, stories = s.rows(article, found)
        rows += found_rows
        labels += [int(x == gold) for x in stories]
        s.add(gold, found, article)
    return np.asarray(rows), np.asarray(labels)


def grouped(
    stream: Sequence[Article], vector_of: dict[str, Any], near: int, decide: Decide, t: float
) -> list[int]:
    """Single pass: join the best-scoring candidate when its score reaches t."""
    s, made, labels = VectorStream(vector_of, near), 0, list[int]()
    for article in stream:
        found = s.features(article)
        rows, stories = s.rows(article, found)
        story = None
        if rows:
            scores = decide(np.asarray(rows))
            i = int(np.argmax(scores))
            story = stories[i] if scores[i] >= t else None
        if story is None:
            story, made = made, made + 1
        s.add(story, found, article)
        labels.append(story)
    return labels


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--vectors", type=int, default=10)
    args = parser.parse_args(argv)
    stream = load()
    random.Random(args.seed).shuffle(stream)
    vector_of = dev_vectors()
    x, y = training(stream, vector_of, args.vectors)
    print(f"{len(y):,} training pairs, {int(y.sum()):,} positive (seed {args.seed})\n")
    gold = [a["cluster"] for a in stream]
    print("| evidence | model | threshold | B3 P | B3 R | B3 F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, names in (("words", WORDS), ("words + e5 vectors", NAMES)):
        cols = [NAMES.index(n) for n in names]
        linear = LogisticRegression(C=1.0, max_iter=5000).fit(x[:, cols], y)
        trees = HistGradientBoostingClassifier(max_iter=300, random_state=0)
        trees.fit(x[:, cols], y)
        models: list[tuple[str, Decide, Sequence[float]]] = [
            ("logistic", lambda r, m=linear, c=cols: m.predict_proba(r[:, c])[:, 1], GRID),
            ("boosted trees", lambda r, m=trees, c=cols: m.predict_proba(r[:, c])[:, 1], GRID),
        ]
        for name, decide, grid in models:
            for t in grid:
                f = base.scores(gold, grouped(stream, vector_of, args.vectors, decide, t))
                print(
                    f"| {label} | {name} | p ≥ {t} | {f['P']:.3f} | {f['R']:.3f} | {f['F1']:.3f} |",
                    flush=True,
                )


GRID = (0.3, 0.4, 0.5, 0.6)

if __name__ == "__main__":
    main()

"""The peers bench.stories runs beside newsbot's grouping, and the scores.

- single-pass TF-IDF: each article joins the story whose members it is closest to on average
  (cosine of scikit-learn TF-IDF vectors, IDF from the whole stream as the dataset's README
  baseline has it), when that mean is at least the threshold; optionally the title twice.
- MinHash-LSH near-duplicates (datasketch): an article joins the story of the first stored
  article whose estimated Jaccard similarity (word sets of title and lead) passes the LSH
  threshold (function words left out: with them, unrelated texts chain into one).
- offline agglomerative clustering (scikit-learn, average linkage on cosine distance): it sees
  every article at once; the tree is computed once and cut at each threshold tried.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from engine.lang.en import FUNCTION_WORDS
from engine.story_features import lead_of
from engine.text import words

Labels = Sequence[object]
BLOCK = 512  # rows of the similarity matrix computed at a time
NUM_PERM = 128


def bcubed(gold: Labels, predicted: Labels) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin), averaged over items."""
    gold_sets: defaultdict[object, set[int]] = defaultdict(set)
    pred_sets: defaultdict[object, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        gold_sets[g].add(i)
        pred_sets[p].add(i)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        shared = len(gold_sets[g] & pred_sets[p])
        precision += shared / len(pred_sets[p])
        recall += shared / len(gold_sets[g])
    precision /= len(gold)
    recall /= len(gold)
    return precision, recall, 2 * precision * recall / ((precision + recall) or 1.0)


def scores(gold: Labels, predicted: Labels) -> dict[str, float]:
    """B-cubed P/R/F1 and the adjusted Rand index."""
    p, r, f = bcubed(gold, predicted)
    codes: dict[object, int] = {}
    gold_codes = [codes.setdefault(("g", g), len(codes)) for g in gold]
    pred_codes = [codes.setdefault(("p", x), len(codes)) for x in predicted]
    return {"P": p, "R": r, "F1": f, "ARI": float(adjusted_rand_score(gold_codes, pred_codes))}


def text_of(article: dict[str, Any], title_twice: bool = False) -> str:
    """Title and lead as one string (the title twice when asked)."""
    title = article["title"] or ""
    return " ".join([title, title if title_twice else "", lead_of(article["text"] or "")])


def tfidf(articles: Sequence[dict[str, Any]], title_twice: bool = False) -> Any:
    """L2-normalised TF-IDF rows (English stop words dropped, sublinear tf)."""
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float32)
    return vectorizer.fit_transform([text_of(a, title_twice) for a in articles])


def single_pass(matrix: Any, threshold: float) -> list[int]:
    """Mean-similarity single pass over rows in order."""
    n = matrix.shape[0]
    labels = np.full(n, -1, dtype=np.int64)
    sizes: list[int] = []
    for start in range(0, n, BLOCK):
        block = (matrix[start : start + BLOCK] @ matrix[: start + BLOCK].T).toarray()
        for i in range(start, min(start + BLOCK, n)):
            if i and sizes:
                sums = np.bincount(labels[:i], weights=block[i - start, :i], minlength=len(sizes))
                means = sums / np.asarray(sizes)
                best = int(means.argmax())
                if means[best] >= threshold:
                    labels[i] = best
                    sizes[best] += 1
                    continue
            labels[i] = len(sizes)
            sizes.append(1)
    return labels.tolist()


def minhashes(texts: Sequence[str], num_perm: int = NUM_PERM) -> list[MinHash]:
    """One MinHash per text over its distinct words (function words left out)."""
    found = []
    for text in texts:
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch([w.encode() for w in set(words(text)) - FUNCTION_WORDS])
        found.append(m)
    return found


def minhash_lsh(hashes: Sequence[MinHash], threshold: float, num_perm: int = NUM_PERM) -> list[int]:
    """Near-duplicate grouping in stream order."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    labels: list[int] = []
    stories = 0
    for i, m in enumerate(hashes):
        hits = [int(h) for h in lsh.query(m)]
        if hits:
            best = max(hits, key=lambda j: (m.jaccard(hashes[j]), -j))
            labels.append(labels[best])
        else:
            labels.append(stories)
            stories += 1
        lsh.insert(str(i), m)
    return labels


def agglomerative_tree(matrix: Any) -> tuple[Any, Any]:
    """scikit-learn's full average-linkage tree on cosine distances: (children, distances)."""
    distances = 1.0 - (matrix @ matrix.T).toarray().astype(np.float64)
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=0.0,
        compute_full_tree=True,
    ).fit(distances)
    return model.children_, model.distances_


def cut(children: Any, distances: Any, n: int, threshold: float) -> list[int]:
    """Flat clusters: every merge of the tree below `threshold` (a distance) applied."""
    parent = list(range(2 * n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, ((a, b), d) in enumerate(zip(children, distances, strict=True)):
        if d < threshold:
            parent[root(int(a))] = n + k
            parent[root(int(b))] = n + k
    return [root(i) for i in range(n)]


def tuned(
    gold: Labels, run: Callable[[float], Labels], grid: Sequence[float]
) -> tuple[float, dict[str, float]]:
    """The threshold of `grid` with the best B-cubed F1, and its scores."""
    results = [(t, scores(gold, run(t))) for t in grid]
    return max(results, key=lambda tr: tr[1]["F1"])


def minhash_lsh_stream(texts: Sequence[str], first_timed: int, threshold: float) -> dict[str, Any]:
    """MinHash-LSH over `texts` in order, hashing included: the first `first_timed` fill the
    store (fill_s), the rest are timed as the grouped stream (took_s)."""
    start = time.perf_counter()
    fill = minhashes(texts[:first_timed])
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for i, m in enumerate(fill):
        lsh.insert(str(i), m)
    fill_s = time.perf_counter() - start
    start = time.perf_counter()
    labels = list(range(first_timed))
    stored = list(fill)
    for m in minhashes(texts[first_timed:]):
        hits = [int(h) for h in lsh.query(m)]
        i = len(stored)
        if hits:
            labels.append(labels[max(hits, key=lambda j: (m.jaccard(stored[j]), -j))])
        else:
            labels.append(i)
        lsh.insert(str(i), m)
        stored.append(m)
    return {"fill_s": fill_s, "took_s": time.perf_counter() - start, "labels": labels}

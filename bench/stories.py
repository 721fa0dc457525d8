"""Story grouping on the development stream: newsbot beside its peers, in one process.

    python -m bench.stories [--sizes 10000 100000] [--seed 21]

Data: ../shared/eval/stories/articles.jsonl (7,356 excerpts, 2,452 stories of 3 outlets; see
its README for the scoring rules) and ../shared/eval/bbc (full-length articles). Printed:

1. B-cubed P/R/F1 and ARI on the stream in a fixed shuffled order (`--seed`) and in the given
   order: newsbot (default rule), single-pass TF-IDF (threshold tuned here, also with the
   title twice), MinHash-LSH (threshold tuned here), offline agglomerative (cut tuned here).
2. newsbot's threshold curve, and both halves of the stories scored with the threshold tuned
   on the other half (newsbot and single-pass TF-IDF), as an overfitting check.
3. Full-length articles: the BBC set grouped alone (what merges), then each article's excerpt
   (its title and first three sentences) grouped after it (does it find its article?).
4. Speed and peak RSS with 10k and 100k stored articles (bench/story_scale.py).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from bench import bbc
from bench import story_baselines as base
from bench.story_scale import measure
from engine.stories import Rule
from engine.story_index import Grouper

STORIES = bbc.EVAL_DIR / "stories" / "articles.jsonl"
TFIDF_GRID = [round(0.20 + 0.02 * i, 2) for i in range(8)]
MINHASH_GRID = [0.3, 0.35, 0.4, 0.45, 0.5, 0.6]
CUT_GRID = [round(0.65 + 0.025 * i, 3) for i in range(8)]
NEWSBOT_GRID = [0.16, 0.18, 0.20, 0.22, 0.24, 0.26]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")

Articles = Sequence[dict[str, Any]]


def load() -> list[dict[str, Any]]:
    """The development stream, in the given order."""
    lines = STORIES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def newsbot(articles: Articles, rule: Rule | None = None) -> list[int]:
    """newsbot's story ids for the stream, in order."""
    grouper = Grouper(rule)
    return [grouper.add(a["title"] or "", a["text"] or "") for a in articles]


def row(name: str, figures: dict[str, float], extra: str = "") -> None:
    print(
        f"| {name} | {figures['P']:.3f} | {figures['R']:.3f} | {figures['F1']:.3f} "
        f"| {figures['ARI']:.3f} | {extra} |"
    )


def timed(run: Callable[[], Sequence[object]]) -> tuple[Sequence[object], float]:
    start = time.perf_counter()
    labels = run()
    return labels, time.perf_counter() - start


def compare(articles: Articles, title: str) -> dict[str, float]:
    """Every system on one stream; the tuned thresholds of the peers."""
    gold = [a["cluster"] for a in articles]
    n = len(articles)
    print(f"\n### {title} ({n} articles)\n")
    print("| system | B3 P | B3 R | B3 F1 | ARI | threshold, articles/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    labels, took = timed(lambda: newsbot(articles))
    row("newsbot", base.scores(gold, labels), f"{Rule().threshold}, {n / took:,.0f}")
    tuned: dict[str, float] = {}
    for name, twice in (("single-pass TF-IDF", False), ("  the same, title twice", True)):
        matrix = base.tfidf(articles, twice)
        t, figures = base.tuned(gold, lambda th, m=matrix: base.single_pass(m, th), TFIDF_GRID)
        _, took = timed(lambda m=matrix, th=t: base.single_pass(m, th))
        row(name, figures, f"{t}, {n / took:,.0f}")
        tuned[name] = t
    hashes = base.minhashes([base.text_of(a) for a in articles])
    t, figures = base.tuned(gold, lambda th: base.minhash_lsh(hashes, th), MINHASH_GRID)
    _, took = timed(lambda: base.minhash_lsh(hashes, t))
    row("MinHash-LSH", figures, f"{t}, {n / took:,.0f} (hashing not counted)")
    tuned["minhash"] = t
    matrix = base.tfidf(articles)
    start = time.perf_counter()
    children, distances = base.agglomerative_tree(matrix)
    took = time.perf_counter() - start
    t, figures = base.tuned(gold, lambda th: base.cut(children, distances, n, th), CUT_GRID)
    row("agglomerative TF-IDF (offline)", figures, f"distance {t}, tree in {took:.1f} s")
    return tuned


def curve(articles: Articles) -> None:
    """newsbot's B-cubed figures at thresholds around the default."""
    gold = [a["cluster"] for a in articles]
    print("\nnewsbot's threshold (shuffled stream):\n")
    print("| threshold | B3 P | B3 R | B3 F1 |")
    print("| --- | --- | --- | --- |")
    for t in NEWSBOT_GRID:
        f = base.scores(gold, newsbot(articles, Rule(threshold=t)))
        print(f"| {t} | {f['P']:.3f} | {f['R']:.3f} | {f['F1']:.3f} |")


def halves(articles: Articles, seed: int) -> None:
    """Each half of the stories scored with the threshold tuned (best F1) on the other half."""
    clusters = sorted({a["cluster"] for a in articles})
    random.Random(seed).shuffle(clusters)
    first = set(clusters[: len(clusters) // 2])
    parts = [[a for a in articles if a["cluster"] in first]]
    parts.append([a for a in articles if a["cluster"] not in first])
    print("\nHalves (stories split at random; threshold tuned on the other half):\n")
    print("| half | system | tuned on the other | B3 P | B3 R | B3 F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for i, (tune, test) in enumerate(((parts[1], parts[0]), (parts[0], parts[1]))):
        gold_tune = [a["cluster"] for a in tune]
        gold_test = [a["cluster"] for a in test]
        t, _ = base.tuned(
            gold_tune, lambda th, x=tune: newsbot(x, Rule(threshold=th)), NEWSBOT_GRID
        )
        f = base.scores(gold_test, newsbot(test, Rule(threshold=t)))
        print(f"| {i + 1} | newsbot | {t} | {f['P']:.3f} | {f['R']:.3f} | {f['F1']:.3f} |")
        m_tune, m_test = base.tfidf(tune), base.tfidf(test)
        t, _ = base.tuned(gold_tune, lambda th, m=m_tune: base.single_pass(m, th), TFIDF_GRID)
        f = base.scores(gold_test, base.single_pass(m_test, t))
        print(
            f"| {i + 1} | single-pass TF-IDF | {t} | {f['P']:.3f} | {f['R']:.3f} | {f['F1']:.3f} |"
        )


def excerpt(body: str) -> str:
    """The first three sentences, as an aggregator shows an article."""
    return " ".join(_SENTENCE.split(" ".join(body.split()))[:3])


def full_length() -> None:
    """The BBC set grouped alone, then each article's excerpt grouped after it."""
    articles = bbc.articles()
    grouper = Grouper()
    ids = [grouper.add(a.title, a.body) for a in articles]
    sizes = Counter(ids)
    merged = [i for i, s in enumerate(ids) if sizes[s] > 1]
    titles: dict[int, set[str]] = {}
    for i in merged:
        titles.setdefault(ids[i], set()).add(articles[i].title.casefold())
    mixed = [sorted(t) for t in titles.values() if len(t) > 1]
    print(f"\nFull-length BBC articles ({len(articles)}), grouped alone: {len(sizes)} stories;")
    print(f"{len(merged)} articles in {len(titles)} stories of 2+, of which {len(mixed)} join")
    print("articles with different headlines (the rest are the set's repeated articles):")
    for t in mixed:
        print("  - " + " / ".join(t))
    found = sum(grouper.add(a.title, excerpt(a.body)) == ids[i] for i, a in enumerate(articles))
    print("Each article's excerpt (title + 3 sentences) then joins its article's story: ")
    print(f"{found} of {len(articles)} ({found / len(articles):.1%}).")


def scale(stream: Articles, sizes: Sequence[int], minhash_threshold: float) -> None:
    """Speed and memory with `sizes` stored articles, each run in its own process."""
    print("\nWith N stored articles (BBC and renamed copies), then the shuffled dev stream:\n")
    print(
        "| system | stored | fill, articles/s | stream, ms/article | peak RSS MiB "
        "| B3 P / R / F1 on the stream |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for size in sizes:
        for system in ("newsbot", "MinHash-LSH"):
            r = measure(
                "newsbot" if system == "newsbot" else "minhash", size, stream, minhash_threshold
            )
            print(
                f"| {system} | {size:,} | {size / r['fill_s']:,.0f} "
                f"| {1000 * r['took_s'] / len(stream):.3f} | {r['rss_mib']:.0f} "
                f"| {r['P']:.3f} / {r['R']:.3f} / {r['F1']:.3f} |",
                flush=True,
            )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args(argv)
    given = load()
    shuffled = list(given)
    random.Random(args.seed).shuffle(shuffled)
    tuned = compare(shuffled, f"Shuffled stream (seed {args.seed})")
    compare(given, "Given stream order")
    curve(shuffled)
    halves(shuffled, args.seed)
    full_length()
    scale(shuffled, args.sizes, tuned["minhash"])


if __name__ == "__main__":
    main()

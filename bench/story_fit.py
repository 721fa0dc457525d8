"""A learned combination of evidence for story grouping, fitted on one half of the dev stories
and scored on the other (and vice versa), beside the shipped rule measured the same way.

    nice -n 10 python -m bench.story_fit [--seed 21] [--boosted]

(about 8 minutes on the shared 2-core machine; `--boosted` adds about 15.)

The stories are split in two by a hash of their id (crc32, even / odd); each half is read in
the order of the fixed shuffled stream (bench.stories, `--seed`). On one half, training pairs
are collected (bench.story_pairs: each article against the candidates newsbot's index returns
while the true stories grow; positive = its own story) and a logistic regression is fitted
per feature set; its decision threshold (on the logit) is chosen for B-cubed F1 on that same
half's stream, and the other half's stream is then grouped and scored. The shipped rule is
scored the same way (threshold chosen on the other half) and at its shipped threshold.

Then the held-out protocol (../shared/eval/stories/README.md): the held-out run streams the
dev stories and the held-out ones pooled and scores the held-out articles alone. Here the
whole shuffled stream is grouped and each half's articles are scored (gold and predicted
stories restricted to them); a model's threshold is chosen on the half it was fitted on, the
figures are those of the other half. `--boosted` adds gradient-boosted trees on every feature
but the size (halves only: a ceiling for a non-linear combination of the same evidence).
"""

from __future__ import annotations

import argparse
import random
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from bench import story_baselines as base
from bench.stories import NEWSBOT_GRID, load, newsbot
from bench.story_pairs import FEATURE_SETS, FEATURES, Article, Scorer, grouped, training_pairs
from engine.stories import Rule

LOGIT_GRID = [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5]
POOLED_GRID = [-0.5, -0.25, 0.0, 0.25, 0.5]
# name, scorer, how it was fitted (shown), the logistic regression's weights and intercept
Fitted = tuple[str, Scorer, str, tuple[list[float], float] | None]


def halves(articles: Sequence[Article]) -> list[list[Article]]:
    """The stream's articles split by a hash of their story's id, each half in stream order."""
    return [[a for a in articles if zlib.crc32(a["cluster"].encode()) % 2 == h] for h in (0, 1)]


def linear(
    rows: Any, labels: Any, names: Sequence[str]
) -> tuple[Scorer, str, tuple[list[float], float]]:
    """A logistic regression on `names`' columns; its logit as the scorer."""
    cols = [FEATURES.index(n) for n in names]
    model = LogisticRegression(C=1.0, max_iter=5000).fit(rows[:, cols], labels)
    w, b = model.coef_[0], float(model.intercept_[0])

    def scorer(values: list[tuple[float, ...]]) -> Sequence[float]:
        return list(np.asarray(values)[:, cols] @ w + b)

    scale = w[0]  # the cosine's weight: the shipped rule's units (cosine weight 1)
    shown = ", ".join(f"{n} {v / scale:+.3f}" for n, v in zip(names, w, strict=True))
    return scorer, f"{shown}, intercept {b / scale:+.3f} (x{scale:.2f})", (list(w), b)


def boosted(rows: Any, labels: Any) -> tuple[Scorer, str, None]:
    """Gradient-boosted trees on every feature but the story's size; their logit."""
    cols = [FEATURES.index(n) for n in FEATURE_SETS["all but size"]]
    model = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(rows[:, cols], labels)

    def scorer(values: list[tuple[float, ...]]) -> Sequence[float]:
        p = model.predict_proba(np.asarray(values)[:, cols])[:, 1].clip(1e-9, 1 - 1e-9)
        return list(np.log(p / (1 - p)))

    return scorer, "200 trees, all features but size", None


def fits(half: Sequence[Article], with_trees: bool) -> list[Fitted]:
    """Every model fitted on one half's training pairs."""
    rows, labels = training_pairs(half)
    x, y = np.asarray(rows), np.asarray(labels)
    print(f"  {len(y):,} pairs, {int(y.sum()):,} positive", flush=True)
    out = [(name, *linear(x, y, names)) for name, names in FEATURE_SETS.items()]
    if with_trees:
        out.append(("boosted trees", *boosted(x, y)))
    return out


def figures(f: dict[str, float]) -> str:
    return f"{f['P']:.3f} | {f['R']:.3f} | {f['F1']:.3f}"


def chosen(half: Sequence[Article], scorer: Scorer) -> float:
    """The logit threshold with the best B-cubed F1 on `half`'s stream."""
    gold = [a["cluster"] for a in half]
    t, _ = base.tuned(gold, lambda th: grouped(half, scorer, th), LOGIT_GRID)
    return t


def shipped_rows(parts: list[list[Article]]) -> None:
    """The shipped rule on each half: at its threshold, and at the other half's best."""
    for h, (test, tune) in enumerate(((parts[0], parts[1]), (parts[1], parts[0]))):
        gold = [a["cluster"] for a in test]
        f = base.scores(gold, newsbot(test))
        print(f"| {h} | shipped rule | {Rule().threshold} (shipped) | {figures(f)} |")
        gold_tune = [a["cluster"] for a in tune]
        t, _ = base.tuned(
            gold_tune, lambda th, x=tune: newsbot(x, Rule(threshold=th)), NEWSBOT_GRID
        )
        f = base.scores(gold, newsbot(test, Rule(threshold=t)))
        print(f"| {h} | shipped rule | {t} | {figures(f)} |", flush=True)


def pooled_scores(
    stream: Sequence[Article], parts: list[list[Article]], labels: Sequence[int]
) -> list[dict[str, float]]:
    """One grouping of the whole stream scored on each half's articles alone."""
    out = []
    for part in parts:
        mine = {a["id"] for a in part}
        kept = [(a["cluster"], x) for a, x in zip(stream, labels, strict=True) if a["id"] in mine]
        out.append(base.scores([g for g, _ in kept], [x for _, x in kept]))
    return out


def pooled(
    stream: Sequence[Article], parts: list[list[Article]], fitted: list[list[Fitted]]
) -> None:
    """The held-out protocol: the whole stream grouped (both halves pooled), each half's
    articles scored; the threshold chosen for F1 on the half a model was fitted on (the
    shipped rule: on the other half), the figures those of the other half."""
    print("\nPooled: the whole shuffled stream grouped, one half's articles scored:\n")
    print("| scored half | system | fitted on | threshold | B3 P | B3 R | B3 F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    shipped = {
        t: pooled_scores(stream, parts, newsbot(stream, Rule(threshold=t))) for t in NEWSBOT_GRID
    }
    for h in (0, 1):
        t = max(NEWSBOT_GRID, key=lambda th: shipped[th][1 - h]["F1"])
        print(f"| {h} | shipped rule | all dev | {t} | {figures(shipped[t][h])} |")
        at = Rule().threshold
        print(f"| {h} | shipped rule | all dev | {at} (shipped) | {figures(shipped[at][h])} |")
    for h in (0, 1):
        for name, scorer, _, _ in fitted[1 - h]:
            if name == "boosted trees":
                continue  # a grouping of the whole stream per threshold: too slow to run here
            runs = {
                t: pooled_scores(stream, parts, grouped(stream, scorer, t)) for t in POOLED_GRID
            }
            t = max(POOLED_GRID, key=lambda th: runs[th][1 - h]["F1"])
            print(
                f"| {h} | {name} | half {1 - h} | logit {t} | {figures(runs[t][h])} |", flush=True
            )


def as_rule(coef: tuple[list[float], float], threshold: float) -> Rule:
    """The refit of the shipped evidence as the engine's Rule (weights over the cosine's)."""
    (cosine, title, numbers, when, rival), b = (float(w) for w in coef[0]), float(coef[1])
    return Rule(
        threshold=round((threshold - b) / cosine, 3),
        title_weight=round(title / cosine, 3),
        numbers_weight=round(numbers / cosine, 3),
        when_weight=round(when / cosine, 3),
        rival_weight=round(-rival / cosine, 3),
    )


def whole(stream: Sequence[Article], fitted: list[list[Fitted]], ts: list[list[float]]) -> None:
    """The shipped evidence refit, as a Rule, on the whole stream (every article scored)."""
    print("\nThe whole shuffled stream, every article scored:\n")
    print("| system | B3 P | B3 R | B3 F1 |")
    print("| --- | --- | --- | --- |")
    gold = [a["cluster"] for a in stream]
    for t in (Rule().threshold, 0.20):
        f = base.scores(gold, newsbot(stream, Rule(threshold=t)))
        print(f"| shipped rule at {t} | {figures(f)} |", flush=True)
    for h in (0, 1):
        coef = fitted[h][0][3]
        assert fitted[h][0][0] == "shipped evidence" and coef is not None
        rule = as_rule(coef, ts[h][0])
        f = base.scores(gold, newsbot(stream, rule))
        print(f"| refit on half {h}: {rule} | {figures(f)} |", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--boosted", action="store_true")
    args = parser.parse_args(argv)
    stream = load()
    random.Random(args.seed).shuffle(stream)
    parts = halves(stream)
    print(f"Halves: {len(parts[0]):,} and {len(parts[1]):,} articles (seed {args.seed})")
    fitted: list[list[Fitted]] = []
    for h, part in enumerate(parts):
        print(f"\nFitted on half {h}:", flush=True)
        fitted.append(fits(part, args.boosted))
        for name, _, shown, _ in fitted[-1]:
            print(f"  - {name}: {shown}")
    print("\n| scored half | system | threshold (chosen on the other half) | B3 P | B3 R | B3 F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    shipped_rows(parts)
    thresholds: list[list[float]] = [[], []]
    for h in (0, 1):
        for name, scorer, _, _ in fitted[1 - h]:
            t = chosen(parts[1 - h], scorer)
            thresholds[1 - h].append(t)
            f = base.scores([a["cluster"] for a in parts[h]], grouped(parts[h], scorer, t))
            print(f"| {h} | {name} | logit {t} | {figures(f)} |", flush=True)
    pooled(stream, parts, fitted)
    whole(stream, fitted, thresholds)


if __name__ == "__main__":
    main()

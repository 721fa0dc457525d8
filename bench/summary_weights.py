"""Re-derive the summariser's sentence weights (engine.summary_features.WEIGHTS) and show they
hold on articles they were not fitted on.

    python -m bench.summary_weights [--data ../shared/eval/summaries] [--limit N]

The BBC News Summary references are sentences copied from their articles, so every candidate
sentence has a label: the reference holds it or not. A logistic regression (scikit-learn, here
only) learns the label from the sentence's FEATURES; a sentence's value is the probability
times its characters ** LENGTH_POWER (the budget is in characters; the other powers of a small
grid are scored too, each half with the other half's fit). Fitted on the even dev articles,
the weights are scored on the odd
ones, and the other way round: ROUGE at the set's budget (the reference's length), with the
product's reader rules on (lede first, no sentence without what it leans on, no repeats).
Then the same fit on all dev articles: the constants engine/ ships, printed to paste.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer
from sklearn.linear_model import LogisticRegression

from bench.summaries import DEFAULT_DATA, NO_CAP, Item, load
from engine.summary import sentence_features, summarize
from engine.summary_features import FEATURES, WEIGHTS, Weights

# A sentence's value grows with its length ** LENGTH_POWER; the grid shows its neighbours.
LENGTH_POWER = 0.2
LENGTH_POWERS = (0.0, 0.2, 0.5, 1.0)
DIGITS = 3  # the shipped constants are rounded to this many decimals


@dataclass(frozen=True, slots=True)
class Labelled:
    """One article's candidate sentences: what the model reads of each, and whether the
    reference holds it."""

    item: Item
    rows: list[tuple[float, ...]]
    labels: list[int]


def labelled(items: Sequence[Item], data: Path) -> list[Labelled]:
    """Each article's candidate sentences with their features and labels."""
    found = []
    for item in items:
        # The raw reference glues its sentences together: a sentence is in it or not.
        raw = (data / "Summaries" / f"{item.name}.txt").read_text(
            encoding="utf-8", errors="replace"
        )
        candidates, rows = sentence_features(item.body)
        found.append(Labelled(item, rows, [int(c.strip() in raw) for c in candidates]))
    return found


class Scorer:
    """ROUGE at the set's budget with given weights, mean over articles."""

    def __init__(self) -> None:
        self._rouge = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)

    def __call__(self, items: Sequence[Item], weights: Weights) -> tuple[float, float, float]:
        rows = []
        for item in items:
            summary = summarize(
                item.body, sentences=NO_CAP, budget=len(item.reference), weights=weights
            )
            score = self._rouge.score(item.reference, summary.text)
            rows.append(tuple(score[k].fmeasure for k in ("rouge1", "rouge2", "rougeL")))
        r1, r2, rl = (statistics.mean(column) for column in zip(*rows, strict=True))
        return r1, r2, rl


def fit(half: Sequence[Labelled], power: float = LENGTH_POWER) -> Weights:
    """The logistic model of the labels in `half`."""
    x = [row for article in half for row in article.rows]
    y = [label for article in half for label in article.labels]
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    intercept = round(float(model.intercept_[0]), DIGITS)
    coefficients = tuple(round(float(c), DIGITS) for c in model.coef_[0])
    return Weights(intercept, coefficients, power)


def show(name: str, weights: Weights) -> None:
    """The weights, one feature a line."""
    print(f"\n{name}: intercept {weights.intercept:+.3f}, length power {weights.length_power}")
    for feature, coefficient in zip(FEATURES, weights.coefficients, strict=True):
        print(f"  {feature:<14} {coefficient:+.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args()
    articles = labelled(load(args.data, args.limit), args.data)
    even, odd = articles[0::2], articles[1::2]
    scorer = Scorer()
    halves = {"even": even, "odd": odd}
    fitted = {name: fit(half) for name, half in halves.items()}
    for name, weights in fitted.items():
        show(f"fitted on the {name} articles", weights)
    shipped = fit(articles)
    show("fitted on all (the constants to ship)", shipped)
    print(f"engine ships these: {shipped == WEIGHTS}")
    print("\nROUGE at the set's budget (R-1 / R-2 / R-L), each half scored:")
    for name, half in halves.items():
        other = "odd" if name == "even" else "even"
        items = [article.item for article in half]
        cross = scorer(items, fitted[other])
        own = scorer(items, WEIGHTS)
        print(
            f"  {name:<4} articles ({len(items)}): weights fitted on the {other} ones "
            f"{_fmt(cross)}; the shipped weights (all articles) {_fmt(own)}"
        )
    print("\nROUGE-2 by length power, each half scored with the other half's model (even, odd):")
    for power in LENGTH_POWERS:
        even_r2 = scorer([a.item for a in even], fit(odd, power))[1]
        odd_r2 = scorer([a.item for a in odd], fit(even, power))[1]
        print(f"  {power:<4} {even_r2:.4f} {odd_r2:.4f}  mean {(even_r2 + odd_r2) / 2:.4f}")


def _fmt(scores: tuple[float, float, float]) -> str:
    return " / ".join(f"{s:.4f}" for s in scores)


if __name__ == "__main__":
    main()

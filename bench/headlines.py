"""Titles for text without a headline, on the BBC News Summary dev split, beside a baseline.

    python -m bench.headlines [--data ../shared/eval/summaries] [--limit N] [--show 5]

Each dev article loses its first line (the real headline); the body alone goes through the
path a headline-less file, page or feed item takes (engine.document.parse_text_article), and
its title is scored against the real headline: ROUGE-1 F1 with stemming (`rouge-score`), mean
over articles, and the share of titles that open with a connective ("However, …", "So - …",
by engine.dangling) or end in "…". The baseline is the first sentence cut at 90 characters.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path

from rouge_score import rouge_scorer

from bench.summaries import DEFAULT_DATA, Item, load
from engine.dangling import opens_with_connective
from engine.document import parse_text_article
from engine.sentences import split_sentences
from engine.text import shorten
from engine.titles import TITLE_CHARS

Titler = Callable[[str], str]


def newsbot(body: str) -> str:
    """The title newsbot gives a text without a headline."""
    return parse_text_article(body).title


def first_sentence(body: str) -> str:
    """The baseline: the first sentence, cut at 90 characters."""
    return shorten(next(iter(split_sentences(body)), ""), TITLE_CHARS)


def measure(items: Sequence[Item], titlers: dict[str, Titler], show: int) -> None:
    """Score every titler on every article and print the table."""
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    print(f"BBC News Summary dev split: {len(items)} articles, headline line removed")
    print(f"{'system':<28} {'R-1 F1':>7} {'connective':>11} {'ends in …':>10} {'chars':>6}")
    for name, titler in titlers.items():
        titles = [titler(item.body) for item in items]
        r1 = [
            scorer.score(item.headline, title)["rouge1"].fmeasure
            for item, title in zip(items, titles, strict=True)
        ]
        connective = sum(opens_with_connective(t) for t in titles) / len(titles)
        ellipsis = sum(t.endswith("…") for t in titles) / len(titles)
        chars = statistics.mean(len(t) for t in titles)
        print(
            f"{name:<28} {statistics.mean(r1):7.3f} {connective:11.1%} {ellipsis:10.1%} "
            f"{chars:6.1f}"
        )
    for item in items[:show]:
        print(f"\n{item.name}: {item.headline}")
        for name, titler in titlers.items():
            print(f"  {name:<26} {titler(item.body)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--show", type=int, default=5, help="titles to print")
    args = parser.parse_args()
    items = load(args.data, args.limit)
    measure(
        items,
        {"newsbot (lede's main clause)": newsbot, "first sentence cut at 90": first_sentence},
        args.show,
    )


if __name__ == "__main__":
    main()

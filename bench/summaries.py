"""Summary quality and speed on the BBC News Summary dev split, beside Lead and sumy.

    python -m bench.summaries [--data ../shared/eval/summaries] [--limit N] [--show 2]

The standard rule of the set's README: the input is the article without its headline; the
budget is the reference's length in characters; a system takes sentences in its own rank order,
skips one that would overflow and tries the next, and gives them back in document order; ROUGE-1,
ROUGE-2 and ROUGE-L F1 with stemming (`rouge-score`), mean over articles. sumy's own tokenizer
needs NLTK data that cannot be downloaded here, so sumy ranks the sentences newsbot's splitter
finds; every system is timed from text to summary, splitting included, in the same process,
with the garbage collector off during the timed call (as `timeit` does).

Then what a reader of `/summary` gets, for every system at the default length (3 sentences
within newsbot's default 700 characters): ROUGE against the reference; the share of summaries
with a dangling opener (a sentence leaning on one the summary left out, by engine.dangling,
the rule newsbot's summariser follows); the share in which two sentences say the same thing;
the share that start with the article's lede (its first sentence).
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from nltk.stem.porter import PorterStemmer
from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from engine.dangling import dangling
from engine.lang.en import SUMMARY_STOP_WORDS
from engine.sentences import split_sentences
from engine.summary import DEFAULT_BUDGET, DEFAULT_SENTENCES, summarize
from engine.text import words

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries"
# The references glue sentences together ("...10.9bn.For the full-year"): re-space them.
_GLUED = re.compile(r"(?<=[a-z0-9%)][.!?])(?=[A-Z\"'‘“])|(?<=[.!?][\"'’”])(?=[A-Z])")
# Two sentences "say the same thing" when half the content words of the shorter are in the other.
SAME_THING = 0.5
NO_CAP = 1000  # "no sentence cap": the budget alone limits the summary

# text, character budget, sentence cap -> the chosen sentences in document order
System = Callable[[str, int, int], list[str]]


@dataclass(frozen=True, slots=True)
class Item:
    """One dev article: its name, body (headline dropped), headline and re-spaced reference."""

    name: str
    body: str
    reference: str
    headline: str = ""


def load(data: Path, limit: int | None) -> list[Item]:
    """The dev split's articles with their references, in a stable order."""
    items = []
    for path in sorted((data / "News Articles").glob("*/*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        head, _, body = raw.partition("\n")
        ref_path = data / "Summaries" / path.parent.name / path.name
        reference = _GLUED.sub(" ", ref_path.read_text(encoding="utf-8", errors="replace"))
        name = f"{path.parent.name}/{path.stem}"
        items.append(Item(name, body.strip(), reference.strip(), head.strip()))
    return items[:limit] if limit else items


def within_budget(
    sentences: Sequence[str], ranked: Iterable[int], budget: int, cap: int = NO_CAP
) -> list[str]:
    """The standard rule: take in rank order, skip what overflows, give back in document order."""
    chosen: list[int] = []
    used = 0
    for i in ranked:
        cost = len(sentences[i]) + (1 if chosen else 0)
        if used + cost <= budget and len(chosen) < cap:
            chosen.append(i)
            used += cost
    return [sentences[i] for i in sorted(chosen)]


def lead(text: str, budget: int, cap: int) -> list[str]:
    """The first sentences up to the budget."""
    sentences = split_sentences(text)
    return within_budget(sentences, range(len(sentences)), budget, cap)


def newsbot(text: str, budget: int, cap: int) -> list[str]:
    """newsbot's summariser."""
    return list(summarize(text, sentences=cap, budget=budget).sentences)


def newsbot_repeating(text: str, budget: int, cap: int) -> list[str]:
    """The same without redundancy control: what repeating earns in ROUGE here."""
    return list(summarize(text, sentences=cap, budget=budget, diverse=False).sentences)


class _Tokenizer:
    """sumy's tokenizer interface over newsbot's word splitting (no NLTK data needed)."""

    @staticmethod
    def to_words(sentence: str) -> list[str]:
        return words(sentence)


def sumy_system(summarizer: TextRankSummarizer | LexRankSummarizer) -> System:
    """A sumy summariser on newsbot's sentences, under the budget rule."""
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _Tokenizer()

    def run(text: str, budget: int, cap: int) -> list[str]:
        sentences = split_sentences(text)
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
        position = {id(s): i for i, s in enumerate(document.sentences)}

        def by_budget(infos: list) -> list:  # type: ignore[type-arg]
            # sumy hands the sentences best first; keep the budget rule.
            ranked = [position[id(info.sentence)] for info in infos]
            keep = set(within_budget(sentences, ranked, budget, cap))
            return [info for info in infos if str(info.sentence) in keep]

        return [str(s) for s in summarizer(document, by_budget)]

    return run


class ContentWords:
    """Stemmed content words, for the reader-facing measures."""

    def __init__(self) -> None:
        self._stem = PorterStemmer().stem
        self._cache: dict[str, str] = {}

    def __call__(self, sentence: str) -> set[str]:
        out = set()
        for w in words(sentence):
            if w in SUMMARY_STOP_WORDS or w.isdigit():
                continue
            if w not in self._cache:
                self._cache[w] = self._stem(w)
            out.add(self._cache[w])
        return out


def says_the_same_twice(summary: Sequence[str], content: ContentWords) -> bool:
    """Two sentences of which the shorter's content words are mostly in the other."""
    sets = [content(s) for s in summary]
    return any(
        a and b and len(a & b) >= SAME_THING * min(len(a), len(b)) for a, b in combinations(sets, 2)
    )


@dataclass(slots=True)
class Tally:
    """One system's figures over the articles."""

    budget: list[tuple[float, ...]] = field(default_factory=list)
    default: list[tuple[float, ...]] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    dangling: int = 0
    repeats: int = 0
    lede_first: int = 0


def measure(items: Sequence[Item], systems: dict[str, System], show: int) -> dict[str, Tally]:
    """Every system on every article: at the set's budget (timed) and at the default length."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    content = ContentWords()
    tallies = {name: Tally() for name in systems}
    for item in items:
        article = split_sentences(item.body)
        # Systems take turns per article, so a busy machine slows them alike.
        for name, run in systems.items():
            tally = tallies[name]
            chosen, millis = _timed(run, item.body, len(item.reference))
            tally.millis.append(millis)
            tally.budget.append(_f1(scorer, item.reference, " ".join(chosen)))
            default = run(item.body, DEFAULT_BUDGET, DEFAULT_SENTENCES)
            tally.default.append(_f1(scorer, item.reference, " ".join(default)))
            tally.dangling += bool(dangling(default, article))
            tally.repeats += says_the_same_twice(default, content)
            tally.lede_first += bool(default) and bool(article) and default[0] == article[0]
    for item in items[:show]:
        print(f"\n--- {item.name}\nnewsbot /summary: {summarize(item.body).text}")
        print(f"reference:        {item.reference}")
    return tallies


def report(items: Sequence[Item], tallies: dict[str, Tally]) -> None:
    """The table and the targets."""
    n = len(items)
    print(f"\nBBC News Summary dev split: {n} articles")
    print(
        f"{'':<17} {'at the set budget (reference length)':^36} | "
        f"{'default: 3 sentences within 700 characters':^58}"
    )
    print(
        f"{'system':<17} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'ms/article':>11}   | "
        f"{'R-1':>6} {'R-2':>6} {'R-L':>6} {'dangling':>9} {'repeats':>8} {'lede 1st':>9}"
    )
    for name, t in tallies.items():
        b = _means(t.budget)
        d = _means(t.default)
        print(
            f"{name:<17} {b[0]:6.3f} {b[1]:6.3f} {b[2]:6.3f} {statistics.mean(t.millis):11.2f}   | "
            f"{d[0]:6.3f} {d[1]:6.3f} {d[2]:6.3f} {t.dangling / n:9.1%} {t.repeats / n:8.1%} "
            f"{t.lede_first / n:9.1%}"
        )
    ours, textrank = tallies["newsbot"], tallies["sumy TextRank"]
    gain = _means(ours.budget)[1] - _means(textrank.budget)[1]
    ratio = statistics.mean(textrank.millis) / statistics.mean(ours.millis)
    print(f"\nROUGE-2 at the set budget: newsbot - TextRank = {gain:+.3f} (target >= +0.020)")
    print(f"newsbot is {ratio:.1f}x faster than TextRank (target >= 5x)")
    print(
        f"default summaries: dangling opener {ours.dangling / n:.1%} (target 0 %), "
        f"repeats {ours.repeats / n:.1%} (target < 1 %), "
        f"lede first {ours.lede_first / n:.1%} (target >= 95 %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--show", type=int, default=2, help="default summaries to print")
    args = parser.parse_args()
    items = load(args.data, args.limit)
    systems: dict[str, System] = {
        "Lead": lead,
        "sumy TextRank": sumy_system(TextRankSummarizer(Stemmer("english"))),
        "sumy LexRank": sumy_system(LexRankSummarizer(Stemmer("english"))),
        "newsbot": newsbot,
        "newsbot, repeats": newsbot_repeating,
    }
    for run in systems.values():
        run(items[0].body, 1000, NO_CAP)  # warm up (segmenter, stemmer caches)
    report(items, measure(items, systems, args.show))


def _timed(run: System, text: str, budget: int) -> tuple[list[str], float]:
    """One summary at the set's budget and its time in ms, as `timeit` times: with the cyclic
    garbage collector off, so no system pays for collecting another's garbage (sumy's object
    model leaves much; a collection it triggers would land in whichever call comes next)."""
    gc.disable()
    try:
        t0 = time.perf_counter()
        chosen = run(text, budget, NO_CAP)
        return chosen, (time.perf_counter() - t0) * 1000
    finally:
        gc.enable()


def _f1(scorer: rouge_scorer.RougeScorer, reference: str, summary: str) -> tuple[float, ...]:
    result = scorer.score(reference, summary)
    return tuple(result[k].fmeasure for k in ("rouge1", "rouge2", "rougeL"))


def _means(rows: list[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(statistics.mean(col) for col in zip(*rows, strict=True))


if __name__ == "__main__":
    main()

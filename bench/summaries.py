"""Summary quality and speed on the BBC News Summary dev split, beside Lead and sumy.

    python -m bench.summaries [--data ../shared/eval/summaries] [--limit N] [--show 2]

The standard rule of the set's README: the input is the article without its headline; the
budget is the reference's length in characters; a system takes sentences in its own rank order,
skips one that would overflow and tries the next, and gives them back in document order; ROUGE-1,
ROUGE-2 and ROUGE-L F1 with stemming (`rouge-score`), mean over articles. sumy's own tokenizer
needs NLTK data that cannot be downloaded here, so sumy ranks the sentences newsbot's splitter
finds; every system is timed from text to summary, splitting included, in the same process.

Then what a reader of `/summary` gets (the default summary, 3 sentences): its ROUGE against the
reference, how often it carries the article's opening point (the first sentence, or a sentence
sharing most of its content words) and how often two of its sentences say the same thing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from nltk.stem.porter import PorterStemmer
from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from engine.lang.en import SUMMARY_STOP_WORDS
from engine.sentences import split_sentences
from engine.summary import summarize
from engine.text import words

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries"
# The references glue sentences together ("...10.9bn.For the full-year"): re-space them.
_GLUED = re.compile(r"(?<=[a-z0-9%)][.!?])(?=[A-Z\"'‘“])|(?<=[.!?][\"'’”])(?=[A-Z])")
# "Sharing most of its content words": more than half of the opening sentence's.
OPENING_SHARE = 0.5
# Two sentences "say the same thing" when half the content words of the shorter are in the other.
SAME_THING = 0.5

System = Callable[[str, int], list[str]]


@dataclass(frozen=True, slots=True)
class Item:
    """One dev article: its name, body (headline dropped) and re-spaced reference."""

    name: str
    body: str
    reference: str


def load(data: Path, limit: int | None) -> list[Item]:
    """The dev split's articles with their references, in a stable order."""
    items = []
    for path in sorted((data / "News Articles").glob("*/*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        body = raw.split("\n", 1)[1] if "\n" in raw else raw
        ref_path = data / "Summaries" / path.parent.name / path.name
        reference = _GLUED.sub(" ", ref_path.read_text(encoding="utf-8", errors="replace"))
        items.append(Item(f"{path.parent.name}/{path.stem}", body.strip(), reference.strip()))
    return items[:limit] if limit else items


def within_budget(sentences: Sequence[str], ranked: Iterable[int], budget: int) -> list[str]:
    """The standard rule: take in rank order, skip what overflows, give back in document order."""
    chosen: list[int] = []
    used = 0
    for i in ranked:
        cost = len(sentences[i]) + (1 if chosen else 0)
        if used + cost <= budget:
            chosen.append(i)
            used += cost
    return [sentences[i] for i in sorted(chosen)]


def lead(text: str, budget: int) -> list[str]:
    """The first sentences up to the budget."""
    sentences = split_sentences(text)
    return within_budget(sentences, range(len(sentences)), budget)


def newsbot(text: str, budget: int) -> list[str]:
    """newsbot's summariser with no sentence cap, only the budget."""
    return list(summarize(text, sentences=1000, budget=budget).sentences)


def newsbot_repeating(text: str, budget: int) -> list[str]:
    """The same without redundancy control: what repeating earns in ROUGE here."""
    return list(summarize(text, sentences=1000, budget=budget, diverse=False).sentences)


class _Tokenizer:
    """sumy's tokenizer interface over newsbot's word splitting (no NLTK data needed)."""

    @staticmethod
    def to_words(sentence: str) -> list[str]:
        return words(sentence)


def sumy_system(summarizer: TextRankSummarizer | LexRankSummarizer) -> System:
    """A sumy summariser on newsbot's sentences, under the budget rule."""
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _Tokenizer()

    def run(text: str, budget: int) -> list[str]:
        sentences = split_sentences(text)
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
        position = {id(s): i for i, s in enumerate(document.sentences)}

        def by_budget(infos: list) -> list:  # type: ignore[type-arg]
            # sumy hands the sentences best first; keep the budget rule.
            ranked = [position[id(info.sentence)] for info in infos]
            keep = set(within_budget(sentences, ranked, budget))
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


def carries_opening(summary: Sequence[str], body: str, content: ContentWords) -> bool:
    """The summary holds the first sentence, or one sharing most of its content words."""
    first = next(iter(split_sentences(body)), "")
    opening = content(first)
    if first in summary:
        return True
    return bool(opening) and any(
        len(opening & content(s)) > OPENING_SHARE * len(opening) for s in summary
    )


def says_the_same_twice(summary: Sequence[str], content: ContentWords) -> bool:
    """Two sentences of which the shorter's content words are mostly in the other."""
    sets = [content(s) for s in summary]
    return any(
        a and b and len(a & b) >= SAME_THING * min(len(a), len(b)) for a, b in combinations(sets, 2)
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
        run(items[0].body, 1000)  # warm up (segmenter, stemmer caches)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores: dict[str, list[tuple[float, ...]]] = {name: [] for name in systems}
    millis: dict[str, list[float]] = {name: [] for name in systems}
    default_scores: list[tuple[float, ...]] = []
    content = ContentWords()
    opening = redundant = 0
    for item in items:
        budget = len(item.reference)
        # Systems take turns per article, so a busy machine slows them alike.
        for name, run in systems.items():
            t0 = time.perf_counter()
            chosen = run(item.body, budget)
            millis[name].append((time.perf_counter() - t0) * 1000)
            scores[name].append(_f1(scorer, item.reference, " ".join(chosen)))
        default = summarize(item.body).sentences
        default_scores.append(_f1(scorer, item.reference, " ".join(default)))
        opening += carries_opening(default, item.body, content)
        redundant += says_the_same_twice(default, content)
    print(f"BBC News Summary dev split: {len(items)} articles, budget = reference length")
    print(f"{'system':<18} {'R-1 F1':>7} {'R-2 F1':>7} {'R-L F1':>7} {'ms/article':>11}")
    for name in systems:
        _row(name, scores[name], statistics.mean(millis[name]))
    _row("newsbot default", default_scores, None)
    ratio = statistics.mean(millis["sumy TextRank"]) / statistics.mean(millis["newsbot"])
    print(f"newsbot is {ratio:.1f}x faster than TextRank (target >= 5x)")
    print(
        f"default summary (/summary, 3 sentences): carries the opening point in "
        f"{opening / len(items):.1%} (target >= 90 %), says the same thing twice in "
        f"{redundant / len(items):.1%} (target < 2 %)"
    )
    for item in items[: args.show]:
        print(f"\n--- {item.name}\nnewsbot /summary: {summarize(item.body).text}")
        print(f"reference:        {item.reference}")


def _f1(scorer: rouge_scorer.RougeScorer, reference: str, summary: str) -> tuple[float, ...]:
    result = scorer.score(reference, summary)
    return tuple(result[k].fmeasure for k in ("rouge1", "rouge2", "rougeL"))


def _row(name: str, rows: list[tuple[float, ...]], ms: float | None) -> None:
    r1, r2, rl = (statistics.mean(col) for col in zip(*rows, strict=True))
    timing = f"{ms:11.2f}" if ms is not None else f"{'':>11}"
    print(f"{name:<18} {r1:7.3f} {r2:7.3f} {rl:7.3f} {timing}")


if __name__ == "__main__":
    main()

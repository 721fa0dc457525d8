"""One summary of a story from all its sources: the lede of the best source, then what the
other sources add, with no sentence that says again, in other words, what one before it said.

The best source is the most central one: the one whose summary shares the most content words
with the other sources' (the version that tells the common event, not an outlet's angle).
Each source's candidate sentences are its extractive summary (engine/summary.py: lede first),
so the story's summary reads from the most central report outwards. A sentence repeats another
when most of the shorter one's content words (stemmed) are in the other: "the summit opened in
Khankendi on Thursday" and "on Thursday, Khankendi saw the summit open" are one sentence said
twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from engine.models import Article, Story
from engine.selection import REPEATS
from engine.summary import Summary, content_words, summarize

STORY_SENTENCES = 4
STORY_BUDGET = 900  # characters


def _sentences(article: Article) -> tuple[str, ...]:
    """The article's summary sentences (the stored default one, else computed)."""
    return article.summary or summarize(article.body).sentences


def _centrality(words: Sequence[frozenset[str]]) -> list[float]:
    """Each source's summed cosine with the other sources (LexRank's degree)."""
    scores = [0.0] * len(words)
    for i, a in enumerate(words):
        for j in range(i + 1, len(words)):
            b = words[j]
            if a and b:
                cosine = len(a & b) / math.sqrt(len(a) * len(b))
                scores[i] += cosine
                scores[j] += cosine
    return scores


def repeats(sentence: frozenset[str], said: Sequence[frozenset[str]]) -> bool:
    """Whether a sentence's content words are mostly those of a sentence already said."""
    return (
        any(
            s and sentence and len(sentence & s) / min(len(sentence), len(s)) >= REPEATS
            for s in said
        )
        or not sentence
    )


def by_centrality(sources: Sequence[Article]) -> list[int]:
    """The sources' indexes, the most central (the best source) first."""
    candidates = [_sentences(a) for a in sources]
    words = [
        frozenset(content_words(a.title + " " + " ".join(c)))
        for a, c in zip(sources, candidates, strict=True)
    ]
    scores = _centrality(words)
    return sorted(range(len(sources)), key=lambda i: (-scores[i], i))


def best_source(story: Story) -> Article:
    """The story's most central source: its title names the story in lists."""
    return story.sources[by_centrality(story.sources)[0]]


def story_summary(
    sources: Sequence[Article], sentences: int = STORY_SENTENCES, budget: int = STORY_BUDGET
) -> tuple[Article, Summary]:
    """The best source and the story's summary (at most `sentences` sentences and `budget`
    characters, the best source's lede always first)."""
    if not sources:
        raise ValueError("a story has at least one source")
    candidates = [_sentences(a) for a in sources]
    order = by_centrality(sources)
    best = order[0]
    chosen: list[str] = []
    said: list[frozenset[str]] = []
    used = 0
    lede = candidates[best][:1]
    others = [s for i in order[1:] for s in candidates[i]]
    for sentence in (*lede, *others):
        if len(chosen) >= sentences:
            break
        content = frozenset(content_words(sentence))
        room = budget - used - bool(chosen)
        if len(sentence) > room or (chosen and repeats(content, said)):
            continue
        chosen.append(sentence)
        said.append(content)
        used += len(sentence) + (len(chosen) > 1)
    return sources[best], Summary(tuple(chosen))

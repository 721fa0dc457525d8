"""An in-memory story store: candidate look-up by shared keys, and the single-pass grouper.

`StoryIndex` is the reference for what the storage layer implements with tables (see
docs/stories.md): a posting list per key of the stories it distinguishes, read newest first
and cut at POSTINGS_READ, candidates ranked by the idf of the keys they share, at most
CANDIDATES of them compared in full. `Grouper` runs the whole step for one article: features,
candidates, decision, state update, document frequencies.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from engine.stories import Rule, StoryState, decide, query_keys
from engine.story_features import DocumentFrequencies, Features, features, idf

CANDIDATES = 20  # stories compared in full for each article
POSTINGS_READ = 400  # newest stories read per key: a common key says little anyway


class StoryIndex:
    """Stories by id, with posting lists from their index keys."""

    def __init__(self) -> None:
        self.stories: dict[int, StoryState] = {}
        self._keys: dict[int, list[str]] = {}
        self._postings: defaultdict[str, dict[int, None]] = defaultdict(dict)

    def candidates(
        self, article: Features, frequencies: DocumentFrequencies, limit: int = CANDIDATES
    ) -> list[tuple[int, StoryState]]:
        """The stories sharing the article's distinctive keys, most shared idf first."""
        found: dict[int, float] = {}
        for key in query_keys(article):
            posting = self._postings.get(key)
            if not posting:
                continue
            weight = idf(frequencies, key)
            ids = list(posting)
            for story_id in ids[-POSTINGS_READ:]:
                found[story_id] = found.get(story_id, 0.0) + weight
        best = sorted(found, key=lambda s: (-found[s], -s))[:limit]
        return [(s, self.stories[s]) for s in best]

    def put(self, story_id: int, story: StoryState) -> None:
        """Store a story's new state and re-post it under its (possibly changed) keys; a
        re-posted story moves to the end of its lists (newest)."""
        self.stories[story_id] = story
        for key in self._keys.get(story_id, ()):
            self._postings[key].pop(story_id, None)
        keys = story.index_keys()
        self._keys[story_id] = keys
        for key in keys:
            self._postings[key][story_id] = None


class Grouper:
    """Single-pass grouping: each article joins a story or starts one, in arrival order."""

    def __init__(self, rule: Rule | None = None) -> None:
        self.rule = rule or Rule()
        self.index = StoryIndex()
        self.frequencies = DocumentFrequencies()
        self._next = 0

    def add(self, title: str, body: str, day: date | None = None) -> int:
        """Group one article; the id of its story."""
        article = features(title, body, day, self.frequencies)
        chosen = decide(
            article, self.index.candidates(article, self.frequencies), self.frequencies, self.rule
        )
        if chosen is None:
            chosen = self._next
            self._next += 1
            story = StoryState()
        else:
            story = self.index.stories[chosen]
        story.add(article)
        self.index.put(chosen, story)
        self.frequencies.add(article.keys())
        return chosen

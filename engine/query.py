"""Queries: parsing (stop words out), the typo allowance, and the plan of what each word may
match in the index (`WordPlan`, `QueryPlan`), which `Vocabulary` builds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from engine.errors import EmptyQuery, QueryTooLong
from engine.lang.en import SEARCH_STOP_WORDS
from engine.text import WORD_RE, fold

# An editor's one-sentence description of a story (250-400 characters) is a query too; a
# query keeps its first MAX_QUERY_WORDS words after stop words.
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 10


class QueryWords(list[str]):
    """The words of a query; `last_is_prefix` is false when the typed query ended with a word
    that was dropped (a stop word), so the last kept word was finished, not being typed."""

    last_is_prefix: bool = True


def parse_query(query: str) -> QueryWords:
    """Fold a raw query into distinct words; search syntax and punctuation are just separators.

    Stop words and query filler ("news about", "latest") are dropped when other words remain,
    so they never decide a search; a query made only of them is searched as typed.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(MAX_QUERY_CHARS)
    typed = WORD_RE.findall(fold(query))
    if not typed:
        raise EmptyQuery()
    kept = [w for w in typed if w not in SEARCH_STOP_WORDS] or typed
    found = QueryWords(dict.fromkeys(kept))
    found.last_is_prefix = typed[-1] == kept[-1]
    del found[MAX_QUERY_WORDS:]
    return found


def allowed_typos(word: str) -> int:
    """Typos tolerated in a query word of this length (Meilisearch's defaults)."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


@dataclass(frozen=True, slots=True)
class WordPlan:
    """What one query word may match: indexed terms with their typos (an inflected form such
    as a plural counts 0 typos but is not exact), and (last word only) prefixes."""

    word: str
    terms: dict[str, int] = field(default_factory=dict)
    prefixes: dict[str, int] = field(default_factory=dict)
    # The indexed terms a prefix stands for in the index's query, when the vocabulary knows
    # them all and they are few enough to list: the most common of them (engine/vocabulary.py
    # MAX_COMPLETIONS). None: the index matches the prefix itself. Ranking and marks still
    # take any word starting with the prefix.
    completions: tuple[str, ...] | None = None

    @property
    def expanded(self) -> bool:
        """Whether the index expands this word's prefix itself (its completions are too many
        to list): its lists are not counted in the vocabulary and cost the index most."""
        return bool(self.prefixes) and self.completions is None

    @property
    def matchable(self) -> bool:
        """Whether any indexed term can match this word."""
        return bool(self.terms or self.prefixes)

    @property
    def uncovered(self) -> WordPlan:
        """The same word without the terms one of its prefixes already matches ("said"
        beside "said*"): the same articles, one list fewer to merge (for counts; ranking
        keeps them)."""
        if self.completions is not None:
            listed = set(self.completions)
            kept = {t: n for t, n in self.terms.items() if t not in listed}
        else:
            kept = {t: n for t, n in self.terms.items() if not t.startswith(tuple(self.prefixes))}
        return WordPlan(self.word, kept, self.prefixes, self.completions)

    @property
    def best(self) -> str | None:
        """The closest indexed term (what the user probably meant): the fewest typos, and
        among those the term most articles hold (the plan lists them most common first), so
        "cheif" is "chief", the word the results match, not the rarer "chef"."""
        if self.word in self.terms or self.word in self.prefixes:
            return self.word
        if not self.terms:
            return None
        return min(self.terms.items(), key=lambda item: item[1])[0]


# (word index, typos, exact) for one way a term matches a query word.
Owner = tuple[int, int, bool]


@dataclass(frozen=True)
class QueryPlan:
    """A parsed query mapped onto the index vocabulary."""

    words: tuple[WordPlan, ...]

    @property
    def matchable(self) -> tuple[WordPlan, ...]:
        """The words that can match something."""
        return tuple(w for w in self.words if w.matchable)

    @property
    def corrections(self) -> tuple[str, ...]:
        """The query as the engine understood it, when a word was corrected."""
        best = [w.best for w in self.words]
        if all(b == w.word for b, w in zip(best, self.words, strict=True)):
            return ()
        return tuple(b for b in best if b)

    @cached_property
    def owners(self) -> tuple[dict[str, list[Owner]], dict[str, list[Owner]]]:
        """term -> the words it matches, and prefix stem -> the words it matches."""
        terms: dict[str, list[Owner]] = {}
        prefixes: dict[str, list[Owner]] = {}
        for i, plan in enumerate(self.words):
            for term, typos in plan.terms.items():
                terms.setdefault(term, []).append((i, typos, term == plan.word))
            for stem, typos in plan.prefixes.items():
                prefixes.setdefault(stem, []).append((i, typos, False))
        return terms, prefixes

    @cached_property
    def _owners_seen(self) -> dict[str, list[Owner]]:
        return {}

    def owners_of(self, token: str) -> list[Owner]:
        """How a folded indexed token matches the query's words (empty: it does not). Each
        token is worked out once per plan (ranking meets the same few in every candidate);
        the list returned is shared: not to be changed."""
        seen = self._owners_seen
        found = seen.get(token)
        if found is None:
            terms, prefixes = self.owners
            found = list(terms.get(token, ()))
            for stem, owners in prefixes.items():
                if token.startswith(stem):
                    found += [(i, t, len(token) == len(stem)) for i, t, _ in owners]
            seen[token] = found
        return found

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """One regex finding every variant in folded text: group t = term, p = prefix stem."""
        terms, prefixes = self.owners
        if not terms and not prefixes:
            return None
        parts = []
        if terms:
            alt = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
            parts.append(rf"(?P<t>{alt})(?![^\W_])")
        if prefixes:
            alt = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
            parts.append(rf"(?P<p>{alt})[^\W_]*")
        # A look-ahead on the first letters lets the scanner skip most positions cheaply.
        firsts = "".join(sorted({w[0] for w in (*terms, *prefixes)}))
        return re.compile(rf"(?=[{re.escape(firsts)}])(?<![^\W_])(?:" + "|".join(parts) + ")")

"""Keyword matching of many articles against many subscriptions at once, for fan-out.

`ArticleMatcher` (engine/matching.py) plans every subscription's keywords against each
article's words: with 10,000 subscriptions and 500 new articles that is five million plans.
`KeywordIndex` turns the loop around, with exactly the same rules (typos by word length,
plural and singular forms, the last keyword word as a prefix, excluded words):

1. the subscriptions' keyword words are indexed once: each word and its plural/singular
   forms, its one-letter deletions (SymSpell: a word one edit from a term shares a deletion
   with it, or is it less a letter, or it less a letter), long words by (first letter,
   length) for two typos, the prefix words;
2. each distinct word an article holds is resolved once (cached while the index lives) into
   the keyword words it satisfies;
3. an article's satisfied words pick the subscriptions indexed under one of their words,
   which are then checked for the rest of their words and their excluded words.

The work comes in steps (`build`, `pairs` are generators yielding between small units), so
an async caller can hand the event loop back between them and never hold it for long.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from engine.errors import QueryError
from engine.lang.en import inflections
from engine.models import Article
from engine.query import allowed_typos, parse_query
from engine.text import is_latin, words
from engine.vocabulary import (
    LONG_TERM_CHARS,
    MIN_PREFIX_CHARS,
    SMALL_VOCABULARY,
    alphabet_of,
    deletes,
)

# A keyword word and whether it also matches as a prefix (the last word of the keywords).
Key = tuple[str, bool]
# What a subscription needs: every key satisfied by the article's words.
Condition = tuple[Key, ...]

SUBSCRIPTIONS_A_STEP = 100  # subscriptions indexed between two yields of `build`
TERMS_A_STEP = 100  # new article words resolved between two yields of `pairs`
TERMS_KEPT = 200_000  # resolved article words kept; more and the cache starts again
_LATIN = string.ascii_lowercase  # a Latin word's slips, as Vocabulary generates them

_K = TypeVar("_K")
_V = TypeVar("_V")


def condition(keywords: str) -> Condition | None:
    """The keys a text of keywords needs (as /search parses it); None: it matches nothing."""
    try:
        parsed = parse_query(keywords)
    except QueryError:  # stored keywords were checked at /subscribe; be safe anyway
        return None
    last = len(parsed) - 1 if parsed.last_is_prefix else -1
    return tuple((w, i == last and len(w) >= MIN_PREFIX_CHARS) for i, w in enumerate(parsed))


@dataclass(frozen=True, slots=True)
class _Subscription:
    key: int  # the caller's id for it
    position: int  # order of addition: pairs come in this order, as fan-out's rows did
    needs: Condition
    excluded: tuple[Condition, ...]


# The keys one article word satisfies, and those it satisfies only through one replaced or
# inserted letter (the letter given): an article of more than SMALL_VOCABULARY words counts
# those only for a letter of its alphabet, as Vocabulary's generated edits do. Plain tuples,
# as every value the index keeps: the garbage collector stops tracking them, so hundreds of
# thousands of them never make a collection pause the event loop.
_Resolved = tuple[tuple[Key, ...], tuple[tuple[Key, str], ...]]


def _append(mapping: dict[_K, tuple[_V, ...]], key: _K, value: _V) -> None:
    mapping[key] = (*mapping.get(key, ()), value)


def _introduced(word: str, term: str) -> str | None:
    """The letter `term` has in place of or beside `word`'s (one edit apart), or None for a
    deletion or a swap of neighbours (edits that bring no new letter)."""
    if len(term) == len(word) + 1:
        i = next((i for i, (a, b) in enumerate(zip(word, term, strict=False)) if a != b), len(word))
        return term[i]
    if len(term) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(word, term, strict=True)) if a != b]
        return term[diff[0]] if len(diff) == 1 else None
    return None


class KeywordIndex:
    """Subscriptions' keywords indexed by their words' forms, typo deletions and prefixes."""

    def __init__(self) -> None:
        self._subs: list[_Subscription] = []
        self._always: list[_Subscription] = []  # no keywords: every article
        self._by_key: dict[Key, list[_Subscription]] = {}
        self._keys_of: dict[str, tuple[Key, ...]] = {}  # keyword word -> its keys
        self._forms: dict[str, tuple[str, ...]] = {}  # the word or an inflection -> words
        self._deleted: dict[str, tuple[str, ...]] = {}  # one-letter deletion -> one-typo words
        self._long: dict[tuple[str, int], list[str]] = {}  # (first letter, length) -> words
        self._prefixes: set[str] = set()
        self._resolved: dict[str, _Resolved] = {}

    def __len__(self) -> int:
        return len(self._subs)

    def build(self, subscriptions: Iterable[tuple[int, str, str]]) -> Iterator[None]:
        """Index (key, keywords, excluded words) of each subscription, yielding now and then."""
        for n, (key, keywords, excluded) in enumerate(subscriptions, 1):
            self.add(key, keywords, excluded)
            if n % SUBSCRIPTIONS_A_STEP == 0:
                yield

    def add(self, key: int, keywords: str, excluded: str = "") -> None:
        """Index one subscription (every keyword must match, no excluded word may)."""
        needs = () if not keywords.strip() else condition(keywords)
        if needs is None:
            return  # keywords that match nothing: never a row
        unwanted = tuple(c for c in map(condition, excluded.split()) if c is not None)
        sub = _Subscription(key, len(self._subs), needs, unwanted)
        self._subs.append(sub)
        self._resolved.clear()
        for cond in (needs, *unwanted):
            for k in cond:
                self._index_key(k)
        if not needs:
            self._always.append(sub)
        else:  # under its longest word: the rarest, so the fewest candidates to check
            self._by_key.setdefault(max(needs, key=lambda k: len(k[0])), []).append(sub)

    def _index_key(self, key: Key) -> None:
        word, as_prefix = key
        if as_prefix:
            self._prefixes.add(word)
        known = word in self._keys_of
        if key not in self._keys_of.get(word, ()):
            _append(self._keys_of, word, key)
        if known:
            return
        for form in (word, *inflections(word)):
            _append(self._forms, form, word)
        k = allowed_typos(word)
        if k and not word.isdigit():
            _append(self._deleted, word, word)  # a term less a letter is the word
            for d in deletes(word):
                _append(self._deleted, d, word)
            if k >= 2:
                self._long.setdefault((word[0], len(word)), []).append(word)

    def pairs(self, articles: Iterable[Article]) -> Iterator[list[tuple[int, int]]]:
        """(subscription key, article id) of each match, an article's after its words are
        resolved; in between, empty lists (a point to yield at)."""
        for article in articles:
            terms = list(dict.fromkeys(words(article.title + "\n" + article.body)))
            new = [t for t in terms if t not in self._resolved]
            if len(self._resolved) + len(new) > TERMS_KEPT:
                self._resolved.clear()
                new = terms
            for start in range(0, len(new), TERMS_A_STEP):
                for term in new[start : start + TERMS_A_STEP]:
                    self._resolved[term] = self._resolve(term)
                yield []
            yield [(sub.key, article.id) for sub in self._matching(terms)]

    def matching(self, article: Article) -> list[int]:
        """The keys of the subscriptions this article matches, in the order they were added."""
        return [key for found in self.pairs([article]) for key, _ in found]

    def _matching(self, terms: list[str]) -> list[_Subscription]:
        satisfied = self._satisfied(terms)
        found = [s for s in self._always if self._wanted(s, satisfied)]
        for key in satisfied:
            found += (s for s in self._by_key.get(key, ()) if self._wanted(s, satisfied))
        return sorted(found, key=lambda s: s.position)

    @staticmethod
    def _wanted(sub: _Subscription, satisfied: set[Key]) -> bool:
        return all(k in satisfied for k in sub.needs) and not any(
            all(k in satisfied for k in cond) for cond in sub.excluded
        )

    def _satisfied(self, terms: list[str]) -> set[Key]:
        """The keys an article of these (distinct, in order) words satisfies."""
        satisfied: set[Key] = set()
        edited: list[tuple[Key, str]] = []
        for term in terms:
            resolved = self._resolved.get(term) or self._resolve(term)
            satisfied.update(resolved[0])
            edited += resolved[1]
        if len(terms) <= SMALL_VOCABULARY:
            satisfied.update(k for k, _ in edited)
        else:  # Vocabulary generates a large article's edits from its alphabet only
            letters = alphabet_of(terms)
            satisfied.update(
                k for k, c in edited if c in (_LATIN if is_latin(k[0]) else letters + k[0])
            )
        return satisfied

    def _resolve(self, term: str) -> _Resolved:
        """The keys one article word satisfies (see _Resolved)."""
        sure: set[Key] = set()
        for word in self._forms.get(term, ()):  # the word itself or a plural/singular form
            sure.update(self._keys_of[word])
        for i in range(MIN_PREFIX_CHARS, len(term)):  # a keyword word it starts with
            if term[:i] in self._prefixes:
                sure.add((term[:i], True))
        edited: dict[Key, str] = {}
        for word in self._one_edit_words(term):
            letter = _introduced(word, term)
            for key in self._keys_of[word]:
                if letter is None:
                    sure.add(key)
                else:
                    edited[key] = letter
        for word in self._two_typo_words(term):
            sure.update(self._keys_of[word])
        return tuple(sure), tuple(i for i in edited.items() if i[0] not in sure)

    def _one_edit_words(self, term: str) -> set[str]:
        """Keyword words (of 5+ letters) one edit from the term (found through deletions)."""
        candidates = set(self._deleted.get(term, ()))
        for d in deletes(term):
            candidates.update(self._deleted.get(d, ()))
        digits = term.isdigit()
        return {
            w
            for w in candidates
            if w != term
            and (not digits or is_latin(w))
            and OSA.distance(w, term, score_cutoff=1) == 1
        }

    def _two_typo_words(self, term: str) -> set[str]:
        """Keyword words (of 9+ letters) up to two edits from the term, same first letter."""
        if len(term) < LONG_TERM_CHARS or term.isdigit():
            return set()
        found: set[str] = set()
        for length in range(len(term) - 2, len(term) + 3):
            bucket = self._long.get((term[0], length))
            if bucket:
                found.update(
                    w
                    for w, _, _ in process.extract(
                        term, bucket, scorer=OSA.distance, score_cutoff=2, limit=None
                    )
                    if w != term
                )
        return found

"""Search over the store: the vocabulary (cached, re-checked with every search's candidates),
candidates from the full-text index's own ranking, the engine's final ranking.

Candidates come from the index ranked by relevance (BM25 on SQLite, ts_rank on PostgreSQL),
all words first. When that finds too few, the words are dropped one at a time, the least
informative (in the most articles) first, never the rare word that says what the search is
about; then the rarest word alone. A step whose rarest word is in many articles is read
newest first instead: ranking every match of common words would cost O(matches).
Before all that, when some word also matches terms with typos, the words as typed (or
inflected, or completed) are tried alone: an article that matches every word without a typo
ranks above every article that needs one, so when enough do, the typos' lists are never read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from engine.models import SearchPage
from engine.search import Candidate, QueryPlan, QueryWords, Vocabulary, WordPlan, parse_query, rank
from engine.vocabulary import lookups, needs_alphabet
from storage.driver_rows import Reader
from storage.fulltext import FullTextIndex, Tier

MIN_CANDIDATES = 30
# Distinct terms up to which a process holds the whole vocabulary in memory (about 0.3 s to
# load and 40 MiB); a larger store's searches read the terms they need instead.
HELD_TERMS = 150_000
# Above these, the articles of a step are read newest first rather than ranked.
RELEVANCE_MAX_DOCS = 500  # one word: bm25 scores every article that holds it
RELEVANCE_MAX_DOCS_AND = 5_000  # several words: only articles holding all of them are scored
# When a ranked step's common words only filter it, and do not rank it. SQLite's bm25() first
# reads every phrase's whole list to count its articles (its idf), about 0.05 us an entry,
# where scoring one matching article costs about 1.5 us. So when the step's words in more
# than RANKING_MAX_DOCS articles (and 4 times the rarest word's) hold more than
# SCORE_TO_COUNT times the rarest word's articles between them, the step is ranked by its
# rarer words and filtered by the rest: at a million articles "crossrail link get ahead"
# ranked in 4 ms instead of 22, "accelerated driven consumer shows" in 14 instead of 36 (and
# a common word's idf is small anyway). A store of fewer articles ranks every word as before.
RANKING_MAX_DOCS = 20_000
SCORE_TO_COUNT = 30


def tiers(words: list[WordPlan], vocabulary: Vocabulary, wanted: int, rest: int) -> list[Tier]:
    """The candidate steps: all words (`wanted` articles); then (`rest` each) every word set
    with one word left out, the most common word first; then the rarest word alone. Each
    step's words go rarest first, with how many of them rank it (0: newest first)."""
    frequency = {id(w): vocabulary.frequency(w) for w in words}
    words = sorted(words, key=lambda w: frequency[id(w)])  # rarest first
    steps = [words] + [words[:i] + words[i + 1 :] for i in range(len(words) - 1, -1, -1)]
    if len(words) > 2:
        steps.append(words[:1])
    found: list[Tier] = []
    for kept in steps:
        if kept:
            rarest = frequency[id(kept[0])]
            cap = RELEVANCE_MAX_DOCS if len(kept) == 1 else RELEVANCE_MAX_DOCS_AND
            ranking = _ranking(kept, [frequency[id(w)] for w in kept])
            limit = wanted if not found else rest
            # A prefix the index expands itself has lists the vocabulary does not count.
            expanded = any(w.expanded for w in kept)
            postings = 0 if expanded else sum(frequency[id(w)] for w in kept)
            found.append(
                Tier(tuple(kept), limit, ranking if rarest <= cap else 0, rarest, postings)
            )
    return found


def without_typos(words: Sequence[WordPlan]) -> list[WordPlan] | None:
    """The words with only their terms and prefixes of no typo (an inflection or a completion
    is no typo), for a first step that never reads a typo's list: at a million articles
    "tapes containing federal employees" spent 11 ms of 13 in SQLite on "takes", "taxes",
    "types" and "employers". None when a word has nothing but typos (its typos are all it
    can match) or when no word has a typo to leave out (the step would be the all-words one).
    Ranking puts an article matching every word without a typo above any that needs one
    (engine/search.py `rank`: words matched, their rarity, then typos), so when this step
    fills the page, the typos could not have been on it."""
    kept: list[WordPlan] = []
    dropped = False
    for word in words:
        terms = {t: n for t, n in word.terms.items() if n == 0}
        prefixes = {p: n for p, n in word.prefixes.items() if n == 0}
        if not terms and not prefixes:
            return None
        completions = word.completions
        if completions is not None and len(prefixes) < len(word.prefixes):
            stems = tuple(prefixes)
            completions = tuple(c for c in completions if c.startswith(stems)) if stems else None
        dropped = dropped or len(terms) < len(word.terms) or len(prefixes) < len(word.prefixes)
        kept.append(WordPlan(word.word, terms, prefixes, completions))
    return kept if dropped else None


def worth_trying(strict: Tier, whole: Tier, enough: int) -> bool:
    """Whether the typo-free step may fill the page for less than the all-words step costs:
    its rarest word is in enough articles ("verssus", a typo some articles hold, is not: its
    step would be one more statement that finds too few), and its lists hold at most 4/5 of
    the all-words step's entries (unknown for a prefix the index expands: tried). Merging a
    word's several lists costs more than their length says: at a million articles
    "accelerated driven consumer shows" left out 29 % of the entries and took 10 ms instead
    of 15; "highest optimistic influential survey" would leave out 2 %, so it is not tried."""
    cheaper = not strict.postings or not whole.postings or 5 * strict.postings <= 4 * whole.postings
    return strict.rarest >= enough and cheaper


def _ranking(words: list[WordPlan], frequency: list[int]) -> int:
    """How many of a step's words (rarest first, with their frequencies) rank it: all, or
    only the rarer ones when the common words' lists are long (see RANKING_MAX_DOCS)."""
    common = max(RANKING_MAX_DOCS, 4 * frequency[0])
    rare = sum(1 for n in frequency if n <= common)
    if sum(frequency[rare:]) > SCORE_TO_COUNT * frequency[0]:
        return rare
    return len(words)


def _batches(
    steps: list[Tier], vocabulary: Vocabulary, enough: int
) -> list[tuple[bool, list[Tier]]]:
    """The steps in the statements that read them: all words first; then the steps without
    the most common word and the rarest word alone (cheap: the index never walks the common
    word's long list); then the others (flagged True), only if the page is still short or no
    article holds every word. A rarest word rarer than a page needs the second statement
    anyway: it goes with the first."""
    if not steps:
        return [(False, [])]  # still one statement: it reads the change mark
    common = steps[0][0][-1]
    cheap = [s for s in steps[1:] if common not in s[0]]
    dear = [s for s in steps[1:] if common in s[0]]
    if vocabulary.frequency(steps[0][0][0]) < enough:
        return [(False, steps[:1] + cheap), (True, dear)]
    return [(False, steps[:1]), (False, cheap), (True, dear)]


def _entries(candidates: Iterable[Candidate]) -> int:
    """How many list entries candidates make when each story is one entry."""
    return len({c.article.story_id or -c.article.id for c in candidates})


def rarity(plan: QueryPlan, vocabulary: Vocabulary) -> list[int]:
    """Each plan word's rank by how many articles hold it, 0 for the rarest."""
    order = sorted(range(len(plan.words)), key=lambda i: vocabulary.frequency(plan.words[i]))
    ranks = [0] * len(order)
    for position, i in enumerate(order):
        ranks[i] = position
    return ranks


class SearchIndex:
    """Plans and runs searches, re-checking the database's change mark read with every
    search's candidates, so another process's new articles (and their words) are found at
    once: a stale vocabulary is topped up and the search run again.

    A store of up to HELD_TERMS distinct terms has its whole vocabulary held in memory (loaded
    once: fastest per search). A larger one is never loaded whole (that took 19-26 s and
    310 MiB at a million articles): each search reads just the terms its words can touch
    (engine.vocabulary.lookups: the words, their inflections and one-edit variants, long
    words' two-typo buckets, the last word's prefix range) through the term table's indexes.
    """

    def __init__(
        self, db_engine: AsyncEngine, index: FullTextIndex, held_terms: int = HELD_TERMS
    ) -> None:
        self._db_engine = db_engine
        self._index = index
        self._held_terms = held_terms
        self._vocabulary: Vocabulary | None = None
        self._per_search = False  # the store is too large to hold: terms are read per search
        self._alphabet: str | None = None  # read once, when a word first needs it
        self._mark = -1
        self._lock = asyncio.Lock()

    def forget_vocabulary(self) -> None:
        """Read the vocabulary again at the next search (articles were removed: their words'
        counts fell, which a top-up from the change mark cannot see on SQLite)."""
        self._vocabulary, self._per_search, self._alphabet, self._mark = None, False, None, -1

    async def _vocabulary_for(
        self, reader: Reader, words: QueryWords, mark: int | None
    ) -> tuple[int, Vocabulary]:
        """The change mark and a vocabulary that plans `words` as of it (or later): the held
        one, loaded once and topped up when the database is past our mark, or one read for
        these words alone."""
        async with self._lock:
            if self._vocabulary is None and not self._per_search:
                if await self._index.has_more_terms_than(reader, self._held_terms):
                    self._per_search = True
                else:
                    self._mark, self._vocabulary = await self._index.load(reader)
            if self._vocabulary is not None:
                if mark is not None and mark != self._mark:
                    await self._index.top_up(reader, self._vocabulary, self._mark)
                    self._mark = mark
                return self._mark, self._vocabulary
            # Latin words' typos are Latin letters: the store's alphabet (5,000 terms read,
            # 13 ms of a first search on PostgreSQL) only for a word of other letters.
            if self._alphabet is None and needs_alphabet(words):
                self._alphabet = await self._index.alphabet(reader)
            alphabet = self._alphabet or ""
        found_at, terms = await self._index.terms(reader, lookups(words, alphabet))
        return found_at, Vocabulary(terms, alphabet=alphabet)

    async def plan(self, query: str) -> QueryPlan:
        """Parse a query and map its words onto the index (raises EmptyQuery, QueryTooLong)."""
        return (await self.weighed_plan(query))[0]

    async def weighed_plan(self, query: str) -> tuple[QueryPlan, int]:
        """The plan, and about how many articles hold its rarest matchable word (0: none)."""
        words = parse_query(query)
        async with self._db_engine.connect() as reader:
            mark, _ = await self._index.ranked_tiers(reader, [])
            vocabulary = (await self._vocabulary_for(reader, words, mark))[1]
        plan = vocabulary.plan(words)
        return plan, min((vocabulary.frequency(w) for w in plan.matchable), default=0)

    async def _candidates(
        self,
        reader: Reader,
        words: QueryWords,
        wanted: int,
        enough: int,
        one_per_story: bool = False,
    ) -> tuple[QueryPlan, list[Candidate], list[int]]:
        """The plan, the candidates and the words' rarity (see `rarity`). `enough` counts
        stories with `one_per_story` (two reports of one story fill one entry)."""
        planned_at, vocabulary = await self._vocabulary_for(reader, words, None)
        while True:
            plan = vocabulary.plan(words)
            steps = tiers(list(plan.matchable), vocabulary, wanted, enough)
            batches = _batches(steps, vocabulary, enough)
            strict = without_typos(steps[0].words) if steps else None
            if strict:
                first = tiers(strict, vocabulary, wanted, enough)[0]
                if worth_trying(first, steps[0], enough):
                    batches.insert(0, (False, [first]))
            found: dict[int, Candidate] = {}
            alone: set[int] = set()
            any_all_words = False
            mark = planned_at
            for dear, batch in batches:
                have = _entries(found.values()) if one_per_story else len(found)
                settled = have >= enough and (any_all_words or not dear)
                if settled or mark != planned_at:
                    break
                # What the page still needs (a whole page when these steps decide the first
                # result because no article holds every word).
                rest = max(2 * (enough - have), 0 if any_all_words else enough)
                # (The all-words step after the typo-free one keeps its whole depth: the
                # engine ranks its typos among as many articles as it did before.)
                limited = [
                    step
                    if not found or len(step.words) == len(steps[0].words)
                    else step._replace(limit=rest)
                    for step in batch
                ]
                # Articles found by one word alone may hold more of the words: seen again,
                # their marks are merged (everything else found is left out of the read).
                exclude = [i for i, c in found.items() if i not in alone]
                mark, results = await self._index.ranked_tiers(reader, limited, exclude)
                any_all_words = any_all_words or any(
                    result and len(step.words) == len(steps[0].words)
                    for step, result in zip(limited, results, strict=True)
                )
                for step, result in zip(limited, results, strict=True):
                    for candidate in result:
                        old = found.get(candidate.article.id)
                        found[candidate.article.id] = old.merged(candidate) if old else candidate
                        if len(step[0]) == 1:
                            alone.add(candidate.article.id)
            if mark == planned_at:
                return plan, list(found.values()), rarity(plan, vocabulary)
            planned_at, vocabulary = await self._vocabulary_for(reader, words, mark)

    async def search(
        self, query: str, limit: int, offset: int, one_per_story: bool = False
    ) -> SearchPage:
        """Rank articles for a query; typo-tolerant; `offset` pages through the ranking. With
        `one_per_story`, each story's best-ranked article only (offsets count stories, and
        candidates are read until they hold enough stories)."""
        words = parse_query(query)
        enough = offset + limit + 1
        wanted = max(MIN_CANDIDATES, 2 * enough)
        async with self._db_engine.connect() as reader:
            plan, candidates, rare = await self._candidates(
                reader, words, wanted, enough, one_per_story
            )
        ranked = rank(plan, candidates, offset + limit + 1, rare, one_per_story)
        return SearchPage(
            query=query,
            hits=tuple(ranked[offset : offset + limit]),
            offset=offset,
            has_more=len(ranked) > offset + limit,
            corrected=plan.corrections,
            focus=frozenset(
                {w.word for w in plan.words} | {t for w in plan.words for t in w.terms}
            ),
            words=len(plan.words),
        )

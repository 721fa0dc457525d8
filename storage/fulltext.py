"""The full-text index behind search, per database: SQLite FTS5, or PostgreSQL's tsvector/GIN.

Both answer the same questions: which terms are indexed and in how many articles (the
vocabulary typo-tolerant matching maps query words onto), what changed since a mark, and which
articles match a plan, best first. Only vocabulary terms ever reach the index's query
language, quoted, never the user's text.
"""

from __future__ import annotations

import json
from collections import Counter, OrderedDict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import Integer, column, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import TextualSelect

from engine.models import Article, StoryBrief
from engine.search import Candidate, Vocabulary, WordPlan
from engine.snippets import MARK_END, MARK_START
from engine.text import words as text_words
from engine.vocabulary import PREFIX_FREQUENCY_TERMS, TermLookups, alphabet_of
from storage.driver_rows import Reader, postgres_rows, sqlite_rows
from storage.story_batch import brief


class Tier(NamedTuple):
    """One step of candidate retrieval: the words that must all match (rarest first), how
    many articles, how many of the first words rank them by relevance (0: newest first), how
    many articles hold the rarest word, and the index entries its words' lists hold between
    them (0: not known, as for a prefix the index expands itself)."""

    words: Sequence[WordPlan]
    limit: int
    ranking: int
    rarest: int = 0
    postings: int = 0


# PostgreSQL, a newest-first step of several words: up to this many articles holding the
# rarest word, the matches come from the GIN index and are sorted (at most this many rows
# read, far fewer when the words rarely meet), not from walking the primary key backwards
# checking each article's words (out of TOAST), which the planner prefers and which reads
# the whole newest part of the store when the words meet rarely or only in older articles:
# at a million articles "indonesja fuel" 369 ms walking, 18 sorting; "trims cad" 497 and 19.
# A word in more articles than this is met often enough for the walk to stop early. And the
# words' lists are read whole to be sorted: only when they hold at most SORTED_MAX_POSTINGS
# entries between them (about 0.08 us each), and never for a prefix the index expands itself
# ("google sta": every "sta…" term's list, 221 ms, where the walk finds 30 in a few).
SORTED_MAX_DOCS = 50_000
SORTED_MAX_POSTINGS = 400_000
# PostgreSQL, a step with a prefix the index expands itself ("con": thousands of terms, each
# list read whole) beside a word in at most this many articles: the index finds the other
# words, and the prefix is checked on their articles alone. At a million articles "air
# jamaica state con" 70 -> 3 ms, "umbro rep" 45 -> 3; with "slow" (31,000 articles) beside
# "ref" it took longer (57 -> 126 ms), so not there. One other word alone is all the
# articles to check: only when it is rare ("google sta" checked 16,478 articles, 176 ms).
FILTERED_MAX_DOCS = 20_000
FILTERED_MAX_DOCS_ALONE = 2_000
_COLUMNS = (
    "a.id, a.title, a.body, a.published, a.source, a.url, a.added_at, a.story_id, "
    # Lists say "3 sources: A, B" without another read.
    "(SELECT size FROM stories WHERE id = a.story_id), "
    "(SELECT outlets FROM stories WHERE id = a.story_id)"
)
_LAST_CHAR = "\U0010ffff"  # after every character: stem..stem+_LAST_CHAR is a prefix's range
ALPHABET_SAMPLE = 5_000  # terms whose letters make the alphabet of generated edits


def _term_reads(
    lookups: TermLookups, exact: str, bucket: str, joined: str, held: Collection[int]
) -> tuple[list[str], dict[str, Any]]:
    """The reads of a TermLookups from the (term, docs) table, as UNION ALL parts of rows
    (term, docs, -1) and their parameters, the buckets `held` (their numbers) aside: `exact`
    and `bucket` are the dialect's spellings of "term is in :exact" and "term's first letter
    is :f{i} and its length between :lo{i} and :hi{i}", `joined` of "the terms joined by
    spaces". A bucket comes from its index alone as a row per length (joined terms, length,
    bucket number): its thousands of long terms in a few strings (at a million articles
    28,430 terms in 3 ms instead of 13 ms as rows), of which rapidfuzz keeps a few, whose
    counts are read next."""
    parts = [f"SELECT term, docs, -1 FROM search_terms WHERE {exact} AND docs > 0"]
    params: dict[str, Any] = {"exact": sorted(lookups.exact)}
    wanted = [i for i in range(len(lookups.buckets)) if i not in held]
    parts += _bucket_reads(lookups, bucket, joined, wanted, params)
    for i, stem in enumerate(lookups.prefixes):
        parts.append(
            f"SELECT * FROM (SELECT term, docs, -1 FROM search_terms WHERE term >= :p{i} "
            f"AND term < :q{i} AND docs > 0 ORDER BY term LIMIT {PREFIX_FREQUENCY_TERMS + 1}) p{i}"
        )
        params.update({f"p{i}": stem, f"q{i}": stem + _LAST_CHAR})
    return parts, params


def _bucket_reads(
    lookups: TermLookups, bucket: str, joined: str, wanted: Sequence[int], params: dict[str, Any]
) -> list[str]:
    """The parts reading the buckets numbered `wanted`, a row per length (see _term_reads),
    their parameters added to `params`."""
    parts = []
    for i in wanted:
        first, lo, hi = lookups.buckets[i]
        parts.append(
            f"SELECT {joined}, length(term), {i} FROM search_terms "
            f"WHERE {bucket.format(i=i)} GROUP BY length(term)"
        )
        params.update({f"f{i}": first, f"lo{i}": lo, f"hi{i}": hi})
    return parts


class LongTerms:
    """The long terms of the two-typo buckets searches have read, by (first letter, length),
    as of one change mark: the next search with a long word of the same first letter and
    length reads none of them again (at a million articles a bucket is about 28,000 terms,
    3-5 ms to read and split). Held for one mark only: when the mark moves (an article was
    added or removed) the terms are read again, so a new term is never missed; a term since
    removed is only a candidate, whose count is read. At most MAX_TERMS terms are held,
    the least recently used (first letter, length) dropped first: at a million articles
    all 299,104 long terms would be about 20 MB."""

    MAX_TERMS = 150_000

    def __init__(self) -> None:
        self._mark: int | None = None
        self._held: OrderedDict[tuple[str, int], list[str]] = OrderedDict()
        self._count = 0

    def holding(self, lookups: TermLookups) -> Held:
        """The terms held of the buckets of `lookups` whose every length is held, by bucket
        number, and the mark they were read at (a search between its reads may replace them:
        what it took here stays as it was)."""
        found = {}
        for i, (first, lo, hi) in enumerate(lookups.buckets):
            keys = [(first, n) for n in range(lo, hi + 1)]
            if all(key in self._held for key in keys):
                found[i] = [term for key in keys for term in self._held[key]]
                for key in keys:
                    self._held.move_to_end(key)
        return Held(self._mark, found)

    def terms(
        self, lookups: TermLookups, read: Sequence[int], rows: Sequence[Any], mark: int
    ) -> dict[int, list[str]]:
        """The terms of the buckets numbered `read`, from `rows` (their rows, read at `mark`:
        joined terms, length, bucket number; a length with no terms has no row), which are
        kept (what was held at another mark is dropped first)."""
        if mark != self._mark:
            self._held.clear()
            self._count = 0
            self._mark = mark
        by_length = {(lookups.buckets[i][0], int(n)): (j or "").split() for j, n, i in rows}
        found: dict[int, list[str]] = {}
        for i in read:
            first, lo, hi = lookups.buckets[i]
            found[i] = []
            for n in range(lo, hi + 1):
                terms = by_length.get((first, n), [])
                found[i] += terms
                self._keep((first, n), terms)
        return found

    def _keep(self, key: tuple[str, int], terms: list[str]) -> None:
        if key in self._held:
            self._count -= len(self._held.pop(key))
        self._held[key] = terms
        self._count += len(terms)
        while self._count > self.MAX_TERMS and len(self._held) > 1:
            _, dropped = self._held.popitem(last=False)
            self._count -= len(dropped)


class Held(NamedTuple):
    """Long terms held of some buckets (by bucket number), and the mark they were read at."""

    mark: int | None
    terms: dict[int, list[str]]


def _near(lookups: TermLookups, buckets: dict[int, list[str]]) -> set[str]:
    """The bucket terms within two typos of their bucket's word (the planner decides the
    rest)."""
    near: set[str] = set()
    for i, word in enumerate(lookups.long_words):
        for term, _distance, _ in process.extract(
            word, buckets.get(i, []), scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            near.add(term)
    return near


def _expression(words: Sequence[WordPlan], term: str, prefix: str, any_of: str, all_of: str) -> str:
    """Every word (any of its variants) in an index's query language; only vocabulary terms,
    letters and digits, are ever placed in it."""
    groups = []
    for word in words:
        alternatives = [term.format(t) for t in word.terms]
        if word.completions is not None and word.prefixes:
            # A prefix's terms listed: FTS5's prefix query merges every completion's list
            # (at a million articles "price" * ranked in 42 ms, its 44 completions listed 13).
            alternatives += [term.format(t) for t in word.completions if t not in word.terms]
        else:
            alternatives += [prefix.format(p) for p in word.prefixes]
        groups.append("(" + any_of.join(alternatives) + ")")
    return all_of.join(groups)


def _article(
    article_id: int,
    title: str,
    body: str,
    published: date | str | None,
    source: str | None,
    url: str | None,
    added_at: datetime | str,
    story_id: int | None,
    story_size: int | None,
    story_outlets: Any,
) -> Article:
    # Raw SQL on SQLite returns dates as text; ORM-free reads convert them here.
    if isinstance(published, str):
        published = date.fromisoformat(published)
    if isinstance(added_at, str):
        added_at = datetime.fromisoformat(added_at)
    return Article(
        article_id,
        title,
        body,
        published,
        source,
        url,
        added_at,
        story_id=story_id,
        # Known either way: several sources, or alone (size 1, nothing more to read).
        story=brief(story_id, story_size, story_outlets)
        or StoryBrief(story_id or 0, story_size or 1, ()),
    )


class FullTextIndex:
    """Vocabulary and candidate look-ups; one subclass per database."""

    # How a dialect spells the term reads (see _term_reads): "term is in :exact", "term's
    # first letter is :f{i} and its length between :lo{i} and :hi{i}", "terms joined".
    EXACT = BUCKET = JOINED = ""

    def __init__(self) -> None:
        self._long = LongTerms()  # long terms of the buckets searches read (a large store)

    async def _rows(self, reader: Reader, sql: str, params: dict[str, Any]) -> list[Any]:
        """A read's rows, in one trip to the driver (storage/driver_rows.py)."""
        raise NotImplementedError

    def _bound(self, params: dict[str, Any]) -> dict[str, Any]:
        """Parameters as the dialect binds them (SQLite: a term list as JSON)."""
        return params

    async def _terms_of(
        self, reader: Reader, lookups: TermLookups, held: Held, read: tuple[str, dict[str, Any]]
    ) -> tuple[int, dict[str, int]]:
        """The mark and counts of the terms `lookups` names, from the rows of the `read`
        statement (the mark first, then _term_reads' parts, the buckets `held` aside), the
        held buckets' long terms used when they were read at that mark, else read again."""
        statement, params = read
        rows = await self._rows(reader, statement, self._bound(params))
        mark = int(rows[0][1] or 0)
        known = held.terms
        if known and mark != held.mark:  # held from another mark: read them at this one
            again: dict[str, Any] = {}
            parts = _bucket_reads(lookups, self.BUCKET, self.JOINED, sorted(known), again)
            rows += await self._rows(reader, " UNION ALL ".join(parts), again)
            known = {}
        found = {term: int(docs) for term, docs, part in rows[1:] if part < 0}
        read_now = [i for i in range(len(lookups.buckets)) if i not in known]
        bucket_rows = [row for row in rows[1:] if row[2] >= 0]
        buckets = {**known, **self._long.terms(lookups, read_now, bucket_rows, mark)}
        if near := _near(lookups, buckets) - found.keys():
            more = await self._rows(
                reader,
                f"SELECT term, docs FROM search_terms WHERE {self.EXACT} AND docs > 0",
                self._bound({"exact": sorted(near)}),
            )
            found.update((term, int(docs)) for term, docs in more)
        return mark, found

    async def load(self, reader: Reader) -> tuple[int, Vocabulary]:
        """The change mark and the whole vocabulary as of that mark (or later)."""
        raise NotImplementedError

    async def top_up(self, reader: Reader, vocabulary: Vocabulary, mark: int) -> None:
        """Bring the vocabulary from `mark` up to now (terms and article counts)."""
        raise NotImplementedError

    async def has_more_terms_than(self, reader: Reader, limit: int) -> bool:
        """Whether more than `limit` distinct terms are indexed (read at most limit + 1)."""
        found = await reader.scalar(
            text("SELECT count(*) FROM (SELECT 1 FROM search_terms LIMIT :n) t"),
            {"n": limit + 1},
        )
        return int(found or 0) > limit

    async def alphabet(self, reader: Reader) -> str:
        """The letters of generated edits, from the first terms as the vocabulary has them."""
        rows = await reader.execute(
            text("SELECT term FROM search_terms ORDER BY term LIMIT :n"), {"n": ALPHABET_SAMPLE}
        )
        return alphabet_of(term for (term,) in rows)

    async def terms(self, reader: Reader, lookups: TermLookups) -> tuple[int, dict[str, int]]:
        """The change mark and the article counts of just the terms `lookups` names (read by
        the term table's indexes), for a store whose whole vocabulary is too large to hold."""
        raise NotImplementedError

    async def forget(self, session: AsyncSession, ids: Sequence[int]) -> None:
        """Before these articles are deleted in this transaction: take them out of the index
        and its term counts (a new change mark, so other processes see the lowered counts)."""
        raise NotImplementedError

    async def ranked_tiers(
        self, reader: Reader, tiers: Sequence[Tier], exclude: Sequence[int] = ()
    ) -> tuple[int, list[list[Candidate]]]:
        """The change mark, read with the candidates: for each tier (words, limit, ranking
        words), up to `limit` articles matching every word (`exclude`d ids aside), most
        relevant to its first `ranking` words first (newest first when 0: ranking every
        match would cost too much)."""
        raise NotImplementedError

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        """Index articles just inserted in this transaction (before it commits)."""

    def all_matching(self, words: Sequence[WordPlan], lo: int, hi: int) -> TextualSelect:
        """A sub-select of the ids of every article matching every word (for counts), of which
        only those from `lo` to `hi` are wanted: an index whose lists are in id order reads
        only that stretch of them."""
        raise NotImplementedError


class Fts5Index(FullTextIndex):
    """SQLite: the articles_fts table (FTS5, unicode61, diacritics removed) and its fts5vocab.
    SQLite serialises writers, so ids grow in commit order: the newest id is the mark."""

    RANK = "bm25(5.0, 1.0)"  # BM25 with a title match worth five body matches

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        # One statement per batch; the ids of one SQLite write transaction form a range, and
        # a range scan keeps the statement small however large the batch.
        await session.execute(
            text(
                "INSERT INTO articles_fts(rowid, title, body) "
                "SELECT id, title, body FROM articles WHERE id BETWEEN :lo AND :hi"
            ),
            {"lo": min(ids), "hi": max(ids)},
        )
        await self._count_terms(session, ids, +1)

    async def _count_terms(self, session: AsyncSession, ids: Sequence[int], sign: int) -> None:
        """Add (or take away) these articles' distinct terms to search_terms, in term order,
        as FTS5 splits them (engine.text.words folds and splits the same way)."""
        id_list = ",".join(str(int(i)) for i in ids)
        rows = await session.execute(
            text(f"SELECT title, body FROM articles WHERE id IN ({id_list})")
        )
        counts: Counter[str] = Counter()
        for title, body in rows:
            counts.update(set(text_words(title + " " + body)))
        if not counts:
            return
        await session.execute(
            text(
                "INSERT INTO search_terms (term, docs) VALUES (:t, :n) "
                "ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs"
            ),
            [{"t": term, "n": sign * n} for term, n in sorted(counts.items())],
        )
        if sign < 0:
            await session.execute(text("DELETE FROM search_terms WHERE docs <= 0"))

    async def forget(self, session: AsyncSession, ids: Sequence[int]) -> None:
        # FTS5's own rows go with the articles (the delete trigger); the counts go here. The
        # mark (the newest id) does not move: other processes holding a whole vocabulary keep
        # these words' old counts until they restart (docs/usage.md).
        await self._count_terms(session, ids, -1)

    async def load(self, reader: Reader) -> tuple[int, Vocabulary]:
        mark = int(await reader.scalar(text("SELECT max(id) FROM articles")) or 0)
        rows = await reader.execute(text("SELECT term, docs FROM search_terms"))
        return mark, Vocabulary({term: int(docs) for term, docs in rows})

    EXACT = "term IN (SELECT value FROM json_each(:exact))"
    BUCKET = "substr(term, 1, 1) = :f{i} AND length(term) BETWEEN :lo{i} AND :hi{i}"
    JOINED = "group_concat(term, ' ')"

    async def _rows(self, reader: Reader, sql: str, params: dict[str, Any]) -> list[Any]:
        return await sqlite_rows(reader, sql, params)

    def _bound(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**params, "exact": json.dumps(params["exact"])} if "exact" in params else params

    async def terms(self, reader: Reader, lookups: TermLookups) -> tuple[int, dict[str, int]]:
        held = self._long.holding(lookups)
        parts, params = _term_reads(lookups, self.EXACT, self.BUCKET, self.JOINED, held.terms)
        statement = " UNION ALL ".join(["SELECT NULL, max(id), -1 FROM articles", *parts])
        return await self._terms_of(reader, lookups, held, (statement, params))

    async def top_up(self, reader: Reader, vocabulary: Vocabulary, mark: int) -> None:
        rows = await reader.execute(
            text("SELECT title, body FROM articles WHERE id > :m"), {"m": mark}
        )
        counts: Counter[str] = Counter()
        for title, body in rows:
            counts.update(set(text_words(title + " " + body)))
        vocabulary.add(counts)

    async def ranked_tiers(
        self, reader: Reader, tiers: Sequence[Tier], exclude: Sequence[int] = ()
    ) -> tuple[int, list[list[Candidate]]]:
        # Found already: filtered before the limit, so no highlight() is spent on them again.
        skip = f" AND rowid NOT IN ({','.join(str(int(i)) for i in exclude)})" if exclude else ""
        # One statement (each is a round trip to the driver's thread), the mark included, so
        # the mark and the candidates come from the same snapshot.
        nulls = ", ".join(["NULL"] * 12)
        parts = [f"SELECT -1, max(id), {nulls} FROM articles"]
        params: dict[str, Any] = {}
        for i, (words, limit, ranking, *_) in enumerate(tiers):
            params[f"q{i}"] = _expression(words, '"{}"', '"{}" *', " OR ", " AND ")
            params[f"k{i}"] = limit
            marks = (
                f"highlight(articles_fts, 0, '{MARK_START}', '{MARK_END}') AS marked_title, "
                f"highlight(articles_fts, 1, '{MARK_START}', '{MARK_END}') AS marked_body"
            )
            if 0 < ranking < len(words):
                # Ranked by its rarer words, filtered by all (storage/search.py
                # RANKING_MAX_DOCS): bm25() never reads the common words' lists. No marks:
                # highlight() of a row kept would be one more full-text query per row (0.35
                # ms each), the engine finds the words itself. The +: the filter must not
                # become one full-text query per row either.
                params[f"r{i}"] = _expression(words[:ranking], '"{}"', '"{}" *', " OR ", " AND ")
                parts.append(
                    f"SELECT {i}, {_COLUMNS}, t.score, NULL, NULL FROM ("
                    "SELECT id, score FROM (SELECT rowid AS id, rank AS score FROM articles_fts "
                    f"WHERE articles_fts MATCH :r{i} AND rank MATCH '{self.RANK}'{skip}) "
                    "WHERE +id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
                    f":q{i}) ORDER BY score LIMIT :k{i}) t CROSS JOIN articles a ON a.id = t.id"
                )
                continue
            # Ranking every match of a common word costs O(matches); newest-first stops early.
            # Ordered by FTS5's own rank (or rowid) the table returns rows in order, so
            # highlight() runs only for the rows kept, not for every match.
            order = "rank" if ranking else "rowid DESC"
            parts.append(
                f"SELECT {i}, {_COLUMNS}, f.score, f.marked_title, f.marked_body FROM ("
                f"SELECT rowid, rank AS score, {marks} "
                f"FROM articles_fts WHERE articles_fts MATCH :q{i} AND rank MATCH '{self.RANK}'"
                f"{skip} ORDER BY {order} LIMIT :k{i}) f JOIN articles a ON a.id = f.rowid"
            )
        rows = await sqlite_rows(reader, " UNION ALL ".join(parts), params)
        mark = 0
        found: list[list[Candidate]] = [[] for _ in tiers]
        for tier, *columns, score, marked_title, marked_body in rows:
            if tier < 0:
                mark = int(columns[0] or 0)
            elif marked_title is None:
                found[tier].append(Candidate(_article(*columns), None, float(score)))
            else:
                article = _article(*columns)
                found[tier].append(
                    Candidate.marked(article, marked_title, marked_body, float(score))
                )
        return mark, found

    def all_matching(self, words: Sequence[WordPlan], lo: int, hi: int) -> TextualSelect:
        match = _expression([w.uncovered for w in words], '"{}"', '"{}" *', " OR ", " AND ")
        return (
            text(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_q "
                "AND rowid BETWEEN :fts_lo AND :fts_hi"
            )
            .bindparams(fts_q=match, fts_lo=lo, fts_hi=hi)
            .columns(column("rowid", Integer))
        )


# "term is one of a list" as a semi-join of the list's elements against the primary key. As
# `term = ANY(:list)` the planner prices a list's 1,000-1,300 one-edit variants (three words)
# above a scan of the whole table, and at 100,000 articles (261,617 terms) it read all of
# them in 18-25 ms, where the list's own index probes take 2 ms.
_IN_LIST = "term IN (SELECT unnest(CAST(:{name} AS text[])))"


class PostgresIndex(FullTextIndex):
    """PostgreSQL: the stored search_vector (title weighted A, body B) with its GIN index, and
    search_terms (term, articles, version that last changed it), kept here on every insert;
    search_version counts the inserts and is the mark."""

    @staticmethod
    async def _new_version(session: AsyncSession, ids: Sequence[int]) -> tuple[int, str]:
        """The next change mark, and the statement reading these articles' vectors (for
        ts_stat). The version row is locked until commit, so versions become visible in
        order: a reader that saw version v has seen every term changed up to v."""
        version = await session.scalar(
            text("UPDATE search_version SET version = version + 1 RETURNING version")
        )
        id_list = ",".join(str(int(i)) for i in ids)
        documents = f"SELECT search_vector FROM articles WHERE id = ANY('{{{id_list}}}'::int[])"
        return int(version or 0), documents

    async def index_new(self, session: AsyncSession, ids: Sequence[int]) -> None:
        version, documents = await self._new_version(session, ids)
        # Sorted, so concurrent inserters lock existing terms in the same order (no deadlock).
        await session.execute(
            text(
                "INSERT INTO search_terms (term, docs, version) "
                "SELECT word, ndoc, :v FROM ts_stat(:documents) ORDER BY word "
                "ON CONFLICT (term) DO UPDATE "
                "SET docs = search_terms.docs + excluded.docs, version = excluded.version"
            ),
            {"v": version, "documents": documents},
        )

    async def has_more_terms_than(self, reader: Reader, limit: int) -> bool:
        # The planner's row count (kept by ANALYZE and autovacuum) when it is far from the
        # limit: counting up to 150,001 terms took 9.5 ms of a process's first search.
        estimate = await reader.scalar(
            text("SELECT reltuples FROM pg_class WHERE oid = 'search_terms'::regclass")
        )
        if estimate is not None and (estimate > limit * 1.25 or 0 <= estimate < limit * 0.8):
            return bool(estimate > limit)
        return await super().has_more_terms_than(reader, limit)

    async def load(self, reader: Reader) -> tuple[int, Vocabulary]:
        mark = int(await reader.scalar(text("SELECT version FROM search_version")) or 0)
        rows = await reader.execute(text("SELECT term, docs FROM search_terms WHERE docs > 0"))
        return mark, Vocabulary({term: int(docs) for term, docs in rows})

    async def top_up(self, reader: Reader, vocabulary: Vocabulary, mark: int) -> None:
        rows = await reader.execute(
            text("SELECT term, docs FROM search_terms WHERE version > :m"), {"m": mark}
        )
        vocabulary.set_frequencies({term: int(docs) for term, docs in rows})

    EXACT = _IN_LIST.format(name="exact")
    BUCKET = "left(term, 1) = :f{i} AND length(term) BETWEEN :lo{i} AND :hi{i}"
    JOINED = "string_agg(term, ' ')"

    async def _rows(self, reader: Reader, sql: str, params: dict[str, Any]) -> list[Any]:
        return await postgres_rows(reader, sql, params)

    @classmethod
    def terms_read(
        cls, lookups: TermLookups, held: Collection[int] = ()
    ) -> tuple[str, dict[str, Any]]:
        """The one statement (and its parameters) reading the mark and the terms `lookups`
        names, the buckets `held` aside: each part by an index of search_terms
        (tests/storage/test_postgres_plans.py)."""
        parts, params = _term_reads(lookups, cls.EXACT, cls.BUCKET, cls.JOINED, held)
        statement = " UNION ALL ".join(
            ["SELECT NULL, version::integer, -1 FROM search_version", *(f"({p})" for p in parts)]
        )
        return statement, params

    async def terms(self, reader: Reader, lookups: TermLookups) -> tuple[int, dict[str, int]]:
        held = self._long.holding(lookups)
        return await self._terms_of(reader, lookups, held, self.terms_read(lookups, held.terms))

    async def forget(self, session: AsyncSession, ids: Sequence[int]) -> None:
        version, documents = await self._new_version(session, ids)
        await session.execute(
            text(
                "UPDATE search_terms SET docs = search_terms.docs - s.ndoc, version = :v "
                "FROM (SELECT word, ndoc FROM ts_stat(:documents) ORDER BY word) s "
                "WHERE search_terms.term = s.word"
            ),
            {"v": version, "documents": documents},
        )
        # A term no article holds any more keeps a row at 0: the version tells other
        # processes' vocabularies to drop its count (a row deleted would leave them stale).

    @staticmethod
    def tiers_read(
        tiers: Sequence[Tier], exclude: Sequence[int] = ()
    ) -> tuple[str, dict[str, Any]]:
        """The one statement (and its parameters) reading the mark and each step's candidates
        (one statement, so one snapshot: the mark and the candidates agree)."""
        parts = [
            "(SELECT -1 AS tier, version::bigint AS id, NULL::varchar AS title, NULL::text, "
            "NULL::date, NULL::varchar, NULL::varchar, NULL::timestamp, NULL::integer, "
            "NULL::integer, NULL::json, NULL::float8 FROM search_version)"
        ]
        params: dict[str, Any] = {"skip": list(exclude)}
        for i, (words, limit, ranking, rarest, postings) in enumerate(tiers):
            params[f"q{i}"] = _expression(words, "'{}'", "'{}':*", " | ", " & ")
            params[f"k{i}"] = limit
            query = f"to_tsquery('simple', :q{i})"
            # ts_rank reads every matching row's vector: only for word sets in few articles.
            score = f"-ts_rank(a.search_vector, {query})" if ranking else "0.0"
            # "a.id + 0": an order the primary key cannot give, so the matches are sorted.
            sorted_ = (
                not ranking
                and len(words) > 1
                and 0 < rarest <= SORTED_MAX_DOCS
                and 0 < postings <= SORTED_MAX_POSTINGS
            )
            matches = f"a.search_vector @@ {query}"
            expanded = [w for w in words if w.expanded]
            listed = [w for w in words if w not in expanded]
            few = FILTERED_MAX_DOCS if len(listed) > 1 else FILTERED_MAX_DOCS_ALONE
            if expanded and listed and words[0] not in expanded and 0 < rarest <= few:
                # The index finds the other words; the prefix checks each of their articles
                # (ts_match_vq is @@ as a function, which no index serves).
                params[f"l{i}"] = _expression(listed, "'{}'", "'{}':*", " | ", " & ")
                matches = (
                    f"a.search_vector @@ to_tsquery('simple', :l{i}) "
                    f"AND ts_match_vq(a.search_vector, {query})"
                )
                sorted_ = True
            newest = "a.id + 0 DESC" if sorted_ else "a.id DESC"
            parts.append(
                f"(SELECT {i}, {_COLUMNS}, {score} AS score FROM articles a "
                f"WHERE {matches} AND a.id <> ALL(:skip) "
                f"ORDER BY score, {newest} LIMIT :k{i})"
            )
        return " UNION ALL ".join(parts), params

    async def ranked_tiers(
        self, reader: Reader, tiers: Sequence[Tier], exclude: Sequence[int] = ()
    ) -> tuple[int, list[list[Candidate]]]:
        rows = await postgres_rows(reader, *self.tiers_read(tiers, exclude))
        mark = 0
        found: list[list[Candidate]] = [[] for _ in tiers]
        for tier, *columns, score in rows:
            if tier < 0:
                mark = int(columns[0])
            else:
                found[tier].append(Candidate(_article(*columns), None, float(score)))
        return mark, found

    def all_matching(self, words: Sequence[WordPlan], lo: int, hi: int) -> TextualSelect:
        # GIN reads a word's whole list either way: a range of ids here would only tempt the
        # planner into reading every row of the range by primary key.
        return (
            text(f"SELECT id FROM articles WHERE {self.MATCHES}")
            .bindparams(ts_q=self.tsquery(words))
            .columns(column("id", Integer))
        )

    MATCHES = "search_vector @@ to_tsquery('simple', :ts_q)"

    @staticmethod
    def tsquery(words: Sequence[WordPlan]) -> str:
        """Every word (any of its variants, the prefix once) as a tsquery."""
        return _expression([w.uncovered for w in words], "'{}'", "'{}':*", " | ", " & ")

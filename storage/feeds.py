"""RSS/Atom feeds as rows: the team's list of feeds and what the last polls left on each
(validators for conditional GET, the last error, failures in a row and the backoff's next try,
articles added). Polling itself is ingest.feeds; ids are never reused after a removal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.errors import N_, IngestError, NewsbotError, Problem
from engine.models import ParsedArticle
from engine.urls import is_web_url
from storage.clock import utcnow
from storage.db import writing
from storage.dialect import upsert
from storage.models import FeedRow

# A failing feed waits BACKOFF_FIRST after its first failure, twice as long after each further
# one, never more than BACKOFF_CAP: a dead feed costs a request a day, not one every poll.
BACKOFF_FIRST = timedelta(minutes=30)
BACKOFF_CAP = timedelta(hours=24)
TITLE_CHARS = 300
URL_CHARS = 2000  # the url column's length (PostgreSQL refuses longer values)
MAX_FEED_ID = 2**31 - 1  # the id column is a 32-bit integer on PostgreSQL
ERROR_CHARS = 500
PROBLEMS_KEPT, PLACEHOLDER_CHARS = 5, 300  # a feed's last problems as message ids
VALIDATOR_CHARS = 500


def _fits(value: str | None, chars: int) -> str | None:
    """`value` if it fits a column of `chars`, else None."""
    return value if value is not None and len(value) <= chars else None


class BadFeedUrl(IngestError):
    """An address no feed list keeps: not http(s)."""

    message = N_("a feed URL must start with http:// or https://")


class FeedUrlTooLong(IngestError):
    """An address longer than the url column holds."""

    message = N_("a feed URL must be at most {limit} characters long")

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit)


def check_feed_url(url: str) -> None:
    """Raise IngestError, one line, unless `url` can be a feed's address here."""
    if not is_web_url(url):
        raise BadFeedUrl()
    if len(url) > URL_CHARS:
        raise FeedUrlTooLong(URL_CHARS)


def _kept(errors: Sequence[NewsbotError]) -> list[dict[str, Any]] | None:
    """A poll's errors as JSON (message ids and placeholders; placeholders cut to fit)."""
    kept = []
    for error in errors[:PROBLEMS_KEPT]:
        problem = Problem.of(error)
        placeholders = {k: str(v)[:PLACEHOLDER_CHARS] for k, v in problem.placeholders.items()}
        kept.append(
            {
                "id": problem.message_id,
                "placeholders": placeholders,
                "text": problem.text[:ERROR_CHARS],
                "translated": list(problem.translated),
            }
        )
    return kept or None


def _problems(kept: list[dict[str, Any]] | None) -> tuple[Problem, ...]:
    """The stored problems back (a malformed entry is skipped: /feeds shows `last_error`)."""
    problems = []
    for entry in kept or []:
        try:
            problems.append(
                Problem(
                    str(entry["id"]),
                    {str(k): str(v) for k, v in dict(entry["placeholders"]).items()},
                    str(entry["text"]),
                    tuple(str(t) for t in entry.get("translated", ())),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return ()
    return tuple(problems)


def _storable(url: str) -> bool:
    return is_web_url(url) and len(url) <= URL_CHARS


def backoff(failures: int) -> timedelta:
    """How long a feed waits before its next poll after `failures` failed polls in a row."""
    if failures <= 0:
        return timedelta(0)
    return min(BACKOFF_FIRST * (1 << min(failures - 1, 16)), BACKOFF_CAP)


class FeedState(StrEnum):
    """Where a feed stands, as /feeds shows it."""

    NEW = "new"  # added, not polled yet
    OK = "ok"  # the last poll worked
    BACKING_OFF = "backing off"  # the last polls failed: the next one waits until `retry_at`


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed, its conditional-GET validators and what its polls left."""

    id: int
    url: str
    etag: str | None = None
    modified: str | None = None
    title: str | None = None
    last_polled_at: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    retry_at: datetime | None = None
    articles_added: int = 0
    problems: tuple[Problem, ...] = ()  # last_error as message ids (empty for older rows)

    @property
    def state(self) -> FeedState:
        """New, fine, or backing off after failures."""
        if self.failures:
            return FeedState.BACKING_OFF
        return FeedState.NEW if self.last_polled_at is None else FeedState.OK


def _to_feed(row: FeedRow) -> Feed:
    return Feed(
        row.id,
        row.url,
        row.etag,
        row.modified,
        row.title,
        row.last_polled_at,
        row.last_error,
        row.failures,
        row.retry_at,
        row.articles_added,
        _problems(row.last_problems),
    )


@dataclass(slots=True)
class FeedPoll:
    """What one poll found; `failed` when the feed itself could not be read (not an entry)."""

    articles: list[ParsedArticle] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    modified: str | None = None
    errors: list[NewsbotError] = field(default_factory=list)
    failed: bool = False
    title: str | None = None


@dataclass(frozen=True, slots=True)
class FeedImport:
    """What an import of many feed addresses did (nothing is fetched)."""

    added: tuple[Feed, ...] = ()
    existing: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    left_out: int = 0  # new addresses not added: more than the room there was


class FeedStore:
    """The team's feeds."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, url: str, title: str | None = None) -> Feed:
        """Add a feed (http/https only, at most URL_CHARS); adding one twice is a no-op."""
        check_feed_url(url)
        await self._insert([(url, title)])
        found = await self.find(url)
        assert found is not None  # inserted above, or there already
        return found

    async def add_many(
        self, entries: Sequence[tuple[str, str | None]], room: int | None = None
    ) -> FeedImport:
        """Add (url, title) pairs in one transaction, at most `room` new ones (the rest are
        left out): what was added, already there, invalid (no web address, or one longer
        than URL_CHARS)."""
        invalid = tuple(url for url, _ in entries if not _storable(url))
        wanted = {url: title for url, title in entries if _storable(url)}
        present = await self._present(list(wanted))
        new = [url for url in wanted if url not in present]
        keep = new if room is None else new[: max(room, 0)]
        added_urls = await self._insert([(url, wanted[url]) for url in keep])
        async with self._sessions() as session:
            rows = await session.scalars(
                select(FeedRow).where(FeedRow.url.in_(added_urls)).order_by(FeedRow.id)
            )
            added = tuple(_to_feed(row) for row in rows)
        left_out = set(new[len(keep) :])
        existing = tuple(url for url in wanted if url not in added_urls and url not in left_out)
        return FeedImport(added, existing, invalid, len(left_out))

    async def _present(self, urls: list[str]) -> set[str]:
        """Which of `urls` are on the list (asked in chunks: databases cap a statement's
        parameters)."""
        found: set[str] = set()
        async with self._sessions() as session:
            for start in range(0, len(urls), 500):
                chunk = urls[start : start + 500]
                found.update(
                    await session.scalars(select(FeedRow.url).where(FeedRow.url.in_(chunk)))
                )
        return found

    async def count(self) -> int:
        """How many feeds are on the list."""
        async with self._sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(FeedRow)) or 0)

    async def _insert(self, entries: Sequence[tuple[str, str | None]]) -> set[str]:
        """Insert the feeds not there yet (ON CONFLICT DO NOTHING); the URLs inserted."""
        if not entries:
            return set()
        rows = [{"url": u, "title": (t or "")[:TITLE_CHARS] or None} for u, t in entries]
        async with writing(self._sessions) as session:
            statement = upsert(session, FeedRow).on_conflict_do_nothing(
                index_elements=[FeedRow.url]
            )
            return set(await session.scalars(statement.returning(FeedRow.url), rows))

    async def find(self, url: str) -> Feed | None:
        """The feed with this exact URL, if any."""
        async with self._sessions() as session:
            row = await session.scalar(select(FeedRow).where(FeedRow.url == url))
            return _to_feed(row) if row else None

    async def remove(self, feed_id: int) -> bool:
        """Stop polling a feed; False if there was none with that id."""
        if not 1 <= feed_id <= MAX_FEED_ID:
            return False  # no row can have it, and PostgreSQL could not even bind it
        async with writing(self._sessions) as session:
            result = await session.execute(delete(FeedRow).where(FeedRow.id == feed_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def all(self) -> list[Feed]:
        """Every feed, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(select(FeedRow).order_by(FeedRow.id))
            return [_to_feed(r) for r in rows]

    async def due(self, now: datetime | None = None) -> list[Feed]:
        """The feeds to poll now: all but those backing off until later, the least recently
        polled first (never-polled ones before all), so a pass cut short by its time limit
        is resumed where it stopped."""
        moment = now or utcnow()
        async with self._sessions() as session:
            rows = await session.scalars(
                select(FeedRow)
                .where(or_(FeedRow.retry_at.is_(None), FeedRow.retry_at <= moment))
                .order_by(FeedRow.last_polled_at.is_not(None), FeedRow.last_polled_at, FeedRow.id)
            )
            return [_to_feed(r) for r in rows]

    async def record(self, feed: Feed, poll: FeedPoll, added: int = 0) -> None:
        """Keep what a poll left: validators, the last error, backoff after a failure, and how
        many articles it added."""
        now = utcnow()
        values: dict[str, Any] = {
            "last_polled_at": now,
            "last_error": "; ".join(map(str, poll.errors))[:ERROR_CHARS] or None,
            "last_problems": _kept(poll.errors),
        }
        if poll.failed:
            values.update(failures=feed.failures + 1, retry_at=now + backoff(feed.failures + 1))
        else:
            values.update(failures=0, retry_at=None, articles_added=FeedRow.articles_added + added)
            if not poll.not_modified:  # a validator too long to keep is not kept (no 304s)
                values.update(
                    etag=_fits(poll.etag, VALIDATOR_CHARS), modified=_fits(poll.modified, 100)
                )
            if poll.title and not feed.title:
                values["title"] = poll.title[:TITLE_CHARS]
        async with writing(self._sessions) as session:
            await session.execute(update(FeedRow).where(FeedRow.id == feed.id).values(**values))

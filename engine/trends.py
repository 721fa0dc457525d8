"""How many articles mention some words, per day or per week over a period: pure counting
(the store finds the matching articles' days; services.charts draws the result)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_DAYS = 30
MAX_DAYS = 730
WEEKLY_AFTER_DAYS = 62  # longer periods are counted by week: 60+ daily bars are unreadable


class Bucket(StrEnum):
    """What one bar of a trend counts."""

    DAY = "day"  # articles dated that day
    WEEK = "week"  # articles dated Monday to Sunday of that week


@dataclass(frozen=True, slots=True)
class Trend:
    """Articles mentioning `words` per bucket from `start` to `end` (both included)."""

    words: tuple[str, ...]
    start: date
    end: date
    bucket: Bucket
    counts: tuple[tuple[date, int], ...]  # (first day of the bucket, articles), in order

    @property
    def total(self) -> int:
        """All the articles counted."""
        return sum(n for _, n in self.counts)

    @property
    def days(self) -> int:
        """The period's length in days."""
        return (self.end - self.start).days + 1


def period(days: int, today: date) -> tuple[date, date]:
    """The `days` days that end today."""
    return today - timedelta(days=days - 1), today


def bucket_for(days: int) -> Bucket:
    """Days for a short period, weeks for a long one."""
    return Bucket.WEEK if days > WEEKLY_AFTER_DAYS else Bucket.DAY


def _bucket_start(day: date, bucket: Bucket) -> date:
    return day - timedelta(days=day.weekday()) if bucket is Bucket.WEEK else day


def count_trend(
    words: Iterable[str], days: Iterable[date] | Mapping[date, int], start: date, end: date
) -> Trend:
    """Count the days of matching articles (one entry per article, or articles per day) into
    buckets; every bucket of the period is present, empty ones as 0; days outside the period
    are ignored."""
    bucket = bucket_for((end - start).days + 1)
    per_day = days if isinstance(days, Mapping) else Counter(days)
    counted: Counter[date] = Counter()
    for day, n in per_day.items():
        if start <= day <= end:
            counted[_bucket_start(day, bucket)] += n
    step = timedelta(days=7 if bucket is Bucket.WEEK else 1)
    series: list[tuple[date, int]] = []
    cursor = _bucket_start(start, bucket)
    while cursor <= end:
        series.append((cursor, counted.get(cursor, 0)))
        cursor += step
    return Trend(tuple(words), start, end, bucket, tuple(series))

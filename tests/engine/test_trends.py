"""Counting a trend: buckets by day or week, empty buckets kept, days outside ignored."""

from __future__ import annotations

from datetime import date

from engine.query import WordPlan
from engine.trends import Bucket, bucket_for, count_trend, period


def test_short_periods_count_by_day_with_empty_days_kept() -> None:
    start, end = period(5, date(2026, 11, 27))
    assert (start, end) == (date(2026, 11, 23), date(2026, 11, 27))
    seen = [date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 25), date(2026, 11, 1)]
    trend = count_trend(["peace"], seen, start, end)
    assert trend.bucket is Bucket.DAY and trend.total == 3 and trend.days == 5
    assert [n for _, n in trend.counts] == [1, 0, 2, 0, 0]


def test_long_periods_count_by_week_starting_monday() -> None:
    start, end = period(90, date(2026, 11, 27))  # a Friday
    seen = [date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 22), start]
    trend = count_trend(["peace"], seen, start, end)
    assert trend.bucket is Bucket.WEEK and trend.total == 4
    assert all(first.weekday() == 0 for first, _ in trend.counts)
    assert trend.counts[-1] == (date(2026, 11, 23), 2)
    assert trend.counts[-2] == (date(2026, 11, 16), 1)
    assert trend.counts[0][0] <= start < trend.counts[1][0]


def test_the_switch_to_weeks() -> None:
    assert bucket_for(30) is Bucket.DAY and bucket_for(62) is Bucket.DAY
    assert bucket_for(63) is Bucket.WEEK


def test_a_prefix_stands_for_the_terms_it_covers() -> None:
    """Counting "said" or "said*" reads one list, not two: the prefix already matches "said";
    a term the prefix does not cover ("sad", a typo) stays."""
    word = WordPlan("said", {"said": 0, "sad": 1}, {"said": 0})
    assert word.uncovered == WordPlan("said", {"sad": 1}, {"said": 0})
    plain = WordPlan("tramway", {"tramway": 0}, {})
    assert plain.uncovered == plain

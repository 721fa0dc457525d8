"""The store's clock: moments are kept as naive UTC (SQLite has no time zones)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC now, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)

"""What a delivery round is: which subscriptions are due now (daily times, quiet hours), the
outcome of each send, and the round's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from storage.subscriptions import Subscription

# Digests per round: about 10 s of sending at 30 msg/s, so a round ends well within the job's
# lease (another instance never takes over a sender still at work) and new articles, feeds
# and replies interleave with a long fan-out.
ROUND_LIMIT = 300


class Outcome(StrEnum):
    """What became of one digest's send."""

    SENT = "sent"  # Telegram accepted it
    POSTPONED = "postponed"  # 429: this chat waits retry_after
    BLOCKED = "blocked"  # 403: the chat blocked or removed the bot
    MIGRATED = "migrated"  # the group became a supergroup: resent to the new id
    FAILED = "failed"  # a permanent refusal (bad request)
    RELEASED = "released"  # never reached Telegram: next round
    UNKNOWN = "unknown"  # may or may not have reached the chat


@dataclass(slots=True)
class RoundReport:
    """What one delivery round did."""

    queued: int = 0
    reclaimed: int = 0
    due: int = 0  # digests the round took on (ROUND_LIMIT at most)
    outcomes: dict[Outcome, int] = field(default_factory=dict)
    chats: list[int] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """How many digests ended this way."""
        return self.outcomes.get(outcome, 0)

    @property
    def full(self) -> bool:
        """The round took on as many digests as a round may: more are probably waiting."""
        return self.due >= ROUND_LIMIT

    def add(self, outcome: Outcome) -> None:
        """Count one digest's outcome."""
        self.outcomes[outcome] = self.count(outcome) + 1

    @property
    def sent(self) -> int:
        """Digests Telegram accepted."""
        return self.count(Outcome.SENT)

    @property
    def postponed(self) -> int:
        """Digests held back by a 429."""
        return self.count(Outcome.POSTPONED)

    @property
    def blocked(self) -> int:
        """Chats that blocked the bot."""
        return self.count(Outcome.BLOCKED)


def due_day(sub: Subscription, now: datetime) -> tuple[bool, str | None]:
    """Whether a subscription's digest is due now, and for a daily one the local day.

    An instant digest waits while its chat's quiet hours last, and goes out as one digest
    when they end (its rows stay queued in the database, so a restart changes nothing).
    """
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo(sub.timezone))
    if sub.mode != "daily" or not sub.daily_at:
        return not (sub.quiet and in_quiet_hours(local.strftime("%H:%M"), *sub.quiet)), None
    day = local.date().isoformat()
    return (local.strftime("%H:%M") >= sub.daily_at and sub.last_digest_on != day), day


def in_quiet_hours(clock: str, start: str, end: str) -> bool:
    """Whether a local HH:MM falls in [start, end), a window that may wrap past midnight."""
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def wanted(sub: Subscription, now: datetime) -> bool:
    """Whether a subscription's digest is due now."""
    return due_day(sub, now)[0]

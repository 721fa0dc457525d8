"""The team's access policy: who may read, who administers (no Telegram; handlers.access
applies it to updates)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Refusals to outsiders share Telegram's 30 messages a second with the team's replies: they get
# a small budget of their own, and beyond it an outsider gets no answer at all (200 outsiders at
# once used to hold a member's reply back 6 s).
REFUSALS_PER_SECOND = 2.0
REFUSAL_BURST = 10


@dataclass(frozen=True, slots=True)
class Access:
    """The team's allow-list (both sets empty: open to everyone) and its admins."""

    allowed_users: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    admins: frozenset[int] = frozenset()

    @property
    def is_open(self) -> bool:
        """No allow-list: everyone may read."""
        return not (self.allowed_users or self.allowed_chats)

    def lets_in(self, user_id: int | None, chat_id: int | None) -> bool:
        """Whether this user in this chat may use the bot (admins always may)."""
        if self.is_open:
            return True
        if user_id is not None and (user_id in self.allowed_users or user_id in self.admins):
            return True
        return chat_id is not None and chat_id in self.allowed_chats


class RefusalBudget:
    """A token bucket for refusals: `take()` says whether one may be sent now (never waits)."""

    def __init__(
        self,
        per_second: float = REFUSALS_PER_SECOND,
        burst: int = REFUSAL_BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second, self.burst, self._clock = per_second, burst, clock
        self._tokens, self._at = float(burst), clock()
        self.dropped = 0

    def take(self) -> bool:
        """Spend one refusal if the budget has one; otherwise count it as dropped."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.per_second)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        self.dropped += 1
        return False

"""The seam between exactly-once delivery and a messenger: a Channel renders one digest for
its messenger and sends it, and says what became of the send as an Outcome. The runner
(delivery.runner) claims, hands the claimed rows to the channel, and records the outcome; it
knows nothing of Telegram, HTML or HTTP (like httpx's transports behind one base)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from delivery.rounds import Outcome
from storage.outcomes import Delivery

Message = TypeVar("Message")


@dataclass(frozen=True, slots=True)
class Sent:
    """What became of one send: its outcome, a 429's wait, a migrated chat's new id."""

    outcome: Outcome
    retry_after: float = 0.0
    new_chat_id: int | None = None


class Channel(Protocol[Message]):
    """A messenger digests go out through (Telegram today: handlers.channel)."""

    async def render(self, delivery: Delivery) -> Message:
        """The message for a claimed digest (its articles, in the subscriber's language)."""
        ...

    async def send(self, delivery: Delivery, message: Message) -> Sent:
        """Send it once; never raises: every failure is an Outcome."""
        ...


class Observer(Protocol):
    """Who counts what delivery does (the bot's metrics)."""

    def digest_done(self, outcome: Outcome) -> None:
        """One digest ended this way."""

"""What became of a digest's send, written to its outbox rows: sent, held back for a chat's
429, released, an unknown outcome (sent once more, then parked), refused for good.

Outcomes are recorded with retries: a locked database waits, it does not turn an accepted send
into a resend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.models import Article
from storage.clock import utcnow
from storage.db import retried_write, writing
from storage.models import OutboxRow, OutboxStatus, SubscriptionRow
from storage.subscriptions import Subscription

BOOKKEEPING_SECONDS = 30.0  # retry budget of a claim, a postponement, a release
RECORD_SECONDS = 120.0  # retry budget of "sent": an accepted digest must not be resent
Status = OutboxStatus


@dataclass(frozen=True, slots=True)
class Delivery:
    """Articles waiting for one subscription, with the outbox row ids that carry them."""

    subscription: Subscription
    row_ids: tuple[int, ...]
    articles: tuple[Article, ...]
    day: str | None = None  # the local day a daily digest stands for, once claimed


class Outcomes:
    """Recording outcomes on the outbox's rows (OutboxStore is one)."""

    _sessions: async_sessionmaker[AsyncSession]

    @retried_write(RECORD_SECONDS)
    async def mark_sent(self, delivery: Delivery) -> None:
        """Telegram accepted the digest: its rows are done."""
        async with writing(self._sessions) as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(delivery.row_ids))
                .values(status=Status.SENT, sent_at=utcnow(), claimed_by=None, lease_until=None)
            )

    @retried_write(BOOKKEEPING_SECONDS)
    async def postpone_chat(self, delivery: Delivery, seconds: float) -> None:
        """Telegram said 429 for this chat: hold its rows, and every other row queued for the
        same chat, until the wait is over (persisted: a restart keeps waiting)."""
        until = utcnow() + timedelta(seconds=seconds)
        chat_subs = select(SubscriptionRow.id).where(
            SubscriptionRow.chat_id == delivery.subscription.chat_id
        )
        async with writing(self._sessions) as session:
            await back_to_pending(session, delivery, not_before=until)
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.status == Status.PENDING, OutboxRow.subscription_id.in_(chat_subs))
                .values(not_before=until)
            )

    @retried_write(BOOKKEEPING_SECONDS)
    async def release(self, delivery: Delivery) -> None:
        """The request never reached Telegram: back to pending for the next round."""
        async with writing(self._sessions) as session:
            await back_to_pending(session, delivery)

    @retried_write(RECORD_SECONDS)
    async def unknown_outcome(self, delivery: Delivery, pause: float) -> bool:
        """No answer after the request left: send once more after `pause`, or park the rows
        as uncertain if that already happened. Returns whether it will be sent again."""
        async with writing(self._sessions) as session:
            again = (
                await session.scalar(
                    select(func.max(OutboxRow.unknown_outcomes)).where(
                        OutboxRow.id.in_(delivery.row_ids)
                    )
                )
                or 0
            ) == 0
            if again:
                until = utcnow() + timedelta(seconds=pause)
                await back_to_pending(session, delivery, not_before=until)
            else:
                await set_rows(session, delivery.row_ids, status=Status.UNCERTAIN)
            await set_rows(
                session, delivery.row_ids, unknown_outcomes=OutboxRow.unknown_outcomes + 1
            )
            return again

    @retried_write(BOOKKEEPING_SECONDS)
    async def fail(self, delivery: Delivery) -> None:
        """Telegram refused for good (bad request): keep the rows, out of the queue."""
        async with writing(self._sessions) as session:
            await set_rows(session, delivery.row_ids, status=Status.FAILED)


async def back_to_pending(
    session: AsyncSession, delivery: Delivery, not_before: datetime | None = None
) -> None:
    """Rows back in the queue; a daily digest gives its day back (it was not delivered)."""
    values: dict[str, object] = {"status": Status.PENDING, "claimed_by": None, "lease_until": None}
    if not_before is not None:
        values["not_before"] = not_before
    await set_rows(session, delivery.row_ids, **values)
    if delivery.day is not None:
        await session.execute(
            update(SubscriptionRow)
            .where(
                SubscriptionRow.id == delivery.subscription.id,
                SubscriptionRow.last_digest_on == delivery.day,
            )
            .values(last_digest_on=delivery.subscription.last_digest_on)
        )


async def set_rows(session: AsyncSession, row_ids: tuple[int, ...], **values: object) -> None:
    """Set columns of these outbox rows."""
    await session.execute(update(OutboxRow).where(OutboxRow.id.in_(row_ids)).values(**values))

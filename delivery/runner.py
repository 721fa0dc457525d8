"""Delivering digests from the outbox: claim → render → send → record, through a Channel.

A round takes back expired leases, fans new articles out, then for each due subscription
claims its rows (only rows nobody else holds), has the channel render and send one message,
and records what the messenger said. Each step's failure is contained: a claim that cannot be
written skips the digest this round; a digest that cannot be rendered is released; an outcome
that cannot be recorded is kept and recorded next round, never resent.

Unknown outcomes (a read timeout or a dropped connection after the request left) cannot be
resolved through a messenger's API. Policy: the digest is sent once more after UNKNOWN_PAUSE and
counted (`unknown_outcomes` on its rows); if that send is unknown too, the rows are parked as
`uncertain` and logged. A request that never left (connect or pool timeout, refused
connection) is simply retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from functools import partial
from typing import Any

from delivery.channel import Channel, Observer, Sent
from delivery.rounds import ROUND_LIMIT, Outcome, RoundReport, due_day, wanted
from storage.clock import utcnow
from storage.outbox import OutboxStore
from storage.outcomes import Delivery
from storage.subscriptions import SubscriptionStore

log = logging.getLogger(__name__)
CONCURRENT_SENDS = 8  # enough to keep ~30 msg/s going at real network latency
UNKNOWN_PAUSE = 60.0


class Deliverer:
    """Runs delivery rounds for one instance (its outbox knows the instance's name)."""

    def __init__(
        self,
        channel: Channel[Any],
        outbox: OutboxStore,
        subscriptions: SubscriptionStore,
        unknown_pause: float = UNKNOWN_PAUSE,
        observer: Observer | None = None,
        is_dead: Callable[[str], bool] | None = None,
    ) -> None:
        self.channel, self.outbox, self.subscriptions = channel, outbox, subscriptions
        self.observer = observer
        self.is_dead = is_dead  # whether a claimer is known to be gone (a dead predecessor)
        self.unknown_pause = unknown_pause
        self._unrecorded: list[Delivery] = []  # sent, but "sent" could not be written yet

    async def round(self, now: datetime | None = None) -> RoundReport:
        """Take back expired leases, fan out, then send every due digest (a few at a time)."""
        report = RoundReport()
        await self._record_leftovers()
        report.reclaimed = await self.outbox.reclaim_expired(dead=await self._dead_claimers())
        report.queued = await self.outbox.fan_out()
        now = now or utcnow()
        gate = asyncio.Semaphore(CONCURRENT_SENDS)

        async def one(delivery: Delivery, day: str | None) -> None:
            async with gate:
                await self.deliver(delivery, day, report, now)

        async with self._renewing(), asyncio.TaskGroup() as group:
            deliveries = await self.outbox.due(now, ROUND_LIMIT, partial(wanted, now=now))
            report.due = len(deliveries)
            for delivery in deliveries:
                _, day = due_day(delivery.subscription, now)
                if delivery.articles:
                    group.create_task(one(delivery, day))
        return report

    async def _dead_claimers(self) -> set[str]:
        """Claimers known to be gone: their claims come back now, not when leases expire."""
        if self.is_dead is None:
            return set()
        return {name for name in await self.outbox.claimers() if self.is_dead(name)}

    async def deliver(
        self,
        delivery: Delivery,
        day: str | None,
        report: RoundReport,
        now: datetime | None = None,
    ) -> None:
        """Claim, render, send, record one digest; never raises (one digest fails alone)."""
        try:
            claimed = await self.outbox.claim(delivery, day, now)
        except Exception:
            log.warning("could not claim subscription %s's digest", delivery.subscription.id)
            return
        if claimed is None or not claimed.articles:
            return  # another instance has it
        try:
            message = await self.channel.render(claimed)
        except Exception:
            log.exception("could not build subscription %s's digest", claimed.subscription.id)
            await self._record(claimed, Sent(Outcome.RELEASED), report)
            return
        try:
            sent = await self.channel.send(claimed, message)
        except Exception:  # a channel that broke its contract: it may have sent
            log.exception("channel failed on subscription %s's digest", claimed.subscription.id)
            sent = Sent(Outcome.UNKNOWN)
        await self._record(claimed, sent, report)

    async def _record(self, delivery: Delivery, sent: Sent, report: RoundReport) -> None:
        """Write the outcome (with retries); an unwritable "sent" is kept for the next round."""
        report.add(sent.outcome)
        if self.observer:
            self.observer.digest_done(sent.outcome)
        if sent.outcome is Outcome.SENT:
            report.chats.append(delivery.subscription.chat_id)
        try:
            await self._write(delivery, sent)
        except Exception:
            if sent.outcome is Outcome.SENT:
                self._unrecorded.append(delivery)
            log.exception("could not record subscription %s's digest", delivery.subscription.id)

    async def _write(self, delivery: Delivery, sent: Sent) -> None:
        sub, outcome = delivery.subscription, sent.outcome
        if outcome is Outcome.SENT:
            await self.outbox.mark_sent(delivery)
        elif outcome is Outcome.POSTPONED:
            await self.outbox.postpone_chat(delivery, sent.retry_after)
        elif outcome is Outcome.BLOCKED and sub.deliver_to is not None:
            log.info("channel %s removed the bot: subscription %s stops", sub.target, sub.id)
            await self.subscriptions.deactivate_subscription(sub.id)
        elif outcome is Outcome.BLOCKED:
            log.info("chat %s blocked or removed the bot: its subscriptions stop", sub.chat_id)
            await self.subscriptions.deactivate_chat(sub.chat_id)
        elif outcome is Outcome.MIGRATED and sent.new_chat_id and sub.deliver_to is None:
            await self.subscriptions.migrate_chat(sub.chat_id, sent.new_chat_id)
            await self.outbox.release(delivery)
        elif outcome is Outcome.FAILED:
            await self.outbox.fail(delivery)
        elif outcome is Outcome.UNKNOWN:
            again = await self.outbox.unknown_outcome(delivery, self.unknown_pause)
            log.warning(
                "digest for subscription %s: no answer from Telegram; %s",
                sub.id,
                "sending once more later" if again else "parked as uncertain (not resent)",
            )
        else:
            await self.outbox.release(delivery)

    async def _record_leftovers(self) -> None:
        leftovers, self._unrecorded = self._unrecorded, []
        for delivery in leftovers:
            try:
                await self.outbox.mark_sent(delivery)
            except Exception:
                self._unrecorded.append(delivery)

    @contextlib.asynccontextmanager
    async def _renewing(self) -> AsyncIterator[None]:
        """Keep this instance's leases alive while the round's sends run."""

        async def renew() -> None:
            every = self.outbox.lease.total_seconds() / 3
            while True:
                await asyncio.sleep(every)
                with contextlib.suppress(Exception):
                    await self.outbox.renew()

        task = asyncio.create_task(renew())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

"""A small HTTP endpoint beside the bot: /healthz and /metrics (HEALTH_HOST, HEALTH_PORT).

Served by tornado (already there for webhook mode) on the bot's own event loop, in polling and
webhook mode alike, each answer within 5 s in its own format. /healthz answers 200 when every
check passes (some may be degraded: the bot answers, but something it depends on is failing),
else 503; either way one line per check, so a failing probe says why:
- database: a real table is read within 2 s, the SQLite file is still the one opened (deleted
  or replaced under the bot: FAIL), and the write lock is free (held elsewhere: DEGRADED);
- outbox: the oldest instant digest that may be sent now has waited less than OUTBOX_STUCK;
- delivery: some instance holds the delivery lease (someone is sending for the team);
- feeds: the newest feed poll is recent (3 intervals), when there are feeds; degraded while
  any feed's last poll failed (it backs off; /feeds says why).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.container import Services
from bot.metrics import CONTENT_TYPE, Metrics
from storage.clock import utcnow
from storage.status import StoreStatus

log = logging.getLogger(__name__)
OUTBOX_STUCK = timedelta(minutes=10)
DB_TIMEOUT = 2.0
WRITE_WAIT = 0.5  # how long the write-lock probe waits
ANSWER_TIMEOUT = 5.0  # /healthz and /metrics answer within this, whatever the database does


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a file; None when it is gone."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


@dataclass(frozen=True, slots=True)
class Check:
    """One health check's verdict."""

    name: str
    ok: bool
    detail: str
    degraded: bool = False  # passing, but something it watches is failing

    def line(self) -> str:
        """`name: ok|DEGRADED|FAIL detail`."""
        verdict = "FAIL" if not self.ok else "DEGRADED" if self.degraded else "ok"
        return f"{self.name}: {verdict} {self.detail}".rstrip()


class Health:
    """Runs the checks against the shared database."""

    def __init__(self, services: Services, feed_poll_minutes: int, delivering: bool) -> None:
        self.services = services
        self.status = StoreStatus(services.articles.sessions)
        self.feed_interval = timedelta(minutes=feed_poll_minutes)
        self.delivering = delivering
        self.file = self.status.database_file()
        self.identity = _identity(self.file) if self.file else None  # the file opened

    def _file_check(self) -> Check | None:
        """A SQLite file deleted or replaced under the running bot: its connections still
        read the old file, and every write would be lost."""
        if self.file is None or self.identity is None:
            return None
        if _identity(self.file) != self.identity:
            return Check("database", False, f"{self.file} was deleted or replaced; restart")
        return None

    async def checks(self, now: datetime | None = None) -> list[Check]:
        """Every check; the database first (the others need it)."""
        now = now or utcnow()
        gone = self._file_check()
        if gone is not None:
            return [gone]
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                await self.status.ping()
                writable = await self.status.writable(WRITE_WAIT)
        except Exception as exc:
            return [Check("database", False, f"unreachable ({type(exc).__name__})")]
        if writable:
            found = [Check("database", True, "")]
        else:
            held = "another process holds the write lock: writes wait or fail"
            found = [Check("database", True, held, degraded=True)]
        found.append(await self._outbox(now))
        if self.delivering:
            found.append(await self._delivery(now))
        found.append(await self._feeds(now))
        return found

    async def _outbox(self, now: datetime) -> Check:
        oldest = await self.services.outbox.oldest_due(now)
        if oldest is None:
            return Check("outbox", True, "nothing waiting")
        waited = now - oldest
        seconds = int(waited.total_seconds())
        return Check("outbox", waited < OUTBOX_STUCK, f"oldest due digest waiting {seconds} s")

    async def _delivery(self, now: datetime) -> Check:
        until = await self.status.lease_until("deliver")
        if until is not None and until > now:
            return Check("delivery", True, "a sender holds the delivery lease")
        return Check("delivery", False, "no instance holds the delivery lease")

    async def _feeds(self, now: datetime) -> Check:
        count, latest, failing = await self.status.feeds_polled()
        if not count:
            return Check("feeds", True, "no feeds")
        if latest is None or now - latest > 3 * self.feed_interval:
            return Check("feeds", False, "no feed polled in the last 3 intervals")
        detail = f"last poll {int((now - latest).total_seconds())} s ago"
        if failing:
            detail += f"; {failing} of {count} failing (see /feeds)"
        return Check("feeds", True, detail, degraded=bool(failing))

    async def refresh(self, metrics: Metrics) -> None:
        """Read the gauges that describe the database."""
        counts = await self.services.outbox.counts()
        for status in ("pending", "sending", "sent", "dropped", "failed", "uncertain"):
            metrics.outbox_rows.labels(status).set(counts.get(status, 0))
        metrics.articles.set(await self.status.articles())


class _Healthz(RequestHandler):
    def initialize(self, health: Health) -> None:
        self.health = health

    async def get(self) -> None:
        try:
            async with asyncio.timeout(ANSWER_TIMEOUT):
                checks = await self.health.checks()
        except Exception as exc:  # in its own format, never tornado's HTML error page
            checks = [Check("health", False, f"the checks did not finish ({type(exc).__name__})")]
        self.set_status(200 if all(c.ok for c in checks) else 503)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("\n".join(c.line() for c in checks) + "\n")


class _Metrics(RequestHandler):
    def initialize(self, health: Health, metrics: Metrics) -> None:
        self.health, self.metrics = health, metrics

    async def get(self) -> None:
        try:
            async with asyncio.timeout(ANSWER_TIMEOUT):
                await self.health.refresh(self.metrics)
        except Exception:  # the counters are still worth serving without the gauges
            log.warning("could not read the outbox for /metrics", exc_info=True)
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(self.metrics.render())


def serve(health: Health, metrics: Metrics, host: str, port: int) -> HTTPServer:
    """Start the endpoint on the running event loop; stop it with `.stop()`."""
    app = Application(
        [
            (r"/healthz", _Healthz, {"health": health}),
            (r"/metrics", _Metrics, {"health": health, "metrics": metrics}),
        ]
    )
    server = HTTPServer(app)
    server.listen(port, host)
    return server

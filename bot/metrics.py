"""What the bot counts, in Prometheus' format (the `prometheus-client` package).

One `Metrics` per Application, with its own registry (several bots in one test process
never share counters). Counters move where things happen: the update processor (updates and
their latency by command), the rate limiter (every 429 and 403 Telegram answered), the
deliverer (digests by outcome), the jobs (feed polls, articles added). Gauges that describe
the database (outbox rows by status, articles) are read at scrape time.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram import Update

from delivery.rounds import Outcome

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """The bot's counters, histograms and gauges, and when its jobs last ran."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "newsbot_updates", "Updates handled, by command", ["command"], registry=r
        )
        self.latency = Histogram(
            "newsbot_update_seconds",
            "Time to handle an update, by command",
            ["command"],
            registry=r,
        )
        self.digests = Counter(
            "newsbot_digests", "Digest sends, by outcome", ["outcome"], registry=r
        )
        self.telegram_errors = Counter(
            "newsbot_telegram_errors", "429 and 403 answers from Telegram", ["code"], registry=r
        )
        self.feed_polls = Counter(
            "newsbot_feed_polls", "Feed polls, by result (ok, failed)", ["result"], registry=r
        )
        self.articles_added = Counter(
            "newsbot_articles_added", "Articles added, by source", ["source"], registry=r
        )
        self.outbox_rows = Gauge(
            "newsbot_outbox_rows", "Outbox rows by status (at scrape time)", ["status"], registry=r
        )
        self.articles = Gauge("newsbot_articles", "Articles in the corpus", registry=r)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)

    def digest_done(self, outcome: Outcome) -> None:
        """One digest send ended this way (delivery's Observer)."""
        self.digests.labels(outcome.value).inc()


def command_of(update: object, known: frozenset[str]) -> str:
    """The label an update is counted under: a known command, or the update's kind (unknown
    commands share one label, so a stranger cannot grow the label set)."""
    if not isinstance(update, Update):
        return "other"
    if update.inline_query:
        return "inline"
    if update.callback_query:
        return "button"
    message = update.message
    if message and message.text:
        if message.text.startswith("/"):
            name = message.text.split()[0][1:].split("@")[0].lower()
            return name if name in known else "unknown"
        return "text"
    return "other"

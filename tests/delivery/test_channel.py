"""Delivery is channel-agnostic: any messenger that implements the Channel protocol (here an
in-memory "mailbox", the way httpx's MockTransport stands in for a network) gets each new
article once per subscription, with the article's stored summary carried along, and what it
answers is recorded by the same exactly-once machinery Telegram's channel uses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import event

from delivery.channel import Sent
from delivery.rounds import Outcome
from delivery.runner import Deliverer
from engine.models import ParsedArticle
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.outbox import OutboxStore
from storage.outcomes import Delivery
from storage.subscriptions import SubscriptionStore
from tests.support.stories import distinct_events

CHATS = (11, 12, 13)


@dataclass
class Mailbox:
    """A second messenger: a digest is the list of its articles' first summary sentences."""

    answers: list[Outcome] = field(default_factory=list)  # what the next sends answer
    broken_renders: int = 0
    crash_for: set[int] = field(default_factory=set)  # chats whose next send raises
    inbox: dict[int, list[list[str]]] = field(default_factory=dict)

    async def render(self, delivery: Delivery) -> list[str]:
        if self.broken_renders:
            self.broken_renders -= 1
            raise RuntimeError("template missing")
        return [f"{a.title}: {a.summary[0]}" for a in delivery.articles]

    async def send(self, delivery: Delivery, message: list[str]) -> Sent:
        if delivery.subscription.chat_id in self.crash_for:
            self.crash_for.discard(delivery.subscription.chat_id)
            raise ConnectionResetError("the mail server hung up mid-send")
        outcome = self.answers.pop(0) if self.answers else Outcome.SENT
        if outcome is Outcome.SENT:
            self.inbox.setdefault(delivery.subscription.chat_id, []).append(message)
        return Sent(outcome, retry_after=30.0 if outcome is Outcome.POSTPONED else 0.0)


@dataclass
class Team:
    articles: ArticleStore
    outbox: OutboxStore
    subscriptions: SubscriptionStore
    statements: list[str]


@pytest.fixture
async def team(tmp_path: Path) -> AsyncIterator[Team]:
    db_engine = make_db_engine(sqlite_url(tmp_path / "team.db"))
    await migrate(db_engine)
    sessions = make_sessionmaker(db_engine)
    articles = ArticleStore(sessions)
    subscriptions = SubscriptionStore(sessions, articles)
    for chat in CHATS:
        await subscriptions.subscribe(chat, None, "", "instant", None)
    statements: list[str] = []
    event.listen(
        db_engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cur, sql, *_rest: statements.append(sql),
    )
    yield Team(articles, OutboxStore(sessions, articles, "one"), subscriptions, statements)
    await db_engine.dispose()


def _stories(count: int, start: int = 0) -> list[ParsedArticle]:
    """`count` reports of different events (one story each: a digest carries a story once)."""
    return distinct_events(count, start=start)


async def test_a_second_messenger_gets_each_article_once_with_its_summary(team: Team) -> None:
    mailbox = Mailbox()
    deliverer = Deliverer(mailbox, team.outbox, team.subscriptions)
    stories = _stories(2)
    await team.articles.add(stories)
    first = await deliverer.round()
    again = await deliverer.round()
    assert first.sent == len(CHATS) and again.sent == 0
    expected = [f"{story.title}: {story.body}" for story in stories]
    assert all(mailbox.inbox[chat] == [expected] for chat in CHATS)


async def test_a_digest_that_cannot_be_rendered_is_delivered_next_round(team: Team) -> None:
    mailbox = Mailbox(broken_renders=len(CHATS))
    deliverer = Deliverer(mailbox, team.outbox, team.subscriptions)
    await team.articles.add(_stories(1))
    broken = await deliverer.round()
    assert broken.count(Outcome.RELEASED) == len(CHATS) and mailbox.inbox == {}
    assert (await deliverer.round()).sent == len(CHATS)
    assert all(len(mailbox.inbox[chat]) == 1 for chat in CHATS)


async def test_the_channels_answers_are_recorded_per_chat(team: Team) -> None:
    mailbox = Mailbox(answers=[Outcome.POSTPONED, Outcome.BLOCKED])
    deliverer = Deliverer(mailbox, team.outbox, team.subscriptions)
    await team.articles.add(_stories(1))
    report = await deliverer.round()
    assert (report.postponed, report.blocked, report.sent) == (1, 1, 1)
    assert (await deliverer.round()).sent == 0  # one waits out its 30 s, one stopped
    assert len(mailbox.inbox) == 1


async def test_a_bigger_digest_costs_no_more_reads(team: Team) -> None:
    """The round loads each digest's articles with their stored summaries once: rendering
    reads nothing more, so 12 articles cost the statements 2 articles do."""
    await team.articles.add(_stories(1, 500))  # a story before: fan-out compares with it
    await Deliverer(Mailbox(), team.outbox, team.subscriptions).round()
    costs = []
    for count, start in ((2, 0), (12, 100)):
        mailbox = Mailbox()
        await team.articles.add(_stories(count, start))
        team.statements.clear()
        report = await Deliverer(mailbox, team.outbox, team.subscriptions).round()
        assert report.sent == len(CHATS)
        assert all(len(mailbox.inbox[chat][0]) == count for chat in CHATS)
        costs.append(len(team.statements))
    assert costs[0] == costs[1]


async def test_a_channel_that_raises_stops_no_other_digest_and_loses_nothing(team: Team) -> None:
    mailbox = Mailbox(crash_for={12})
    deliverer = Deliverer(mailbox, team.outbox, team.subscriptions, unknown_pause=0)
    await team.articles.add(_stories(1))
    first = await deliverer.round()
    assert (first.sent, first.count(Outcome.UNKNOWN)) == (2, 1)
    assert sorted(mailbox.inbox) == [11, 13]
    again = await deliverer.round()  # may or may not have arrived: sent once more, counted
    assert again.sent == 1 and [len(mailbox.inbox[chat]) for chat in CHATS] == [1, 1, 1]

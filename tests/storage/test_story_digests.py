"""Digests carry a story once: a place (chat, topic, channel) given one source of a story is
not notified of its later sources, by any of its subscriptions, across restarts; a story that
only now matches a subscription (its new source has the keyword) is new to it; on SQLite and
PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text

from engine.models import ParsedArticle
from tests.support.stores import open_store
from tests.support.stories import IAN_1, IAN_2, NICOLE

EVERYTHING, ASHORE = 1, 2  # two chats: one subscribed to all news, one to "ashore"
# A third outlet's excerpt of the first report: the same story again.
IAN_3 = (IAN_1[0], IAN_1[1].split(",")[0] + ", on Wednesday afternoon.")


async def _arrives(url: str, report: tuple[str, str]) -> int:
    """A report added and fanned out by a process of its own (a restart between each)."""
    services = await open_store(url, seed=False)
    try:
        [added] = (await services.articles.add([ParsedArticle(*report)])).added
        await services.outbox.fan_out()
        return added
    finally:
        await services.close()


async def _owed(url: str) -> dict[int, list[int]]:
    """Per chat, the articles its outbox rows carry."""
    services = await open_store(url, seed=False)
    try:
        async with services.articles.sessions() as session:
            rows = await session.execute(
                text(
                    "SELECT s.chat_id, o.article_id FROM outbox o "
                    "JOIN subscriptions s ON s.id = o.subscription_id ORDER BY o.article_id"
                )
            )
            owed: dict[int, list[int]] = {}
            for chat, article in rows:
                owed.setdefault(int(chat), []).append(int(article))
            return owed
    finally:
        await services.close()


async def test_a_story_arriving_source_by_source_is_one_digest_per_chat(
    database_url: str,
) -> None:
    services = await open_store(database_url, seed=False)
    try:
        await services.subscriptions.subscribe(EVERYTHING, None, "", "instant", None)
        await services.subscriptions.subscribe(EVERYTHING, None, "florida", "instant", None)
        await services.subscriptions.subscribe(ASHORE, None, "ashore", "instant", None)
    finally:
        await services.close()

    first = await _arrives(database_url, IAN_1)
    second = await _arrives(database_url, IAN_2)
    third = await _arrives(database_url, IAN_3)
    other = await _arrives(database_url, NICOLE)

    services = await open_store(database_url, seed=False)
    try:
        stories = {(await services.articles.get(i)).story_id for i in (first, second, third)}
        assert len(stories) == 1 and None not in stories, "one story, three sources"
        assert (await services.articles.get(other)).story_id not in stories
    finally:
        await services.close()
    owed = await _owed(database_url)
    assert owed[EVERYTHING] == [first, other], "the first source only, and the other storm"
    # IAN_1 lacks the word: the story is new to that subscription when IAN_2 brings it.
    assert owed[ASHORE] == [second]

"""Stories in the store (storage/stories.py, storage/story_store.py), on SQLite and PostgreSQL:
every added article is grouped as it is added; reports of one event become one story, other
events that share names stay apart; a store from before stories is grouped by the catch-up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from engine.models import ParsedArticle
from tests.support.samples import seed_id
from tests.support.stores import open_store
from tests.support.stories import IAN_1, IAN_2, NICOLE, RULING_1, RULING_2, RULING_3


def _article(report: tuple[str, str], day: date | None = None, source: str = "") -> ParsedArticle:
    return ParsedArticle(report[0], report[1], published=day, source=source or None)


async def test_the_seeds_two_khankendi_reports_are_one_story_with_two_sources(
    database_url: str,
) -> None:
    services = await open_store(database_url)  # seeded: five articles
    try:
        first = await services.articles.get(seed_id("000"))  # undated
        second = await services.articles.get(seed_id("001"))  # dated 2025-07-03
        assert first.story_id is not None and first.story_id == second.story_id
        story = await services.stories.get(first.story_id)
        assert {a.id for a in story.sources} == {first.id, second.id}
        assert story.outlets == (first.source, second.source)  # newest first: 000 was added today
        others = [await services.articles.get(seed_id(n)) for n in ("002", "003", "004")]
        assert len({a.story_id for a in others} | {first.story_id}) == 4
        assert await services.stories.count() == 4
    finally:
        await services.close()


async def test_other_events_with_the_same_names_stay_apart(database_url: str) -> None:
    services = await open_store(database_url, seed=False)
    try:
        reports = [
            _article(IAN_1, date(2022, 9, 28), "Tampa Bay Times"),
            _article(IAN_2, date(2022, 9, 28), "Reuters"),
            _article(NICOLE, date(2022, 11, 10), "AP"),
            _article(RULING_1, date(2022, 5, 31), "NPR"),
            _article(RULING_2, date(2022, 5, 31), "CNN"),
            _article(RULING_3, date(2021, 9, 1), "NPR"),
        ]
        added = (await services.articles.add(reports)).added
        stories = [a.story_id for a in await services.articles.get_many(added)]
        assert stories[0] == stories[1] and stories[3] == stories[4]
        assert len({stories[0], stories[2], stories[3], stories[5]}) == 4
        ian = await services.stories.get(stories[0] or 0)
        assert ian.size == 2 and set(ian.outlets) == {"Tampa Bay Times", "Reuters"}
    finally:
        await services.close()


async def test_reports_added_one_at_a_time_join_the_story_of_the_first(database_url: str) -> None:
    services = await open_store(database_url, seed=False)
    try:
        one = (await services.articles.add([_article(IAN_1)])).added[0]
        two = (await services.articles.add([_article(IAN_2)])).added[0]
        three = (await services.articles.add([_article(NICOLE)])).added[0]
        found = {a.id: a.story_id for a in await services.articles.get_many([one, two, three])}
        assert found[one] == found[two] != found[three]
    finally:
        await services.close()


async def test_dated_reports_added_one_at_a_time_join_a_story_of_their_week_only(
    database_url: str,
) -> None:
    services = await open_store(database_url, seed=False)
    try:
        one = (await services.articles.add([_article(IAN_1, date(2022, 9, 28))])).added[0]
        two = (await services.articles.add([_article(IAN_2, date(2022, 9, 29))])).added[0]
        # The same words a month later are another event (a second storm, a new ruling).
        later = (IAN_2[0], IAN_2[1] + " Officials gave an update on Monday.")
        three = (await services.articles.add([_article(later, date(2022, 10, 30))])).added[0]
        found = {a.id: a.story_id for a in await services.articles.get_many([one, two, three])}
        assert found[one] == found[two] != found[three]
    finally:
        await services.close()


async def test_a_store_from_before_stories_is_grouped_by_the_catch_up(database_url: str) -> None:
    services = await open_store(database_url)  # seeded and grouped; now forget the grouping
    try:
        async with services.articles.sessions() as session, session.begin():
            await session.execute(text("UPDATE articles SET story_id = NULL"))
            for table in ("story_keys", "story_terms", "stories"):
                await session.execute(text(f"DELETE FROM {table}"))
            await session.execute(text("UPDATE story_documents SET documents = 0"))
        assert await services.stories.ungrouped() == 5

        done = await services.stories.group_pending(batch=2)  # three batches

        assert (done.articles, done.new_stories, done.stories) == (5, 4, 4)
        assert await services.stories.ungrouped() == 0
        first, second = await services.articles.get_many([seed_id("000"), seed_id("001")])
        assert first.story_id == second.story_id is not None
        again = await services.stories.group_pending()
        assert (again.articles, again.new_stories) == (0, 0)
    finally:
        await services.close()


async def test_one_batch_groups_as_articles_added_one_by_one(database_url: str) -> None:
    # A feed poll brings both reports of one storm and another storm at once: the batch's
    # later articles are weighed knowing the earlier ones' words (not as if all were rare).
    services = await open_store(database_url)
    try:
        added = (await services.articles.add([_article(r) for r in (IAN_1, IAN_2, NICOLE)])).added
        one, two, three = [a.story_id for a in await services.articles.get_many(added)]
        assert one == two != three
    finally:
        await services.close()

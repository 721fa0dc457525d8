"""/delete ID… in the chat: the team's admins remove articles; everyone else, and every
malformed id, gets one line and removes nothing."""

from __future__ import annotations

import pytest

from handlers.access import NOT_TEAM_ADMIN
from tests.support.app import MakeHarness

ADMIN = {"admin_user_ids": "1001"}


async def test_an_admin_deletes_an_article_and_search_no_longer_finds_it(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(**ADMIN)
    [found] = await h.text("/search Bayramov ECO")
    assert "Bayramov" in found
    assert await h.text("/delete 3 #99") == [
        "Deleted 1 article (#3): it is gone from search and from digests not yet sent. "
        "No article has the id #99."
    ]
    assert await h.services.articles.count() == 4
    [again] = await h.text("/delete 3")
    assert again == "No article has the id #3."


async def test_only_the_teams_admins_may_delete(make_harness: MakeHarness) -> None:
    h = await make_harness(**ADMIN)
    assert await h.text("/delete 1", user_id=2002) == [NOT_TEAM_ADMIN]
    assert await h.services.articles.count() == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/delete", "Name the articles to delete by id, e.g. /delete 12 15."),
        ("/delete abc", "“abc” is not an article id"),
        ("/delete ²", "“²” is not an article id"),
        ("/delete -1", "“-1” is not an article id"),
        ("/delete " + "9" * 400, "No article with id 999"),
        ("/delete 0", "No article with id 0."),
        ("/delete " + " ".join(map(str, range(1, 102))), "At most 100 articles at a time"),
    ],
)
async def test_malformed_ids_get_one_line_and_remove_nothing(
    make_harness: MakeHarness, text: str, expected: str
) -> None:
    h = await make_harness(**ADMIN)
    [reply] = await h.text(text)
    assert reply.startswith(expected) and "\n" not in reply and len(reply) < 200
    assert await h.services.articles.count() == 5


async def test_delete_is_in_help(make_harness: MakeHarness) -> None:
    h = await make_harness()
    [text] = await h.text("/help")
    assert "/delete ID…" in text

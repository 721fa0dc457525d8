"""/feeds a page at a time (issue 18, item 4): each reply or press is one message within
Telegram's limit, ‹ Prev / Next › walk the whole list, and every feed is on exactly one page,
even when every feed has the longest address, title and error the list keeps."""

from __future__ import annotations

import re

from bot import offline
from ingest.errors import FetchFailed
from storage.feeds import FeedPoll
from tests.support.app import Harness
from tests.support.checks import message_problems


def _ids(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^#(\d+) ", text, flags=re.MULTILINE)]


async def _walk(h: Harness) -> list[list[int]]:
    """The pages /feeds shows, following Next › to the end (each checked as Telegram would)."""
    calls = await h.send(offline.message_update("/feeds"))
    [sent] = [c for c in calls if c.method == "sendMessage"]
    pages = [_ids(str(sent.params["text"]))]
    assert message_problems(sent.params) == []
    while "Next ›" in dict(h.buttons()) and len(pages) < 100:
        await h.send(offline.callback_update(dict(h.buttons())["Next ›"]))
        [edit] = [c for c in h.request.calls if c.method == "editMessageText"]
        assert message_problems(edit.params) == []
        assert [c.method for c in h.request.calls] == ["answerCallbackQuery", "editMessageText"]
        pages.append(_ids(str(edit.params["text"])))
    return pages


async def test_feeds_come_ten_to_a_page_with_prev_and_next(harness: Harness) -> None:
    await harness.services.feeds.add_many(
        [(f"https://feed{n}.example/rss", f"Feed {n}") for n in range(25)]
    )
    assert await _walk(harness) == [
        list(range(1, 11)),
        list(range(11, 21)),
        list(range(21, 26)),
    ]
    assert [label for label, _ in harness.buttons()] == ["‹ Prev"]
    await harness.send(offline.callback_update(dict(harness.buttons())["‹ Prev"]))
    [edit] = harness.request.sent("editMessageText")
    assert _ids(str(edit["text"])) == list(range(11, 21))
    assert [label for label, _ in harness.buttons()] == ["‹ Prev", "Next ›"]


async def test_feeds_at_every_limit_are_one_message_a_page(harness: Harness) -> None:
    feeds = harness.services.feeds
    urls = [f"https://feed{n}.example/?" + "&" * (1970) for n in range(12)]
    await feeds.add_many([(url, "<&>" * 100) for url in urls])
    for feed in await feeds.all():
        await feeds.record(feed, FeedPoll(errors=[FetchFailed("<&>" * 200)], failed=True))
    pages = await _walk(harness)
    assert sorted(n for page in pages for n in page) == list(range(1, 13))
    assert all(pages), "no empty page"

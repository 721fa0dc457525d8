"""/latest N pages by N on every page; a button made before the size was kept still works."""

from __future__ import annotations

from bot import offline
from tests.support.app import Harness


def _numbers(text: str) -> list[str]:
    return [line.split(".")[0] for line in text.split("\n\n")[1:]]


async def test_latest_n_keeps_n_a_page_when_paging(harness: Harness) -> None:
    [first] = await harness.text("/latest 2")
    assert _numbers(first) == ["1", "2"]
    following = dict(harness.buttons())["Next ›"]
    await harness.send(offline.callback_update(following))
    [edit] = harness.request.sent("editMessageText")
    assert _numbers(str(edit["text"])) == ["3", "4"]
    back = dict(harness.buttons())["‹ Prev"]
    await harness.send(offline.callback_update(back))
    [edit] = harness.request.sent("editMessageText")
    assert _numbers(str(edit["text"])) == ["1", "2"]


async def test_an_older_latest_button_pages_by_the_chats_page_size(harness: Harness) -> None:
    await harness.send(offline.callback_update("l|1"))
    [edit] = harness.request.sent("editMessageText")
    # Page size 5, from #2: the five seeds are four stories, three left.
    assert _numbers(str(edit["text"])) == ["2", "3", "4"]

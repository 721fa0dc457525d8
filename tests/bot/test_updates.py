"""Updates run concurrently across chats and in order within one chat."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot import offline
from bot.updates import PerChatOrder


async def test_one_chat_waits_for_its_earlier_update_while_another_chat_goes_on() -> None:
    processor = PerChatOrder(8)
    done: list[str] = []
    release = asyncio.Event()

    async def slow_add() -> None:  # a slow /add in chat 1
        await release.wait()
        done.append("chat 1: /add")

    async def record(name: str) -> None:
        done.append(name)

    def update(chat: int) -> Update:
        return Update.de_json(offline.message_update("/x", chat_id=chat, user_id=chat), None)

    first = asyncio.create_task(processor.process_update(update(1), slow_add()))
    second = asyncio.create_task(processor.process_update(update(1), record("chat 1: /search")))
    other = asyncio.create_task(processor.process_update(update(2), record("chat 2: /search")))
    await other
    assert done == ["chat 2: /search"], "another chat is answered while chat 1's /add runs"
    assert not second.done(), "chat 1's next update waits for its /add"
    release.set()
    await asyncio.gather(first, second)
    assert done == ["chat 2: /search", "chat 1: /add", "chat 1: /search"]

"""A story arriving source by source while the bot is killed with kill -9 and started again:
the subscriber gets its first source once and no digest for the later ones; another event
still arrives (the restarted bot delivers)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from engine.models import ParsedArticle
from storage.db import sqlite_url
from tests.support.botapi import FakeBotApi
from tests.support.processes import start_bot, wait_until_started
from tests.support.stores import open_store
from tests.support.stories import IAN_1, IAN_2, NICOLE

pytestmark = pytest.mark.slow  # `make test-slow`

CHAT = 7
IAN_3 = (IAN_1[0], IAN_1[1].split(",")[0] + ", on Wednesday afternoon.")


async def _subscribe(url: str) -> None:
    services = await open_store(url, seed=False)
    try:
        await services.subscriptions.subscribe(CHAT, None, "", "instant", None)
    finally:
        await services.close()


async def _add(url: str, report: tuple[str, str]) -> None:
    services = await open_store(url, seed=False)
    try:
        await services.articles.add([ParsedArticle(*report)])
    finally:
        await services.close()


def _wait_for(api: FakeBotApi, count: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while len(api.delivered) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_story_told_across_a_kill_9_is_one_digest(fake_api: FakeBotApi, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "stories.db")
    asyncio.run(_subscribe(url))
    env = {
        "BOT_TOKEN": "4243:story-test",
        "BOT_API_URL": fake_api.url,
        "DATABASE_URL": url,
        "OUTBOX_POLL_SECONDS": "0.3",
        "SEED": "false",
    }
    first = start_bot(tmp_path, "first", **env)
    try:
        wait_until_started(first, tmp_path / "first.log")
        asyncio.run(_add(url, IAN_1))
        _wait_for(fake_api, 1)
        asyncio.run(_add(url, IAN_2))  # while the bot runs: it may fan it out, or not yet
        time.sleep(1.0)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    asyncio.run(_add(url, IAN_3))  # while no bot runs
    second = start_bot(tmp_path, "second", **env)
    try:
        wait_until_started(second, tmp_path / "second.log")
        asyncio.run(_add(url, NICOLE))  # another event: it must arrive
        _wait_for(fake_api, 2)
        time.sleep(1.5)  # time for anything else to (wrongly) arrive
    finally:
        second.terminate()
        second.wait(15)
    texts = [text for chat, text in fake_api.delivered if chat == CHAT]
    assert len(texts) == 2, texts
    assert "Fort Myers" in texts[0] and "Nicole" in texts[1], texts

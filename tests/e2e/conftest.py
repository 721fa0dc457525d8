"""End to end: the real bot (`python -m bot run`) polling a Bot API emulator over loopback, or
talking to the Bot API stand-in of tests/support/botapi.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.botapi import FakeBotApi
from tests.support.emulator import TOKEN, USER_ID, Chat, running_emulator
from tests.support.processes import RunningBot, start_bot, stop_bots, wait_until_started


@pytest.fixture(scope="session")
def emulator() -> Iterator[str]:
    """telegram-test-api on a free loopback port; its root URL."""
    with running_emulator() as root:
        yield root


@pytest.fixture(scope="session")
def bot_process(emulator: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """`python -m bot run` against the emulator, on a fresh seeded SQLite file."""
    bot = RunningBot(tmp_path_factory.mktemp("e2e"))
    proc = start_bot(
        bot.workdir,
        BOT_TOKEN=TOKEN,
        BOT_API_URL=f"{emulator}/bot",
        DATABASE_URL=f"sqlite+aiosqlite:///{bot.db}",
        OUTBOX_POLL_SECONDS="0.5",
        LOG_LEVEL="INFO",
    )
    try:
        wait_until_started(proc, bot.log)
        yield bot
    finally:
        stop_bots([proc])


@pytest.fixture
def private_chat(emulator: str, bot_process: RunningBot) -> Iterator[Chat]:
    chat = Chat(emulator, chat_id=USER_ID)
    yield chat
    chat.http.close()


@pytest.fixture
def group_chat(emulator: str, bot_process: RunningBot) -> Iterator[Chat]:
    chat = Chat(emulator, chat_id=-100700, chat_type="supergroup")
    yield chat
    chat.http.close()


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    """The Bot API stand-in on a free loopback port (`fake_api.url` is the bot's BOT_API_URL)."""
    api = FakeBotApi()
    api.start()
    yield api
    api.stop()

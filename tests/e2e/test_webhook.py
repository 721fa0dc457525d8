"""Webhook mode over real HTTP: updates posted to the bot's webhook on loopback, replies read
from a Bot API stand-in; a wrong or missing secret is refused."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot import offline
from tests.support.botapi import FakeBotApi
from tests.support.net import free_port
from tests.support.processes import start_bot, stop_bots, wait_until_started

SECRET = "team-webhook-s3cret"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture
def webhook(tmp_path: Path, fake_api: FakeBotApi) -> Iterator[tuple[str, FakeBotApi, Path]]:
    """`python -m bot run` in webhook mode; (webhook URL, the Bot API stand-in, log file)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    proc = start_bot(
        tmp_path,
        BOT_TOKEN="4244:webhook",
        BOT_API_URL=fake_api.url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'hook.db'}",
        WEBHOOK_URL=url,
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=SECRET,
        OUTBOX_POLL_SECONDS="0",
    )
    try:
        wait_until_started(proc, tmp_path / "bot.log")  # the event: the server is up
        yield url, fake_api, tmp_path / "bot.log"
    finally:
        stop_bots([proc])


def _wait_for_reply(api: FakeBotApi, chat: int, timeout: float = 15) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = [t for c, t in api.delivered if c == chat]
        if texts:
            return texts
        time.sleep(0.05)
    return []


def test_webhook_answers_updates_that_carry_the_secret(
    webhook: tuple[str, FakeBotApi, Path],
) -> None:
    url, api, log = webhook
    update = offline.message_update("/start", chat_id=4401, user_id=4401)
    reply = httpx.post(url, json=update, headers={HEADER: SECRET}, timeout=10)
    assert reply.status_code == 200
    [text] = _wait_for_reply(api, 4401)
    assert "/search" in text
    assert SECRET not in log.read_text()


@pytest.mark.parametrize("headers", [{}, {HEADER: "guessed"}], ids=["missing", "wrong"])
def test_webhook_refuses_updates_without_the_secret(
    webhook: tuple[str, FakeBotApi, Path], headers: dict[str, str]
) -> None:
    url, api, _ = webhook
    update = offline.message_update("/start", chat_id=4402, user_id=4402)
    assert httpx.post(url, json=update, headers=headers, timeout=10).status_code == 403
    good = offline.message_update("/start", chat_id=4403, user_id=4403)
    assert httpx.post(url, json=good, headers={HEADER: SECRET}, timeout=10).status_code == 200
    assert _wait_for_reply(api, 4403), "the bot is up and answering"
    assert _wait_for_reply(api, 4402, timeout=0.5) == [], "the refused update did nothing"


def test_webhook_mode_needs_a_secret(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BOT_TOKEN": "4244:webhook",
        "WEBHOOK_URL": "https://bot.example/hook",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
    }
    env.pop("WEBHOOK_SECRET", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stdout.strip().startswith("error: WEBHOOK_SECRET is not set")


def test_a_stranger_is_refused_before_sending_a_body(
    webhook: tuple[str, FakeBotApi, Path],
) -> None:
    """A 90 MiB body declared with a wrong secret is answered at once: the bot never waits
    for, nor reads, a stranger's body (python-telegram-bot's own server read it first)."""
    import socket
    from urllib.parse import urlsplit

    url, _, _ = webhook
    parts = urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.hostname}\r\nConnection: close\r\n"
        f"{HEADER}: wrong\r\nContent-Length: {90 * 1024 * 1024}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=5) as s:
        s.sendall(head.encode())
        assert s.recv(64).startswith(b"HTTP/1.1 403")

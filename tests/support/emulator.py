"""The telegram-test-api Bot API emulator (tests/e2e/emulator.js) on a loopback port, and a
`Chat` that plays a user through its client API and reads back what the bot sent."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "tests" / "e2e" / "emulator.js"  # bench/roundtrip.py starts it too
TOKEN = "4242:e2e-secret-token"
USER_ID = 501
USER = {"id": USER_ID, "is_bot": False, "first_name": "Ada"}


def wait_for_line(proc: subprocess.Popen[str], marker: str, timeout: float) -> None:
    """Read the process's output until a line holds `marker` (RuntimeError if it never does)."""
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if marker in line:
            return
        if not line and proc.poll() is not None:
            break
    raise RuntimeError(f"{marker!r} not seen from {proc.args!r}")


@contextmanager
def running_emulator() -> Iterator[str]:
    """The emulator on a free loopback port; yields its root URL. Skips without node or npm ci."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: end-to-end tests need the Bot API emulator")
    if not (ROOT / "node_modules" / "telegram-test-api").exists():
        pytest.skip("telegram-test-api is not installed: run `npm ci` (make test does)")
    port = free_port()
    proc = subprocess.Popen(
        ["node", str(LAUNCHER), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    try:
        wait_for_line(proc, "READY", 20)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()


class Chat:
    """Plays a user through the emulator's client API and reads what the bot sent."""

    def __init__(
        self,
        root: str,
        chat_id: int,
        chat_type: str = "private",
        user: dict[str, Any] = USER,
        token: str = TOKEN,
    ) -> None:
        self.root, self.chat_id, self.chat_type, self.user = root, chat_id, chat_type, user
        self.token = token  # the bot this chat talks to (the emulator serves several)
        self.http = httpx.Client(base_url=root, timeout=10)

    def _chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id, "type": self.chat_type}
        if self.chat_type == "private":
            chat["first_name"] = self.user["first_name"]
        else:
            chat["title"] = "Team"
        return chat

    def bot_messages(self) -> list[dict[str, Any]]:
        history = self.http.post("/getUpdatesHistory", json={"token": self.token}).json()["result"]
        return [
            {**h["message"], "message_id": h["messageId"]}
            for h in history
            if "message" in h
            and h.get("messageId") is not None
            and "chat_id" in h["message"]
            and str(h["message"]["chat_id"]) == str(self.chat_id)
        ]

    def send(self, text: str, timeout: float = 15) -> list[dict[str, Any]]:
        """Send a message or command; wait for the bot's replies to this chat and return them."""
        before = len(self.bot_messages())
        body: dict[str, Any] = {
            "botToken": self.token,
            "from": self.user,
            "chat": self._chat(),
            "date": int(time.time()),
            "text": text,
        }
        route = "/sendMessage"
        if text.startswith("/"):
            body["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
            route = "/sendCommand"
        self.http.post(route, json=body).raise_for_status()
        return self.wait(before, timeout)

    def press(
        self, data: str, message: dict[str, Any], timeout: float = 15
    ) -> list[dict[str, Any]]:
        """Press an inline button under one of the bot's messages."""
        before = len(self.bot_messages())
        callback = {
            "botToken": self.token,
            "from": self.user,
            "data": data,
            "message": {
                "message_id": message.get("message_id", 1),
                "date": int(time.time()),
                "chat": self._chat(),
                "text": message.get("text", ""),
            },
        }
        self.http.post("/sendCallback", json=callback).raise_for_status()
        return self.wait(before, timeout)

    def wait(self, before: int, timeout: float, count: int = 1) -> list[dict[str, Any]]:
        """The messages the bot sent to this chat after the first `before`, once there are
        `count` of them (every reply here is one message), or what came within `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.bot_messages()[before:]
            if len(messages) >= count or time.monotonic() > deadline:
                return messages
            time.sleep(0.05)

"""A minimal Bot API over HTTP on 127.0.0.1 that records sends and can hold one in flight.

Used where the emulator cannot help: killing the bot while a request is in flight, webhook
mode. It handles requests one at a time (a lock), as a server processes them: a request it never
got to process before the bot died is not delivered.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from tests.support import net

BOT = {"id": 4243, "is_bot": True, "first_name": "newsbot", "username": "newsbot_fake_bot"}


class FakeBotApi:
    """Start with .start(); .delivered lists (chat_id, text) of every processed sendMessage."""

    def __init__(self) -> None:
        self.delivered: list[tuple[int, str]] = []
        self.hold_at: int | None = None  # hold the N-th sendMessage unanswered
        self.holding = threading.Event()
        self.released = threading.Event()  # the held request has let go (after dropping)
        self._dropping = False
        # Requests are dropped by the epoch they arrived in: a killed bot's requests still
        # queued behind the held one die with it, even after dropping is switched off again
        # for the restarted bot (they used to get through then: spurious duplicates).
        self._epoch = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def dropping(self) -> bool:
        """The bot was killed: requests left in the queue die with it."""
        return self._dropping

    @dropping.setter
    def dropping(self, value: bool) -> None:
        if value:
            self._epoch += 1
        self._dropping = value

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def start(self) -> None:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params: dict[str, Any] = json.loads(raw or "{}")
                else:
                    params = dict(parse_qsl(raw))
                result = api.handle(self.path.rsplit("/", 1)[-1], params)
                if result is None:
                    self.close_connection = True
                    return
                body = json.dumps({"ok": True, "result": result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # the bot may have been killed meanwhile

            do_GET = do_POST

            def log_message(self, *args: object) -> None:
                pass

        self._server = net.serve(Handler)

    def stop(self) -> None:
        if self._server:
            net.stop(self._server)

    def handle(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            time.sleep(0.2)
            return []
        if method != "sendMessage":
            return True
        arrived = self._epoch
        with self._lock:
            if self._dropping or arrived != self._epoch:
                return None
            if self.hold_at is not None and len(self.delivered) + 1 == self.hold_at:
                self.holding.set()
                while not self._dropping:  # held in flight until the test kills the bot
                    time.sleep(0.01)
                self.released.set()
                return None
            chat_id = int(params["chat_id"])
            self.delivered.append((chat_id, str(params.get("text", ""))))
            return {
                "message_id": len(self.delivered),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                "from": BOT,
                "text": params.get("text", ""),
            }

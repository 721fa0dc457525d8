"""The webhook refuses what a stranger can send before it costs memory or time: a wrong secret
or an oversized declared body is answered as soon as the headers are in (the body is never
read), a chunked body is cut off at the limit, a trickling one is dropped after its time."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot import offline, webhook
from tests.support.net import free_port

SECRET = "team-webhook-s3cret"


@dataclass
class _App:
    """What the handler needs of an Application: its bot and its update queue."""

    bot: Any = None
    update_queue: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)


@pytest.fixture
async def served(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[int, _App]]:
    monkeypatch.setattr(webhook, "BODY_SECONDS", 0.5)
    app, port = _App(), free_port()
    server = webhook.webhook_server(app, f"https://bot.example:{port}/hook", SECRET)
    server.listen(port, "127.0.0.1")
    yield port, app
    server.stop()


async def _exchange(port: int, head: str, body: bytes = b"", wait: float = 5.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), wait)
    except ConnectionResetError:  # the server hung up mid-body: refused as well
        return b""
    finally:
        writer.close()


def _head(length: int | None, secret: str | None = SECRET, chunked: bool = False) -> str:
    lines = ["POST /hook HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines.append("Content-Type: application/json")
    if secret is not None:
        lines.append(f"{webhook.SECRET_HEADER}: {secret}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    elif length is not None:
        lines.append(f"Content-Length: {length}")
    return "\r\n".join(lines) + "\r\n"


async def test_a_wrong_or_missing_secret_is_refused_before_the_body(
    served: tuple[int, _App],
) -> None:
    port, app = served
    for secret in ("wrong", None):
        answer = await _exchange(port, _head(90 * 1024 * 1024, secret))  # no body ever sent
        assert answer.startswith(b"HTTP/1.1 403")
    assert app.update_queue.empty()


async def test_an_oversized_body_is_refused_declared_or_streamed(served: tuple[int, _App]) -> None:
    port, app = served
    assert (await _exchange(port, _head(90 * 1024 * 1024))).startswith(b"HTTP/1.1 413")
    chunk = b"x" * (256 * 1024)
    chunks = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(6)) + b"0\r\n\r\n"
    answer = await _exchange(port, _head(None, chunked=True), chunks)
    assert answer.startswith(b"HTTP/1.1 413") or answer == b""  # refused, or cut off
    assert app.update_queue.empty()


async def test_a_trickling_body_is_dropped_after_its_time(served: tuple[int, _App]) -> None:
    port, app = served
    answer = await _exchange(port, _head(1000), b"{", wait=5.0)  # 1 of 1,000 bytes, then nothing
    assert not answer.startswith(b"HTTP/1.1 200") and app.update_queue.empty()


async def test_an_update_with_the_secret_is_queued(served: tuple[int, _App]) -> None:
    port, app = served
    body = json.dumps(offline.message_update("/latest")).encode()
    answer = await _exchange(port, _head(len(body)), body)
    assert answer.startswith(b"HTTP/1.1 200")
    update = app.update_queue.get_nowait()
    assert update.effective_message.text == "/latest"

"""The bot's own overhead per command, end to end through the Bot API emulator.

    python -m bench.roundtrip [--commands 200]

Starts telegram-test-api (tests/e2e/emulator.js) on loopback, `python -m bot run` on a seeded
SQLite file, and a trivial echo bot (bench/echo_bot.py) beside it. A client sends the same
number of commands to each and times send -> reply seen, p50/p95. newsbot's overhead is the
difference to the echo bot, whose round trip is the emulator's and python-telegram-bot's.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.search import pct

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    "/search Khankendy summit",
    "/search Azerbajan Armenia peace",
    "/latest 3",
    "/summary 3",
    "/search Bayramov ECO",
    "/summary Hajiyev Brusels 2",
    "/start",
    "/search cooperaton energy",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(client: httpx.Client, token: str, chat_id: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _roundtrip(client, token, chat_id, "/start" if token.startswith("1") else "ping", 2.0)
            return
        except TimeoutError:
            continue
    raise RuntimeError(f"bot {token} never answered")


def _count(client: httpx.Client, token: str, chat_id: int) -> int:
    history = client.post("/getUpdatesHistory", json={"token": token}).json()["result"]
    return sum(1 for h in history if str(h.get("message", {}).get("chat_id")) == str(chat_id))


def _roundtrip(
    client: httpx.Client, token: str, chat_id: int, text: str, timeout: float = 10
) -> float:
    before = _count(client, token, chat_id)
    user = {"id": chat_id, "is_bot": False, "first_name": "Bench"}
    body = {
        "botToken": token,
        "from": user,
        "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
        "date": int(time.time()),
        "text": text,
    }
    route = "/sendMessage"
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        route = "/sendCommand"
    t0 = time.perf_counter()
    client.post(route, json=body)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _count(client, token, chat_id) > before:
            return (time.perf_counter() - t0) * 1000
        time.sleep(0.001)
    raise TimeoutError(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument(
        "--gap-ms",
        type=float,
        default=50,
        help="pause between commands: people do not type 30 commands a second, and back-to-back "
        "commands would measure the 30 msg/s limiter instead of the bot",
    )
    args = parser.parse_args()
    port = _port()
    emulator = subprocess.Popen(
        ["node", str(ROOT / "tests/e2e/emulator.js"), str(port)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert emulator.stdout and "READY" in emulator.stdout.readline()
    base = f"http://127.0.0.1:{port}"
    procs = [emulator]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            env = {
                **os.environ,
                "BOT_TOKEN": "1111:news",
                "BOT_API_URL": f"{base}/bot",
                "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/rt.db",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT),
            }
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "run"],
                    cwd=tmp,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bench.echo_bot", "2222:echo", f"{base}/bot"],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            with httpx.Client(base_url=base, timeout=10) as client:
                _wait_ready(client, "1111:news", 9001)
                _wait_ready(client, "2222:echo", 9002)
                ours, echo = [], []
                for i in range(args.commands):  # interleaved, so both see the same machine state
                    ours.append(_roundtrip(client, "1111:news", 9001, COMMANDS[i % len(COMMANDS)]))
                    echo.append(_roundtrip(client, "2222:echo", 9002, f"ping {i}"))
                    time.sleep(args.gap_ms / 1000)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(10)
    print(
        f"round trip through the emulator, {args.commands} commands each, "
        f"{args.gap_ms:.0f} ms apart"
    )
    print(f"  newsbot commands   p50 {pct(ours, 50):7.2f} ms   p95 {pct(ours, 95):7.2f} ms")
    print(f"  echo bot baseline  p50 {pct(echo, 50):7.2f} ms   p95 {pct(echo, 95):7.2f} ms")
    print(
        f"  newsbot overhead   p50 {pct(ours, 50) - pct(echo, 50):7.2f} ms   "
        f"p95 {pct(ours, 95) - pct(echo, 95):7.2f} ms"
    )


if __name__ == "__main__":
    main()

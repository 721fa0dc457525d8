"""Fan-out of one new article to N chats by several bot processes sharing one database,
through a Bot API stand-in that enforces Telegram's overall cap for the whole bot.

    python -m bench.fanout [--chats 10000] [--instances 3] [--backend postgresql|sqlite]

The stand-in (HTTP on 127.0.0.1) answers 429 (retry_after 1) whenever a message would exceed
`cap` in any one-second window, counting every instance's messages together, and takes
`latency-ms` per request. Scenarios, in the same run: N instances; N instances with 429s
injected for 1 % of the chats (retry_after 3 s, once each); and one instance as the peer.
Every chat's subscription has 1-3 keywords the article matches (some with a typo or an
excluded word), so keyword matching is part of the cost. Printed per scenario: achieved rate
as a share of the cap (from the article's arrival to the last accepted message, fan-out
included), lost, duplicates, resends after an unknown outcome, 429s, and the bot processes'
peak RSS. PostgreSQL needs NEWSBOT_TEST_PG_URL (as the tests).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from engine.models import ParsedArticle
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.models import OutboxRow, SubscriptionRow

BOT = {"id": 4245, "is_bot": True, "first_name": "newsbot", "username": "newsbot_bench_bot"}


@dataclass
class CappedApi:
    """Delivers at most `cap` messages a second (all clients together), 429 beyond that."""

    cap: int
    latency: float
    throttled: set[int] = field(default_factory=set)  # chats that get one 429 each
    accepted: list[tuple[int, float]] = field(default_factory=list)
    rejected: int = 0
    injected: int = 0
    _window: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, chat: int) -> tuple[int, dict[str, Any]]:
        time.sleep(self.latency)
        with self._lock:
            if chat in self.throttled:
                self.throttled.discard(chat)
                self.injected += 1
                return 429, _too_many(3)
            now = time.monotonic()
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            if len(self._window) >= self.cap:
                self.rejected += 1
                return 429, _too_many(1)
            self._window.append(now)
            self.accepted.append((chat, now))
            message = {"message_id": len(self.accepted), "date": int(time.time())}
            return 200, {"ok": True, "result": {**message, "chat": {"id": chat, "type": "private"}}}

    def serve(self) -> ThreadingHTTPServer:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = dict(parse_qsl(raw))
                method = self.path.rsplit("/", 1)[-1]
                if method == "sendMessage":
                    status, body = api.send(int(params["chat_id"]))
                elif method == "getUpdates":
                    time.sleep(0.5)
                    status, body = 200, {"ok": True, "result": []}
                else:
                    status, body = 200, {"ok": True, "result": BOT if method == "getMe" else True}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # a bot process may have stopped meanwhile

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def _too_many(seconds: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }


# Every chat's subscription has keywords (1-3 of the article's words, some with a typo, some
# with an excluded word the article lacks): keyword matching is part of the fan-out's cost.
ARTICLE = ParsedArticle(
    "Caspian ferry line reopens",
    "The Caspian ferry line between Baku and Aktau reopens its harbour on Monday. "
    "Freight operators at the port expect the crossing to shorten supply routes.",
)
KEYWORD_WORDS = ("caspian", "ferry", "harbour", "freight", "crossing", "operators")
TYPOS = {"caspian": "caspain", "harbour": "harbuor", "freight": "frieght"}


def keywords(chat: int) -> str:
    """Chat `chat`'s keywords: all of them match ARTICLE."""
    picked = [KEYWORD_WORDS[(chat * k) % len(KEYWORD_WORDS)] for k in range(1, 1 + chat % 3 + 1)]
    return " ".join(TYPOS.get(w, w) if chat % 4 == 0 else w for w in dict.fromkeys(picked))


def excluded(chat: int) -> str:
    """Chat `chat`'s excluded word, one the article lacks (every fifth chat has one)."""
    return "football" if chat % 5 == 0 else ""


async def _prepare(url: str, chats: int) -> None:
    db_engine = make_db_engine(url)
    await migrate(db_engine)
    async with db_engine.begin() as conn:  # 10,000 subscriptions in two statements
        await conn.execute(
            text("INSERT INTO chats (id, timezone, active) VALUES (:id, 'UTC', true)"),
            [{"id": c} for c in range(1, chats + 1)],
        )
        await conn.execute(
            text(
                "INSERT INTO subscriptions (chat_id, keywords, excluded, mode, created_at, "
                "after_article_id, active) VALUES (:c, :k, :x, 'instant', now(), 0, true)"
                if db_engine.dialect.name == "postgresql"
                else "INSERT INTO subscriptions (chat_id, keywords, excluded, mode, created_at, "
                "after_article_id, active) VALUES (:c, :k, :x, 'instant', datetime('now'), 0, 1)"
            ),
            [{"c": c, "k": keywords(c), "x": excluded(c)} for c in range(1, chats + 1)],
        )
    await db_engine.dispose()


async def _add_article(url: str) -> None:
    db_engine = make_db_engine(url)
    articles = ArticleStore(make_sessionmaker(db_engine))
    await articles.add([ARTICLE])
    await db_engine.dispose()


async def _outbox(url: str) -> tuple[int, int, int]:
    """(rows, rows settled, rows resent after an unknown outcome)."""
    db_engine = make_db_engine(url)
    async with db_engine.connect() as conn:
        rows = await conn.scalar(select(func.count()).select_from(OutboxRow))
        settled = await conn.scalar(
            select(func.count()).where(OutboxRow.status.in_(("sent", "uncertain", "failed")))
        )
        unknown = await conn.scalar(select(func.count()).where(OutboxRow.unknown_outcomes > 0))
        _ = SubscriptionRow
    await db_engine.dispose()
    return int(rows or 0), int(settled or 0), int(unknown or 0)


def _start(api_url: str, url: str, workdir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BOT_TOKEN": "4245:bench",
        "BOT_API_URL": api_url,
        "DATABASE_URL": url,
        "OUTBOX_POLL_SECONDS": "0.5",
        "SEED": "false",
        "LOG_LEVEL": "WARNING",
    }
    with open(workdir / f"{name}.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=workdir, env=env, stdout=log, stderr=log
        )


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _database(backend: str, workdir: Path, tag: str) -> tuple[str, str | None]:
    """A fresh database URL (and, on PostgreSQL, its name to drop afterwards)."""
    if backend == "sqlite":
        return sqlite_url(workdir / f"{tag}.db"), None
    pg = os.environ.get("NEWSBOT_TEST_PG_URL")
    if not pg:
        raise SystemExit("NEWSBOT_TEST_PG_URL is not set: run with --backend sqlite")
    name = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(pg, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(pg).set(database=name).render_as_string(False), name


async def _drop(name: str | None) -> None:
    pg = os.environ.get("NEWSBOT_TEST_PG_URL")
    if name and pg:
        admin = create_async_engine(pg, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def scenario(args: argparse.Namespace, instances: int, throttled_share: float) -> str:
    """Run one scenario; its printed line."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url, name = await _database(args.backend, workdir, f"i{instances}")
        await _prepare(url, args.chats)
        every = int(1 / throttled_share) if throttled_share else 0
        throttled = set(range(1, args.chats + 1, every)) if every else set()
        api = CappedApi(args.cap, args.latency_ms / 1000, throttled)
        server = api.serve()
        api_url = f"http://127.0.0.1:{server.server_address[1]}/bot"
        procs = [_start(api_url, url, workdir, f"bot{n}") for n in range(instances)]
        await asyncio.sleep(4)  # the processes start up and elect the sender
        start = time.monotonic()
        await _add_article(url)
        deadline = start + args.chats / args.cap * 3 + 120
        while time.monotonic() < deadline:
            rows, settled, unknown = await _outbox(url)
            if rows == args.chats and settled == rows:
                break
            await asyncio.sleep(1)
        peak = max(_peak_rss_mib(p.pid) for p in procs)
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
        server.shutdown()
        await _drop(name)
    counts = Counter(chat for chat, _ in api.accepted)
    lost = args.chats - len(counts)
    duplicates = sum(n - 1 for n in counts.values())
    last = api.accepted[-1][1] if api.accepted else start
    rate = len(api.accepted) / (last - start) if last > start else 0.0
    return (
        f"| {instances} | {throttled_share:.0%} | {rate:.2f} msg/s = {rate / args.cap:.1%} "
        f"| {lost} | {duplicates - unknown} | {unknown} | {api.rejected} | {api.injected} "
        f"| {peak:.0f} MiB |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--cap", type=int, default=30)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument(
        "--scenarios",
        default="plain,throttled,peer",
        help="which of plain (N instances), throttled (N, 1 %% of chats 429) and peer (one "
        "instance) to run, comma-separated",
    )
    args = parser.parse_args()
    print(
        f"{args.chats} chats, {args.backend}, one cap of {args.cap} msg/s for the whole bot, "
        f"{args.latency_ms:.0f} ms latency"
    )
    print(
        "| instances | chats with a 429 | achieved (share of the cap) | lost "
        "| duplicates | resends after unknown outcome | 429s from the cap | 429s injected "
        "| peak RSS per process |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    runs = {"plain": (args.instances, 0.0), "throttled": (args.instances, 0.01), "peer": (1, 0.0)}
    for name in args.scenarios.split(","):
        instances, share = runs[name.strip()]
        print(await scenario(args, instances, share), flush=True)


if __name__ == "__main__":
    asyncio.run(main())

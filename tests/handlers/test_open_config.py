"""The default open configuration (issue 18, item 6): with no ADMIN_USER_IDS nobody writes to
the shared corpus or the feed list, not even a group's administrators (a stranger who creates
a group administers it); reads stay open; `run` warns at start when the bot is open."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot import offline
from bot.app import build_application
from bot.settings import Settings
from tests.support.app import Harness, MakeHarness
from tests.support.samples import FEEDLY
from tests.support.web import LocalWeb

STRANGER = 666
STRANGERS_GROUP = {"chat_id": -100666, "chat_type": "supergroup", "user_id": STRANGER}


def _says_how_to_configure_admins(reply: str) -> bool:
    return f"ADMIN_USER_IDS={STRANGER}" in reply and "\n" not in reply


async def _opml(h: Harness, **chat: Any) -> list[str]:
    h.request.downloads["opml1"] = FEEDLY
    await h.send(offline.document_update("opml1", "f.opml", len(FEEDLY), **chat))
    return h.texts()


async def test_without_team_admins_a_groups_administrator_changes_nothing_shared(
    make_harness: MakeHarness, site: LocalWeb
) -> None:
    h = await make_harness(allow_private_hosts=True)
    h.request.admins.add(STRANGER)  # the stranger created the group: Telegram says admin
    await h.services.feeds.add(f"{site.base}/feed.xml")
    for command in (f"/add {site.base}/grain", f"/feed add {site.base}/feed.xml", "/feed remove 1"):
        for chat in (STRANGERS_GROUP, {"user_id": STRANGER, "chat_id": STRANGER}):
            [reply] = await h.text(command, **chat)
            assert _says_how_to_configure_admins(reply), (command, chat, reply)
    for chat in (STRANGERS_GROUP, {"user_id": STRANGER, "chat_id": STRANGER}):
        [reply] = await _opml(h, **chat)
        assert _says_how_to_configure_admins(reply), (chat, reply)
    assert not any(c.method in ("getChatMember", "getFile") for c in h.request.calls)
    assert site.requests == [], "nothing was fetched"
    assert [f.id for f in await h.services.feeds.all()] == [1]
    assert await h.services.articles.count() == 5


async def test_without_team_admins_reads_stay_open(make_harness: MakeHarness) -> None:
    h = await make_harness()
    await h.services.feeds.add("https://one.example/rss")
    [listing] = await h.text("/feeds", **STRANGERS_GROUP)
    assert "#1 https://one.example/rss" in listing
    await h.send(offline.message_update("/export", **STRANGERS_GROUP))
    assert [c.method for c in h.request.calls] == ["sendDocument"]
    [reply] = await h.text("/search Bayramov ECO", user_id=STRANGER, chat_id=STRANGER)
    assert "Bayramov" in reply


async def _start_warnings(tmp_path: Path, caplog: pytest.LogCaptureFixture, **env: Any) -> str:
    """The warnings `run` logs while the application starts with these settings."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token="123456:token",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/team.db",
        **env,
    )
    app = build_application(settings, request=offline.RecordingRequest(), schedule_jobs=False)
    caplog.set_level(logging.INFO, logger="bot.app")
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    await app.post_shutdown(app)
    await app.shutdown()
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


async def test_run_warns_at_start_when_the_bot_is_open_to_everyone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    warnings = await _start_warnings(tmp_path, caplog)
    assert "open to everyone" in warnings and "ADMIN_USER_IDS is empty" in warnings


async def test_a_team_with_an_allow_list_and_admins_starts_without_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    warnings = await _start_warnings(tmp_path, caplog, allowed_user_ids="1001", admin_user_ids="9")
    assert warnings == ""

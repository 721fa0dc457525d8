"""Settings as a team writes them: comma-separated ids in the environment or .env."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings
from services.access import Access


def test_id_lists_are_comma_separated_and_reach_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("ADMIN_USER_IDS=9\nALLOWED_CHAT_IDS=\n")
    monkeypatch.setenv("ALLOWED_USER_IDS", " 1001, 1002 ,")
    assert Settings().access() == Access(
        allowed_users=frozenset({1001, 1002}), allowed_chats=frozenset(), admins=frozenset({9})
    )
    monkeypatch.delenv("ALLOWED_USER_IDS")
    assert Settings(_env_file=None).access().is_open is True  # type: ignore[call-arg]


def test_an_id_that_is_not_a_number_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADMIN_USER_IDS", "1001, @alice")
    assert main(["latest"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: bad setting: ADMIN_USER_IDS") and "\n" not in err

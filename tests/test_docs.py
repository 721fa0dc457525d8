"""Docs stay honest: every registered command is in /help and in the README."""

from __future__ import annotations

from pathlib import Path

from telegram.ext import CommandHandler

from bot.app import build_application
from bot.settings import Settings
from handlers.commands import COMMANDS, help_text

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _registered() -> set[str]:
    app = build_application(Settings(_env_file=None), rate_limit=False)  # type: ignore[call-arg]
    names: set[str] = set()
    for group in app.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                names |= set(handler.commands)
    return names


def test_every_registered_command_is_in_help_and_the_command_list() -> None:
    registered = _registered()
    assert registered == {c.name for c in COMMANDS}
    text = help_text("newsbot")
    for name in registered:
        assert f"/{name}" in text


def test_every_registered_command_is_in_the_readme() -> None:
    for name in _registered():
        assert f"/{name}" in README, name


def test_every_setting_is_in_the_readme() -> None:
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in README, name


def test_every_cli_command_is_in_the_readme() -> None:
    for command in ("search", "latest", "summary", "ingest", "run", "console", "feeds"):
        assert f"python -m bot {command}" in README, command

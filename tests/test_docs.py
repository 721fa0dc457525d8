"""Docs stay honest: every registered command is in /help and in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

from telegram.ext import CommandHandler

from bot.app import build_application
from bot.cli import build_parser
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


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """A parser's subcommands by name, read from its subparsers action."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {name: sub for action in actions for name, sub in action.choices.items()}


def test_every_cli_command_is_in_the_readme() -> None:
    commands = _subcommands(build_parser())
    assert commands, "the CLI has subcommands"
    lines = [line for line in README.splitlines() if line.startswith("python -m bot ")]
    for name, sub in commands.items():
        documented = [ln for ln in lines if ln.split()[3] == name]
        assert len(documented) == 1, f"python -m bot {name} is not in the README's command list"
        for action in _subcommands(sub):  # feeds add | list | remove | poll
            assert action in documented[0].split(), f"python -m bot {name} {action}"

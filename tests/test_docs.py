"""Docs stay honest: every registered command is in /help and in the README, the README's
command block names every CLI subcommand, the generated reference pages are what the code
generates, the README stays a front door, and no relative link leads nowhere."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot import reference
from bot.app import build_application
from bot.cli import build_parser
from bot.settings import Settings
from handlers.commands import COMMANDS, help_text

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_LIMIT = 10 * 1024  # bytes: a front door, not the manual
DOCUMENTS = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").rglob("*.md")])
# [text](target) and [text](target "title"); images too. Reference-style links are not used.
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


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


def test_every_setting_is_in_the_configuration_page() -> None:
    page = (ROOT / reference.CONFIGURATION).read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in page, name


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


@pytest.mark.parametrize("page", sorted(reference.pages()), ids=str)
def test_generated_reference_pages_are_up_to_date(page: Path) -> None:
    generated = reference.pages()[page]
    on_disk = (ROOT / page).read_text(encoding="utf-8")
    assert on_disk == generated, f"{page} is stale: run python -m bot.reference"


def test_every_cli_subcommand_has_a_section_in_the_cli_page() -> None:
    page = reference.cli_page()
    for name, sub in _subcommands(build_parser()).items():
        assert f"# `python -m bot {name}`" in page, name
        for action in _subcommands(sub):
            assert f"# `python -m bot {name} {action}`" in page, f"{name} {action}"


def test_the_readme_is_a_front_door() -> None:
    size = len(README.encode("utf-8"))
    assert size < README_LIMIT, f"README.md is {size} bytes; move detail to docs/"


def _relative_links(text: str) -> list[str]:
    """Link targets inside this repository: files, and anchors (no web or mail addresses)."""
    targets = [m.group(1) for m in LINK.finditer(text)]
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces
    as hyphens (the headings here are plain enough for that rule)."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_the_link_finder_finds_relative_links_and_anchors() -> None:
    text = "[a](docs/x.md) [b](https://e.org) [c](#top) [d](../y.md#part) ![e](img.png)"
    assert _relative_links(text) == ["docs/x.md", "#top", "../y.md#part", "img.png"]
    assert _anchors("# Top\n## Where to add X\n### `python -m bot feeds`") == {
        "top",
        "where-to-add-x",
        "python--m-bot-feeds",
    }


def _broken(document: Path) -> list[str]:
    """The relative links of a document whose file, or heading, is not there."""
    broken = []
    for target in _relative_links(document.read_text(encoding="utf-8")):
        name, _, anchor = target.partition("#")
        path = (document.parent / name).resolve() if name else document
        missing_heading = (
            anchor
            and path.suffix == ".md"
            and path.is_file()
            and anchor not in _anchors(path.read_text(encoding="utf-8"))
        )
        if not path.exists() or missing_heading:
            broken.append(target)
    return broken


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(document: Path) -> None:
    broken = _broken(document)
    assert broken == [], f"{document.relative_to(ROOT)} links to what is not there: {broken}"

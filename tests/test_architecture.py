"""Keeps the layering honest: engine imports neither telegram nor sqlalchemy, and so on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# bot -> handlers -> services -> delivery/ingest -> storage -> engine (any layer may use engine;
# i18n is used by handlers and services). Only handlers/ and bot/ import telegram; only
# storage/ imports sqlalchemy; only ingest/ does HTTP for content; the CLI never imports
# handlers. package -> top-level modules it must never import
HTTP = {"httpx", "httpcore", "feedparser", "requests", "aiohttp"}
HTML = {"trafilatura", "lxml", "lxml_html_clean", "bs4"}
DB = {"sqlalchemy", "alembic"}
FORBIDDEN = {
    "engine": {"telegram", "storage", "ingest", "services", "delivery", "i18n", "handlers", "bot"}
    | DB
    | HTTP,
    "storage": {"telegram", "ingest", "services", "delivery", "i18n", "handlers", "bot"}
    | HTTP
    | HTML,
    "ingest": {"telegram", "services", "delivery", "i18n", "handlers", "bot"} | DB,
    "delivery": {"telegram", "ingest", "services", "i18n", "handlers", "bot"} | DB | HTTP,
    "services": {"telegram", "handlers", "bot"} | DB | HTTP,
    "i18n": {"telegram", "storage", "ingest", "services", "delivery", "handlers", "bot"}
    | DB
    | HTTP,
    "handlers": {"bot"} | DB | HTTP,
    "bot": HTTP,
}
# Single modules with a narrower rule than their package's: the CLI is the services' other
# client, beside the chat, and never reaches into the Telegram side.
FORBIDDEN_MODULES = {
    "bot/cli.py": {"handlers", "telegram"},
    "bot/cli_output.py": {"handlers", "telegram"},
    "bot/feeds_cli.py": {"handlers", "telegram"},
    "bot/stories_cli.py": {"handlers", "telegram"},
}
# Single modules allowed one import their package's rule forbids, and why.
ALLOWED = {
    # The transport's exception types, to tell a send that never left from one that may
    # have arrived (isinstance, not class names); it makes no HTTP request of its own.
    "handlers/channel.py": {"httpx"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_the_right_way(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            _imports(path) & FORBIDDEN[package] - ALLOWED.get(str(path.relative_to(ROOT)), set())
        )
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("module", sorted(FORBIDDEN_MODULES))
def test_modules_with_narrower_rules(module: str) -> None:
    assert sorted(_imports(ROOT / module) & FORBIDDEN_MODULES[module]) == []


def test_nothing_reads_the_environment_at_import_time() -> None:
    for package in FORBIDDEN:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:  # statements that run on import (not bodies of defs)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    continue
                if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
                    continue
                text = ast.unparse(node)
                assert "os.environ" not in text and "getenv" not in text, path
                assert "basicConfig" not in text, path

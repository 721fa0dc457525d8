"""Keeps the layering honest: engine imports neither telegram nor sqlalchemy, and so on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# bot -> handlers -> ingest -> storage -> engine (any layer may use engine); only ingest/ does
# HTTP for content. package -> top-level modules it must never import
HTTP = {"httpx", "httpcore", "feedparser", "requests", "aiohttp"}
FORBIDDEN = {
    "engine": {"telegram", "sqlalchemy", "alembic", "storage", "ingest", "handlers", "bot"} | HTTP,
    "storage": {"telegram", "ingest", "handlers", "bot"} | HTTP,
    "ingest": {"telegram", "sqlalchemy", "alembic", "handlers", "bot"},
    "handlers": {"sqlalchemy", "alembic", "bot"} | HTTP,
    "bot": HTTP,
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
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


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

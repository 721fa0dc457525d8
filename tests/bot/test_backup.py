"""export → import round trip, on SQLite and on PostgreSQL: the same corpus comes back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from engine.models import ParsedArticle
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

EXTRA = ParsedArticle(
    "Tariffs <cut> & “quotas” lifted",
    "Ministers agreed on Monday to lift the tariffs. Émigré traders welcomed it: “at last”.",
    url="https://news.example/tariffs",
    source="wire",
)


async def _corpus(url: str) -> list[tuple[object, ...]]:
    db_engine = make_db_engine(url)
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    rows = [(a.title, a.body, a.published, a.url, a.source) for a in await store.since(0, 10_000)]
    await db_engine.dispose()
    return rows


async def _add(url: str) -> None:
    db_engine = make_db_engine(url)
    await migrate(db_engine)
    await ArticleStore(make_sessionmaker(db_engine)).add([EXTRA])
    await db_engine.dispose()


def test_export_then_import_moves_the_corpus(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    source = sqlite_url(tmp_path / "source.db")
    monkeypatch.setenv("DATABASE_URL", source)
    assert main(["latest", "1"]) == 0  # first use: the seeds go in
    asyncio.run(_add(source))
    backup = tmp_path / "backups" / "corpus.jsonl"
    assert main(["export", "--out", str(backup)]) == 0
    assert "exported 6 articles" in capsys.readouterr().err
    assert len(backup.read_text(encoding="utf-8").splitlines()) == 6
    assert json.loads(backup.read_text(encoding="utf-8").splitlines()[-1])["url"] == EXTRA.url

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SEED", "false")
    assert main(["import", str(backup)]) == 0
    assert "added 6, duplicates skipped 0" in capsys.readouterr().out
    assert asyncio.run(_corpus(database_url)) == asyncio.run(_corpus(source))
    assert main(["import", str(backup)]) == 0
    assert "added 0, duplicates skipped 6" in capsys.readouterr().out


def test_export_to_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path / "x.db"))
    assert main(["export"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(json.loads(line)["body"] for line in lines)

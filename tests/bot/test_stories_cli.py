"""`python -m bot stories`, `story ID` and `export`: a script reads the grouping (the seeds'
two Khankendi reports are one story), a person reads a story's summary and its links, and a
store from before stories is grouped by `stories --regroup`, which says what it did."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import main
from engine.models import ParsedArticle
from storage.db import sqlite_url
from tests.support.samples import seed_id
from tests.support.stores import open_store
from tests.support.stories import IAN_1, IAN_2

REUTERS = ParsedArticle(*IAN_2, source="Reuters", url="https://example.com/reuters/ian")
TIMES = ParsedArticle(*IAN_1, source="Tampa Bay Times", url="https://example.com/tbt/ian")


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "SEED", "PAGE_SIZE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path / "cli.db"))
    return tmp_path


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


async def _add(url: str, *articles: ParsedArticle) -> None:
    services = await open_store(url)
    try:
        await services.articles.add(list(articles))
    finally:
        await services.close()


def test_stories_lists_the_khankendi_story_with_its_two_outlets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["stories", "--json", "10"]) == 0
    found = _lines(capsys)
    assert len(found) == 4  # five seeds, four stories
    [khankendi] = [s for s in found if s["size"] == 2]
    assert sorted(khankendi["articles"]) == [seed_id("000"), seed_id("001")]  # type: ignore[type-var]
    assert khankendi["outlets"] == ["000_e8ca3883b12e1de0.txt", "001_a1a30a5bc072d817.txt"]
    assert main(["stories"]) == 0
    assert "2 sources" in capsys.readouterr().out


def test_story_shows_every_source_with_its_link_newest_first_and_one_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_add(sqlite_url(tmp_path / "cli.db"), TIMES, REUTERS))
    assert main(["stories", "--json", "1"]) == 0
    [listed] = _lines(capsys)
    assert main(["story", "--json", str(listed["id"])]) == 0
    [story] = _lines(capsys)
    sources = story["sources"]
    assert isinstance(sources, list) and len(sources) == 2
    assert [s["url"] for s in sources] == [REUTERS.url, TIMES.url]  # added last: newest
    summary = story["summary"]
    assert isinstance(summary, list) and summary
    assert len(summary) == len(set(summary))
    assert main(["story", str(listed["id"])]) == 0
    shown = capsys.readouterr().out
    assert REUTERS.url in shown and TIMES.url in shown and "Tampa Bay Times" in shown


@pytest.mark.parametrize("wrong", ["99999", "0", "99999999999999999999999"])
def test_a_story_that_does_not_exist_is_one_line(
    wrong: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["story", wrong]) == 2
    assert capsys.readouterr().err.strip().startswith("error: No story with id")


def test_export_carries_each_articles_id_and_story_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 0
    records = _lines(capsys)
    by_id = {r["id"]: r["story_id"] for r in records}
    assert by_id[seed_id("000")] == by_id[seed_id("001")] is not None
    assert len(set(by_id.values())) == 4


async def _forget_stories(url: str) -> None:
    services = await open_store(url)
    try:
        async with services.articles.sessions() as session, session.begin():
            await session.execute(text("UPDATE articles SET story_id = NULL"))
            await session.execute(text("DELETE FROM story_keys"))
            await session.execute(text("DELETE FROM stories"))
    finally:
        await services.close()


def test_regroup_groups_a_store_from_before_stories_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_forget_stories(sqlite_url(tmp_path / "cli.db")))
    assert main(["stories", "--regroup"]) == 0
    assert capsys.readouterr().out.strip() == (
        "grouped 5 articles that had no story: 4 new stories; 4 stories in all"
    )
    assert main(["stories", "--regroup"]) == 0
    assert "grouped 0 articles" in capsys.readouterr().out

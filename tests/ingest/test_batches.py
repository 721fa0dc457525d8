"""A big file goes in as several short write transactions (a kill keeps what was committed,
and other writers get their turn), with summaries computed before the lock is taken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event

from ingest import pipeline
from storage.articles import ArticleStore


async def test_one_file_commits_in_batches(
    store: ArticleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wire = tmp_path / "wire.jsonl"
    records = [{"title": f"Story {n}", "body": f"Story {n} about the ferry."} for n in range(5)]
    wire.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    inserts: list[str] = []
    engine = store.sessions.kw["bind"].sync_engine

    def count(_c: object, _cur: object, sql: str, *_: object) -> None:
        if sql.startswith("INSERT INTO articles "):
            inserts.append(sql)

    event.listen(engine, "before_cursor_execute", count)
    monkeypatch.setattr(pipeline, "BATCH", 2)
    report = await pipeline.ingest_paths(store, [wire])
    assert len(report.added) == 5 and len(inserts) == 3  # 2 + 2 + 1, not one of 5
    article = await store.get(report.added[0])
    assert article.summary == ("Story 0 about the ferry.",)  # summarised before the insert


@pytest.mark.slow
def test_two_large_ingests_at_once_both_finish(tmp_path: Path) -> None:
    """Two `python -m bot ingest` of big files into one SQLite store at once: one used to die
    with "database is locked" (one file was one long write transaction); now each commits in
    short batches and both get their turns."""
    import os
    import subprocess
    import sys

    per_file = 3000  # six batches of 500 each
    paths = []
    for name in ("left", "right"):
        path = tmp_path / f"{name}.jsonl"
        lines = (
            json.dumps(
                {
                    "title": f"{name} story {n}",
                    # Words of its own (each article is its own story), and a shared tail.
                    "body": " ".join(f"{name}{n}w{k}" for k in range(120))
                    + " reported from the harbour.",
                }
            )
            for n in range(per_file)
        )
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    db = tmp_path / "team.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "SEED": "false"}
    root = Path(__file__).resolve().parents[2]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "ingest", str(path)],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in paths
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err[-2000:]
        assert out.startswith(f"added {per_file},"), out
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (2 * per_file,)


async def test_a_bulk_ingest_stores_what_the_bot_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -m bot ingest` prepares each next batch (summaries, story features) in a worker
    # process while the one before it is written; the store must end as the bot's own ingest
    # leaves it: the same articles, summaries, duplicates and stories.
    from engine.models import ParsedArticle
    from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

    summit = "Leaders of {} states met in Khankendi on Friday for the 17th ECO summit on trade."
    articles = [
        ParsedArticle("ECO summit opens in Khankendi", summit.format(10), source="One"),
        ParsedArticle("Ferry strike ends", "The ferry strike ended after talks. Boats sail again."),
        ParsedArticle("Khankendi hosts ECO summit", summit.format("ten"), source="Two"),
        ParsedArticle("Ferry strike ends", "The ferry strike ended after talks. Boats sail again."),
        ParsedArticle("Rain in Baku", "Heavy rain fell in Baku. Streets flooded near the port."),
    ]
    monkeypatch.setattr(pipeline, "BATCH", 2)
    ends = []
    for bulk in (False, True):
        db_engine = make_db_engine(sqlite_url(tmp_path / f"{bulk}.db"))
        await migrate(db_engine)
        store = ArticleStore(make_sessionmaker(db_engine))
        report = await pipeline.ingest_articles(store, articles, bulk=bulk)
        stored = await store.get_many(list(report.added))
        stories: dict[int | None, list[str]] = {}
        for article in stored:
            stories.setdefault(article.story_id, []).append(article.title)
        ends.append(
            (
                [(a.title, a.summary) for a in stored],
                report.duplicates,
                sorted(sorted(titles) for titles in stories.values()),
            )
        )
        await db_engine.dispose()
    assert ends[0] == ends[1]
    assert ends[1][1] == 1  # the repeated ferry report
    assert ["ECO summit opens in Khankendi", "Khankendi hosts ECO summit"] in ends[1][2]

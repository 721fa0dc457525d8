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

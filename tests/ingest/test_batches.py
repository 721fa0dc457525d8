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

"""`python -m bot summaries`: stored default summaries made with older rules are made again
with today's, the unchanged ones are left alone, and a second run changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from engine.summary import summarize
from storage.db import sqlite_url


def test_summaries_made_with_older_rules_are_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.db"
    monkeypatch.setenv("DATABASE_URL", sqlite_url(db))
    assert main(["latest", "1"]) == 0  # the five seeds go in, summarised as they are added
    with sqlite3.connect(db) as con:  # as an older release left them
        con.execute("UPDATE articles SET summary = 'An older rule chose this.' WHERE id <= 2")
        bodies = dict(con.execute("SELECT id, body FROM articles").fetchall())
    capsys.readouterr()

    assert main(["summaries", "--json"]) == 0
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert main(["summaries", "--json"]) == 0
    second = json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    assert first == {"articles": 5, "changed": 2} and second == {"articles": 5, "changed": 0}
    with sqlite3.connect(db) as con:
        stored = dict(con.execute("SELECT id, summary FROM articles").fetchall())
    assert stored[1] == "\n".join(summarize(bodies[1]).sentences)

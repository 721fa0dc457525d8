"""`python -m bot feeds import|export` with hostile files (issue 18, item 10): an unknown
encoding is one line, and a title with control characters still exports a list that imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.cli import main


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "ALLOW_PRIVATE_HOSTS", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SEED", "false")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/x.db")
    return tmp_path


def test_an_opml_file_in_an_unknown_encoding_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bogus.opml").write_bytes(
        b'<?xml version="1.0" encoding="bogus-8"?>\n'
        b'<opml version="2.0"><body><outline xmlUrl="https://a.example/rss"/></body></opml>'
    )
    assert main(["feeds", "import", "bogus.opml"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "error: That file is not a readable OPML feed list: it declares an unknown character "
        "encoding (unknown encoding: bogus-8)."
    ]
    assert "Traceback" not in captured.out + captured.err


def test_a_title_with_control_characters_exports_a_list_that_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "team.opml").write_text(
        '<opml version="2.0"><body>'
        '<outline title="Alarm&#x9;news" xmlUrl="https://a.example/rss"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    assert main(["feeds", "import", "team.opml"]) == 0
    with create_engine(f"sqlite:///{tmp_path}/x.db").begin() as db:  # a poll stored it so
        db.execute(text("UPDATE feeds SET title = :t"), {"t": "Alarm\x07\x1b[1mnews"})
    assert main(["feeds", "export", "--out", "out.opml"]) == 0
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/y.db")
    capsys.readouterr()
    assert main(["feeds", "import", "out.opml"]) == 0
    assert "1 added, 0 already there, 0 invalid" in capsys.readouterr().out

"""`python -m bot feeds import|export`: OPML in and out; the round trip into an empty store
gives the same feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.support.samples import FEEDLY, OLDSTYLE


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "SEED", "ALLOW_PRIVATE_HOSTS", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SEED", "false")
    return tmp_path


def _use(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")


def test_export_then_import_into_an_empty_store_gives_the_same_feeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "feedly.opml").write_bytes(FEEDLY)
    (tmp_path / "old.opml").write_bytes(OLDSTYLE)
    _use(monkeypatch, tmp_path / "first.db")
    assert main(["feeds", "import", "feedly.opml"]) == 0
    assert main(["feeds", "import", "old.opml"]) == 0
    out = capsys.readouterr().out
    assert "OPML import: 3 added, 0 already there, 0 invalid." in out
    assert "OPML import: 2 added, 0 already there, 2 invalid." in out
    assert main(["feeds", "export", "--out", "out/feeds.opml"]) == 0
    assert main(["feeds", "export"]) == 0  # standard output by default
    exported = (tmp_path / "out" / "feeds.opml").read_bytes()
    assert capsys.readouterr().out.encode() == exported
    assert main(["feeds", "list"]) == 0
    first = capsys.readouterr().out

    _use(monkeypatch, tmp_path / "second.db")
    assert main(["feeds", "import", "out/feeds.opml"]) == 0
    assert "5 added, 0 already there, 0 invalid" in capsys.readouterr().out
    assert main(["feeds", "export", "--out", "again.opml"]) == 0
    assert (tmp_path / "again.opml").read_bytes() == exported  # titles and addresses alike
    assert main(["feeds", "list"]) == 0
    assert capsys.readouterr().out == first and first.count("(new)") == 5


def test_import_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, tmp_path / "x.db")
    (tmp_path / "page.opml").write_text("<html/>", encoding="utf-8")
    assert main(["feeds", "import", "missing.opml"]) == 2
    assert main(["feeds", "import", "page.opml"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: cannot read missing.opml: No such file or directory",
        "error: That file is not a readable OPML feed list: its root element is not <opml>.",
    ]

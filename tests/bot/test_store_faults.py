"""A store the bot cannot write: a disk that fills up during an ingest gets one line (never a
traceback with article text) and keeps what was saved, and a read-only file is refused when
the bot starts instead of by every later write."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import offline
from bot.app import build_application
from bot.cli import main
from bot.settings import Settings
from storage.db import StoreReadOnly

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 1200
FILE_SIZE_LIMIT = 2_000_000  # bytes a process may write to one file: the disk fills after a batch


def _write_articles(folder: Path) -> None:
    folder.mkdir()
    for n in range(ARTICLES):
        body = " ".join(f"Harbour{n} report sentence {k} about the ferry line." for k in range(12))
        (folder / f"{n:03}.txt").write_text(f"Ferry story number {n}\n\n{body}\n")


def _ingest(db: Path, folder: Path, limit: int | None) -> subprocess.CompletedProcess[str]:
    def with_small_disk() -> None:
        if limit is not None:  # a write past the limit fails (EFBIG) instead of killing us
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "SEED": "false"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(folder)],
        cwd=ROOT,
        env=env,
        preexec_fn=with_small_disk,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count: int = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return count


def test_a_disk_that_fills_during_an_ingest_gets_one_line_and_loses_nothing(
    tmp_path: Path,
) -> None:
    folder, db = tmp_path / "news", tmp_path / "team.db"
    _write_articles(folder)
    full = _ingest(db, folder, FILE_SIZE_LIMIT)
    assert full.returncode == 2, full.stderr[-2000:]
    errors = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: the database refused a write (disk I/O error); what was saved before is kept"
    ], full.stderr[-2000:]
    assert "Traceback" not in full.stderr and "ferry line" not in full.stderr
    kept = _stored(db)
    assert 0 < kept < ARTICLES, "batches committed before the disk filled are kept"
    again = _ingest(db, folder, None)  # space again: the same command adds the rest
    assert again.returncode == 0, again.stderr[-2000:]
    assert _stored(db) == ARTICLES


@pytest.fixture
def read_only_store(tmp_path: Path) -> Iterator[Path]:
    """A store the bot may read but not write. Root writes through file modes, so the file is
    made immutable there (chattr +i); others get mode 0444."""
    db = tmp_path / "team.db"
    assert main(["latest"]) == 0  # creates and seeds it
    if os.geteuid() != 0:
        db.chmod(0o444)
        yield db
        db.chmod(0o644)
        return
    if shutil.which("chattr") is None:
        pytest.skip("root writes any file, and chattr (e2fsprogs) is not installed")
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True, check=False).returncode:
        pytest.skip(f"this file system cannot make {db} immutable (chattr +i)")
    try:
        yield db
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "SEED", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'team.db'}")


async def test_the_bot_refuses_to_start_on_a_read_only_store(read_only_store: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token="123:abc", database_url=f"sqlite+aiosqlite:///{read_only_store}"
    )
    app = build_application(settings, request=offline.RecordingRequest(), schedule_jobs=False)
    await app.initialize()
    try:
        assert app.post_init is not None
        with pytest.raises(StoreReadOnly, match="can be read but not written"):
            await app.post_init(app)
    finally:
        await app.shutdown()


def test_commands_that_write_refuse_a_read_only_store_and_reading_ones_work(
    read_only_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "one.txt").write_text("A headline\n\nA body about a ferry line. " * 5)
    capsys.readouterr()
    assert main(["ingest", str(tmp_path / "one.txt")]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: the database can be read but not written (")
    assert main(["search", "Khankendi"]) == 0
    assert "Khankendi" in capsys.readouterr().out

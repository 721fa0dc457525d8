"""`python -m bot search|latest|summary --json`: what a script reads (one JSON object per
result, the same fields everywhere), and `search --json -`: a query a line in, a JSON line a
query out, in order, from one process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"id", "title", "url", "source", "date", "added"}


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "SEED", "LOG_LEVEL", "PAGE_SIZE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return tmp_path


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_search_prints_one_object_per_result_in_rank_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["search", "--json", "--limit", "3", "Bayramov", "ECO"]) == 0
    results = _lines(capsys)
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    assert results and all(FIELDS | {"rank", "snippet", "marks"} <= r.keys() for r in results)
    first = results[0]
    assert first["id"] == 3 and isinstance(first["snippet"], str)
    marks = first["marks"]
    assert isinstance(marks, list) and marks
    start, end = marks[0]
    assert first["snippet"][start:end].lower() in {"bayramov", "eco"}


def test_latest_and_summary_share_the_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["latest", "--json", "2"]) == 0
    latest = _lines(capsys)
    assert len(latest) == 2 and all(FIELDS | {"rank"} <= r.keys() for r in latest)
    assert main(["summary", "--json", str(latest[0]["id"]), "2"]) == 0
    [summary] = _lines(capsys)
    assert summary.keys() >= FIELDS and summary["id"] == latest[0]["id"]
    assert isinstance(summary["summary"], list) and len(summary["summary"]) == 2


def test_no_match_is_no_lines_and_a_failing_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--json", "zzzzqqq"]) == 1
    assert capsys.readouterr().out == ""


def test_queries_from_standard_input_answer_one_line_each_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = ["Bayramov", "zzzzqqq", "", "khankendy summit", "x" * 5000]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(queries) + "\n"))
    assert main(["search", "--json", "--limit", "2", "-"]) == 0
    answers = _lines(capsys)
    assert [a["query"] for a in answers] == queries
    assert answers[0]["results"] and answers[1]["results"] == []
    assert "error" in answers[2] and "error" in answers[4]  # empty, too long: a line, no stop
    assert answers[3]["results"]


def test_a_script_reads_json_from_the_real_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "search", "--json", "-"],
        input="Bayramov\nsummit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["query"] for a in answers] == ["Bayramov", "summit"]

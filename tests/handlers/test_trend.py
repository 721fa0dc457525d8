"""/trend through the real Application (sendPhoto recorded) and `python -m bot trend`: the PNG
decodes, has the chart's size, differs for different words; nothing found is one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main
from services.charts import HEIGHT_PX, WIDTH_PX
from storage.clock import utcnow
from tests.support.app import MakeHarness
from tests.support.samples import CORPUS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _decoded(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


async def test_a_chart_of_mentions_is_sent_as_a_photo(make_harness: MakeHarness) -> None:
    h = await make_harness()
    await h.services.articles.add(CORPUS)
    tramway, caption = await h.photo("/trend tramway")
    assert caption.startswith("Articles mentioning “tramway” per day, last 30 days (")
    assert caption.endswith("): 4 in total")
    image = _decoded(tramway)
    assert image.size == (WIDTH_PX, HEIGHT_PX) and image.format == "PNG"
    apricot, caption = await h.photo("/trend apricot", chat_id=-100123, chat_type="supergroup")
    assert caption.endswith(": 1 in total") and _decoded(apricot).size == image.size
    assert apricot != tramway, "different words draw different charts"


async def test_typos_and_a_period_in_days(make_harness: MakeHarness) -> None:
    h = await make_harness()
    await h.services.articles.add(CORPUS)
    _, caption = await h.photo("/trend tramwya timetalbe 90")
    assert caption.startswith("Articles mentioning “tramway timetable” per week, last 90 days (")
    assert caption.endswith(": 4 in total")


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("/trend zzyzx", "No article of the last 30 days mentions “zzyzx”."),
        ("/trend <b>zzyzx</b> 7", "No article of the last 7 days mentions “b zzyzx”."),
        ("/trend", "Usage: /trend WORDS [days] (days from 1 to 730, default 30)"),
        ("/trend tramway 0", "Usage: /trend WORDS [days] (days from 1 to 730, default 30)"),
        ("/trend tramway 9999", "Usage: /trend WORDS [days] (days from 1 to 730, default 30)"),
    ],
)
async def test_nothing_to_draw_is_one_line(
    make_harness: MakeHarness, command: str, reply: str
) -> None:
    h = await make_harness()
    await h.services.articles.add(CORPUS)
    assert await h.text(command) == [reply]
    assert h.request.sent("sendPhoto") == []


def test_the_cli_writes_the_same_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SEED", "false")
    today = utcnow().date()
    lines = [
        {"title": a.title, "body": a.body, "date": (a.published or today).isoformat()}
        for a in CORPUS
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(map(json.dumps, lines)), encoding="utf-8")
    assert main(["import", "c.jsonl"]) == 0
    assert main(["trend", "tramway", "--out", "tramway.png"]) == 0
    assert main(["trend", "apricot", "--days", "7", "--out", "apricot.png"]) == 0
    assert main(["trend", "zzyzx", "--out", "none.png"]) == 1
    out = capsys.readouterr().out
    assert "No article of the last 30 days mentions “zzyzx”." in out
    assert not (tmp_path / "none.png").exists()
    tramway, apricot = (
        (tmp_path / "tramway.png").read_bytes(),
        (tmp_path / "apricot.png").read_bytes(),
    )
    assert _decoded(tramway).size == _decoded(apricot).size == (WIDTH_PX, HEIGHT_PX)
    assert tramway != apricot


def test_matplotlib_is_imported_only_when_a_chart_is_drawn() -> None:
    import subprocess
    import sys

    probe = "import sys, bot.app, bot.cli, services.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr

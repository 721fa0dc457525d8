"""The offline console, as someone without a token would use it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _console(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/c.db"}
    env.pop("BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )


def test_console_answers_commands_buttons_and_inline_queries(tmp_path: Path) -> None:
    script = "/search Khankendy summit\n!1\n@Bayramov\n/summary 999\n\n"
    result = _console(script, tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Showing results for: khankendi summit" in out
    assert "[!1 📄 1]" in out  # buttons are listed and can be pressed
    assert "17th summit of the Economic Cooperation Organization" in out  # the pressed summary
    assert "• Jeyhun Bayramov met with the Secretary General" in out  # an inline result
    assert "No article with id 999." in out
    assert "Traceback" not in out + result.stderr


def test_console_shows_highlights_keeps_going_and_explains(tmp_path: Path) -> None:
    script = "/search Khankendy summit\n\n!99\n/subscribe\nquit\n/latest 1\n"
    result = _console(script, tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "[summit]" in out  # the matched word, bold in a chat, is marked on a pipe
    assert re.search(r"There is no button 99: the buttons are !1, !2(, !\w+)*\.", out)
    assert "Results for “!99”" not in out
    assert "🔔 Subscribed" in out and "nothing is delivered in this console" in out
    assert "Latest articles" not in out  # `quit` quit; the line after it was not read
    assert "Traceback" not in out + result.stderr


def test_console_renders_bold_for_a_terminal_or_a_pipe() -> None:
    from bot.console import terminal_text

    html = "<b>Title</b> &amp; <i>note</i> &lt;b&gt;"
    assert terminal_text(html, tty=True) == "\x1b[1mTitle\x1b[0m & note <b>"
    assert terminal_text(html, tty=False) == "[Title] & note <b>"


def test_console_saves_charts_and_files_and_prints_links(tmp_path: Path) -> None:
    (tmp_path / "feeds.opml").write_text(
        '<opml version="2.0"><body><outline xmlUrl="https://a.example/rss" text="A"/></body>'
        "</opml>",
        encoding="utf-8",
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/c.db"}
    env.pop("BOT_TOKEN", None)
    subprocess.run(
        [sys.executable, "-m", "bot", "feeds", "import", "feeds.opml"],
        cwd=tmp_path, env=env, capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    wire = tmp_path / "wire.jsonl"
    wire.write_text(
        '{"title": "Ferry news", "body": "The Caspian ferry sails.", "url": "https://x.example/f"}\n',
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(wire)],
        cwd=tmp_path, env=env, capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    result = _console("/trend caspian\n/export\n/search caspian ferry\n", tmp_path)
    out = result.stdout
    chart, opml = (
        tmp_path / "console-files" / "trend.png",
        tmp_path / "console-files" / "newsbot-feeds.opml",
    )
    assert chart.read_bytes().startswith(b"\x89PNG") and opml.read_bytes().startswith(b"<?xml")
    assert f"(saved {chart} · {chart.stat().st_size:,} bytes)" in out
    assert f"(saved {opml} · {opml.stat().st_size:,} bytes)" in out
    assert "[Ferry news] <https://x.example/f>" in out  # the title's link, with its address
    assert "Traceback" not in out + result.stderr


def test_console_keeps_its_own_store_and_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/subscribe ECO\n/subscribe ECO to @mychannel\n",
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60,
    )  # fmt: skip
    out = result.stdout
    store = tmp_path / "newsbot-console.db"
    assert f"(store: {store};" in out and store.exists()
    assert not (tmp_path / "newsbot.db").exists()  # the running bot's store is untouched
    assert "I can't reach @mychannel" in out  # the stand-in API knows no such channel
    assert "Traceback" not in out + result.stderr


def test_console_prints_a_links_address_after_its_text() -> None:
    from bot.console import terminal_text

    text = '<b><a href="https://x.example/a?b=1&amp;c=2">Ferry &lt;news&gt;</a></b> · via <a href="https://y.example">Y</a>'
    assert terminal_text(text, tty=False) == (
        "[Ferry <news>] <https://x.example/a?b=1&c=2> · via Y <https://y.example>"
    )

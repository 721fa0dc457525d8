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
    assert re.search(r"There is no button 99: the buttons are !1 to !\d+\.", out)
    assert "Results for “!99”" not in out
    assert "🔔 Subscribed" in out and "nothing is delivered in this console" in out
    assert "Latest articles" not in out  # `quit` quit; the line after it was not read
    assert "Traceback" not in out + result.stderr


def test_console_renders_bold_for_a_terminal_or_a_pipe() -> None:
    from bot.console import terminal_text

    html = "<b>Title</b> &amp; <i>note</i> &lt;b&gt;"
    assert terminal_text(html, tty=True) == "\x1b[1mTitle\x1b[0m & note <b>"
    assert terminal_text(html, tty=False) == "[Title] & note <b>"

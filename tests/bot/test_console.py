"""The offline console, as someone without a token would use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_console_answers_commands_buttons_and_inline_queries(tmp_path: Path) -> None:
    script = "/search Khankendy summit\n!1\n@Bayramov\n/summary 999\n\n"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/c.db"}
    env.pop("BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Showing results for: khankendi summit" in out
    assert "[!1 📄 1]" in out  # buttons are listed and can be pressed
    assert "17th summit of the Economic Cooperation Organization" in out  # the pressed summary
    assert "• Jeyhun Bayramov met with the Secretary General" in out  # an inline result
    assert "No article with id 999." in out
    assert "Traceback" not in out + result.stderr

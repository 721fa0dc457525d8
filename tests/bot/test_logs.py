import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logs import REDACTED, RedactToken

TOKEN = "123456:AAE-secret-token"


def _record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("x", logging.ERROR, __file__, 1, msg, args, exc_info)


@pytest.mark.parametrize(
    "record",
    [
        _record("GET https://api.telegram.org/bot%s/getMe", TOKEN),
        _record("failed", exc=RuntimeError(f"https://api.telegram.org/bot{TOKEN}/sendMessage")),
    ],
)
def test_the_token_is_scrubbed_from_messages_and_tracebacks(record: logging.LogRecord) -> None:
    RedactToken(TOKEN).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted and REDACTED in formatted


def test_run_without_a_token_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.app import run
    from bot.settings import Settings

    assert run(Settings(_env_file=None, bot_token=None)) == 2  # type: ignore[call-arg]
    out = capsys.readouterr().out
    assert "BOT_TOKEN is not set" in out and "console" in out


def test_run_against_an_unreachable_api_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pydantic import SecretStr

    from bot.app import run
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=SecretStr(TOKEN),
        bot_api_url="http://127.0.0.1:9/bot",
        database_url="sqlite+aiosqlite:///:memory:",
    )
    assert run(settings) == 2
    out = capsys.readouterr().out
    assert out.startswith("error: cannot reach the Bot API (http://127.0.0.1:9/bot)")
    assert TOKEN not in out


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_an_unreachable_bot_api_is_one_line_not_tracebacks(tmp_path: Path, level: str) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "BOT_TOKEN": "123:not-checked",
        "BOT_API_URL": f"http://127.0.0.1:{port}/bot",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "LOG_LEVEL": level,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stdout.strip().startswith("error: cannot reach the Bot API")
    if level == "INFO":
        assert "Traceback" not in done.stderr, done.stderr
    else:
        assert "Traceback" in done.stderr, "the details stay available at DEBUG"

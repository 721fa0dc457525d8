"""`python -m bot run` in a child process, as an operator starts it, with its output in a log
file; waiting on events in that log, not on a clock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class RunningBot:
    """A bot started in `workdir` (by the e2e `bot_process` fixture): its SQLite file and log."""

    workdir: Path

    @property
    def log(self) -> Path:
        return self.workdir / "bot.log"

    @property
    def db(self) -> Path:
        return self.workdir / "e2e.db"


def start_bot(workdir: Path, name: str = "bot", **env: str) -> subprocess.Popen[bytes]:
    """`python -m bot run` in `workdir` with these environment variables added to this
    process's; its output is appended to `workdir/<name>.log`."""
    with open(workdir / f"{name}.log", "ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=workdir,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_until_started(proc: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    """Until the bot logs "Application started" (it polls or serves its webhook by then)."""
    deadline = time.monotonic() + timeout
    while "Application started" not in log.read_text():
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)


def stop_bots(processes: list[subprocess.Popen[bytes]]) -> None:
    """Terminate (SIGTERM, a clean shutdown) and wait for each."""
    for proc in processes:
        if proc.poll() is None:
            proc.terminate()
    for proc in processes:
        proc.wait(20)

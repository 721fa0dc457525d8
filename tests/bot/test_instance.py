"""Which lease holders are this process's dead predecessors (taken over at once after a
crash and a restart) and which keep the lease rules (another host, a process still running,
a sibling instance of this process)."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.instance import dead_predecessors, instance_name, is_dead_predecessor


def _as(name: str, pid: int | str, tag: str = "abc123") -> str:
    host, namespace, _pid, _tag = name.split(":")
    return f"{host}:{namespace}:{pid}:{tag}"


def test_a_gone_process_of_this_host_is_a_dead_predecessor() -> None:
    me = instance_name()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    assert is_dead_predecessor(_as(me, gone), me)
    assert is_dead_predecessor(_as(me, os.getpid(), "0ld0ld"), me)  # a restarted container


def test_live_processes_other_hosts_and_siblings_keep_the_lease_rules() -> None:
    me, sibling = instance_name(), instance_name()
    parent = _as(me, os.getppid())
    other_host = "elsewhere:" + ":".join(_as(me, 999_999_999).split(":")[1:])
    other_namespace = _as(me, 999_999_999).replace(me.split(":")[1], "1", 1)
    holders = {me, sibling, parent, other_host, other_namespace, "first", "old-host:1234:ab12cd"}
    assert dead_predecessors(holders, me) == set()

"""Who this process is in claims and job leases, and which holders are its own dead
predecessors: after a crash and an immediate restart, the new process takes over what the
dead one held at once, instead of waiting for its leases to expire (about a minute).

A name is `host:pid-namespace:pid:tag`. A holder is a dead predecessor when it ran on this
host, in this PID namespace (so the same container, or the same machine), and its process is
gone: no process has its pid, or its pid is ours (a restarted container gets pid 1 again) and
this process never gave out that name. Anything else, another host or a process that may
still run, keeps the lease rules: its leases expire when it stops renewing them.
"""

from __future__ import annotations

import os
import secrets
import socket
from functools import cache


@cache
def _namespace() -> str:
    """This process's PID namespace ("" where it cannot be read: no takeover then)."""
    try:
        return os.readlink("/proc/self/ns/pid").removeprefix("pid:[").rstrip("]")
    except OSError:
        return ""


def _host() -> str:
    return socket.gethostname()[:24]


_issued: set[str] = set()  # the names this process gave out (tests run several instances)


def instance_name() -> str:
    """A new name for this process: host, PID namespace, pid and a random tag (unique)."""
    name = f"{_host()}:{_namespace()}:{os.getpid()}:{secrets.token_hex(3)}"
    _issued.add(name)
    return name


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def is_dead_predecessor(holder: str, me: str) -> bool:
    """Whether `holder` was a process of this host and PID namespace that is gone."""
    parts, mine = holder.split(":"), me.split(":")
    if holder == me or len(parts) != 4 or len(mine) != 4 or not _namespace():
        return False
    host, namespace, pid, _tag = parts
    if (host, namespace) != (mine[0], mine[1]) or not pid.isdigit():
        return False
    if int(pid) == os.getpid():  # this pid's earlier life (a restarted container), unless
        return holder not in _issued  # the name is one this very process gave out
    return not _alive(int(pid))


def dead_predecessors(holders: set[str], me: str) -> set[str]:
    """The holders among `holders` that are this process's dead predecessors."""
    return {holder for holder in holders if is_dead_predecessor(holder, me)}

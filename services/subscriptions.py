"""Subscriptions as the chat asks for them: one parser for /subscribe's words (keywords,
excluded words, instant or daily at a time, silent, to a channel) and /quiet's hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import available_timezones

_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_CHANNEL = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100[0-9]{1,13}")


@dataclass(frozen=True, slots=True)
class SubscribeRequest:
    """What /subscribe asked for."""

    keywords: str
    mode: str
    daily_at: str | None
    excluded: str = ""
    silent: bool = False
    channel: str | None = None


def _clock(text: str) -> str | None:
    m = _TIME.fullmatch(text)
    return f"{int(m.group(1)):02}:{m.group(2)}" if m else None


def _options(words: list[str]) -> tuple[list[str], bool, str | None]:
    """Take `to @channel` (anywhere: "/subscribe to @team ECO" is not the words "to @team")
    and `silent` (at the end) off the words."""
    silent, channel = False, None
    for i in range(len(words) - 1):
        if words[i].lower() == "to" and _CHANNEL.fullmatch(words[i + 1]):
            channel, words = words[i + 1], words[:i] + words[i + 2 :]
            break
    while words:
        if words[-1].lower() == "silent" and not silent:
            silent, words = True, words[:-1]
        else:
            break
    return words, silent, channel


def parse_subscribe(args: list[str]) -> SubscribeRequest | None:
    """/subscribe's words as a request; None when the schedule is malformed."""
    words, silent, channel = _options(list(args))
    mode, daily_at = "instant", None
    if len(words) >= 2 and words[-2].lower() == "daily":
        daily_at = _clock(words[-1])
        if daily_at is None:
            return None
        mode, words = "daily", words[:-2]
    elif words and words[-1].lower() == "daily":
        mode, daily_at, words = "daily", "09:00", words[:-1]
    elif words and words[-1].lower() == "instant":
        words = words[:-1]
    excluded = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
    keywords = [w for w in words if not w.startswith("-")]
    return SubscribeRequest(
        " ".join(keywords).strip(), mode, daily_at, " ".join(excluded), silent, channel
    )


def parse_quiet(args: list[str]) -> tuple[str, str] | Literal[False] | None:
    """(start, end) from "22:00-07:00", None for "off", False when malformed."""
    if len(args) == 1 and args[0].lower() == "off":
        return None
    parts = args[0].split("-") if len(args) == 1 else []
    if len(parts) == 2:
        start, end = _clock(parts[0]), _clock(parts[1])
        if start and end and start != end:
            return start, end
    return False


def suggest_zone(typed: str) -> str | None:
    """The IANA zone a user probably meant by a city ("berlin", "new york" as new_york,
    "Baku"): the zone whose last part is that name, any case; None when none or several."""
    wanted = typed.strip().replace(" ", "_").lower()
    if not wanted or len(wanted) > 64:
        return None
    found = sorted(z for z in available_timezones() if z.rsplit("/", 1)[-1].lower() == wanted)
    found = [z for z in found if "/" in z and not z.startswith(("Etc/", "SystemV/"))]
    return found[0] if len(found) == 1 else None

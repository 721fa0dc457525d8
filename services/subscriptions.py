"""Subscriptions as the chat asks for them: one parser for /subscribe's words (keywords,
excluded words, instant or daily at a time, silent, to a channel) and /quiet's hours.

A schedule that cannot be read raises a ScheduleError naming the part that is wrong (the time
not written as HH:MM, an hour past 23, quiet hours that are no range), so the reply says what
to fix rather than repeating the whole usage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import available_timezones

from engine.errors import N_, NewsbotError
from engine.text import shorten

_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_CLOCKISH = re.compile(r"([0-9]{1,2}):([0-9]{2})")  # HH:MM in form, perhaps out of range
SHOWN_CHARS = 30  # a user's word as echoed back
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


class ScheduleError(NewsbotError):
    """A schedule (/subscribe's time, /quiet's hours) that cannot be read: which part is wrong."""

    def __init__(self, text: str) -> None:
        super().__init__(text=shorten(text, SHOWN_CHARS))


class NotClockTime(ScheduleError):
    """A time that is not written HH:MM ("9am", "9")."""

    message = N_("Write the time as HH:MM on a 24-hour clock, e.g. daily 09:00 (not “{text}”).")


class HourOutOfRange(ScheduleError):
    """HH:MM with an hour past 23."""

    message = N_("“{text}” has no such hour: hours run from 00 to 23.")


class MinuteOutOfRange(ScheduleError):
    """HH:MM with minutes past 59."""

    message = N_("“{text}” has no such minute: minutes run from 00 to 59.")


class NotQuietRange(ScheduleError):
    """Quiet hours that are not one FROM-TO range."""

    message = N_("Write quiet hours as HH:MM-HH:MM, e.g. /quiet 22:00-07:00 (not “{text}”).")


class EmptyQuietRange(ScheduleError):
    """Quiet hours that start when they end."""

    message = N_("Quiet hours “{text}” start when they end: give two different times.")


def _clock(text: str) -> str:
    """ "9:05" as "09:05"; a ScheduleError names what is wrong with anything else."""
    m = _TIME.fullmatch(text)
    if m:
        return f"{int(m.group(1)):02}:{m.group(2)}"
    form = _CLOCKISH.fullmatch(text)
    if form is None:
        raise NotClockTime(text)
    if int(form.group(1)) > 23:
        raise HourOutOfRange(text)
    raise MinuteOutOfRange(text)


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


def parse_subscribe(args: list[str]) -> SubscribeRequest:
    """/subscribe's words as a request; a ScheduleError when the time after `daily` is not
    HH:MM."""
    words, silent, channel = _options(list(args))
    mode, daily_at = "instant", None
    if len(words) >= 2 and words[-2].lower() == "daily":
        mode, daily_at, words = "daily", _clock(words[-1]), words[:-2]
    elif words and words[-1].lower() == "daily":
        mode, daily_at, words = "daily", "09:00", words[:-1]
    elif words and words[-1].lower() == "instant":
        words = words[:-1]
    excluded = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
    keywords = [w for w in words if not w.startswith("-")]
    return SubscribeRequest(
        " ".join(keywords).strip(), mode, daily_at, " ".join(excluded), silent, channel
    )


def parse_quiet(args: list[str]) -> tuple[str, str] | None:
    """(start, end) from "22:00-07:00", None for "off"; a ScheduleError names what is wrong."""
    if len(args) == 1 and args[0].lower() == "off":
        return None
    typed = " ".join(args)
    parts = args[0].split("-") if len(args) == 1 else []
    if len(parts) != 2:
        raise NotQuietRange(typed)
    start, end = _clock(parts[0]), _clock(parts[1])
    if start == end:
        raise EmptyQuietRange(typed)
    return start, end


def suggest_zone(typed: str) -> str | None:
    """The IANA zone a user probably meant by a city ("berlin", "new york" as new_york,
    "Baku"): the zone whose last part is that name, any case; None when none or several."""
    wanted = typed.strip().replace(" ", "_").lower()
    if not wanted or len(wanted) > 64:
        return None
    found = sorted(z for z in available_timezones() if z.rsplit("/", 1)[-1].lower() == wanted)
    found = [z for z in found if "/" in z and not z.startswith(("Etc/", "SystemV/"))]
    return found[0] if len(found) == 1 else None

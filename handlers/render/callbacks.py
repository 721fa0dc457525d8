"""Callback data: every kind of button the bot makes, in one table. A kind knows its prefix,
the shape of its arguments and so the pattern that routes a press to its handler (the command
registry pairs each kind with that handler); data always fits Telegram's 64 bytes and is
validated on the way back, so forged or stale data never reaches a handler."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

CALLBACK_LIMIT = 64  # bytes


@dataclass(frozen=True)
class ButtonKind:
    """A kind of button: its name, its data's prefix and its arguments' pattern."""

    name: str
    prefix: str
    # [0-9], not \d: \d also matches "٣", and the numbers are read with int().
    arguments: str

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The whole data of a press of this kind (a CallbackQueryHandler's pattern)."""
        return re.compile(re.escape(self.prefix) + r"\|" + self.arguments)


BUTTONS: dict[str, ButtonKind] = {
    kind.name: kind
    for kind in (
        ButtonKind("search", "s", r"([0-9a-f]{12})\|([0-9]{1,3})"),  # key, offset
        # offset, then the page size of /latest N (absent on buttons made before it was kept)
        ButtonKind("latest", "l", r"([0-9]{1,3})(?:\|([0-9]{1,2}))?"),
        ButtonKind("summary", "m", r"([0-9]{1,12})"),  # article id
        ButtonKind("story", "t", r"([0-9]{1,10})"),  # story id
        ButtonKind("unsubscribe", "u", r"([0-9]{1,12})"),  # subscription id
        ButtonKind("digest", "d", r"([0-9]{1,12})\|([0-9]{1,12})"),  # subscription, last shown
        ButtonKind("feeds", "f", r"([0-9]{1,6})"),  # offset of a page of /feeds
    )
}
CALLBACK_KINDS = tuple(BUTTONS)  # every kind of button the bot makes


@dataclass(frozen=True, slots=True)
class Callback:
    """A parsed button press: its kind's name and its numeric or key arguments."""

    kind: str
    args: tuple[str, ...]  # "" for an optional argument the data leaves out


def callback(kind: str, *args: object) -> str:
    """Encode a button's data; always within Telegram's 64 bytes."""
    button = BUTTONS[kind]
    data = "|".join([button.prefix, *(str(a) for a in args if a is not None)])
    if len(data.encode()) > CALLBACK_LIMIT or not button.pattern.fullmatch(data):
        raise ValueError(f"bad callback data {data!r}")
    return data


def parse_callback(data: str | None) -> Callback | None:
    """Decode a button's data; None for anything forged, stale or malformed."""
    if not data or len(data.encode()) > CALLBACK_LIMIT:
        return None
    for button in BUTTONS.values():
        found = button.pattern.fullmatch(data)
        if found:
            return Callback(button.name, tuple(group or "" for group in found.groups()))
    return None


def callback_pattern(kind: str) -> re.Pattern[str]:
    """The regex a CallbackQueryHandler uses to route this kind of button."""
    return BUTTONS[kind].pattern


def page_buttons(
    kind: str, previous: int | None, following: int | None, *args: object
) -> tuple[str | None, str | None]:
    """Callback data of ‹ Prev and Next › for a list whose neighbour pages start at `previous`
    and `following` (None: no such page); `args` come before the offset."""
    prev_data = callback(kind, *args, previous) if previous is not None else None
    next_data = callback(kind, *args, following) if following is not None else None
    return prev_data, next_data

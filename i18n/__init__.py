"""The language replies are written in, and dates in that language and the chat's time zone.

Messages are gettext catalogs managed with Babel: `make messages` extracts every `_()`, `N_()`
and `ngettext()` string of the folders babel.cfg names (the domain errors' message ids among
them, see i18n.errors) into locales/newsbot.pot and merges it into each language's .po;
`make setup` (and the Dockerfile) compile the .po files into .mo at install, and
`Translations.load` reads them.

Which language: set once per update (handlers.language: the chat's `/language`, else the
user's Telegram `language_code`) and per digest (handlers.channel: the chat's, else the
language of whoever subscribed), in a context variable, as aiogram's I18n middleware does:
each update and each digest runs in its own task, so one chat's language never leaks into
another's reply.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.support import Translations

from engine.errors import N_ as N_  # one marker for every layer (engine cannot import i18n)
from engine.models import Article

log = logging.getLogger(__name__)

DOMAIN = "newsbot"
LOCALES = Path(__file__).parent / "locales"
SOURCE_LANGUAGE = "en"  # the language the code is written in (no catalog needed)


@dataclass(frozen=True, slots=True)
class Speech:
    """How replies read: a shipped language, and the zone dates are shown in."""

    language: str = SOURCE_LANGUAGE
    timezone: str = "UTC"


_speech: ContextVar[Speech] = ContextVar("speech", default=Speech())  # noqa: B039 (frozen)


@cache
def languages() -> tuple[str, ...]:
    """Every language replies can be in: the source language, then each shipped catalog."""
    shipped = sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *shipped)


def supported(code: str | None) -> str | None:
    """The shipped language for a Telegram `language_code` ("de-AT" → "de"), or None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in languages() else None


def language_name(code: str) -> str:
    """A language's name in itself ("Deutsch"), for /language."""
    try:
        name = Locale.parse(code).get_display_name(code)
    except (UnknownLocaleError, ValueError):
        return code
    return (name or code)[:1].upper() + (name or code)[1:]


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of a shipped language (the source language needs none).

    Catalogs are compiled at install (`make setup`, the Dockerfile). One that is not falls back
    to the source language, with a warning logged once per language.
    """
    if language == SOURCE_LANGUAGE or language not in languages():
        return gettext.NullTranslations()
    found = Translations.load(LOCALES, [language], DOMAIN)
    if not isinstance(found, Translations):  # Babel's NullTranslations: no .mo file
        log.warning(
            "no compiled catalog for %s under %s: replies fall back to %s; run `make setup`",
            language,
            LOCALES,
            SOURCE_LANGUAGE,
        )
    return found


def _(message: str) -> str:
    """`message` in the current reply's language."""
    return catalog(_speech.get().language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, by the current language's plural rule."""
    return catalog(_speech.get().language).ngettext(singular, plural, n)


def current() -> Speech:
    """The current reply's language and time zone."""
    return _speech.get()


def speak(language: str | None, timezone: str = "UTC") -> None:
    """From here on in this task (one update), reply in `language` (else the source language)."""
    _speech.set(Speech(supported(language) or SOURCE_LANGUAGE, timezone or "UTC"))


@contextmanager
def using(language: str | None, timezone: str = "UTC") -> Iterator[Speech]:
    """Within the block, reply in `language` and show dates in `timezone`."""
    token = _speech.set(Speech(supported(language) or SOURCE_LANGUAGE, timezone or "UTC"))
    try:
        yield _speech.get()
    finally:
        _speech.reset(token)


def day(value: date) -> str:
    """A date as the reader's language writes it ("Nov 25, 2026", "25.11.2026")."""
    return format_date(value, format="medium", locale=_speech.get().language)


def short_day(value: date, skeleton: str = "MMMd") -> str:
    """A short date for chart ticks, by a CLDR skeleton ("Nov 25", "25. Nov.")."""
    return format_skeleton(skeleton, value, locale=_speech.get().language)


def _local(stamp: datetime) -> datetime:
    """A stored (naive UTC) moment in the current time zone."""
    try:
        zone = ZoneInfo(_speech.get().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    aware = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return aware.astimezone(zone)


def local_day(stamp: datetime) -> date:
    """The day a stored (naive UTC) moment falls on in the current time zone."""
    return _local(stamp).date()


def moment(stamp: datetime) -> str:
    """A stored moment as the reader's language writes it, in the chat's zone, zone named."""
    local = _local(stamp)
    clock = format_time(local, "HH:mm", locale=_speech.get().language)
    return f"{day(local.date())} {clock} {_speech.get().timezone}"


def article_date(article: Article) -> str:
    """An article's date line: its publication date, else the local day it was added."""
    if article.published:
        return day(article.published)
    return _("added {date}").format(date=day(local_day(article.added_at)))

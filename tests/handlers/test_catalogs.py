"""The message catalogs against the code: every message the handlers can say is translated in
every shipped language, with the same placeholders and the same HTML, and compiled at install."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import i18n
from tests.support.checks import html_problems

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = i18n.languages()[1:]  # the code's own registry: every catalog under locales/
MessageId = str | tuple[str, ...]


def _code_messages() -> set[MessageId]:
    """Every message id the code says, extracted as `make messages` does (babel.cfg's folders)."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, _options = parse_mapping_cfg(config)
    found = extract_from_dir(ROOT, method_map=method_map, keywords=keywords)
    return {
        message if isinstance(message, str) else tuple(message)
        for _file, _line, message, _comments, _context in found
    }


def _catalog(language: str) -> Catalog:
    path = i18n.LOCALES / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as source:
        return read_po(source, locale=language)


def _key(message: Message) -> MessageId:
    return message.id if isinstance(message.id, str) else tuple(message.id)


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in Formatter().parse(text) if name is not None)


def _tags(text: str) -> list[str]:
    return re.findall(r"</?[a-z]+", text)


def test_there_is_a_language_besides_english() -> None:
    assert i18n.languages()[0] == "en" and len(TRANSLATED) >= 1


def test_the_code_has_messages_to_translate() -> None:
    messages = _code_messages()
    assert len(messages) > 100 and "That button is no longer valid." in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_code_is_translated(language: str) -> None:
    catalog = _catalog(language)
    entries = {_key(m): m for m in catalog if m.id}
    code = _code_messages()
    missing = sorted(map(str, code - entries.keys()))
    assert not missing, f"not in {language}'s catalog (run `make messages`): {missing}"
    unused = sorted(map(str, entries.keys() - code))
    assert not unused, f"{language}'s catalog has messages no code says (`make messages`): {unused}"
    untranslated = [
        str(key)
        for key, m in entries.items()
        if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    assert not untranslated, f"untranslated or fuzzy in {language}: {untranslated}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_the_html(language: str) -> None:
    for message in _catalog(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in strings:
            source = ids[0] if len(ids) == 1 else ids[1]
            assert _fields(text) == _fields(source), (language, message.id, text)
            assert _tags(text) == _tags(source), (language, message.id, text)
            filled = text.format(**{name: "x" for name in _fields(text)})
            assert not html_problems(filled), (language, message.id, html_problems(filled))


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogs_are_compiled_at_install(language: str) -> None:
    folder = i18n.LOCALES / language / "LC_MESSAGES"
    compiled = folder / f"{i18n.DOMAIN}.mo"
    assert compiled.exists(), "`make setup` compiles the catalogs"
    with compiled.open("rb") as mo:
        installed = gettext.GNUTranslations(mo)
    for message in _catalog(language):
        if isinstance(message.id, str) and message.id:
            assert installed.gettext(message.id) == message.string, "run `make setup`"
    assert i18n.catalog(language).gettext("Next ›") != "Next ›", "the bot loads it"


def test_the_template_matches_the_code() -> None:
    with (i18n.LOCALES / f"{i18n.DOMAIN}.pot").open("rb") as source:
        template = {_key(m) for m in read_po(source) if m.id}
    assert template == _code_messages(), "run `make messages`"

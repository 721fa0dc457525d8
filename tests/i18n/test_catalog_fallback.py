"""A language whose catalog was never compiled answers in English and says how to fix it once,
instead of failing or compiling at run time."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import i18n


@pytest.fixture
def uncompiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shipped catalogs' sources, without their compiled .mo files."""
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALES", locales)
    i18n.catalog.cache_clear()
    i18n.languages.cache_clear()
    yield locales
    i18n.catalog.cache_clear()
    i18n.languages.cache_clear()


def test_an_uncompiled_language_falls_back_to_english_with_one_warning(
    uncompiled: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="i18n")
    with i18n.using("de"):
        first = i18n._("That button is no longer valid.")
        again = i18n._("That button is no longer valid.")
    assert first == again == "That button is no longer valid."
    warnings = [r.getMessage() for r in caplog.records if "no compiled catalog" in r.getMessage()]
    assert len(warnings) == 1 and "make setup" in warnings[0]


def test_the_compiled_catalog_translates() -> None:
    with i18n.using("de"):
        assert i18n._("That button is no longer valid.") != "That button is no longer valid."

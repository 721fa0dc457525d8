"""Moved to tests/support/checks.py; this name stays only for tests/handlers/test_catalogs.py,
which is being edited elsewhere. Import from tests.support.checks."""

from tests.support.checks import html_problems

__all__ = ["html_problems"]

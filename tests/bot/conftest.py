"""The handler tests' fixtures (a real Application over a recording request) for bot/ tests."""

from tests.handlers.conftest import harness, services

__all__ = ["harness", "services"]

"""Logging set-up, with the bot token scrubbed from every record."""

from __future__ import annotations

import logging

REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replace the token wherever it appears in a record (URLs in errors carry it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record without the token; never drops a record."""
        if not self._token:
            return True
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            # Render the traceback now, redacted, so formatters reuse the clean text.
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = formatted.replace(self._token, REDACTED)
            record.exc_info = None
        if self._token in message or (record.exc_text and self._token in record.exc_text):
            record.msg = message.replace(self._token, REDACTED)
            record.args = None
            if record.exc_text:
                record.exc_text = record.exc_text.replace(self._token, REDACTED)
        return True


class QuietBootstrap(logging.Filter):
    """python-telegram-bot logs a failed start-up (unreachable Bot API, rejected token) with
    its traceback before raising; `run` then says it in one line. The record is kept only at
    DEBUG, where its details help."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop start-up failure records unless DEBUG logging is on."""
        if "Bootstrap" not in record.getMessage():
            return True
        if not logging.getLogger().isEnabledFor(logging.DEBUG):
            return False
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def configure_logging(level: str, token: str | None, *secrets: str | None) -> None:
    """Log to stderr at `level`; chatty libraries quieter; the token (and any other secret,
    such as the webhook secret) never printed."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # A delivery job busy with a large fan-out makes the scheduler skip the next runs, and it
    # says so at WARNING every few seconds; that is the design, not a problem.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("telegram.ext").addFilter(QuietBootstrap())
    for secret in (token, *secrets):
        if secret:
            redact = RedactToken(secret)
            for handler in logging.getLogger().handlers:
                handler.addFilter(redact)

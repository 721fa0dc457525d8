"""Settings, read once from the environment or a .env file and passed down."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every knob newsbot has; see the README's settings table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, description="Telegram bot token")
    database_url: str = Field(
        default="sqlite+aiosqlite:///newsbot.db", description="SQLAlchemy async URL"
    )
    seed: bool = Field(default=True, description="Load seeds/ into an empty store at start")
    bot_api_url: str | None = Field(
        default=None, description="Bot API base URL ending in /bot (emulator or local server)"
    )
    log_level: str = Field(default="INFO", description="Logging level")
    page_size: int = Field(default=5, ge=1, le=10, description="Results per page in chats")
    feed_poll_minutes: int = Field(default=15, ge=1, description="Minutes between feed polls")
    watch_dir: str | None = Field(
        default=None, description="Folder whose new .txt/.md/.html/.jsonl files are ingested"
    )
    outbox_poll_seconds: float = Field(
        default=5.0, ge=0, description="Seconds between delivery rounds (0: no delivery job)"
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        """A logging level name in any case; anything else is a bad setting, not a traceback."""
        if value.strip().upper() not in LOG_LEVELS:
            raise PydanticCustomError(
                "log_level",
                "unknown level {level}; use one of {levels}",
                {"level": repr(value), "levels": ", ".join(LOG_LEVELS)},
            )
        return value.strip().upper()

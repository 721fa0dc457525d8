"""Settings, read once from the environment or a .env file and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:  # built where used: reading settings imports no HTTP client
    from ingest.web import FetchPolicy
    from services.access import Access

# Telegram ids, comma-separated in the environment ("123, 456"); empty means none.
IdSet = Annotated[frozenset[int], NoDecode]

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every knob newsbot has (docs/configuration.md is generated from these fields)."""

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
    retention_days: int | None = Field(
        default=None,
        ge=1,
        description="Remove articles older than this many days, once a day (off when unset)",
    )
    search_by_meaning: bool = Field(
        default=True,
        description=(
            "Search by meaning too (multilingual-e5-small, run on this machine): "
            "off searches by words alone"
        ),
    )
    watch_dir: str | None = Field(
        default=None, description="Folder whose new .txt/.md/.html/.jsonl files are ingested"
    )
    outbox_poll_seconds: float = Field(
        default=5.0, ge=0, description="Seconds between delivery rounds (0: no delivery job)"
    )
    delivery_lease_seconds: float = Field(
        default=60.0,
        ge=1,
        description="How long a claimed digest or a job stays with an instance unless renewed",
    )
    resend_pause_seconds: float = Field(
        default=60.0, ge=0, description="Pause before the one resend of a digest with no answer"
    )
    health_host: str = Field(default="127.0.0.1", description="Address of /healthz and /metrics")
    health_port: int | None = Field(
        default=None, ge=1, le=65535, description="Port of /healthz and /metrics (unset: off)"
    )
    webhook_url: str | None = Field(
        default=None, description="Public HTTPS URL for updates: set it for webhook mode"
    )
    webhook_listen: str = Field(default="127.0.0.1", description="Webhook server address")
    webhook_port: int = Field(default=8443, ge=1, le=65535, description="Webhook server port")
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret Telegram sends with each webhook update (required)"
    )
    allow_private_hosts: bool = Field(
        default=False,
        description="Let /add and feeds fetch private and local addresses (an intranet)",
    )
    allowed_user_ids: IdSet = Field(
        default=frozenset(), description="Users who may use the bot (empty with chats: anyone)"
    )
    allowed_chat_ids: IdSet = Field(
        default=frozenset(), description="Chats whose members may use the bot"
    )
    admin_user_ids: IdSet = Field(
        default=frozenset(), description="The team's admins: /add and feeds are theirs"
    )

    @field_validator("allowed_user_ids", "allowed_chat_ids", "admin_user_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """Split "1, -100200" at the commas; pydantic then checks that each part is an integer."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def store_label(self) -> str:
        """The store as logs and the console name it: a SQLite file's path, else the database
        kind, host and name (never a password)."""
        parts = urlsplit(self.database_url)
        if parts.scheme.startswith("sqlite"):
            path = parts.path.removeprefix("/")
            return str(Path(path).resolve()) if path and path != ":memory:" else "in memory"
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme.split('+')[0]} {parts.hostname or 'localhost'}{port}{parts.path}"

    def access(self) -> Access:
        """The allow-list and admins the chat gate (handlers.access) decides with."""
        from services.access import Access

        return Access(self.allowed_user_ids, self.allowed_chat_ids, self.admin_user_ids)

    def fetch_policy(self) -> FetchPolicy:
        """The web fetcher's policy these settings ask for."""
        from ingest.web import FetchPolicy

        return FetchPolicy(allow_private_hosts=self.allow_private_hosts)

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

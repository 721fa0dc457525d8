"""ORM models. They never leave storage/: repositories hand engine dataclasses upward."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base for every table."""


class ArticleRow(Base):
    """One article of the corpus."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str | None] = mapped_column(String(500), nullable=True)
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The story the article reports (None until grouped: see storage/stories.py); no
    # foreign key (migration 0009 says why).
    story_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (
        Index("ix_articles_added_at", "added_at"),
        Index("ix_articles_story_id", "story_id", "source"),
    )


class ArticleVectorRow(Base):
    """An article's vector for search by meaning (migration 0012): float16 bytes, the model
    that made it, and the change mark it was written with."""

    __tablename__ = "article_vectors"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(100))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    mark: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_article_vectors_model_mark", "model", "mark", "article_id"),)


class ArticleDayRow(Base):
    """An article's day (publication date, else the day added) as yyyymmdd, keyed by its id
    (migration 0014): /trend looks each full-text match up here, a small table that stays
    cached, instead of the article's row (body and all) or an index of the whole period."""

    __tablename__ = "article_days"

    id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    day: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_article_days_day", "day", "id"),)


class ArticleDaysFillRow(Base):
    """How far migration 0014's backfill of article_days went: ids up to `done` are in it,
    and it stops at `last` (the newest id when it ran; later articles are added with theirs)."""

    __tablename__ = "article_days_fill"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    done: Mapped[int] = mapped_column(BigInteger)
    last: Mapped[int] = mapped_column(BigInteger)


class VectorVersionRow(Base):
    """One row counting the writes of vectors: the change mark (migration 0012)."""

    __tablename__ = "vector_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class StoryRow(Base):
    """Reports of one event: the grouping's state (engine.stories.StoryState as JSON)."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(Integer)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # How many of its sources each outlet gave: lists say "3 sources: A, B" without a read.
    outlets: Mapped[dict[str, int]] = mapped_column(JSON)

    __table_args__ = (Index("ix_stories_last_day", "last_day", "id"),)


class StoryKeyRow(Base):
    """A key a story is found by (one of its heaviest terms), with the story's last day."""

    __tablename__ = "story_keys"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_day: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_story_keys_key_day", "key", "last_day"),)


class StoryTermRow(Base):
    """How many grouped articles hold a key (the document frequency of the grouping)."""

    __tablename__ = "story_terms"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    docs: Mapped[int] = mapped_column(Integer)


class StoryDocumentsRow(Base):
    """How many articles the story terms counted (one row, id 1)."""

    __tablename__ = "story_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    documents: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("id = 1", name="ck_story_documents_one_row"),)


class ChatRow(Base):
    """A chat the bot delivers to; `active` turns false when the bot is blocked or kicked."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Quiet hours (HH:MM, local): instant digests wait for the end of the window.
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    # The reply language chosen with /language (None: each user's Telegram language).
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)


class SubscriptionRow(Base):
    """A chat's standing request for new articles, optionally filtered by keywords."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    thread_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    keywords: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[str] = mapped_column(String(10), default="instant")
    daily_at: Mapped[str | None] = mapped_column(String(5), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Articles with an id above this are "new" for the subscription.
    after_article_id: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The local date of the last daily digest, so a restart never sends the same day twice.
    last_digest_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # Words an article must not match ("peace -sport" stores "sport").
    excluded: Mapped[str] = mapped_column(String(200), default="")
    # Digests without a notification sound.
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    # A channel the digests go to instead of the chat that manages the subscription.
    deliver_to: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    deliver_to_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The subscriber's Telegram language: the digests' language unless the chat chose one.
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)


class OutboxStatus(StrEnum):
    """Where one (subscription, article) row of the outbox stands."""

    PENDING = "pending"  # waiting for a delivery round (after `not_before`, if set)
    SENDING = "sending"  # claimed by one instance (`claimed_by`) until `lease_until`
    SENT = "sent"  # Telegram accepted the digest that carried it
    DROPPED = "dropped"  # the subscription ended or the chat blocked the bot first
    FAILED = "failed"  # Telegram refused for good (bad request): never retried
    UNCERTAIN = "uncertain"  # sent twice with no answer either time: parked, never resent


class OutboxRow(Base):
    """One (subscription, article) to deliver: the unit of exactly-once delivery."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    not_before: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The instance that claimed the row, and until when; an expired lease may be taken back.
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Sends whose outcome was unknown (timeout after the request left, lease lost mid-send).
    unknown_outcomes: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("subscription_id", "article_id", name="uq_outbox_sub_article"),
        Index("ix_outbox_status", "status", "not_before"),
    )


class SearchKeyRow(Base):
    """The query behind a paging button (callback data holds 64 bytes; a query may not fit)."""

    __tablename__ = "search_keys"

    key: Mapped[str] = mapped_column(String(12), primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class FeedRow(Base):
    """An RSS/Atom feed polled for new articles, with its conditional-GET validators."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    etag: Mapped[str | None] = mapped_column(String(500), nullable=True)
    modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # The same problems as message ids and placeholders, for /feeds in the reader's language.
    last_problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Polls that failed in a row, and when the next one may run (exponential backoff).
    failures: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    articles_added: Mapped[int] = mapped_column(Integer, default=0)

    # An id is never handed out again after a removal: "/feed remove 3" cannot hit a newer feed.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (SQLAlchemy's declaration)


class JobLeaseRow(Base):
    """Which instance runs a job that must run once across instances, and until when."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime] = mapped_column(DateTime)

"""Articles with an FTS5 index (updates and deletes synced by triggers), chats, subscriptions,
outbox, search keys, feeds.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_FTS = [
    # External-content FTS5 table: the text lives once, in articles; the index mirrors it.
    # Prefix indexes make the last query word's prefix match cheap for short stems.
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')""",
    # The index's vocabulary, which the engine maps misspelled query words onto.
    "CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, 'row')",
    # New rows are indexed by the store in the same transaction, one statement per batch
    # (storage/fulltext.py): more than twice as fast as a per-row AFTER INSERT trigger.
    """CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("published", sa.Date, nullable=True),
        sa.Column("source", sa.String(500), nullable=True),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("added_at", sa.DateTime, nullable=False),
        sa.Column("summary", sa.Text, nullable=True),
    )
    op.create_index("ix_articles_added_at", "articles", ["added_at"])
    op.create_table(
        "chats",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "chat_id",
            sa.BigInteger,
            sa.ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"),
            nullable=False,
        ),
        sa.Column("thread_id", sa.Integer, nullable=True),
        sa.Column("keywords", sa.String(200), nullable=False, server_default=""),
        sa.Column("mode", sa.String(10), nullable=False, server_default="instant"),
        sa.Column("daily_at", sa.String(5), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("after_article_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("last_digest_on", sa.String(10), nullable=True),
    )
    op.create_index("ix_subscriptions_chat", "subscriptions", ["chat_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "subscription_id",
            sa.Integer,
            sa.ForeignKey("subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
        sa.Column("not_before", sa.DateTime, nullable=True),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("subscription_id", "article_id", name="uq_outbox_sub_article"),
    )
    op.create_index("ix_outbox_status", "outbox", ["status", "not_before"])
    op.create_table(
        "search_keys",
        sa.Column("key", sa.String(12), primary_key=True),
        sa.Column("query", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("etag", sa.String(500), nullable=True),
        sa.Column("modified", sa.String(100), nullable=True),
        sa.Column("last_polled_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_articles_fulltext ON articles "
            "USING gin (to_tsvector('simple', title || ' ' || body))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_fulltext")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("articles_ad", "articles_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_vocab")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("feeds", "search_keys", "outbox", "subscriptions", "chats", "articles"):
        op.drop_table(table)

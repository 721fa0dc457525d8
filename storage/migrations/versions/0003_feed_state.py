"""Feeds: title (for OPML), consecutive failures and the backoff's next try, articles added;
ids never reused after a removal (SQLite AUTOINCREMENT; PostgreSQL's serial sequence already
never hands an id out twice).

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The file name gives the order migrations run in; the id is what databases record, so it
# never changes.
revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = ("articles_added", "retry_at", "failures", "title")


def _new_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("title", sa.String(300), nullable=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retry_at", sa.DateTime, nullable=True),
        sa.Column("articles_added", sa.Integer, nullable=False, server_default="0"),
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # AUTOINCREMENT can only be declared when the table is created: copy it into one that
        # has it (the copy's sqlite_sequence starts at the highest id kept).
        with op.batch_alter_table(
            "feeds", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            for column in _new_columns():
                batch.add_column(column)
    else:
        for column in _new_columns():
            op.add_column("feeds", column)


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        for name in _COLUMNS:
            batch.drop_column(name)

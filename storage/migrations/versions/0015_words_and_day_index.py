"""PostgreSQL: the full-text GIN index also holds each article's day, so /trend of a word in
most articles ("said") is one index scan meeting both conditions, not the period's rows each
checked against its stored tsvector (out of TOAST, about 6 µs a row), which is what the
planner does for such a word with the day in a separate index (storage/trends.py chooses).

ix_articles_words_day is a two-column GIN index, (search_vector, the day as a date:
coalesce(published, added_at)::date, an expression no other index holds, so the planner
cannot take the period from ix_articles_day and check each row instead); the day column needs
the btree_gin extension (PostgreSQL's contrib, a trusted extension: the database's owner may
create it). It replaces ix_articles_search_vector, which searches used: a GIN index answers a
condition on any of its columns. Measured at 100,000 articles (bench/scale.py's store, 30
days of a year): /trend of "said" 60-64 ms before, about 23 after; at a million 609 ms
(planner's plan without it) and 150-178.

Where the extension cannot be created (a server without contrib, a role without CREATE on the
database), the index stays as it was and a warning says so: /trend answers as before.
Building the index reads every article's search_vector under a SHARE lock (reads go on,
writes wait): 12.6 s at 100,000 articles, 197 s at a million (bench/pg_copy.py), once.

SQLite: nothing (FTS5 and article_days, migration 0014).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():  # a savepoint: a refusal leaves the migration's transaction
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DBAPIError as exc:
        log.warning(
            "btree_gin could not be created (%s): /trend keeps checking each article of the "
            "period against its words (slower for common words); see docs/deploy.md",
            str(getattr(exc, "orig", exc)).splitlines()[0],
        )
        return
    op.execute(
        "CREATE INDEX ix_articles_words_day ON articles "
        "USING gin (search_vector, (CAST(coalesce(published, added_at) AS date)))"
    )
    op.execute("DROP INDEX ix_articles_search_vector")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_articles_search_vector ON articles USING gin (search_vector)"
    )
    op.execute("DROP INDEX IF EXISTS ix_articles_words_day")

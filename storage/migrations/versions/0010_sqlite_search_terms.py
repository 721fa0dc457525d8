"""SQLite keeps how many articles hold each term (search_terms), as PostgreSQL has since 0005:
a process no longer reads every doclist of the full-text index at start (fts5vocab's `doc`
column walks them all: 19-26 s at a million articles). Filled once here from fts5vocab, then
kept on every insert and removal (storage.fulltext). Both databases get an index on (first
letter, length), so a long query word's two-typo neighbours are read without a scan.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_search_terms_bucket ON search_terms (left(term, 1), length(term))"
        )
        return
    op.execute(
        "CREATE TABLE search_terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID"
    )
    op.execute(
        "CREATE INDEX ix_search_terms_bucket ON search_terms (substr(term, 1, 1), length(term))"
    )
    op.execute("INSERT INTO search_terms (term, docs) SELECT term, doc FROM articles_vocab")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_search_terms_bucket")
        return
    op.execute("DROP TABLE search_terms")

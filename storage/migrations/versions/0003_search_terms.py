"""PostgreSQL: the search vocabulary as a table kept on every insert (search_terms: term, how
many articles hold it, the version that added it) and a change counter (search_version), in
place of a full ts_stat read after every ingest.

SQLite needs nothing: FTS5's own vocabulary table (articles_vocab) is kept by FTS5.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_DOCUMENTS = "SELECT to_tsvector(''simple'', title || '' '' || body) FROM articles"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # C collation: byte order, so a prefix is a range scan of the primary key.
    op.execute(
        'CREATE TABLE search_terms (term text COLLATE "C" PRIMARY KEY, '
        "docs integer NOT NULL, version bigint NOT NULL)"
    )
    op.execute("CREATE INDEX ix_search_terms_version ON search_terms (version)")
    op.execute(
        "CREATE TABLE search_version (id integer PRIMARY KEY CHECK (id = 1), "
        "version bigint NOT NULL)"
    )
    op.execute("INSERT INTO search_version (id, version) VALUES (1, 1)")
    op.execute(
        "INSERT INTO search_terms (term, docs, version) "
        f"SELECT word, ndoc, 1 FROM ts_stat('{_DOCUMENTS}')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE search_version")
    op.execute("DROP TABLE search_terms")

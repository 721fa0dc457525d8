"""PostgreSQL search that does not grow with the corpus at every search or ingest:

- search_terms (term, how many articles hold it, the version that last changed it) and the
  change counter search_version, kept on every insert, in place of a full ts_stat read of
  every article after every ingest;
- search_vector, a stored tsvector (title weighted A, body B) with its GIN index, in place of
  the expression index: ranking reads the stored vector instead of parsing each matching
  article again.

SQLite needs nothing: FTS5's own vocabulary table (articles_vocab) is kept by FTS5.

Revision ID: 0003
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

# The file name gives the order migrations run in; the id is what databases record, so it
# never changes.
revision = "0003"
down_revision = "0005"
branch_labels = None
depends_on = None

SEARCH_VECTOR = (
    "setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE articles ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")
    op.execute("DROP INDEX IF EXISTS ix_articles_fulltext")
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
        "SELECT word, ndoc, 1 FROM ts_stat('SELECT search_vector FROM articles')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE search_version")
    op.execute("DROP TABLE search_terms")
    op.execute(
        "CREATE INDEX ix_articles_fulltext ON articles "
        "USING gin (to_tsvector('simple', title || ' ' || body))"
    )
    op.execute("DROP INDEX ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN search_vector")

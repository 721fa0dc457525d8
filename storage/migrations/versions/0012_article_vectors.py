"""Search by meaning: one vector per article (docs/search.md, "By meaning").

- article_vectors: the article's vector (float16 bytes), the model that made it (vectors of
  two models never mix: a search reads only its model's), and the change mark it was written
  with;
- vector_version: one row counting the writes of vectors. A writer bumps it in its own
  transaction, so the row stays locked until commit and marks become visible in order: an
  instance's in-process index that has read up to mark m has every vector written up to m,
  and it follows other instances' new vectors by reading the rows past its mark.

Generic types only (LargeBinary is a BLOB on SQLite, bytea on PostgreSQL).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_vectors",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.Column("mark", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_article_vectors_model_mark", "article_vectors", ["model", "mark", "article_id"]
    )
    op.create_table(
        "vector_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_vector_version_one_row"),
    )
    op.execute("INSERT INTO vector_version (id, version) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("vector_version")
    op.drop_index("ix_article_vectors_model_mark", table_name="article_vectors")
    op.drop_table("article_vectors")

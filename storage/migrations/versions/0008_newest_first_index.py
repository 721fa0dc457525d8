"""/latest reads the newest articles from an index: (coalesce(published, added_at), id), the
order it lists them in, so the newest page costs the same at a thousand articles and at a
million (it scanned and sorted the whole table: 2.3 s at a million).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_articles_newest", "articles", [sa.text("coalesce(published, added_at)"), "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_articles_newest", table_name="articles")

"""A feed's last problems as message ids and placeholders (beside the English `last_error`),
so /feeds says them in the reader's language.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("last_problems", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("feeds", "last_problems")

"""Languages: a chat's chosen reply language (/language), and the language of whoever made a
subscription (its digests speak it unless the chat chose one).

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("language")

"""Exclusions, silent digests, channel targets on subscriptions; quiet hours on chats.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The file name gives the order migrations run in; the id is what databases record, so it
# never changes.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("excluded", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("silent", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("deliver_to", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("deliver_to_name", sa.String(100), nullable=True))
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("quiet_start", sa.String(5), nullable=True))
        batch.add_column(sa.Column("quiet_end", sa.String(5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("quiet_end")
        batch.drop_column("quiet_start")
    with op.batch_alter_table("subscriptions") as batch:
        for column in ("deliver_to_name", "deliver_to", "silent", "excluded"):
            batch.drop_column(column)

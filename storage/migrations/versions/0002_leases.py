"""Outbox claims with leases (who holds a row, until when, unknown outcomes) and job leases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime, nullable=True))
        batch.add_column(
            sa.Column("unknown_outcomes", sa.Integer, nullable=False, server_default="0")
        )
    op.create_index("ix_outbox_lease", "outbox", ["status", "lease_until"])
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("until", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_leases")
    op.drop_index("ix_outbox_lease", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("unknown_outcomes")
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")

"""Equal subscriptions merged: where a chat has several active subscriptions that deliver the
same digests to the same place (same topic or channel, the same words in any order or case,
the same excluded words and schedule), the oldest stays; the others stop and what they owed
and nobody had claimed is dropped. From now on an equal /subscribe is refused.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _words(text: str | None) -> str:
    """Words as a subscription matches them (as storage.subscriptions.words_key, copied here:
    a migration is history and must not change when the code does)."""
    return " ".join(sorted(set((text or "").lower().split())))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, chat_id, thread_id, deliver_to, keywords, excluded, mode, daily_at "
            "FROM subscriptions WHERE active = :yes ORDER BY id"
        ),
        {"yes": True},
    ).all()
    first: dict[tuple[object, ...], int] = {}
    duplicates: list[int] = []
    for sub_id, chat, thread, channel, keywords, excluded, mode, daily in rows:
        key = (chat, thread, channel, _words(keywords), _words(excluded), mode, daily)
        if key in first:
            duplicates.append(sub_id)
        else:
            first[key] = sub_id
    for start in range(0, len(duplicates), 500):
        ids = duplicates[start : start + 500]
        bind.execute(
            sa.text("UPDATE subscriptions SET active = :no WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"no": False, "ids": ids},
        )
        bind.execute(
            sa.text(
                "UPDATE outbox SET status = 'dropped' "
                "WHERE status = 'pending' AND subscription_id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        )


def downgrade() -> None:
    """Nothing to undo: the merged subscriptions stay stopped."""

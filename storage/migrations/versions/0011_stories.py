"""Stories: reports of one event from several outlets, grouped as articles arrive
(docs/stories.md, "Interface for the storage layer").

- stories: a story's state (engine.stories.StoryState as JSON), its size, first/last day and
  its sources per outlet;
- story_keys: the keys a story is found by (its heaviest centroid terms), with the story's
  last day, so candidates are read by key within a window of days;
- story_terms and story_documents: how many grouped articles hold each key, and how many
  were counted (the idf of the grouping's features);
- articles.story_id: the story an article belongs to (NULL until grouped: the existing corpus
  is grouped after the migration, by the bot at start or `python -m bot stories --regroup`).

Generic types only (JSON is json on PostgreSQL, text on SQLite): no dialect branch needed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        # How many of its sources each outlet gave ({"Reuters": 2}): lists name them unread.
        sa.Column("outlets", sa.JSON, nullable=False),
    )
    op.create_index("ix_stories_last_day", "stories", ["last_day", "id"])
    op.create_table(
        "story_keys",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column(
            "story_id",
            sa.Integer,
            sa.ForeignKey("stories.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("story_id", "key"),
    )
    op.create_index("ix_story_keys_key_day", "story_keys", ["key", "last_day"])
    op.create_table(
        "story_terms",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("docs", sa.Integer, nullable=False),
    )
    op.create_table(
        "story_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_story_documents_one_row"),
    )
    op.execute("INSERT INTO story_documents (id, documents) VALUES (1, 0)")
    # No foreign key: SQLite cannot add one to an existing table without rebuilding it (and
    # its full-text triggers); stories are never deleted while articles point at them.
    op.add_column("articles", sa.Column("story_id", sa.Integer, nullable=True))
    # With the outlet: a story's sources and their outlets are read from the index alone.
    op.create_index("ix_articles_story_id", "articles", ["story_id", "source"])


def downgrade() -> None:
    op.drop_index("ix_articles_story_id", table_name="articles")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), not batch mode: a rebuilt table would lose the
    # expression index of 0008.
    op.drop_column("articles", "story_id")
    op.drop_table("story_documents")
    op.drop_table("story_terms")
    op.drop_index("ix_story_keys_key_day", table_name="story_keys")
    op.drop_table("story_keys")
    op.drop_index("ix_stories_last_day", table_name="stories")
    op.drop_table("stories")

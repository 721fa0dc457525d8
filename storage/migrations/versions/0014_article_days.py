"""/trend's id → day table: article_days (id, day as yyyymmdd), one row per article, gone
with it (ON DELETE CASCADE). A full-text match's day is then a primary-key look-up in a table
of a few bytes a row (13 MB at a million articles, it stays cached), not the article's row
nor the period's stretch of ix_articles_day joined through a temporary b-tree of every match
(369 ms for a common word at a million articles).

New articles' days are written by a trigger on articles, whichever version of the bot adds
them. Existing articles are not copied here: article_days_fill records the newest id now, and
storage.article_days.fill copies them after the migration, a short write transaction per
batch of ids (the write lock is never held long), before the process serves.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_days",
        sa.Column(
            "id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("day", sa.Integer, nullable=False),
    )
    # The lowest and highest id of a day in two seeks: SQLite's full-text lists are in id
    # order, so a period whose ids lie together reads only that stretch of them.
    op.create_index("ix_article_days_day", "article_days", ["day", "id"])
    op.create_table(
        "article_days_fill",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("done", sa.BigInteger, nullable=False),
        sa.Column("last", sa.BigInteger, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_article_days_fill_one_row"),
    )
    op.execute(
        "INSERT INTO article_days_fill (id, done, last) "
        "SELECT 1, 0, coalesce(max(id), 0) FROM articles"
    )
    # The database writes each new article's day itself, whoever adds the article: during a
    # rolling upgrade an instance still on the version before adds articles too, and they
    # must count in /trend. The day as storage.dialect.day_number computes it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION article_day_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO article_days (id, day) VALUES (NEW.id, "
            "to_char(coalesce(NEW.published, NEW.added_at::date), 'YYYYMMDD')::integer) "
            "ON CONFLICT (id) DO NOTHING; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER articles_day AFTER INSERT ON articles "
            "FOR EACH ROW EXECUTE FUNCTION article_day_row()"
        )
    else:
        op.execute(
            "CREATE TRIGGER articles_day AFTER INSERT ON articles BEGIN "
            "INSERT OR IGNORE INTO article_days (id, day) VALUES (new.id, CAST(replace("
            "substr(coalesce(new.published, new.added_at), 1, 10), '-', '') AS INTEGER)); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER articles_day ON articles")
        op.execute("DROP FUNCTION article_day_row()")
    else:
        op.execute("DROP TRIGGER articles_day")
    op.drop_table("article_days_fill")
    op.drop_index("ix_article_days_day", table_name="article_days")
    op.drop_table("article_days")

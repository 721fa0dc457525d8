"""Alembic environment: runs on the connection handed over by storage.db.migrate.

versions/ names its files in the order they run (0001_… first); a file's revision id is what
databases record and never changes, so a few ids differ from their file's number.
"""

from __future__ import annotations

from alembic import context

from storage.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

"""After start-up the garbage collector leaves start-up's objects alone: a full collection
during a fan-out burst walks only what was made since, so it never holds the event loop for
long (bench/reply_during_fanout.py shows the holds; no timing here)."""

from __future__ import annotations

import gc
from pathlib import Path

from bot import offline
from bot.app import YOUNG_COLLECTION_ALLOCATIONS, build_application
from bot.settings import Settings


async def test_start_up_freezes_what_it_built_and_collects_young_objects_less_often(
    tmp_path: Path,
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/team.db"
    )
    app = build_application(settings, request=offline.RecordingRequest(), schedule_jobs=False)
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    try:
        # Start-up's objects are out of the collector's walks (frozen once a process: a test
        # run builds many applications)...
        assert gc.get_freeze_count() > 0
        # ...and the youngest objects are collected every 10,000 allocations.
        assert gc.get_threshold()[0] == YOUNG_COLLECTION_ALLOCATIONS
    finally:
        await app.post_shutdown(app)
        await app.shutdown()

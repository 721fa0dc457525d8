"""After the upgrade to migration 0014 the running bot gives the articles stored before it
their days for /trend, in the background: the process starts at once and the chart counts
right before, during and after the copy."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.config import Config
from telegram.ext import CallbackContext

from bot import offline
from bot.container import Services
from storage.article_days import filled
from storage.db import migrate
from storage.trends import trend
from tests.support.app import start_app


def _down_to_0013(config: Config) -> None:
    command.downgrade(config, "0013")


async def test_the_bot_copies_the_days_of_older_articles_in_the_background(
    services: Services,
) -> None:
    today = date.today()
    before = await trend(services.articles, "summit", 30, today)
    assert before.total > 0
    await migrate(services.db_engine, _down_to_0013)
    await migrate(services.db_engine)  # the upgraded bot's start: nothing copied yet
    async with services.articles.sessions() as session:
        assert not await filled(session)
    app = await start_app(services, offline.RecordingRequest(), schedule_jobs=True)
    try:
        assert app.job_queue is not None
        [job] = [job for job in app.job_queue.jobs() if job.name == "fill-days"]
        assert await trend(services.articles, "summit", 30, today) == before
        await job.callback(CallbackContext.from_job(job, app))
        async with services.articles.sessions() as session:
            assert await filled(session)
        assert await trend(services.articles, "summit", 30, today) == before
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()

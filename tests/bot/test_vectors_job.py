"""The bot's own jobs make search by meaning work: at start it fills the index, and the
`vectors` job embeds new articles (here run by hand, as the JobQueue would run them)."""

from __future__ import annotations

from telegram.ext import CallbackContext

from bot import offline
from bot.container import Services
from storage.hybrid import Meaning
from storage.vector_index import NearestIndex
from tests.support.app import start_app
from tests.support.meaning import TRUCE, TopicEmbedder


async def test_the_jobs_embed_a_new_article_and_fill_the_index(services: Services) -> None:
    embedder = TopicEmbedder()
    services.vectors.model = embedder.name
    services.articles.meaning = Meaning(embedder, NearestIndex(services.vectors, embedder.dim))
    app = await start_app(services, offline.RecordingRequest(), schedule_jobs=True)
    try:
        assert app.job_queue is not None
        jobs = {job.name: job for job in app.job_queue.jobs()}
        added = (await services.articles.add([TRUCE])).added[0]
        for name in ("vectors", "fill-meaning"):
            job = jobs[name]
            await job.callback(CallbackContext.from_job(job, app))

        assert (await services.vectors.status()).with_vector == 6
        page = await services.articles.search("armistice", limit=3)
        assert [h.article.id for h in page.hits] == [added]
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()

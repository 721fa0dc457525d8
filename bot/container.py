"""Open the store once and hand the repositories to whoever needs them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.instance import instance_name
from bot.settings import Settings
from engine.embedding import MODEL
from ingest.embedder import E5Embedder
from ingest.pipeline import seed_if_empty
from ingest.web import FetchPolicy
from storage.article_days import FILL_PAUSE, fill
from storage.articles import ArticleStore
from storage.db import check_writable, make_db_engine, make_sessionmaker, migrate
from storage.feeds import FeedStore
from storage.hybrid import Meaning
from storage.locks import JobLeases
from storage.outbox import OutboxStore
from storage.paging import PagingKeys
from storage.story_store import StoryStore
from storage.subscriptions import SubscriptionStore
from storage.vector_index import NearestIndex
from storage.vectors import VectorStore


@dataclass(slots=True)
class Services:
    """The repositories a handler or command may use."""

    db_engine: AsyncEngine
    articles: ArticleStore
    subscriptions: SubscriptionStore
    feeds: FeedStore
    lease_seconds: float = 60.0
    fetch_policy: FetchPolicy = field(default_factory=FetchPolicy)  # what the CLI may fetch
    name: str = field(default_factory=lambda: instance_name())
    outbox: OutboxStore = field(init=False)
    leases: JobLeases = field(init=False)
    paging: PagingKeys = field(init=False)
    stories: StoryStore = field(init=False)
    vectors: VectorStore = field(init=False)

    def __post_init__(self) -> None:
        sessions = self.articles.sessions
        self.outbox = OutboxStore(sessions, self.articles, self.name, self.lease_seconds)
        self.leases = JobLeases(sessions, self.name)
        self.paging = PagingKeys(sessions)
        self.stories = StoryStore(sessions)
        self.vectors = VectorStore(sessions, MODEL)

    def use_meaning(self, exact: bool = False) -> Meaning:
        """Turn search by meaning on: searches fuse the words with the nearest articles by
        meaning once the index is filled (`fill_meaning`). `exact`: a plain matrix searched
        whole instead of a graph (a one-shot command: no graph to build)."""
        if self.articles.meaning is None:
            embedder = E5Embedder()
            index = NearestIndex(self.vectors, embedder.dim, exact=exact)
            self.articles.meaning = Meaning(embedder, index)
        return self.articles.meaning

    async def fill_meaning(self) -> int:
        """Load the query model and read every stored vector into the index (in a worker
        thread); how many vectors it holds (0 with search by meaning off)."""
        meaning = self.articles.meaning
        if meaning is None:
            return 0
        await meaning.load()
        return await meaning.index.fill()

    async def fill_days(self) -> int:
        """Copy the days of articles stored before migration 0014 into article_days, a short
        write transaction at a time (storage.article_days); the transactions it took (0 once
        done)."""
        return await fill(self.db_engine, pause=FILL_PAUSE)

    async def close(self) -> None:
        """Release database connections."""
        await self.db_engine.dispose()


async def open_services(settings: Settings, *, seed: bool = True, writes: bool = True) -> Services:
    """Connect, migrate, and seed an empty store when settings ask for it (and `seed`: a
    command that adds a team's own articles never mixes the seeds into them). A store that
    `writes` must be writable: a read-only one is refused here, in one line (StoreReadOnly),
    not by every later write."""
    db_engine = make_db_engine(settings.database_url)
    try:
        await migrate(db_engine)
        if writes:
            await check_writable(db_engine)
    except BaseException:
        await db_engine.dispose()  # no connection thread may outlive the event loop
        raise
    sessions = make_sessionmaker(db_engine)
    articles = ArticleStore(sessions)
    services = Services(
        db_engine,
        articles,
        SubscriptionStore(sessions, articles),
        FeedStore(sessions),
        lease_seconds=settings.delivery_lease_seconds,
        fetch_policy=settings.fetch_policy(),
    )
    if settings.seed and seed:
        await seed_if_empty(services.articles)
    if settings.search_by_meaning:
        services.use_meaning()
    return services

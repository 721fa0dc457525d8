"""The typed context: handlers reach the stores through properties, not casts out of bot_data."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

if TYPE_CHECKING:
    from storage.articles import ArticleStore
    from storage.feeds import FeedStore
    from storage.subscriptions import SubscriptionStore

QUERY_CACHE_SIZE = 2048


class BotData:
    """What every handler shares; filled in by the composition root (bot.app)."""

    def __init__(self) -> None:
        self.articles: ArticleStore | None = None
        self.subscriptions: SubscriptionStore | None = None
        self.feeds: FeedStore | None = None
        self.page_size = 5
        # Queries behind paging buttons: a query can exceed 64 bytes of callback data.
        self.queries: OrderedDict[str, str] = OrderedDict()


class NewsContext(
    CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]
):
    """CallbackContext with the stores as typed properties."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def articles(self) -> ArticleStore:
        """The article store."""
        store = self.bot_data.articles
        if store is None:
            raise RuntimeError("the article store is not open yet")
        return store

    @property
    def subscriptions(self) -> SubscriptionStore:
        """The subscription store."""
        store = self.bot_data.subscriptions
        if store is None:
            raise RuntimeError("the subscription store is not open yet")
        return store

    @property
    def feeds(self) -> FeedStore:
        """The feed store."""
        store = self.bot_data.feeds
        if store is None:
            raise RuntimeError("the feed store is not open yet")
        return store

    @property
    def page_size(self) -> int:
        """Results per page in private chats."""
        return self.bot_data.page_size

    def remember_query(self, query: str) -> str:
        """A short key for a query, for paging buttons; old keys are forgotten (LRU)."""
        key = hashlib.blake2s(query.encode(), digest_size=6).hexdigest()
        cache = self.bot_data.queries
        cache[key] = query
        cache.move_to_end(key)
        while len(cache) > QUERY_CACHE_SIZE:
            cache.popitem(last=False)
        return key

    def recall_query(self, key: str) -> str | None:
        """The query behind a paging key, or None when it was forgotten (e.g. after a restart)."""
        return self.bot_data.queries.get(key)

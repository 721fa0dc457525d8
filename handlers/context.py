"""The typed context: handlers reach the stores through properties, not casts out of bot_data."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackContext, ExtBot

from ingest.web import FetchPolicy
from services.access import Access, RefusalBudget

if TYPE_CHECKING:
    from storage.articles import ArticleStore
    from storage.feeds import FeedStore
    from storage.outbox import OutboxStore
    from storage.paging import PagingKeys
    from storage.story_store import StoryStore
    from storage.subscriptions import SubscriptionStore


T = TypeVar("T")
GROUP_PAGE_SIZE = 3  # results per page in groups, where lists stay compact


def is_group(update: Update) -> bool:
    """Whether the update comes from a group or supergroup (replies stay compact there)."""
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def _opened(store: T | None) -> T:
    if store is None:
        raise RuntimeError("the stores are not open yet (post_init has not run)")
    return store


class BotData:
    """What every handler shares; filled in by the composition root (bot.app)."""

    def __init__(self) -> None:
        self.articles: ArticleStore | None = None
        self.subscriptions: SubscriptionStore | None = None
        self.feeds: FeedStore | None = None
        self.outbox: OutboxStore | None = None
        self.paging: PagingKeys | None = None
        self.stories: StoryStore | None = None
        self.page_size = 5
        self.fetch_policy = FetchPolicy()
        self.access = Access()
        self.refusals = RefusalBudget()


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
        return _opened(self.bot_data.articles)

    @property
    def subscriptions(self) -> SubscriptionStore:
        """The subscription store."""
        return _opened(self.bot_data.subscriptions)

    @property
    def outbox(self) -> OutboxStore:
        """The delivery outbox (what subscriptions were sent)."""
        return _opened(self.bot_data.outbox)

    @property
    def feeds(self) -> FeedStore:
        """The feed store."""
        return _opened(self.bot_data.feeds)

    @property
    def paging(self) -> PagingKeys:
        """The queries behind paging buttons."""
        return _opened(self.bot_data.paging)

    @property
    def stories(self) -> StoryStore:
        """The stories (reports of one event grouped)."""
        return _opened(self.bot_data.stories)

    @property
    def page_size(self) -> int:
        """Results per page in private chats."""
        return self.bot_data.page_size

    @property
    def fetch_policy(self) -> FetchPolicy:
        """What /add may fetch (private hosts only when the settings allow them)."""
        return self.bot_data.fetch_policy

    @property
    def access(self) -> Access:
        """The team's allow-list and admins (handlers.access decides with them)."""
        return self.bot_data.access

    @property
    def refusals(self) -> RefusalBudget:
        """How many outsiders may still be told no right now (the rest get no answer)."""
        return self.bot_data.refusals

    def page_size_for(self, update: Update) -> int:
        """Results per page where this update comes from: fewer in groups."""
        return GROUP_PAGE_SIZE if is_group(update) else self.page_size

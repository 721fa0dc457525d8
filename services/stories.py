"""Stories for the chat and the CLI: the newest stories, one story with every source and one
summary built from all of them, and the catch-up that groups a store from before stories."""

from __future__ import annotations

from dataclasses import dataclass

from engine.models import Article, Story
from engine.story_summary import story_summary
from engine.summary import Summary
from storage.story_store import CatchUp, StoryStore

MAX_STORIES = 10  # stories one `python -m bot stories` may list


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as its view shows it: the sources (newest first), the best source, and the
    story's summary (the best source's lede, then what the others add)."""

    story: Story
    best: Article
    summary: Summary


async def latest(stories: StoryStore, *, limit: int, offset: int = 0) -> tuple[list[Story], bool]:
    """The stories with the newest sources; and whether more follow."""
    return await stories.latest(limit, max(0, offset))


async def view(stories: StoryStore, story_id: int) -> StoryView:
    """Story `story_id` with its summary (StoryNotFound)."""
    story = await stories.get(story_id)
    best, summary = story_summary(story.sources)
    return StoryView(story, best, summary)


async def group_pending(stories: StoryStore) -> CatchUp:
    """Group every article that has no story yet (a store from before stories)."""
    return await stories.group_pending()

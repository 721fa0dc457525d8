"""A story as the chat shows it: the story's summary, then every source with its title (a
link to the article), outlet and date, newest first."""

from __future__ import annotations

from handlers.render import esc, linked_title
from i18n import _, article_date, ngettext
from services.stories import StoryView


def story_message(shown: StoryView) -> str:
    """The story view: its best source's title, how many sources, the summary, the sources."""
    story = shown.story
    count = ngettext("{count} source", "{count} sources", story.size).format(count=story.size)
    label = _("story #{id}").format(id=story.id)
    head = f"🗞 {linked_title(shown.best)}\n<i>{esc(count)} · {esc(label)}</i>"
    body = esc(shown.summary.text) if shown.summary.sentences else ""
    lines = [head, body] if body else [head]
    for n, article in enumerate(story.sources, 1):
        outlet = esc(article.source or _("unknown source"))
        lines.append(
            f"{n}. {linked_title(article)}\n{outlet} · {esc(article_date(article))} · #{article.id}"
        )
    return "\n\n".join(lines)

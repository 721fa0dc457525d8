"""How the CLI prints what the services return: a line of text for people, or JSON for
scripts (`--json`: one object per result, the same fields for search, latest and summary)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from engine.models import Article, Hit, Snippet, Story, StoryBrief
from engine.story_summary import best_source
from engine.summary import Summary
from services.stories import StoryView
from storage.removal import Removal


def marked(snippet: Snippet) -> str:
    """A snippet with its matched words in [brackets]."""
    return "".join(f"[{piece}]" if mark else piece for piece, mark in snippet.pieces())


def line(article: Article, stories: Mapping[int, StoryBrief] | None = None) -> str:
    """`#id  date  title`: one article on one line; `  · 3 sources: A, B, C` after it when
    its story (in `stories`) has several sources."""
    text = f"#{article.id}  {article.date_label}  {article.title}"
    brief = (stories or {}).get(article.story_id) if article.story_id is not None else None
    if brief is not None:
        text += f"  · {brief.size} sources: {', '.join(brief.outlets)}"
    return text


def article_record(article: Article, rank: int | None = None) -> dict[str, Any]:
    """An article's fields for scripts: id, title, url, source, ISO date, and its rank."""
    record: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "date": article.published.isoformat() if article.published else None,
        "added": article.added_at.isoformat(timespec="seconds"),
        "story_id": article.story_id,
    }
    if rank is not None:
        record["rank"] = rank
    return record


def hit_record(hit: Hit, rank: int) -> dict[str, Any]:
    """A search result for scripts: the article's fields, its rank, the snippet (plain text),
    the matched words' offsets in it, and whether it was found by meaning alone."""
    record = article_record(hit.article, rank)
    record["snippet"] = hit.snippet.text
    record["marks"] = [list(span) for span in hit.snippet.marks]
    record["by_meaning"] = hit.by_meaning  # found by meaning alone: none of the words is in it
    return record


def summary_record(article: Article, summary: Summary) -> dict[str, Any]:
    """A summary for scripts: the article's fields and the summary's sentences."""
    record = article_record(article)
    record["summary"] = list(summary.sentences)
    return record


def removal_record(removal: Removal) -> dict[str, Any]:
    """What `delete` removed, for scripts."""
    return {
        "removed": list(removal.removed),
        "unknown": list(removal.unknown),
        "pending_digest_rows": removal.pending_digest_rows,
        "sent_digest_rows": removal.sent_digest_rows,
    }


def removal_lines(removal: Removal) -> list[str]:
    """What `delete` removed, for people: one line each for removed and unknown ids."""
    lines = []
    if removal.removed:
        lines.append(
            f"deleted {len(removal.removed)}: {' '.join(f'#{i}' for i in removal.removed)} "
            f"(digest entries removed: {removal.pending_digest_rows} not yet sent, "
            f"{removal.sent_digest_rows} sent)"
        )
    if removal.unknown:
        lines.append(f"no such article: {' '.join(f'#{i}' for i in removal.unknown)}")
    return lines


def story_line(story: Story, best: Article | None = None) -> str:
    """`story #id  date  N sources  title`: one story on one line (its best source's title)."""
    title = (best or best_source(story)).title
    day = story.last_day.isoformat() if story.last_day else "-"
    count = f"{story.size} source" + ("s" if story.size != 1 else "")
    return f"story #{story.id}  {day}  {count}  {title}"


def story_record(story: Story) -> dict[str, Any]:
    """A story for scripts: id, size, date, title, outlets, and its articles' ids."""
    return {
        "id": story.id,
        "size": story.size,
        "date": story.last_day.isoformat() if story.last_day else None,
        "title": best_source(story).title,
        "outlets": list(story.outlets),
        "articles": [a.id for a in story.sources],
    }


def story_view_record(shown: StoryView) -> dict[str, Any]:
    """One story for scripts: its fields, summary sentences, and every source."""
    return {
        "id": shown.story.id,
        "size": shown.story.size,
        "title": shown.best.title,
        "summary": list(shown.summary.sentences),
        "sources": [article_record(a) for a in shown.story.sources],
    }


def dumps(record: dict[str, Any]) -> str:
    """One JSON line (UTF-8 as is, not \\u-escaped)."""
    return json.dumps(record, ensure_ascii=False)

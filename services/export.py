"""The corpus as JSON lines (id, story_id, title, body, date, url, source) for `python -m bot
export`, read back by `python -m bot import` through the normal ingest (duplicates skipped),
so a team can move between SQLite and PostgreSQL or keep a backup."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from engine.models import Article
from storage.articles import ArticleStore

BATCH = 500


def record(article: Article) -> dict[str, str | int | None]:
    """One article as a JSONL record the JSONL loader reads back; `id` and `story_id` let a
    script read the grouping (an import gives new ids and groups the articles again)."""
    return {
        "id": article.id,
        "story_id": article.story_id,
        "title": article.title,
        "body": article.body,
        "date": article.published.isoformat() if article.published else None,
        "url": article.url,
        "source": article.source,
    }


async def export_corpus(articles: ArticleStore, out: TextIO) -> int:
    """Write every article, oldest first, one JSON object a line; returns how many."""
    count, cursor = 0, 0
    while batch := await articles.since(cursor, BATCH):
        for article in batch:
            out.write(json.dumps(record(article), ensure_ascii=False) + "\n")
        count += len(batch)
        cursor = batch[-1].id
    return count


@contextmanager
def output(path: str | None, stdout: TextIO) -> Iterator[TextIO]:
    """The file to write (created with its folder), or standard output for None or "-"."""
    if path in (None, "-"):
        yield stdout
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as handle:
        yield handle

"""How the CLI prints what the services return: a line of text for people, or JSON for
scripts (`--json`: one object per result, the same fields for search, latest and summary)."""

from __future__ import annotations

import json
from typing import Any

from engine.models import Article, Hit, Snippet
from engine.summary import Summary
from storage.removal import Removal


def marked(snippet: Snippet) -> str:
    """A snippet with its matched words in [brackets]."""
    return "".join(f"[{piece}]" if mark else piece for piece, mark in snippet.pieces())


def line(article: Article) -> str:
    """`#id  date  title`: one article on one line."""
    return f"#{article.id}  {article.date_label}  {article.title}"


def article_record(article: Article, rank: int | None = None) -> dict[str, Any]:
    """An article's fields for scripts: id, title, url, source, ISO date, and its rank."""
    record: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "date": article.published.isoformat() if article.published else None,
        "added": article.added_at.isoformat(timespec="seconds"),
    }
    if rank is not None:
        record["rank"] = rank
    return record


def hit_record(hit: Hit, rank: int) -> dict[str, Any]:
    """A search result for scripts: the article's fields, its rank, the snippet (plain text)
    and the matched words' offsets in it."""
    record = article_record(hit.article, rank)
    record["snippet"] = hit.snippet.text
    record["marks"] = [list(span) for span in hit.snippet.marks]
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


def dumps(record: dict[str, Any]) -> str:
    """One JSON line (UTF-8 as is, not \\u-escaped)."""
    return json.dumps(record, ensure_ascii=False)

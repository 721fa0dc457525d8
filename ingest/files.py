"""Read articles from files: .txt/.md (seed format), .html (trafilatura), .jsonl (one per line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from engine.document import parse_text_article, too_little_text
from engine.errors import IngestError, NoArticleText
from engine.models import ParsedArticle
from engine.reader_comments import without_reader_comments
from engine.text import shorten

SUPPORTED = (".txt", ".md", ".html", ".htm", ".jsonl")
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class BadRecord:
    """One record of a many-record file (a JSONL line) that could not be read; the others can."""

    line: int
    reason: str


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Every supported file under the given files and folders, in a stable order (a folder's
    README is documentation, not an article; a README named on its own is read)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUPPORTED and not p.name.lower().startswith("readme")
            )
        else:
            yield path


def iter_sources(paths: list[Path], root: Path | None = None) -> Iterator[tuple[Path, str]]:
    """Every supported file (as iter_files) with the source name its articles show: its path
    within the folder it was found in ("business/290.txt"; five BBC folders each have a
    290.txt), or within `root`, or its name when it was named on its own."""
    for path in paths:
        base = root or (path if path.is_dir() else path.parent)
        for found in iter_files([path]):
            try:
                yield found, found.relative_to(base).as_posix()
            except ValueError:  # outside the root: its name is all there is to show
                yield found, found.name


def html_to_article(
    html: str, *, source: str | None = None, url: str | None = None
) -> ParsedArticle:
    """Main text and metadata of an HTML page, boilerplate removed, through trafilatura."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False
    )
    if extracted is None:
        raise IngestError("no article text found in the page")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = (data.get("text") or "").strip()
    if not body:
        raise IngestError("no article text found in the page")
    parsed = _with_text(parse_text_article(body, source=source, url=url or data.get("url")))
    title = (data.get("title") or "").strip() or parsed.title
    published = _date(data.get("date"))
    return ParsedArticle(
        title=shorten(title, 300),
        body=parsed.body,
        published=published,
        source=source,
        url=parsed.url,
    )


def _date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _with_text(article: ParsedArticle) -> ParsedArticle:
    """The article, or NoArticleText when its body is only scraps (a menu, "Home")."""
    if too_little_text(article.body):
        raise NoArticleText(article.body or article.title)
    return article


def _jsonl_article(record: object, source: str) -> ParsedArticle:
    if not isinstance(record, dict):
        raise IngestError("the line is not a JSON object")
    body = record.get("body") or record.get("text") or record.get("content")
    if not isinstance(body, str) or not body.strip():
        raise IngestError("the record has no body/text")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    parsed = _with_text(parse_text_article(body, source=source, url=url))
    title = record.get("title")
    return ParsedArticle(
        title=shorten(title, 300) if isinstance(title, str) and title.strip() else parsed.title,
        body=parsed.body,
        published=_date(record.get("date") or record.get("published")) or parsed.published,
        source=record.get("source") if isinstance(record.get("source"), str) else source,
        url=url,
    )


def _jsonl_records(raw: str, source: str) -> Iterator[ParsedArticle | BadRecord]:
    """Each line's article, or where and why a line is unusable; the next line is still read."""
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadRecord(number, f"not JSON ({exc.msg})")
            continue
        except RecursionError:
            yield BadRecord(number, "not JSON (nested too deeply)")
            continue
        try:
            yield _jsonl_article(record, source)
        except IngestError as exc:
            yield BadRecord(number, str(exc))


def load_file(path: Path, source: str | None = None) -> Iterator[ParsedArticle | BadRecord]:
    """Articles in one file, and its unusable records (JSONL lines) as BadRecord.

    A file that cannot be read at all raises IngestError with a reason a person can act on.
    """
    suffix = path.suffix.lower()
    if not path.exists():  # before its type: /nonexistent has none, and that is not the news
        raise IngestError("no such file or folder")
    if suffix not in SUPPORTED:
        raise IngestError(f"unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED)}")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise IngestError(f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except UnicodeDecodeError:
        raise IngestError("not UTF-8 text") from None
    except OSError as exc:
        raise IngestError(exc.strerror or str(exc)) from None
    source = source or path.name
    if not raw.strip():
        raise IngestError("file is empty")
    if suffix == ".jsonl":
        yield from _jsonl_records(raw, source)
    elif suffix in (".html", ".htm"):
        yield html_to_article(raw, source=source)
    else:
        # Saved pages sometimes carry readers' comments below the story (engine.reader_comments).
        yield _with_text(parse_text_article(without_reader_comments(raw), source=source))

"""`python -m bot feeds …`: add URL, list, remove ID, poll (every feed, now), import FILE
(OPML: addresses checked, nothing fetched), export [--out FILE] (OPML, standard output by
default)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.container import Services
from engine.errors import NewsbotError
from engine.numbers import is_ascii_int, parse_int
from engine.opml import OpmlFeed, parse_opml, write_opml
from handlers.render.feeds import import_report
from storage.feeds import MAX_FEED_ID


def _digits(text: str) -> str:
    """An argparse type for ids: ASCII digits, kept as typed (a huge id is simply not there)."""
    if not is_ascii_int(text):
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, got {text!r}")
    return text


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """The `feeds` subcommand and its actions."""
    p = sub.add_parser(
        "feeds", help="RSS/Atom feeds: add URL, list, remove ID, poll now, OPML import/export"
    )
    feeds = p.add_subparsers(dest="action", required=True)
    feeds.add_parser("add").add_argument("url")
    feeds.add_parser("remove").add_argument("id", type=_digits, metavar="ID")
    feeds.add_parser("list")
    feeds.add_parser("poll")
    feeds.add_parser("import").add_argument("file", metavar="FILE.opml")
    feeds.add_parser("export").add_argument("--out", metavar="FILE.opml", help="default: stdout")


async def run(services: Services, args: argparse.Namespace) -> int:
    """Carry out one `feeds` action; the exit status."""
    if args.action == "add":
        feed = await services.feeds.add(args.url)
        print(f"feed #{feed.id}: {feed.url} (polled by the running bot every FEED_POLL_MINUTES)")
        return 0
    if args.action == "remove":
        feed_id = parse_int(args.id, 1, MAX_FEED_ID)
        removed = feed_id is not None and await services.feeds.remove(feed_id)
        print(f"feed #{args.id} removed" if removed else f"no feed #{args.id}")
        return 0 if removed else 1
    if args.action == "import":
        return await _import(services, Path(args.file))
    if args.action == "export":
        return await _export(services, args.out)
    if args.action == "list":
        return await _list(services)
    return await _poll(services)


async def _list(services: Services) -> int:
    feeds = await services.feeds.all()
    for feed in feeds:
        print(f"#{feed.id}  {feed.url}  ({feed.state})")
    if not feeds:
        print("No feeds. Add one with: python -m bot feeds add URL")
    return 0


async def _poll(services: Services) -> int:
    from ingest.feeds import refresh
    from ingest.web import http_client

    # By hand: every feed, backing off or not, under the settings' fetch policy.
    async with http_client(services.fetch_policy) as client:
        for feed in await services.feeds.all():
            done = await refresh(client, services.feeds, services.articles, feed)
            state = "not modified" if done.poll.not_modified else f"{len(done.added)} new"
            print(f"{feed.url}: {state}, {done.duplicates} duplicates")
            for error in done.poll.errors:
                print(f"  {error}", file=sys.stderr)
    return 0


async def _import(services: Services, path: Path) -> int:
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise NewsbotError(f"cannot read {path}: {exc.strerror}") from None
    report = await services.feeds.add_many([(e.url, e.title) for e in parse_opml(data)])
    print(import_report(report))
    return 1 if report.invalid and not (report.added or report.existing) else 0


def _write(target: Path, document: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(document)


async def _export(services: Services, out: str | None) -> int:
    feeds = await services.feeds.all()
    document = write_opml(OpmlFeed(f.url, f.title) for f in feeds)
    if out in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
    else:
        await asyncio.to_thread(_write, Path(out), document)
    print(f"exported {len(feeds)} feeds", file=sys.stderr)
    return 0

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
from engine.numbers import is_ascii_int
from services import feeds as feed_service


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
    p = feeds.add_parser("add", help="a feed, or a page that announces one (fetched to check)")
    p.add_argument("url")
    p.add_argument("--as-is", action="store_true", help="add the address unfetched")
    feeds.add_parser("remove").add_argument("id", type=_digits, metavar="ID")
    feeds.add_parser("list")
    feeds.add_parser("poll")
    feeds.add_parser("import").add_argument("file", metavar="FILE.opml")
    feeds.add_parser("export").add_argument("--out", metavar="FILE.opml", help="default: stdout")


async def run(services: Services, args: argparse.Namespace) -> int:
    """Carry out one `feeds` action; the exit status."""
    if args.action == "add":
        return await _add(services, args.url, check=not args.as_is)
    if args.action == "remove":
        removed = await feed_service.remove(services.feeds, args.id)
        print(f"feed #{args.id} removed" if removed else f"no feed #{args.id}")
        return 0 if removed else 1
    if args.action == "import":
        return await _import(services, Path(args.file))
    if args.action == "export":
        return await _export(services, args.out)
    if args.action == "list":
        return await _list(services)
    return await _poll(services)


async def _add(services: Services, url: str, *, check: bool) -> int:
    added = await feed_service.add(services.feeds, services.fetch_policy, url, check=check)
    feed = f"feed #{added.feed.id}" if added.feed else "that feed"
    if added.new:
        print(f"{feed}: {added.url} (polled by the running bot every FEED_POLL_MINUTES)")
    else:
        print(f"{feed} is already on the list: {added.url}")
    return 0


async def _list(services: Services) -> int:
    feeds = await services.feeds.all()
    for feed in feeds:
        print(f"#{feed.id}  {feed.url}  ({feed.state})")
    if not feeds:
        print("No feeds. Add one with: python -m bot feeds add URL")
    return 0


async def _poll(services: Services) -> int:
    # By hand: every feed, backing off or not, under the settings' fetch policy.
    polls = feed_service.poll_all(services.feeds, services.articles, services.fetch_policy)
    async for feed, done in polls:
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
    report = await feed_service.import_opml(services.feeds, data)
    print(feed_service.import_report(report))
    return 1 if report.invalid and not (report.added or report.existing) else 0


def _write(target: Path, document: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(document)


async def _export(services: Services, out: str | None) -> int:
    document, count = await feed_service.export_opml(services.feeds)
    if out in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
    else:
        await asyncio.to_thread(_write, Path(out), document)
    print(f"exported {count} feeds", file=sys.stderr)
    return 0

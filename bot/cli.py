"""Command line: search (bot/search_cli.py), latest, summary, stories, story, ingest, export,
import, delete, feeds, vectors, summaries, trend, run, console (python -m bot --help)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from bot import cli_output as out
from bot import delete_cli, feeds_cli, search_cli, stories_cli, summaries_cli, vectors_cli
from bot.container import Services, open_services
from bot.logs import configure_logging
from bot.settings import Settings
from engine.errors import NewsbotError, NotANumber
from engine.numbers import parse_int
from engine.summary import MAX_SENTENCES
from engine.trends import MAX_DAYS
from services import search as searching
from services import summaries, trends
from services.search import MAX_LATEST
from storage.db import store_failure


class UsageError(Exception):
    """A command's arguments that its usage does not allow (printed as one `error:` line)."""


def _unusable(words: list[str], wanted: str) -> NoReturn:
    """A target the chat would answer with its usage line: a lone "²" is not an id, and a
    trailing number out of range is no count (`--sentences` / `--days` take any words)."""
    lone = len(words) == 1 and words[0].lstrip("#").isdigit()
    if lone:
        raise NotANumber(words[0])
    raise UsageError(f"expected {wanted}, got “{' '.join(words)}”")


async def _latest(services: Services, args: argparse.Namespace) -> int:
    found = await searching.latest(services.articles, limit=args.n, stories=services.stories)
    if args.json:
        for rank, article in enumerate(found.articles, 1):
            print(out.dumps(out.article_record(article, rank)))
        return 0
    if not found.articles:
        print("The store is empty.")
    for article in found.articles:
        print(out.line(article, found.stories))
    return 0


async def _summary(services: Services, args: argparse.Namespace) -> int:
    request = summaries.parse_request(args.target, args.sentences)
    if request is None:  # the chat's usage reply, as one line
        _unusable(args.target, f"ID or WORDS, then optionally N from 1 to {MAX_SENTENCES}")
    article, summary = await summaries.summarize(services.articles, request)
    if args.json:
        print(out.dumps(out.summary_record(article, summary)))
        return 0
    print(out.line(article))
    if article.source or article.url:
        print(f"source: {article.url or article.source}")
    print()
    print(summary.text)
    return 0


async def _ingest(services: Services, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from ingest.pipeline import ingest_paths

    def progress(files: list[Path]) -> Iterable[Path]:
        bar: Iterable[Path] = tqdm(
            files, unit="file", disable=len(files) < 50 or not sys.stderr.isatty()
        )
        return bar

    paths = [Path(p) for p in args.paths]
    report = await ingest_paths(services.articles, paths, progress, bulk=True)
    for failure in report.failures:
        print(f"skipped {failure}", file=sys.stderr)
    bad_lines = sum(1 for f in report.failures if f.line is not None)
    print(
        f"added {len(report.added)}, duplicates skipped {report.duplicates}, "
        f"failed files {len(report.failures) - bad_lines}, bad lines {bad_lines}"
    )
    return 0 if report.added or not report.failures else 1


async def _export(services: Services, args: argparse.Namespace) -> int:
    from services.export import export_corpus, output

    with output(args.out, sys.stdout) as out:
        count = await export_corpus(services.articles, out)
    print(f"exported {count} articles", file=sys.stderr)
    return 0


async def _trend(services: Services, args: argparse.Namespace) -> int:
    from services import charts

    request = trends.parse_request(args.words, args.days)
    if request is None:  # the chat's usage reply, as one line
        _unusable(args.words, f"WORDS, then optionally days from 1 to {MAX_DAYS}")
    found = await trends.mentions(services.articles, request)
    if not found.total:
        print(f"No article of the last {found.days} days mentions “{' '.join(found.words)}”.")
        return 1
    png = await asyncio.to_thread(charts.render_png, found)
    await asyncio.to_thread(Path(args.out).write_bytes, png)
    print(f"{charts.title(found)} → {args.out}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with a usage mistake on one line (the full usage is one --help away)."""

    def error(self, message: str) -> NoReturn:
        """Print `error: …` on one line and exit with status 2."""
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: ASCII digits from `low` to `high` (the bot's ranges)."""

    def number(text: str) -> int:
        value = parse_int(text, low, high)
        if value is None:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high}, got {text!r}"
            )
        return value

    return number


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser; its subcommands are the CLI's commands."""
    parser = _Parser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "search",
        help="search the corpus (typo-tolerant)",
        description=(
            "--json prints one JSON object a result, in rank order: id, title, url, source, "
            "date (publication, ISO, or null), added (ISO), rank, snippet (plain text) and "
            "marks ([start, end] offsets of the matched words in the snippet, in characters). "
            "With --json and the query -, each line of standard input is a query and each "
            "output line answers one, in order: {query, corrected, results} or {query, error}."
        ),
    )
    p.add_argument("query", nargs="+", help="the words; with --json, - reads a query a line")
    p.add_argument("--limit", type=_number(1, MAX_LATEST), default=5)
    p.add_argument("--json", action="store_true", help="JSON lines for scripts")
    p = sub.add_parser("latest", help="newest articles")
    p.add_argument("n", nargs="?", type=_number(1, MAX_LATEST), default=5, metavar="N")
    p.add_argument("--json", action="store_true", help="JSON lines for scripts")
    p = sub.add_parser("summary", help="summary of an article, by id or best match of a query")
    p.add_argument("target", nargs="+", metavar="ID|QUERY")
    p.add_argument(
        "--sentences", type=_number(1, MAX_SENTENCES), help="default: 3, or a trailing N"
    )
    p.add_argument("--json", action="store_true", help="one JSON object for scripts")
    p = sub.add_parser("ingest", help="add .txt/.md/.html/.jsonl files or folders")
    p.add_argument("paths", nargs="+")
    p = sub.add_parser("export", help="write the corpus as JSON lines (a backup, a move)")
    p.add_argument("--out", metavar="FILE.jsonl", help="default: standard output")
    p = sub.add_parser("import", help="read an export back (duplicates skipped)")
    p.add_argument("paths", nargs="+", metavar="FILE.jsonl")
    delete_cli.add_parser(sub)
    feeds_cli.add_parser(sub)
    stories_cli.add_parsers(sub, _number)
    vectors_cli.add_parser(sub)
    summaries_cli.add_parser(sub)
    p = sub.add_parser("trend", help="a PNG chart of articles mentioning words per day or week")
    p.add_argument("words", nargs="+")
    p.add_argument("--days", type=_number(1, MAX_DAYS), help="default: 30, or a trailing N")
    p.add_argument("--out", metavar="FILE.png", required=True)
    sub.add_parser("run", help="run the Telegram bot (needs BOT_TOKEN)")
    sub.add_parser("console", help="talk to the bot offline, without a token")
    return parser


_COMMANDS: dict[str, Callable[[Services, argparse.Namespace], Awaitable[int]]] = {
    "search": search_cli.run,
    "latest": _latest,
    "summary": _summary,
    "ingest": _ingest,
    "export": _export,
    "import": _ingest,  # an export is JSONL, which ingest reads
    "delete": delete_cli.run,
    "feeds": feeds_cli.run,
    "trend": _trend,
    "vectors": vectors_cli.run,
    "summaries": summaries_cli.run,
    **stories_cli.COMMANDS,
}


# Commands that add a team's own articles (feeds: a poll), or remove them: the seeds never go
# in with them.
ADDING = frozenset({"ingest", "import", "feeds", "delete"})


# Commands that only read: they work on a store that cannot be written (a read-only copy).
READING = frozenset({"search", "latest", "summary", "export", "trend", "stories", "story"})


# Commands that search: they fuse words and meaning as the chat does.
SEARCHING = frozenset({"search", "summary"})


async def _run_store_command(settings: Settings, args: argparse.Namespace) -> int:
    writes = args.command not in READING or getattr(args, "regroup", False)
    services = await open_services(settings, seed=args.command not in ADDING, writes=writes)
    try:
        if args.command in SEARCHING:
            await search_cli.fill_meaning(services)
        return await _COMMANDS[args.command](services, args)
    except Exception as exc:  # a full disk mid-ingest: one line, not a traceback with text
        if (failure := store_failure(exc)) is None:
            raise
        raise failure from None
    finally:
        await services.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot`."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a mistake already explained on one line
        return exc.code if isinstance(exc.code, int) else 2
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        print(f"error: bad setting: {problems}", file=sys.stderr)
        return 2
    token = settings.bot_token.get_secret_value() if settings.bot_token else None
    # The console is a conversation on the terminal: only warnings and errors interrupt it.
    level = "WARNING" if args.command == "console" else settings.log_level
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    configure_logging(level, token, secret)
    try:
        if args.command == "run":
            from bot.app import run

            return run(settings)
        if args.command == "console":
            from bot.console import run_console

            return asyncio.run(run_console(settings))
        return asyncio.run(_run_store_command(settings, args))
    except (NewsbotError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `python -m bot summary 2 | head -5`: the reader has enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush is quiet
        return 0

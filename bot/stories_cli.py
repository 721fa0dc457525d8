"""`python -m bot stories [N] [--json] [--regroup]` and `python -m bot story ID [--json]`:
the newest stories (one event reported by several outlets) and one story with its summary and
every source's link; `--regroup` groups the articles a store from before stories holds."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import Any

from bot import cli_output as out
from bot.container import Services
from engine.errors import NotANumber
from engine.numbers import story_id
from services import stories as story_service
from services.stories import MAX_STORIES


def add_parsers(
    sub: argparse._SubParsersAction[Any], number: Callable[[int, int], Callable[[str], int]]
) -> None:
    """The `stories` and `story` subcommands; `number(low, high)` reads a count."""
    p = sub.add_parser(
        "stories",
        help="newest stories (one event reported by several sources) with their outlets",
        description=(
            "--json prints one JSON object a story: id, size, date (its newest source's), "
            "title (its best source's), outlets and articles (ids, newest first). --regroup "
            "groups the articles that have no story yet (a store from before stories; the bot "
            "also does it at start) and says how many."
        ),
    )
    p.add_argument("n", nargs="?", type=number(1, MAX_STORIES), default=5, metavar="N")
    p.add_argument("--json", action="store_true", help="JSON lines for scripts")
    p.add_argument("--regroup", action="store_true", help="group articles without a story")
    p = sub.add_parser(
        "story",
        help="one story: its summary and every source with its link",
        description=(
            "--json prints one JSON object: id, size, title, summary (sentences) and sources "
            "(id, title, url, source, date, added; newest first)."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="one JSON object for scripts")


async def stories(services: Services, args: argparse.Namespace) -> int:
    """The newest stories with their outlets (or, with --regroup, the catch-up's figures)."""
    if args.regroup:
        done = await story_service.group_pending(services.stories)
        print(
            f"grouped {done.articles} articles that had no story: {done.new_stories} new "
            f"stories; {done.stories} stories in all"
        )
        return 0
    found, _ = await story_service.latest(services.stories, limit=args.n)
    if args.json:
        for story in found:
            print(out.dumps(out.story_record(story)))
        return 0
    if not found:
        print("No stories yet.")
    for story in found:
        print(out.story_line(story))
        print(f"    {', '.join(story.outlets) or '-'}")
    return 0


async def story(services: Services, args: argparse.Namespace) -> int:
    """One story: its summary, then every source with its outlet and link."""
    number = story_id(args.id)
    if number is None:
        raise NotANumber(args.id)
    shown = await story_service.view(services.stories, number)
    if args.json:
        print(out.dumps(out.story_view_record(shown)))
        return 0
    print(out.story_line(shown.story, shown.best))
    print()
    print(shown.summary.text)
    print()
    for article in shown.story.sources:
        print(out.line(article))
        print(f"    {article.source or '-'}  {article.url or ''}".rstrip())
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], Awaitable[int]]] = {
    "stories": stories,
    "story": story,
}

"""`python -m bot delete ID…`: remove articles (services.corpus, as the chat's /delete), and
print what went: a line for people or one JSON object (`--json`)."""

from __future__ import annotations

import argparse
from typing import Any

from bot import cli_output as out
from bot.container import Services
from services import corpus


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """The `delete` subcommand."""
    p = sub.add_parser(
        "delete",
        help="remove articles from search and from digests not yet sent",
        description=(
            f"Removes the articles (at most {corpus.MAX_REMOVED} ids) and everything that "
            "refers to them: the search index and its vocabulary, digest entries not yet sent "
            "and sent ones. --json prints {removed, unknown, pending_digest_rows, "
            "sent_digest_rows}. Exits 1 when none of the ids named an article."
        ),
    )
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--json", action="store_true", help="one JSON object for scripts")


async def run(services: Services, args: argparse.Namespace) -> int:
    """Remove the articles; 1 when none of the ids named one."""
    removal = await corpus.delete(services.articles, args.ids)
    if args.json:
        print(out.dumps(out.removal_record(removal)))
    else:
        for line in out.removal_lines(removal):
            print(line)
    return 0 if removal.removed else 1

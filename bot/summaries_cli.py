"""`python -m bot summaries [--json]`: make every stored default summary again with today's
rules (after an upgrade that changed them; new articles get them when they are added)."""

from __future__ import annotations

import argparse
from typing import Any

from tqdm import tqdm

from bot import cli_output as out
from bot.container import Services
from services import summaries


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """The `summaries` subcommand."""
    p = sub.add_parser(
        "summaries",
        help="make every stored default summary again with today's rules",
        description=(
            "Reads every article, oldest first, a chunk at a time, and stores its default "
            "summary made with today's rules where it changed (each chunk in its own short "
            "write). --json prints {articles, changed}."
        ),
    )
    p.add_argument("--json", action="store_true", help="one JSON object for scripts")


async def run(services: Services, args: argparse.Namespace) -> int:
    """Recompute the stored summaries and say how many changed."""
    total = await services.articles.count()
    with tqdm(total=total, unit="article", disable=args.json or not total) as bar:
        done = await summaries.recompute(services.articles, lambda n: bar.update(n - bar.n))
    if args.json:
        print(out.dumps({"articles": done.articles, "changed": done.changed}))
    else:
        print(f"{done.changed} of {done.articles} stored summaries made again with today's rules")
    return 0

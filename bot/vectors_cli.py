"""`python -m bot vectors [--reindex] [--status] [--json]`: give every article without one its
vector for search by meaning now (the bot does it in the background; a large import or a
model change is quicker here), and say how far the store is."""

from __future__ import annotations

import argparse
import os
from typing import Any

from tqdm import tqdm

from bot import cli_output as out
from bot.container import Services
from ingest.embedder import E5Embedder
from ingest.vectors import catch_up


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """The `vectors` subcommand."""
    p = sub.add_parser(
        "vectors",
        help="embed the articles that have no vector yet (search by meaning)",
        description=(
            "Embeds every article without a vector of the current model, newest first, and "
            "stores it (the bot does the same in the background). --reindex deletes every "
            "vector first (after a model change). --status only counts. --json prints "
            "{articles, with_vector, embedded, seconds}."
        ),
    )
    p.add_argument("--reindex", action="store_true", help="embed every article again")
    p.add_argument("--status", action="store_true", help="only say how many have a vector")
    p.add_argument("--json", action="store_true", help="one JSON object for scripts")


async def run(services: Services, args: argparse.Namespace) -> int:
    """Embed what is missing (everything with --reindex) and report."""
    embedded, seconds = 0, 0.0
    if not args.status:
        if args.reindex:
            await services.vectors.forget_all()
        before = await services.vectors.status()
        todo = before.articles - before.with_vector
        with tqdm(total=todo, unit="article", disable=args.json or not todo) as bar:
            # A command, not the bot: nothing to answer while it runs, so every core embeds
            # (the bot's background catch-up uses one: ingest/embedder.py).
            embedder = E5Embedder(passage_threads=os.cpu_count() or 1)
            done = await catch_up(
                services.vectors, embedder, progress=lambda n: bar.update(n - bar.n)
            )
        embedded, seconds = done.stored, done.seconds
    status = await services.vectors.status()
    if args.json:
        record = {
            "articles": status.articles,
            "with_vector": status.with_vector,
            "embedded": embedded,
            "seconds": round(seconds, 1),
        }
        print(out.dumps(record))
        return 0
    if embedded:
        print(f"embedded {embedded} articles in {seconds:.1f} s ({embedded / seconds:.1f}/s)")
    model = services.vectors.model
    print(f"{status.with_vector} of {status.articles} articles have a vector ({model})")
    return 0

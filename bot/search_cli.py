"""`python -m bot search QUERY [--limit N] [--json]`: the chat's search (services.search) on
the command line, one query or (`--json -`) a query a line from stdin; search by meaning as in
the chat, over a plain matrix (one search has no graph to build)."""

from __future__ import annotations

import argparse
import sys

from bot import cli_output as out
from bot.container import Services
from engine.errors import QueryError
from services import search as searching


async def fill_meaning(services: Services) -> None:
    """Search by meaning, as in the chat; when the model cannot load, by words alone (said)."""
    if services.articles.meaning is None:
        return  # SEARCH_BY_MEANING=false
    try:
        services.articles.meaning = None  # one search: a plain matrix, not a graph to build
        services.use_meaning(exact=True)
        await services.fill_meaning()
    except Exception as exc:
        services.articles.meaning = None
        print(f"warning: search by meaning is off ({exc}); searching by words", file=sys.stderr)


async def _search_one(services: Services, query: str, limit: int) -> int:
    found = await searching.search(
        services.articles, None, query, limit=limit, stories=services.stories
    )
    page = found.page
    if page.corrected:
        print(f"(showing results for: {' '.join(page.corrected)})")
    if not page.hits:
        print("No matching articles.")
        return 1
    for hit in page.hits:
        print(out.line(hit.article, found.stories))
        mark = "≈ " if hit.by_meaning else ""  # found by meaning: none of the words is in it
        print(f"    {mark}{out.marked(hit.snippet)}")
    return 0


async def _search_json(services: Services, query: str, limit: int) -> int:
    page = (await searching.search(services.articles, None, query, limit=limit)).page
    for rank, hit in enumerate(page.hits, 1):
        print(out.dumps(out.hit_record(hit, rank)))
    return 0 if page.hits else 1


async def _search_lines(services: Services, limit: int) -> int:
    """`search --json -`: a query a line on standard input, a JSON line a query on output."""
    for raw in sys.stdin:
        query = raw.rstrip("\r\n")
        record: dict[str, object] = {"query": query}
        try:
            page = (await searching.search(services.articles, None, query, limit=limit)).page
        except QueryError as exc:
            record["error"] = str(exc)
        else:
            record["corrected"] = list(page.corrected)
            record["results"] = [out.hit_record(h, n) for n, h in enumerate(page.hits, 1)]
        print(out.dumps(record), flush=True)
    return 0


async def run(services: Services, args: argparse.Namespace) -> int:
    """`search QUERY`: one query, its results as lines or JSON; `--json -`: a query a line."""
    query = " ".join(args.query)
    if args.json and query == "-":
        return await _search_lines(services, args.limit)
    if args.json:
        return await _search_json(services, query, args.limit)
    return await _search_one(services, query, args.limit)

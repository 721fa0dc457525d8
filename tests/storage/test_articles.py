from pathlib import Path

import pytest
from sqlalchemy import text

from engine.errors import ArticleNotFound, EmptyQuery, QueryTooLong
from engine.models import ParsedArticle
from engine.summary import summarize
from engine.text import words
from ingest.pipeline import ingest_paths, seed_if_empty
from storage.articles import ArticleStore
from tests.support.samples import SEED_FILES, seed_id


async def test_first_run_seeds_an_empty_store_once(store: ArticleStore) -> None:
    report = await seed_if_empty(store)
    assert report is not None and len(report.added) == 5
    assert await seed_if_empty(store) is None
    assert await store.count() == 5


async def test_a_missing_seeds_folder_is_said_not_silent(
    store: ArticleStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An install that left seeds/ behind starts empty, and the log says why."""
    assert await seed_if_empty(store, tmp_path / "seeds") is None
    assert await store.count() == 0
    assert any("holds no seed articles" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("query", "seed"),
    [
        ("Khankendy summit", "000"),
        ("Azerbajan Armenia peace", "004"),
        ("Bayramov ECO", "002"),
        ("Hajiyev Brussels", "003"),
        ("Khojaly", "004"),
    ],
)
async def test_misspelled_queries_find_the_right_seed_first(
    seeded: ArticleStore, query: str, seed: str
) -> None:
    page = await seeded.search(query)
    assert page.hits[0].article.id == seed_id(seed)


async def test_boilerplate_is_not_searchable(seeded: ArticleStore) -> None:
    page = await seeded.search("stone dealer Zaporizhzhia")
    assert page.hits == ()


async def test_paging_walks_the_whole_ranking_without_repeats(seeded: ArticleStore) -> None:
    first = await seeded.search("azerbaijan", limit=2)
    second = await seeded.search("azerbaijan", limit=2, offset=2)
    third = await seeded.search("azerbaijan", limit=2, offset=4)
    ids = [h.article.id for p in (first, second, third) for h in p.hits]
    assert sorted(ids) == [1, 2, 3, 4, 5]
    assert first.has_more and second.has_more and not third.has_more


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR",
        "AND",
        "' OR 1=1 --",
        "🙂 summit",
        "summit)",
        "^summit",
        "summit NEAR(peace)",
        "summit OR peace",
        "-summit",
        "summit NOT azerbaijan",
        '"summit" AND "peace"',
        "col:summit",
        "'; DROP TABLE articles; --",
    ],
)
async def test_search_syntax_and_sql_never_reach_sqlite_as_syntax(
    seeded: ArticleStore, query: str
) -> None:
    """Operators and SQL in a query are plain words: it finds what its words alone find."""
    plain = " ".join(words(query))
    if not plain:
        with pytest.raises(EmptyQuery):
            await seeded.search(query)
        return
    page = await seeded.search(query)
    expected = await seeded.search(plain)
    assert [h.article.id for h in page.hits] == [h.article.id for h in expected.hits]
    assert await seeded.count() == len(SEED_FILES)


async def test_empty_and_huge_queries_raise_domain_errors(seeded: ArticleStore) -> None:
    with pytest.raises(EmptyQuery):
        await seeded.search("   ")
    with pytest.raises(QueryTooLong):
        await seeded.search("x" * 10_000)


async def test_unknown_ids_and_no_match_raise_domain_errors(seeded: ArticleStore) -> None:
    for article_id in (999, 0, -1, 2**63, 10**30):
        with pytest.raises(ArticleNotFound):
            await seeded.get(article_id)
    assert not (await seeded.search("zzzzqqq")).hits


async def test_duplicates_are_skipped_and_counted(seeded: ArticleStore) -> None:
    body = "A new story about the ECO summit.\nIt has two lines."
    result = await seeded.add([ParsedArticle("T", body), ParsedArticle("T2", body.upper())])
    assert len(result.added) == 1 and result.duplicates == 1
    again = await seeded.add([ParsedArticle("T", body)])
    assert again.added == () and again.duplicates == 1


async def test_new_articles_are_searchable_at_once(seeded: ArticleStore) -> None:
    await seeded.search("zebra")  # loads the vocabulary before the add
    await seeded.add([ParsedArticle("Zebras in Baku", "A zebra crossing opened in Baku today.")])
    page = await seeded.search("zebras")
    assert page.hits and page.hits[0].article.title == "Zebras in Baku"


async def test_fts_index_follows_updates_and_deletes(seeded: ArticleStore) -> None:
    """SQLite's triggers keep FTS5 in step with any change to a row (the term counts follow
    the store's own adds and removals: tests/storage/test_vocabulary_modes.py)."""
    sessions = seeded._sessions
    async with sessions.begin() as session:
        await session.execute(text("UPDATE articles SET body = 'quokka' WHERE id = 1"))
        await session.execute(text("DELETE FROM articles WHERE id = 2"))
    async with sessions() as session:
        matched = await session.scalars(
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'quokka'")
        )
        assert list(matched) == [1]
    ids = [h.article.id for h in (await seeded.search("azerbaijan", limit=10)).hits]
    assert 2 not in ids and 1 not in ids


async def test_latest_puts_dated_and_undated_articles_in_order(seeded: ArticleStore) -> None:
    articles, more = await seeded.latest(5)
    assert len(articles) == 5 and not more
    days = [a.day for a in articles]
    assert days == sorted(days, reverse=True)


async def test_default_summary_is_cached_with_the_article(
    seeded: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = await seeded.get(seed_id("002"))
    first = await seeded.summary(article)
    assert 1 <= len(first.sentences) <= 3 and "Bayramov" in first.text

    def recomputed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the default summary was computed again")

    monkeypatch.setattr("storage.articles.summarize", recomputed)
    # Kept with the article in the database: another process's store reads it, too.
    assert await ArticleStore(seeded._sessions).summary(article) == first


async def test_the_default_summary_is_written_when_the_article_is_added(
    store: ArticleStore,
) -> None:
    body = (
        "The port of Alat opened a second ferry terminal on Monday. Ferries to Kazakhstan will "
        "double. Officials said the terminal cost 40 million dollars. Traders welcomed the news."
    )
    (article_id,) = (await store.add([ParsedArticle(title="Alat", body=body)])).added
    async with store.sessions() as session:
        stored = await session.scalar(text(f"SELECT summary FROM articles WHERE id = {article_id}"))
    assert stored == "\n".join(summarize(body).sentences)
    assert stored.startswith("The port of Alat opened a second ferry terminal")


async def test_the_seed_003_summary_carries_brussels_and_says_commitment_once(
    seeded: ArticleStore,
) -> None:
    summary = await seeded.summary(await seeded.get(seed_id("003")))
    assert "press conference in Brussels" in summary.text
    assert summary.text.count("commitment to peace") <= 1


async def test_ingest_reports_bad_files_and_keeps_the_rest(
    store: ArticleStore, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        " date 2024-05-01 Ministers met in Baku today.", encoding="utf-8"
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("caf\xe9 news".encode("latin-1"))
    (folder / "feed.jsonl").write_text(
        '{"title": "From JSON", "body": "A JSON article about trade.", "date": "2024-06-01"}\n'
        "not json\n",
        encoding="utf-8",
    )
    (folder / "page.html").write_text(
        "<html><head><title>Port opens</title></head><body><nav>Home | About</nav><article>"
        "<h1>Port opens</h1><p>"
        + "The new port in Alat opened for container traffic this week. " * 8
        + "</p></article><footer>Share this article</footer></body></html>",
        encoding="utf-8",
    )
    report = await ingest_paths(store, [folder, tmp_path / "missing.txt"])
    failed = {f.path.name: f.reason for f in report.failures}
    assert set(failed) == {"empty.txt", "latin1.txt", "feed.jsonl", "missing.txt"}
    assert [f.line for f in report.failures if f.path.name == "feed.jsonl"] == [2]
    titles = {a.title for a in (await store.latest(10))[0]}
    assert {"Port opens", "Ministers met in Baku today"} <= titles
    html = (await store.search("Alat port")).hits[0].article
    assert "Home | About" not in html.body


async def test_a_read_then_write_survives_a_commit_from_another_connection(
    seeded: ArticleStore,
) -> None:
    """Without BEGIN IMMEDIATE, WAL refuses the write ("database is locked")."""
    import asyncio

    from storage.db import writing

    sessions = seeded._sessions
    other_done = asyncio.Event()

    async def other_writer() -> None:
        async with writing(sessions) as session:
            await session.execute(text("UPDATE articles SET title = 'Renamed' WHERE id = 2"))
        other_done.set()

    async with writing(sessions) as session:
        await session.execute(text("SELECT count(*) FROM articles"))
        task = asyncio.create_task(other_writer())
        await asyncio.sleep(0.2)  # the other writer waits for our lock instead of committing
        assert not other_done.is_set()
        await session.execute(text("UPDATE articles SET title = 'Mine' WHERE id = 1"))
    await asyncio.wait_for(task, 5)
    assert (await seeded.get(1)).title == "Mine" and (await seeded.get(2)).title == "Renamed"


async def test_jsonl_ingest_reports_each_bad_line_and_keeps_every_good_one(
    store: ArticleStore, tmp_path: Path
) -> None:
    good = '{{"title": "Story {n}", "body": "Story number {n} about the Caspian trade."}}'
    lines = [good.format(n=1), "not json", '{"title": "No body"}', "[1, 2]", good.format(n=2)]
    lines += ["", good.format(n=3)]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = await ingest_paths(store, [path])
    assert len(report.added) == 3
    assert {a.title for a in (await store.latest(10))[0]} == {"Story 1", "Story 2", "Story 3"}
    assert [(f.path, f.line) for f in report.failures] == [(path, 2), (path, 3), (path, 4)]
    assert [str(f) for f in report.failures] == [
        f"{path}:2: not JSON (Expecting value)",
        f"{path}:3: the record has no body/text",
        f"{path}:4: the line is not a JSON object",
    ]


async def test_pages_and_files_without_article_text_are_refused(
    store: ArticleStore, tmp_path: Path
) -> None:
    (tmp_path / "menu.html").write_text(
        "<html><body><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li>"
        "<li><a href=/c>Contact us</a></li></ul></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "home.txt").write_text("Home", encoding="utf-8")
    (tmp_path / "short.txt").write_text("Ministers met in Baku.", encoding="utf-8")
    report = await ingest_paths(store, [tmp_path])
    failed = {f.path.name: f.reason for f in report.failures}
    assert set(failed) == {"menu.html", "home.txt"}
    assert failed["home.txt"] == "no article text, only “Home”"
    assert failed["menu.html"].startswith("no article text, only “Home")
    assert [a.title for a in (await store.latest(10))[0]] == ["Ministers met in Baku"]

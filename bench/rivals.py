"""The systems newsbot is compared with on real text: tantivy and plain FTS5 BM25.

Both see the same words newsbot does (folded, split as `engine.text.words` splits them), with
newsbot's typo rules: a word of 5+ letters may have 1 typo, 9+ may have 2, the last word is also
a prefix. Neither drops stop words or stems.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from engine.search import MAX_QUERY_WORDS, allowed_typos
from engine.text import words

TITLE_BOOST = 2.0


def query_words(query: str) -> list[str]:
    """The query's distinct folded words, as newsbot parses them."""
    return list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]


class PlainFts5:
    """FTS5's own ranking: the words OR-ed (the last also as a prefix), ordered by BM25."""

    def __init__(self, db_path: Path) -> None:
        self._con = sqlite3.connect(db_path)

    def search(self, query: str, limit: int) -> list[int]:
        """Ids of the best `limit` articles."""
        found = query_words(query)
        if not found:
            return []
        terms = [f'"{w}"' for w in found[:-1]] + [f'"{found[-1]}" *']
        rows = self._con.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            f"ORDER BY bm25(articles_fts, {TITLE_BOOST}, 1.0) LIMIT ?",
            (" OR ".join(terms), limit),
        )
        return [r[0] for r in rows]

    def close(self) -> None:
        """Close the connection."""
        self._con.close()


class Tantivy:
    """A tantivy index of the same articles; fuzzy term queries, title boosted, BM25."""

    def __init__(self, db_path: Path) -> None:
        import tantivy

        self._t = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", stored=True, indexed=True)
        builder.add_text_field("title", stored=False)
        builder.add_text_field("body", stored=False)
        self._schema = builder.build()
        self._dir = tempfile.TemporaryDirectory()
        self._index = tantivy.Index(self._schema, path=self._dir.name)
        writer = self._index.writer(heap_size=64 * 2**20, num_threads=1)
        con = sqlite3.connect(db_path)
        for article_id, title, body in con.execute("SELECT id, title, body FROM articles"):
            doc = tantivy.Document()
            doc.add_unsigned("id", article_id)
            doc.add_text("title", title)
            doc.add_text("body", body)
            writer.add_document(doc)
        con.close()
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        self._searcher = self._index.searcher()

    def _word_query(self, word: str, last: bool) -> Any:
        q = self._t.Query
        parts = []
        for field, boost in (("title", TITLE_BOOST), ("body", 1.0)):
            fuzzy = q.fuzzy_term_query(
                self._schema, field, word, distance=allowed_typos(word), prefix=last
            )
            parts.append((self._t.Occur.Should, q.boost_query(fuzzy, boost)))
        return q.boolean_query(parts)

    def search(self, query: str, limit: int) -> list[int]:
        """Ids of the best `limit` articles."""
        found = query_words(query)
        if not found:
            return []
        clauses = [
            (self._t.Occur.Should, self._word_query(w, i == len(found) - 1))
            for i, w in enumerate(found)
        ]
        result = self._searcher.search(self._t.Query.boolean_query(clauses), limit)
        return [self._searcher.doc(address)["id"][0] for _, address in result.hits]

    def close(self) -> None:
        """Remove the index files."""
        self._dir.cleanup()

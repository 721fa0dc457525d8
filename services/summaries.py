"""/summary and `python -m bot summary`: one parser for "ID or WORDS, then maybe N", and the
summary of the article it names (an id) or finds (the best match of the words, whose matched
words the summary then leans towards)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.errors import NoMatch
from engine.models import Article
from engine.numbers import article_id, parse_int
from engine.summary import DEFAULT_SENTENCES, MAX_SENTENCES, Summary
from storage.articles import ArticleStore
from storage.summaries import Recomputed, recompute_summaries


@dataclass(frozen=True, slots=True)
class SummaryRequest:
    """Which article (an id, or the best match of `query`) and how many sentences."""

    article_id: int | None
    query: str
    sentences: int = DEFAULT_SENTENCES


def parse_request(words: list[str], sentences: int | None = None) -> SummaryRequest | None:
    """The request in `words` ("42", "#42 3", "ECO summit", "ECO summit 2"); None if unusable.

    A trailing number after other words is the sentence count unless `sentences` is given
    (the CLI's --sentences). A word meant as a number ("²" and "٣" are digits to
    `str.isdigit()`) must be plain ASCII digits; an id no article can have raises
    ArticleNotFound.
    """
    words = [w for w in words if w.strip()]
    if not words:
        return None
    count: int | None = sentences or DEFAULT_SENTENCES
    if sentences is None and len(words) > 1 and words[-1].isdigit():
        count = parse_int(words.pop(), 1, MAX_SENTENCES)
    if count is None:
        return None
    first = words[0].lstrip("#")
    if len(words) > 1 or not first.isdigit():
        return SummaryRequest(None, " ".join(words), count)
    number = article_id(first)
    return None if number is None else SummaryRequest(number, "", count)


async def summarize(articles: ArticleStore, request: SummaryRequest) -> tuple[Article, Summary]:
    """The article a request names and its summary (ArticleNotFound, NoMatch, EmptyQuery)."""
    if request.article_id is not None:
        article = await articles.get(request.article_id)
        return article, await articles.summary(article, sentences=request.sentences)
    page = await articles.search(request.query, limit=1)  # plans the query once
    if not page.hits:
        raise NoMatch(request.query)
    best = page.hits[0]
    # Found by meaning alone, the article holds none of the words: nothing to focus on.
    focus = frozenset() if best.by_meaning else page.focus
    summary = await articles.summary(best.article, sentences=request.sentences, focus=focus)
    article = best.article
    return article, summary


async def of_article(articles: ArticleStore, number: int) -> tuple[Article, Summary]:
    """The default summary of article `number` (a 📄 button)."""
    article = await articles.get(number)
    return article, await articles.summary(article)


async def recompute(
    articles: ArticleStore, progress: Callable[[int], None] | None = None
) -> Recomputed:
    """Make every stored default summary again with today's rules (after an upgrade that
    changed them); how many articles were read and how many summaries changed."""
    return await recompute_summaries(articles.sessions, progress=progress)

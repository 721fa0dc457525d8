"""Keyword matching of one article, for subscriptions.

A subscription's keywords are matched against the article's *own* words, with the same rules
as /search (typos by word length, the last word also as a prefix). Nothing here depends on a
vocabulary of the whole corpus: a cached one can be stale when another process has just added
the article, and a keyword missed at fan-out time is missed for good.

These are the rules' reference: fan-out matches through engine/keyword_index.py, which indexes
the subscriptions once instead of planning every (subscription, article) pair, and must give
the same answers (tests/engine/test_keyword_index.py compares the two).
"""

from __future__ import annotations

from engine.errors import QueryError
from engine.models import Article
from engine.search import Vocabulary, parse_query
from engine.text import words


class ArticleMatcher:
    """Answers "does this article match these keywords?" for one article, many subscriptions."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self._vocabulary = Vocabulary(words(article.title + "\n" + article.body))
        self._answers: dict[str, bool] = {}

    def matches(self, keywords: str) -> bool:
        """Every keyword matches a word of the article (typo-tolerant); no keywords: True."""
        if not keywords.strip():
            return True
        answer = self._answers.get(keywords)
        if answer is None:
            try:
                plan = self._vocabulary.plan(parse_query(keywords))
            except QueryError:  # stored keywords were checked at /subscribe; be safe anyway
                plan = None
            answer = plan is not None and all(word.matchable for word in plan.words)
            self._answers[keywords] = answer
        return answer


def matching(keywords: str, matchers: list[ArticleMatcher], excluded: str = "") -> list[Article]:
    """The articles (of their matchers) that match the keywords and none of the excluded
    words (each excluded word on its own, with the same typo rules), in order."""
    unwanted = excluded.split()
    return [
        m.article
        for m in matchers
        if m.matches(keywords) and not any(m.matches(word) for word in unwanted)
    ]

"""The two ways of finding the terms one edit from a word agree: generated edits (a corpus's
large vocabulary) and shared deletions (one article's words, as fan-out matches keywords)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.vocabulary import Vocabulary, edits1

LATIN = "abcdefghijklmnopqrstuvwxyz"
word = st.text(alphabet="abcdeo", min_size=1, max_size=7)


@settings(max_examples=300, deadline=None)
@given(query=word, terms=st.sets(word, min_size=1, max_size=40))
def test_deletions_find_exactly_the_one_edit_terms(query: str, terms: set[str]) -> None:
    small = Vocabulary(sorted(terms))
    expected = (set(terms) & edits1(query, LATIN)) - {query}
    assert small._near_by_deletes(query) == expected


def test_a_keyword_matches_an_article_with_a_typo_either_way() -> None:
    article = Vocabulary(["the", "caspian", "ferry", "sails", "from", "baku", "today"])
    plan = article.plan(["caspain", "ferri"])  # a swap, a replaced letter
    assert [sorted(w.terms) for w in plan.words] == [["caspian"], ["ferry"]]

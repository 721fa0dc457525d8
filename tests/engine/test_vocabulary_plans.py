"""A word's plan is made once per vocabulary state: any change to the vocabulary (new terms,
new article counts) is seen by the next plan of the same word."""

from engine.search import Vocabulary
from engine.vocabulary import MAX_COMPLETIONS, PREFIX_FREQUENCY_TERMS


def test_a_term_added_after_a_plan_is_found_by_the_same_word() -> None:
    vocab = Vocabulary(["summit", "baku"])
    assert vocab.plan(["quoka"]).words[0].terms == {}
    vocab.add(["quokka"])  # another process's article, topped up
    assert vocab.plan(["quoka"]).words[0].terms == {"quokka": 1}


def test_new_article_counts_change_the_next_plan_of_the_same_word() -> None:
    vocab = Vocabulary({"britain": 100, "britan": 1})
    # A variant far rarer than the word as typed is a misspelling in the corpus: left out.
    assert "britan" not in vocab.plan(["britain"]).words[0].terms
    vocab.set_frequencies({"britan": 50})
    assert vocab.plan(["britain"]).words[0].terms["britan"] == 1


def test_a_word_planned_again_is_not_planned_anew() -> None:
    vocab = Vocabulary({"election": 40, "elections": 12, "selection": 9})
    [first] = vocab.plan(["election"]).words
    assert first.prefixes == {"election": 0}  # the last word is also a prefix
    # Search as you type and paging plan the same word again: the kept plan is reused (the
    # same object), not rebuilt with another round of typo generation.
    assert vocab.plan(["election"]).words[0] is first
    # The same word earlier in a query is planned apart (no prefix), and kept apart too.
    inner = vocab.plan(["election", "x"]).words[0]
    assert inner.prefixes == {} and inner is not first
    assert vocab.plan(["election", "y"]).words[0] is inner
    vocab.add(["electioneer"])  # a change to the vocabulary: plans are made again
    assert vocab.plan(["election"]).words[0] is not first


def test_a_prefix_of_few_completions_is_searched_as_its_most_common_ones() -> None:
    """A full-text prefix query merges every completion's list (at a million articles "price"*
    took 42 ms, its completions listed 13); a prefix of more completions than a vocabulary
    read per search holds (a short one) stays a prefix."""
    rare = {f"price{n:03}": 1_000 - n for n in range(MAX_COMPLETIONS + 4)}
    vocab = Vocabulary(rare | {"price": 5_000, "prices": 4_000})
    [word] = vocab.plan(["price"]).words
    assert word.prefixes == {"price": 0}
    assert word.completions is not None and len(word.completions) == MAX_COMPLETIONS
    assert word.completions[:3] == ("price", "prices", "price000")
    assert f"price{MAX_COMPLETIONS + 3:03}" not in word.completions  # the rarest left out
    many = Vocabulary({f"pr{n:04}": 1 for n in range(PREFIX_FREQUENCY_TERMS + 100)})
    [short] = many.plan(["pr"]).words
    assert short.prefixes == {"pr": 0} and short.completions is None


def test_a_completion_far_rarer_than_the_others_is_a_misspelling_left_out() -> None:
    vocab = Vocabulary({"bid": 50_000, "bids": 9_000, "bidders": 2_000, "bidget": 3})
    [word] = vocab.plan(["bid"]).words
    assert word.completions == ("bid", "bids", "bidders")

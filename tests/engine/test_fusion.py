"""Words and meaning fused by their scores (engine/fusion.py)."""

from engine.fusion import WORD_WEIGHT, blend


def test_the_nearest_by_meaning_leads_unless_words_tip_a_near_tie() -> None:
    nearest = [("truce", 0.86), ("summit", 0.85), ("budget", 0.80)]
    # "summit" holds every word of the query; "budget" some; "vote" only by words.
    words = [("summit", 1.0), ("budget", 0.5), ("vote", 1.0)]

    ranked = blend(nearest, words, unlisted=0.80)

    assert ranked[:2] == ["summit", "truce"]  # 0.85 + WORD_WEIGHT beats 0.86
    assert ranked.index("vote") > ranked.index("truce")  # unlisted: no nearer than 0.80
    assert set(ranked) == {"truce", "summit", "budget", "vote"}


def test_an_entry_only_words_found_is_never_nearer_than_what_meaning_listed() -> None:
    ranked = blend([("truce", 0.83)], [("seed", 1 / 3)], unlisted=0.80)

    assert ranked == ["truce", "seed"]
    assert 0.80 + WORD_WEIGHT / 9 < 0.83


def test_without_meaning_the_words_order_by_the_share_they_matched() -> None:
    ranked = blend([], [("a", 0.5), ("b", 1.0), ("c", 0.5)], unlisted=0.80)

    assert ranked == ["b", "a", "c"]

import pytest

from engine.dependencies import Dependencies
from engine.selection import Greedy, Limits, select
from engine.sentences import split_sentences
from engine.summary import summarize

TRICKY = (
    "BAKU, Azerbaijan, July 3. The U.S. envoy met Mr. Smith on Feb. 25–26, 1992 in Washington. "
    '"We will win," he said. "Are you sure?" she asked. It was 3.5 p.m. when they left.'
)


def test_sentence_splitter_handles_abbreviations_dates_and_quotes() -> None:
    assert split_sentences(TRICKY) == [
        "BAKU, Azerbaijan, July 3.",
        "The U.S. envoy met Mr. Smith on Feb. 25–26, 1992 in Washington.",
        '"We will win," he said.',
        '"Are you sure?" she asked.',
        "It was 3.5 p.m. when they left.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. economy grew 3.5% in the quarter. Analysts were surprised.",
            ["The U.S. economy grew 3.5% in the quarter.", "Analysts were surprised."],
        ),
        (
            "Shares rose to $1.25bn on Jan. 5. The firm, Acme Inc., said profits were up.",
            ["Shares rose to $1.25bn on Jan. 5.", "The firm, Acme Inc., said profits were up."],
        ),
        (
            "Mr. and Mrs. Jones flew to the U.K. yesterday. They returned on Feb. 25–26.",
            ["Mr. and Mrs. Jones flew to the U.K. yesterday.", "They returned on Feb. 25–26."],
        ),
        (
            "The U.S. Senate voted. The House did not.",
            ["The U.S. Senate voted.", "The House did not."],
        ),
        (
            'He said: "It\'s over. We lost." The crowd left.',
            ['He said: "It\'s over. We lost."', "The crowd left."],
        ),
    ],
)
def test_abbreviations_decimals_and_quotes_do_not_end_sentences(
    text: str, expected: list[str]
) -> None:
    assert split_sentences(text) == expected


def test_a_quote_running_across_sentences_stays_with_its_words() -> None:
    # BBC copy: the opening quote of the next sentence sits after the previous full stop.
    text = 'He said: "I see no difference. "He brings no money." Then "It is over. "'
    assert split_sentences(text) == [
        'He said: "I see no difference.',
        '"He brings no money."',
        'Then "It is over."',
    ]


def test_paragraph_breaks_end_sentences() -> None:
    assert split_sentences("Regional Security\nSecurity was discussed.") == [
        "Regional Security",
        "Security was discussed.",
    ]


DOC = """Heading Without Punctuation
The summit in Khankendi gathered the leaders of the ECO member states.
Weather in the city was mild and sunny on both days of the visit.
Leaders of the ECO states signed agreements on transport and energy at the summit.
A local bakery sold more bread than usual during the week.
The ECO summit ended with a joint declaration on transport corridors."""


def test_summary_keeps_top_sentences_in_document_order_and_skips_headings() -> None:
    summary = summarize(DOC, sentences=2)
    assert len(summary.sentences) == 2
    assert all("Heading" not in s for s in summary.sentences)
    positions = [DOC.index(s) for s in summary.sentences]
    assert positions == sorted(positions)
    assert all("bakery" not in s for s in summary.sentences)


def test_summary_respects_the_character_budget() -> None:
    summary = summarize(DOC, sentences=5, budget=160)
    assert len(summary.text) <= 160
    assert summary.sentences


def test_query_focus_pulls_in_the_matching_sentence() -> None:
    plain = summarize(DOC, sentences=1)
    focused = summarize(DOC, sentences=1, query_words=["bakery", "bread"])
    assert "bakery" not in plain.text
    assert "bakery" in focused.text


@pytest.mark.parametrize("text", ["", "   \n  ", "one"])
def test_degenerate_text_gives_a_short_or_empty_summary(text: str) -> None:
    assert len(summarize(text).text) <= len(text.strip())


def test_a_single_sentence_over_budget_is_cut_at_a_word() -> None:
    summary = summarize("word " * 300 + "end.", budget=100)
    assert len(summary.text) <= 100
    assert summary.text.endswith("…")


# Seed 003 in small: the lede holds the news (a press conference in Brussels); the rest restates
# Azerbaijan's "commitment to peace" in several central-sounding sentences.
BRUSSELS = """In a significant diplomatic move, Hikmat Hajiyev, Assistant to the President of \
Azerbaijan, held a press conference in Brussels this week.
The South Caucasus region has long been characterized by geopolitical complexity.
Hajiyev began by reiterating Azerbaijan's commitment to peace and stability in the South \
Caucasus region.
The EU is a vital player in promoting economic development.
Hajiyev also spoke about railways and ports.
Azerbaijan's commitment to peace, cooperation with partners and stability are vital elements \
of its strategy for the South Caucasus region.
As Azerbaijan shapes the future of the South Caucasus region, its commitment to peace and \
cooperation holds the promise of stability."""


def test_the_default_summary_carries_the_main_point() -> None:
    summary = summarize(BRUSSELS)
    assert "held a press conference in Brussels" in summary.text


def test_the_default_summary_says_commitment_to_peace_once() -> None:
    summary = summarize(BRUSSELS)
    assert len(summary.sentences) == 3
    assert summary.text.count("commitment to peace") == 1


def test_without_redundancy_control_the_phrase_repeats() -> None:
    # The guard's counterpart: the same ranking with MMR off repeats itself.
    assert summarize(BRUSSELS, diverse=False).text.count("commitment to peace") >= 2


NEAR_DUPLICATES = """The minister opened the new railway bridge over the river on Monday.
Officials said the bridge cost 40 million dollars and took three years to build.
On Monday the minister opened the new railway bridge over the river, officials said.
Local farmers hope the bridge will cut the time it takes to reach the market."""


def test_two_sentences_saying_the_same_thing_are_never_both_chosen() -> None:
    summary = summarize(NEAR_DUPLICATES, sentences=3)
    assert sum("opened the new railway bridge" in s for s in summary.sentences) == 1
    assert len(summary.sentences) == 3


def test_a_query_focused_summary_keeps_the_lede_and_brings_in_the_query_word() -> None:
    plain = summarize(BRUSSELS)
    focused = summarize(BRUSSELS, query_words=["railways"])
    assert "railways" not in plain.text
    assert focused.sentences[0] == plain.sentences[0]
    assert "railways" in focused.text


SAME_WORDS_OTHER_ENDINGS = (
    "Voters in the northern province chose a new governor on Sunday after a long campaign.\n"
    "Officials will release the average turnout of each district, likely a win for the "
    "incumbent.\nAverages were released by officials, and the governor is winning districts."
)


def test_a_sentence_saying_the_same_in_other_word_forms_is_not_chosen_twice() -> None:
    # "released"/"release", "averages"/"average", "winning"/"win": the same words to a reader.
    summary = summarize(SAME_WORDS_OTHER_ENDINGS, sentences=3)
    assert sum("release" in s for s in summary.sentences) == 1


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("US politicians of all persuasions are in for a shock.", False),
        ("IT firms said the rules would cost them dearly.", False),
        ("Us too, the fans shouted back.", True),
        ("It leaves growth short of the government's forecast.", True),
    ],
)
def test_an_acronym_is_not_a_pronoun(sentence: str, leans: bool) -> None:
    from engine.dangling import leans_back

    assert leans_back(sentence) is leans


@pytest.mark.parametrize(
    "sentence",
    [
        '"But that has not stopped them," she said.',
        "(He denied it.)",
        "In addition, the bank raised rates.",
        "Mr Knapman rejected the idea.",
        "We will win.",
        "Its leader quit.",
    ],
)
def test_the_quick_test_never_passes_over_a_sentence_that_leans(sentence: str) -> None:
    # engine.selection skips the full rules when may_lean says no: it must never miss one.
    from engine.dangling import leans_back, may_lean, titled_surname

    assert leans_back(sentence) or titled_surname(sentence)
    assert may_lean(sentence)


def test_a_sentence_partly_saying_again_what_is_chosen_gives_way_to_one_that_adds() -> None:
    # Maximal marginal relevance: after the lede, the second-best sentence shares a quarter
    # of its words with it (below the repeat rule), which costs it more than the score it
    # leads the third by; the third says something new and is chosen instead.
    candidates = [
        "The council approved the new harbour budget on Monday.",
        "The council approved a plan for the old harbour walls.",
        "Fishermen welcomed the decision and planned a celebration.",
    ]
    words = [
        frozenset({"council", "harbour", "budget", "monday"}),
        frozenset({"council", "plan", "wall", "old"}),
        frozenset({"fisherman", "decision", "celebration", "welcome"}),
    ]
    greedy = Greedy(
        candidates,
        [1.0, 0.9, 0.85],
        words,
        Dependencies(candidates, [0, 1, 2]),
        Limits(sentences=2, chars=1000),
    )
    assert select(greedy, lede=True) == [0, 2]

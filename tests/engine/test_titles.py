import pytest

from engine.dangling import opens_with_connective
from engine.document import parse_text_article
from engine.titles import TITLE_CHARS, beyond_title, headline

FILLER = (
    "Officials spoke about the plans at length. Reporters asked many questions about them. "
    "Nobody answered every one of the questions asked."
)


def test_the_lede_loses_its_framing_phrase_and_the_role_after_a_name() -> None:
    lede = (
        "In a significant diplomatic move, Hikmat Hajiyev, Assistant to the President of "
        "Azerbaijan, held a press conference in Brussels this week."
    )
    assert headline(lede + " " + FILLER, lede) == (
        "Hikmat Hajiyev held a press conference in Brussels this week"
    )


def test_a_role_before_the_name_gives_the_name_as_subject() -> None:
    lede = "The Minister of Transport, Anna Berg, opened the Caspian ferry terminal in Alat."
    assert headline(lede, lede) == "Anna Berg opened the Caspian ferry terminal in Alat"


@pytest.mark.parametrize(
    "lede",
    [
        "Hosting the 17th summit of the Economic Cooperation Organization (ECO) in Khankendi is "
        "far more than just another diplomatic event for Azerbaijan—it is a powerful statement.",
        "Ministers of the Caspian states agreed on Tuesday in the Turkmen port of Turkmenbashi "
        "to build a new ferry line linking their ports by the end of the next decade.",
        "Azerbaijan is not only a key strategic hub in the region but also one of the most "
        "active and influential players in international affairs across the wider world.",
    ],
)
def test_a_long_lede_is_cut_at_a_clause_or_phrase_boundary_never_mid_phrase(lede: str) -> None:
    title = headline(lede + " " + FILLER, lede)
    assert len(title) <= TITLE_CHARS
    assert lede.startswith(title) or title in lede.replace(" (ECO)", "")
    assert not title.endswith(("…", ",", " the", " of", " a", " and", " in"))
    assert lede[len(title)] in " ,—;:" if lede.startswith(title) else True


def test_a_dateline_is_not_the_title() -> None:
    article = parse_text_article(
        "BAKU, Azerbaijan, July 3. Azerbaijan opened a new ferry terminal in Alat on Monday."
    )
    assert article.title == "Azerbaijan opened a new ferry terminal in Alat on Monday"


def test_a_later_sentence_never_takes_the_place_of_the_lede() -> None:
    lede = (
        "Azerbaijan is not only a key strategic hub in the region but also one of the most "
        "active and influential players in international affairs today."
    )
    body = (
        f"{lede} However, the summit in Khankendi gathered the leaders of the region. "
        "The leaders of the region met in Khankendi for the summit."
    )
    title = headline(body, lede)
    assert lede.startswith(title) and "Khankendi" not in title


@pytest.mark.parametrize(
    "lede",
    [
        "However, Gazprom has announced it is not linked to the buyer of the unit in any way.",
        "But the Mac Mini is not the fastest computer for the money, reviewers say today.",
        "So - is the Mac Mini just another computer or a revolution in computing?",
    ],
)
def test_a_title_never_opens_with_a_connective(lede: str) -> None:
    title = headline(lede, lede)
    assert not opens_with_connective(title)
    assert title.split()[0].casefold() in lede.casefold() and title[0].isupper()


def test_a_description_before_a_name_goes_when_the_lede_is_too_long() -> None:
    lede = (
        "Ex-BBC chat show host and East Midlands MEP Robert Kilroy-Silk has said he wants to "
        '"change the face of British politics" as he launched his new party.'
    )
    title = headline(lede, lede)
    assert title.startswith("Robert Kilroy-Silk") and len(title) <= TITLE_CHARS
    assert not title.endswith(("…", " to", " he wants"))


def test_the_description_line_says_what_the_title_does_not() -> None:
    title = "Hikmat Hajiyev held a press conference in Brussels this week"
    sentences = [
        "In a significant move, Hikmat Hajiyev held a press conference in Brussels this week.",
        "He called on the EU to invest in the Baku-Tbilisi-Kars railway.",
    ]
    assert beyond_title(title, sentences) == sentences[1]
    assert beyond_title(title, sentences[:1]) == ""


def test_a_short_headline_sentence_opening_the_text_is_the_title() -> None:
    article = parse_text_article("Caspian ferry line opens. A new ferry links Alat and Baku.")
    assert article.title == "Caspian ferry line opens"


@pytest.mark.parametrize(
    ("lede", "title"),
    [
        # The subject's participle or relative clause goes, the predicate stays.
        (
            "A state claim accusing the three largest chemical companies of covering up the "
            "effects of their waste has been thrown out by an appeal court.",
            "A state claim has been thrown out by an appeal court",
        ),
        (
            "Residents who lost their homes following the collapse of the old harbour wall in "
            "the spring are to receive new flats.",
            "Residents are to receive new flats",
        ),
        # A condition is a clause of its own; the speaker after the comma is not the news.
        (
            "Pensions will be cut for every worker if the government wins the coming vote, "
            "opposition leader Anna Maria Berg has claimed.",
            "Pensions will be cut for every worker",
        ),
    ],
)
def test_a_long_subject_or_condition_goes_before_the_title_is_cut_mid_phrase(
    lede: str, title: str
) -> None:
    assert headline(lede, lede) == title


def test_a_title_never_ends_on_a_possessive_or_inside_a_name() -> None:
    lede = (
        "The Baku Students chess side has become a casualty of the Azerbaijan Chess "
        "Federation's reorganisation at youth level."
    )
    title = headline(lede, lede)
    assert lede.startswith(title) and len(title) <= TITLE_CHARS
    assert not title.endswith(("'s", "Chess", "Azerbaijan")), title

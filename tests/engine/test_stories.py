"""Story grouping (engine/stories.py): the same event from several outlets is one story; other
events that share names, places or words are not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from engine.document import parse_text_article
from engine.stories import StoryState, decide
from engine.story_features import DocumentFrequencies, features, reweighed
from engine.story_index import Grouper
from tests.support.stories import IAN_1, IAN_2, NICOLE, RULING_1, RULING_2, RULING_3

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def grouped(*articles: tuple[str, str]) -> list[int]:
    grouper = Grouper()
    return [grouper.add(title, body) for title, body in articles]


def seeds() -> list[tuple[str, str, date | None]]:
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = parse_text_article(path.read_text(encoding="utf-8"))
        found.append((article.title, article.body, article.published))
    return found


def test_the_seeds_two_khankendi_reports_are_one_story() -> None:
    grouper = Grouper()
    ids = [grouper.add(*seed) for seed in seeds()]
    assert ids[0] == ids[1]  # 000 and 001: the ECO summit in Khankendi
    assert len(set(ids)) == 4  # the other three seeds are stories of their own


def test_two_outlets_on_one_hurricane_join_and_another_hurricane_does_not() -> None:
    ids = grouped(IAN_1, IAN_2, NICOLE)
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


def test_two_rulings_of_one_court_on_one_state_stay_apart() -> None:
    ids = grouped(RULING_1, RULING_2, RULING_3)
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


def test_a_full_article_and_its_excerpt_are_one_story() -> None:
    grouper = Grouper()
    ids = [grouper.add(*seed) for seed in seeds()]
    title, body, _ = seeds()[3]
    excerpt = " ".join(body.split(". ")[:3]) + "."
    assert len(body.split()) > 5 * len(excerpt.split())
    assert grouper.add(title, excerpt) == ids[3]


def test_articles_without_dates_group_and_dates_far_apart_do_not() -> None:
    frequencies = DocumentFrequencies()
    story = StoryState()
    first = features(*IAN_1, date(2022, 9, 28), frequencies)
    frequencies.add(first.keys())
    story.add(first)
    undated = features(*IAN_2, None, frequencies)
    assert decide(undated, [(7, story)], frequencies) == 7
    a_month_later = features(*IAN_2, date(2022, 10, 28), frequencies)
    assert decide(a_month_later, [(7, story)], frequencies) is None


def test_a_story_state_round_trips_through_json() -> None:
    frequencies = DocumentFrequencies()
    story = StoryState()
    for title, body in (IAN_1, IAN_2):
        article = features(title, body, date(2022, 9, 28), frequencies)
        frequencies.add(article.keys())
        story.add(article)
    restored = StoryState.from_json(json.loads(json.dumps(story.to_json())))
    assert restored.to_json() == story.to_json()
    assert restored.size == 2 and restored.first == date(2022, 9, 28)
    later = features(*NICOLE, date(2022, 11, 10), frequencies)
    assert decide(later, [(1, restored)], frequencies) == decide(later, [(1, story)], frequencies)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("Caspian ferry resumes", "The Caspian ferry resumes today."),
            ("Caspian port fire", "A fire at the Caspian port was put out."),
        ),
        (("business news", "Markets rally on Monday."), ("tech news", "Chips ship.")),
    ],
)
def test_one_line_items_that_share_one_word_stay_apart(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    ids = grouped(first, second)
    assert ids[0] != ids[1]


def test_features_reweighed_with_other_frequencies_are_those_frequencies_features() -> None:
    known = DocumentFrequencies()
    known.add(["hurrican", "florida", "ian"])
    known.add(["hurrican", "power"])
    direct = features(*NICOLE, date(2022, 11, 10), known)
    blind = features(*NICOLE, date(2022, 11, 10), DocumentFrequencies())
    again = reweighed(blind, DocumentFrequencies(), known)
    assert again.terms.keys() == direct.terms.keys()
    assert all(abs(again.terms[k] - direct.terms[k]) < 1e-12 for k in direct.terms)
    assert (again.title, again.numbers, again.when, again.day) == (
        direct.title,
        direct.numbers,
        direct.when,
        direct.day,
    )


# One town council's different events (made up): a story that grew loose, and a tight one.
COUNCIL_WORDS = {"council": 150, "citi": 300, "mayor": 120, "riverton": 15, "member": 200}
LOOSE = [
    (
        "Riverton council approves bus lanes on Main Street",
        "The Riverton city council approved new bus lanes on Main Street on Monday after a "
        "long debate, and the mayor said work starts in spring.",
    ),
    (
        "Riverton council names new fire chief",
        "The Riverton city council named a new fire chief on Thursday, the first woman in the "
        "post, and the mayor thanked the retiring chief.",
    ),
    (
        "Riverton council backs park clean-up",
        "Riverton's city council backed a park clean-up plan, and council members said "
        "volunteers would start next weekend.",
    ),
    (
        "Riverton mayor opens council session on housing",
        "Riverton's mayor opened a council session on housing, telling council members that "
        "rents in the city rose faster than wages this year.",
    ),
]
ANOTHER_EVENT = (
    "Riverton council fines landlord",
    "A landlord was fined by the Riverton city council for leaving repairs undone for a year; "
    "tenants had complained since winter.",
)
TIGHT = [
    (
        "Riverton delays library budget vote",
        "Riverton's city council delayed its vote on the library budget for a third time on "
        "Monday, asking for new figures on staff costs.",
    ),
    (
        "Library budget vote put off again in Riverton",
        "The vote on Riverton's library budget was put off again on Monday: council members "
        "want new staff cost figures first.",
    ),
]
THIRD_REPORT = (
    "Riverton council again postpones library budget",
    "For the third time, Riverton's council postponed the library budget vote on Monday, "
    "saying it lacked figures on staff costs.",
)


def test_a_story_of_several_events_on_one_topic_does_not_draw_in_another_event() -> None:
    # A story is judged by the article's mean likeness to its sources: the normalised sum of
    # four different council events is short, so its cosine with any council news was high.
    frequencies = DocumentFrequencies(COUNCIL_WORDS, 2000)
    stories = {1: StoryState(), 2: StoryState()}
    for story, sources in ((1, LOOSE), (2, TIGHT)):
        for title, body in sources:
            article = features(title, body, None, frequencies)
            frequencies.add(article.keys())
            stories[story].add(article)
    other = features(*ANOTHER_EVENT, None, frequencies)
    assert decide(other, [(1, stories[1])], frequencies) is None
    third = features(*THIRD_REPORT, None, frequencies)
    assert decide(third, [(2, stories[2])], frequencies) == 2

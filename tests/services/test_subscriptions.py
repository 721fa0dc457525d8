"""/subscribe's and /quiet's words, read by one parser."""

from __future__ import annotations

import pytest

from services.subscriptions import SubscribeRequest, parse_quiet, parse_subscribe


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], SubscribeRequest("", "instant", None)),
        (
            ["peace", "-sport", "daily", "9:05"],
            SubscribeRequest("peace", "daily", "09:05", "sport"),
        ),
        (["ECO", "daily"], SubscribeRequest("ECO", "daily", "09:00")),
        (["ECO", "instant", "silent"], SubscribeRequest("ECO", "instant", None, silent=True)),
        (
            ["ECO", "to", "@team_news", "silent"],
            SubscribeRequest("ECO", "instant", None, silent=True, channel="@team_news"),
        ),
        (["to", "-1001234"], SubscribeRequest("", "instant", None, channel="-1001234")),
        (
            ["to", "@mychannel", "ECO", "daily"],
            SubscribeRequest("ECO", "daily", "09:00", channel="@mychannel"),
        ),
        (["go", "to", "Baku"], SubscribeRequest("go to Baku", "instant", None)),
        (["-", "x"], SubscribeRequest("x", "instant", None)),  # a lone dash is no word
    ],
)
def test_subscribe_words(words: list[str], expected: SubscribeRequest) -> None:
    assert parse_subscribe(words) == expected


@pytest.mark.parametrize("words", [["daily", "25:00"], ["x", "daily", "9"], ["daily", "²:00"]])
def test_a_malformed_time_is_refused(words: list[str]) -> None:
    assert parse_subscribe(words) is None


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["22:00-07:00"], ("22:00", "07:00")),
        (["OFF"], None),
        (["22:00-22:00"], False),
        (["22:00", "07:00"], False),
        (["late"], False),
    ],
)
def test_quiet_hours(words: list[str], expected: object) -> None:
    assert parse_quiet(words) == expected

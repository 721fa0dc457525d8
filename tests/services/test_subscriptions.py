"""/subscribe's and /quiet's words, read by one parser."""

from __future__ import annotations

import pytest

from services.subscriptions import (
    EmptyQuietRange,
    HourOutOfRange,
    MinuteOutOfRange,
    NotClockTime,
    NotQuietRange,
    SubscribeRequest,
    parse_quiet,
    parse_subscribe,
)


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


@pytest.mark.parametrize(
    ("words", "error"),
    [
        (["daily", "25:00"], HourOutOfRange),
        (["x", "daily", "9"], NotClockTime),
        (["x", "daily", "9am"], NotClockTime),
        (["daily", "²:00"], NotClockTime),
        (["daily", "12:60"], MinuteOutOfRange),
    ],
)
def test_a_malformed_time_names_what_is_wrong(words: list[str], error: type[Exception]) -> None:
    with pytest.raises(error, match=words[-1]):
        parse_subscribe(words)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["22:00-07:00"], ("22:00", "07:00")),
        (["OFF"], None),
    ],
)
def test_quiet_hours(words: list[str], expected: object) -> None:
    assert parse_quiet(words) == expected


@pytest.mark.parametrize(
    ("words", "error"),
    [
        (["22:00-22:00"], EmptyQuietRange),
        (["22:00", "07:00"], NotQuietRange),
        (["late"], NotQuietRange),
        (["22-07"], NotClockTime),
        (["22:00-24:00"], HourOutOfRange),
    ],
)
def test_malformed_quiet_hours_name_what_is_wrong(words: list[str], error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_quiet(words)

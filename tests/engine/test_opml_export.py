"""An exported feed list always parses back (issue 18, item 10): characters XML 1.0 cannot
hold (control characters in a feed's title) are left out, everything else kept."""

from __future__ import annotations

import pytest

from engine.opml import OpmlFeed, parse_opml, write_opml


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Bell\x07 and escape\x1b[31m", "Bell and escape[31m"),
        ("\x00Null\x01\x08\x0b\x0c\x0e\x1f\ufffe\uffff", "Null"),
        ("Tab\tnew\nline & <b>", "Tab\tnew\nline & <b>"),
        ("Ünïcødé 🚀 \x7f", "Ünïcødé 🚀 \x7f"),
    ],
)
def test_an_exported_title_with_control_characters_parses_back(title: str, kept: str) -> None:
    document = write_opml([OpmlFeed("https://a.example/rss", title)])
    [feed] = parse_opml(document)
    assert feed.url == "https://a.example/rss"
    assert feed.title == kept.strip()

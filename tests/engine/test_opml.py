"""OPML as the common readers write it, and as hostile files try to break the parser."""

from __future__ import annotations

import pytest

from engine.opml import InvalidOpml, OpmlFeed, parse_opml, write_opml
from tests.support.samples import FEEDLY, OLDSTYLE


def test_nested_outlines_with_titles_as_feedly_writes_them() -> None:
    assert parse_opml(FEEDLY) == [
        OpmlFeed("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC World"),
        OpmlFeed("https://oc-media.org/feed/", "OC Media"),
        OpmlFeed("https://example.org/tech.atom", "Tech & Science"),
    ]


def test_missing_titles_url_attribute_and_links_as_older_readers_write_them() -> None:
    assert parse_opml(OLDSTYLE) == [
        OpmlFeed("http://old.example/rss", None),
        OpmlFeed("https://lower.example/feed", None),
        OpmlFeed("ftp://files.example/feed", None),  # kept: the store reports it invalid
        OpmlFeed("", "Broken entry"),
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<opml><body><outline text="&lol3;" xmlUrl="https://x.example/rss"/></body></opml>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml><body><outline text="&xxe;" xmlUrl="https://x.example/rss"/></body></opml>"""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS, "XML entities or a DTD"),
        (XXE, "XML entities or a DTD"),
        (b"not xml at all", "not well-formed XML"),
        (b"<rss><channel/></rss>", "root element is not <opml>"),
        (b"", "not well-formed XML"),
        (b"<opml>" + b" " * (1024 * 1024) + b"</opml>", "larger than 1024 KiB"),
    ],
)
def test_hostile_or_wrong_files_are_refused_in_one_line(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidOpml, match=reason) as caught:
        parse_opml(data)
    assert "\n" not in str(caught.value)


def test_what_is_written_reads_back_the_same() -> None:
    feeds = [
        OpmlFeed("https://a.example/rss?x=1&y=2", 'Quotes "and" <tags> & more'),
        OpmlFeed("https://b.example/atom", None),
    ]
    written = write_opml(feeds)
    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert b'text="https://b.example/atom"' in written  # `text` is required: the address
    assert parse_opml(written) == feeds

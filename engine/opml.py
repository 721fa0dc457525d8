"""OPML, the feed list format every reader imports and exports: read one safely, write one.

Reading follows what readers actually write: outlines nested in categories (folders are
outlines without an address), the feed address in `xmlUrl` (the spec) or `url` (older readers),
a title in `title` or `text` or none at all. XML from users is parsed by defusedxml: entity
declarations (billion laughs), DTDs and external references are refused, not expanded.
Pure text: no I/O.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from engine.errors import N_, NewsbotError
from engine.text import shorten

MAX_OPML_BYTES = 1024 * 1024
# Outline types that point at a web page or another OPML file, not at a feed.
_NOT_FEEDS = frozenset({"link", "include"})
# What XML 1.0 cannot hold even escaped (control characters, U+FFFE/U+FFFF, lone surrogates):
# a feed's title may carry them, and a document that has them does not parse back.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class InvalidOpml(NewsbotError):
    """The file is not an OPML document (not XML, not <opml>, or with refused XML features)."""

    message = N_("That file is not a readable OPML feed list: {reason}.")
    translated = ("reason",)  # a message id of its own, filled from the same placeholders

    def __init__(self, reason: str, **placeholders: object) -> None:
        super().__init__(reason=reason, **placeholders)


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed of an OPML list: its address as written (may be invalid) and its title."""

    url: str
    title: str | None


def _attribute(outline: ET.Element, name: str) -> str:
    """An attribute, whatever its case (readers write xmlUrl, xmlurl, XMLURL)."""
    for key, value in outline.attrib.items():
        if key.lower() == name.lower():
            return value.strip()
    return ""


def _feed(outline: ET.Element) -> OpmlFeed | None:
    """The feed an outline names, or None for a folder or a link to a web page."""
    kind = _attribute(outline, "type").lower()
    url = _attribute(outline, "xmlUrl") or (
        "" if kind in _NOT_FEEDS else _attribute(outline, "url")
    )
    title = _attribute(outline, "title") or _attribute(outline, "text") or None
    if url:
        # Writers name an untitled feed by its address (`text` is required): that is no title.
        return OpmlFeed(url, None if title == url else title)
    if kind in ("rss", "atom"):
        return OpmlFeed("", title)  # says it is a feed but has no address: reported invalid
    return None


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every feed outline of an OPML document, in document order, each address once."""
    if len(data) > MAX_OPML_BYTES:
        raise InvalidOpml(N_("it is larger than {size} KiB"), size=MAX_OPML_BYTES // 1024)
    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise InvalidOpml(N_("it uses XML entities or a DTD, which are not accepted")) from None
    except (ET.ParseError, ValueError) as exc:
        raise InvalidOpml(N_("it is not well-formed XML ({problem})"), problem=exc) from None
    except LookupError as exc:  # <?xml encoding="bogus-8"?>: no codec by that name
        reason = N_("it declares an unknown character encoding ({problem})")
        raise InvalidOpml(reason, problem=shorten(str(exc), 80)) from None
    if not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise InvalidOpml(N_("its root element is not {root}"), root="<opml>")
    found: dict[str, OpmlFeed] = {}
    nameless: list[OpmlFeed] = []
    for outline in root.iter():
        if not isinstance(outline.tag, str) or outline.tag.rsplit("}", 1)[-1] != "outline":
            continue
        feed = _feed(outline)
        if feed is None:
            continue
        if not feed.url:
            nameless.append(feed)
        else:
            found.setdefault(feed.url, feed)
    return [*found.values(), *nameless]


def _xml_text(value: str) -> str:
    """`value` without the characters an XML 1.0 document cannot hold."""
    return _NOT_XML.sub("", value)


def write_opml(feeds: Iterable[OpmlFeed], title: str = "newsbot feeds") -> bytes:
    """An OPML 2.0 document listing the feeds (UTF-8, every value escaped)."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        url, title = _xml_text(feed.url), _xml_text(feed.title or "").strip()
        outline = ET.SubElement(body, "outline", type="rss", text=title or url)
        if title:
            outline.set("title", title)
        outline.set("xmlUrl", url)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document

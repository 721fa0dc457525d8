"""Near-duplicate stories: the same article under a tracking-laden URL or a retouched title."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url
from rapidfuzz import fuzz

from engine.models import Article

BODY_SIMILARITY = 90.0
BODY_PREFIX = 1500
MIN_BODY_FOR_SIMILARITY = 200  # short texts look alike too easily ("X prices moved in Baku")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "yclid", "igshid", "ref", "cmpid")


def canonical_url(url: str | None) -> str | None:
    """Lower-case host, no scheme, no fragment, no tracking parameters, no trailing slash.

    courlan normalises the address (case, punycode, default port, dot segments, fragment); the
    query is filtered here: courlan's own tracker filter also drops real parameters (any name
    starting "ga", such as `game`), which would make two different pages one story.
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING)]
    base = urlsplit(normalize_url(parts._replace(query=""), strict=True, trailing_slash=False))
    host = base.netloc.removeprefix("www.")
    return urlunsplit(("", host, base.path.rstrip("/"), urlencode(sorted(query)), ""))


def same_story(a: Article, b: Article) -> bool:
    """Same story: the same canonical URL, or nearly the same text whatever the title says."""
    ua, ub = canonical_url(a.url), canonical_url(b.url)
    if ua and ub and ua == ub:
        return True
    if min(len(a.body), len(b.body)) < MIN_BODY_FOR_SIMILARITY:
        return a.title.casefold() == b.title.casefold() and a.body == b.body
    # With the cutoff rapidfuzz gives up on a pair early once it cannot reach it: same answers,
    # half the time (fan-out compares every new article with the recent ones).
    similarity = fuzz.ratio(
        a.body[:BODY_PREFIX], b.body[:BODY_PREFIX], score_cutoff=BODY_SIMILARITY
    )
    return similarity >= BODY_SIMILARITY

"""Documents more than one test module reads: the seed files, a small news site, feeds, OPML
as readers write it, and a dated corpus for trends."""

from __future__ import annotations

from datetime import timedelta

from engine.models import ParsedArticle
from ingest.pipeline import SEEDS_DIR
from storage.clock import utcnow

# ---- the seed articles --------------------------------------------------------------------

SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))


def seed_id(prefix: str) -> int:
    """The store id of a seed file, by its number ("002"): seeds load in file order."""
    names = [p.name[:3] for p in SEED_FILES]
    return names.index(prefix) + 1


# ---- a small news site (tests.support.web.news_site serves it) ----------------------------

FULL = "The Caspian ferry line between Alat and Turkmenbashi carried a record load this month. " * 6
PAGE = (
    "<html><head><title>Teaser story</title></head><body><nav>Home | World | Share</nav>"
    "<article><h1>Grain corridor reopens</h1><p>"
    + "The grain corridor through Baku reopened on Monday after repairs to the rail link. " * 6
    + "</p></article><footer>Share this article</footer></body></html>"
)


def local_feed(base: str) -> str:
    """Local Wire: "Ferry record" (full text) and "Grain corridor reopens" (a teaser of /grain)."""
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Wire</title><link>{base}</link>
<item><title>Ferry record</title><link>{base}/ferry?utm_source=rss</link>
<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate><description>{FULL}</description></item>
<item><title>Grain corridor reopens</title><link>{base}/grain</link>
<pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate><description>Short teaser…</description></item>
</channel></rss>"""


# A portal page: navigation, a tag cloud and a footer, no article.
NAVIGATION = (
    "<html><head><title>Portal</title></head><body><nav><ul>"
    + "".join(f'<li><a href="/s{i}">Section {i} news and more</a></li>' for i in range(30))
    + "</ul></nav><div>"
    + " | ".join(f'<a href="/t{i}">Topic {i}</a>' for i in range(30))
    + "</div><footer>Share this page.</footer></body></html>"
)


# ---- feed discovery ------------------------------------------------------------------------

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>
<item><title>Ferry</title><link>http://x.example/a</link><description>Text</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Wire</title><id>urn:x</id><updated>2026-11-01T00:00:00Z</updated></feed>"""


def home_page(href: str, kind: str = "application/rss+xml") -> str:
    return (
        f'<html><head><title>Home</title><link rel="stylesheet" href="/s.css">'
        f'<link rel="alternate" type="{kind}" title="News" href="{href}"></head>'
        "<body><p>Welcome</p></body></html>"
    )


# ---- OPML --------------------------------------------------------------------------------

# Feedly-style: categories as nested outlines, type="rss", text and title, htmlUrl beside.
FEEDLY = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Feedly subscriptions</title></head>
  <body>
    <outline text="World" title="World">
      <outline type="rss" text="BBC World" title="BBC World"
               xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml" htmlUrl="https://www.bbc.co.uk"/>
      <outline text="Caucasus" title="Caucasus">
        <outline type="rss" text="OC Media" xmlUrl="https://oc-media.org/feed/"/>
      </outline>
    </outline>
    <outline type="rss" text="Tech &amp; Science" xmlUrl="https://example.org/tech.atom"/>
  </body>
</opml>"""

# NetNewsWire / older readers: no titles at all, `url` instead of `xmlUrl`, lower-case keys,
# a link outline (a web page, not a feed), a feed with no address, the same feed twice.
OLDSTYLE = b"""<?xml version="1.0"?>
<opml version="2.0"><head/><body>
  <outline type="rss" url="http://old.example/rss"/>
  <outline xmlurl="https://lower.example/feed"/>
  <outline type="link" text="Homepage" url="https://www.example.com/"/>
  <outline type="rss" text="Broken entry"/>
  <outline type="rss" xmlUrl="ftp://files.example/feed"/>
  <outline type="rss" xmlUrl="http://old.example/rss" title="Again"/>
</body></opml>"""


# ---- mentions per day (/trend) -------------------------------------------------------------

TODAY = utcnow().date()


def story(n: int, words: str, days_ago: int | None) -> ParsedArticle:
    published = None if days_ago is None else TODAY - timedelta(days=days_ago)
    return ParsedArticle(f"Story {n}", f"Report {n}: {words}, said officials.", published)


CORPUS = [
    story(1, "tramway timetable resumed in Brussels", 0),
    story(2, "tramway timetable stalled again", 0),
    story(3, "tramway deal signed", 3),
    story(4, "harvest and apricot exports", 3),
    story(5, "tramway timetable long ago", 40),  # outside 30 days
    story(6, "tramway timetable announced today", None),  # no date: the day it was added
]

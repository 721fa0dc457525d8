"""Reports of events that tests of story grouping share: one event from two outlets, and
other events that share its names, places and words."""

from __future__ import annotations

from engine.models import ParsedArticle

# Two outlets on one hurricane, then another hurricane: same words, other storm, other day.
IAN_1 = (
    "Hurricane Ian makes landfall near Fort Myers as a Category 4 storm",
    "Hurricane Ian made landfall near Fort Myers, Florida, on Wednesday afternoon with winds "
    "of 150 mph, flooding streets and cutting power to more than a million homes, the "
    "National Hurricane Center said.",
)
IAN_2 = (
    "Ian slams into Florida's Gulf Coast, leaving a million without power",
    "The storm came ashore near Fort Myers on Wednesday as a Category 4 hurricane with "
    "150 mph winds, the National Hurricane Center said, as floodwater filled streets and "
    "more than a million Florida homes lost power.",
)
NICOLE = (
    "Hurricane Nicole makes landfall in Florida as a Category 1 storm",
    "Hurricane Nicole made landfall on Florida's Atlantic coast near Vero Beach early on "
    "Thursday with winds of 75 mph, the National Hurricane Center said, cutting power to "
    "thousands of homes weeks after Hurricane Ian.",
)
# The same court and the same person, two rulings on two days.
RULING_1 = (
    "Supreme Court blocks Texas social media law",
    "The Supreme Court on Tuesday blocked a Texas law that bars large social media companies "
    "from removing posts based on a user's political views, in a 5-4 order.",
)
RULING_2 = (
    "Justices halt Texas law on social media moderation",
    "In a 5-4 order on Tuesday, the Supreme Court halted a Texas law that would stop big "
    "social media platforms from taking down posts over users' political views.",
)
RULING_3 = (
    "Supreme Court upholds Texas abortion law, declines to block it",
    "The Supreme Court on Friday declined to block a Texas law that bans most abortions "
    "after six weeks, letting the law stand while challenges continue in lower courts.",
)

_SYLLABLES = ("ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "zu", "dar", "fen")


def _made_up(number: int) -> str:
    """A word no dictionary has, one per number (three syllables, never the same twice)."""
    n = len(_SYLLABLES)
    return "".join(_SYLLABLES[(number // n**k) % n] for k in range(3)) + "x"


def distinct_events(count: int, words: str = "", start: int = 0) -> list[ParsedArticle]:
    """`count` short articles about different events (each with made-up words of its own, so
    none of them is another's story), each holding `words` when given."""
    found = []
    for i in range(start, start + count):
        own = [_made_up(7 * i + k) for k in range(7)]
        title = f"{own[0].capitalize()} {own[1]} {own[2]}"
        body = f"{words} {' '.join(own[2:])} reported {own[1]}.".strip()
        body = body[0].upper() + body[1:]
        found.append(ParsedArticle(title, body))
    return found

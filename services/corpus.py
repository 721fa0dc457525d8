"""Removing articles from the corpus, for the chat (/delete, the team's admins) and the CLI
(`python -m bot delete`): one parser for the ids and one removal (storage.removal), which
takes them out of search, the vocabulary and digests not yet sent."""

from __future__ import annotations

from datetime import date, timedelta

from engine.errors import ID_CHARS, N_, ArticleNotFound, NewsbotError
from engine.numbers import MAX_ID, is_ascii_int, parse_int
from engine.text import shorten
from storage.articles import ArticleStore
from storage.removal import Removal

MAX_REMOVED = 100  # ids one command removes (a typed list, not a bulk purge)


class NoIds(NewsbotError):
    """No id was given."""

    message = N_("Name the articles to delete by id, e.g. /delete 12 15.")


class NotAnId(NewsbotError):
    """A word that is no article id (letters, a sign, digits other than 0-9)."""

    message = N_("“{text}” is not an article id: ids are whole numbers, as search shows them.")

    def __init__(self, text: str) -> None:
        super().__init__(text=shorten(text, ID_CHARS))


class TooManyIds(NewsbotError):
    """More ids than one command removes."""

    message = N_("At most {limit} articles at a time, please.")

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit)


def parse_ids(words: list[str]) -> list[int]:
    """The ids in `words` ("12", "#12", "12,15"), each once; NoIds, NotAnId or TooManyIds
    name what is wrong, and ArticleNotFound an id no article can have (0, beyond 64 bits)."""
    typed = [w.strip().lstrip("#") for word in words for w in word.split(",") if w.strip()]
    if not typed:
        raise NoIds()
    if len(typed) > MAX_REMOVED:
        raise TooManyIds(MAX_REMOVED)
    ids: list[int] = []
    for text in typed:
        if not is_ascii_int(text):
            raise NotAnId(text)
        value = parse_int(text, 1, MAX_ID)
        if value is None:
            raise ArticleNotFound(text)
        ids.append(value)
    return list(dict.fromkeys(ids))


async def delete(articles: ArticleStore, words: list[str]) -> Removal:
    """Remove the articles `words` name (parse_ids) and everything that refers to them."""
    return await articles.remove(parse_ids(words))


RETENTION_BATCH = 500  # articles one write transaction removes (the lock stays short)


async def expire(articles: ArticleStore, days: int, today: date) -> int:
    """Remove every article whose day (publication date, else the day added) is more than
    `days` days before `today`, in short batches, with everything that refers to them; how
    many went."""
    cutoff = today - timedelta(days=days)
    removed = 0
    while ids := await articles.dated_before(cutoff, RETENTION_BATCH):
        removed += len((await articles.remove(ids)).removed)
        if len(ids) < RETENTION_BATCH:
            break
    return removed

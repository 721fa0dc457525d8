"""Everything a user sees: HTML (escaped), 4096-character splitting in UTF-16, keyboards.
Telegram's limits live here and in render.callbacks (64 bytes of button data)."""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineQueryLimit, MessageLimit

from engine.models import Article, SearchPage, Snippet, StoryBrief
from engine.sentences import split_sentences
from engine.summary import Summary
from engine.text import shorten, words
from engine.titles import beyond_title
from engine.urls import is_web_url
from handlers.render.callbacks import callback
from i18n import N_, _, article_date, ngettext

MESSAGE_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted in UTF-16 code units
INLINE_RESULTS_LIMIT = InlineQueryLimit.RESULTS  # 50
GROUP_SNIPPET_CHARS = 120
OUTLETS_SHOWN = 3  # outlets named beside a result whose story has several sources
MAX_LINK_CHARS = 2048  # longer addresses are shown as plain titles, never cut inside a tag
BUTTON_HINT = N_("Tap 📄 N for the summary of result N.")
STORY_HINT = N_("Tap 🗞 N for every source of its story.")


# A result found by meaning alone (none of the query's words is in it) is marked, and the
# list says what the mark means: nothing pretends a word matched.
MEANING_MARK = "≈"
MEANING_HINT = N_("≈ found by meaning: none of your words is in it")


def hint(stories: bool = False) -> str:
    """The line under a list of results that says what the 📄 (and 🗞) buttons do."""
    line = _(BUTTON_HINT) + (" " + _(STORY_HINT) if stories else "")
    return "\n<i>" + line + "</i>"


def esc(text: str) -> str:
    """Escape user or article text for Telegram HTML."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji may count 2)."""
    return len(text.encode("utf-16-le")) // 2


def marked(snippet: Snippet, limit: int | None = None) -> str:
    """A snippet as HTML with matched words in bold."""
    text, marks = snippet.text, snippet.marks
    if limit is not None and len(text) > limit:
        text = shorten(text, limit)
        marks = tuple((a, b) for a, b in marks if b <= len(text) - 1)
    pieces = Snippet(text, marks).pieces()
    return "".join(f"<b>{esc(piece)}</b>" if bold else esc(piece) for piece, bold in pieces)


# ---- messages --------------------------------------------------------------------------------


def linkable(url: str) -> bool:
    """Whether an address goes in a link: a web address short enough that a message holding
    it still fits (a 5,000-character feed link would split the message inside its tag)."""
    return len(url) <= MAX_LINK_CHARS and is_web_url(url)


def linked_title(article: Article) -> str:
    """The title in bold, and a link to the article where it has a web address."""
    title = esc(article.title)
    if article.url and linkable(article.url):
        title = f'<a href="{html.escape(article.url, quote=True)}">{title}</a>'
    return f"<b>{title}</b>"


def sources_text(brief: StoryBrief) -> str:
    """`3 sources: Reuters, AP, BBC` (plain text): how many sources a story has, and who."""
    count = ngettext("{count} source", "{count} sources", brief.size).format(count=brief.size)
    names = ", ".join(shorten(o, 40) for o in brief.outlets[:OUTLETS_SHOWN])
    if len(brief.outlets) > OUTLETS_SHOWN:
        names += f" +{len(brief.outlets) - OUTLETS_SHOWN}"
    return f"{count}: {names}" if names else count


def story_note(brief: StoryBrief | None) -> str:
    """` · 3 sources: Reuters, AP, BBC` (HTML) for a result whose story has several sources."""
    return f" · {esc(sources_text(brief))}" if brief is not None else ""


def article_line(article: Article, brief: StoryBrief | None = None) -> str:
    """`Title` (a link) · date · #id, and its story's sources when it has several, as HTML."""
    meta = f"{esc(article_date(article))} · #{article.id}{story_note(brief)}"
    return f"{linked_title(article)}\n{meta}"


def _brief(article: Article, stories: Mapping[int, StoryBrief]) -> StoryBrief | None:
    return stories.get(article.story_id) if article.story_id is not None else None


def search_results(
    page: SearchPage, compact: bool, stories: Mapping[int, StoryBrief] | None = None
) -> str:
    """A page of search results (one per story) with marked snippets."""
    stories = stories or {}
    head = _("🔎 Results for “{query}”").format(query=esc(shorten(page.query, 80)))
    if page.corrected:
        words = esc(" ".join(page.corrected))
        head += "\n<i>" + _("Showing results for: {words}").format(words=words) + "</i>"
    if not page.hits:
        return head + "\n\n" + _("No matching articles. Try fewer or different words.")
    lines = [head + hint(bool(stories))]
    if any(hit.by_meaning for hit in page.hits):
        lines[0] += "\n<i>" + _(MEANING_HINT) + "</i>"
    for n, hit in enumerate(page.hits, page.offset + 1):
        snippet = marked(hit.snippet, GROUP_SNIPPET_CHARS if compact else None)
        snippet = f"{MEANING_MARK} {snippet}" if hit.by_meaning else snippet
        lines.append(f"{n}. {article_line(hit.article, _brief(hit.article, stories))}\n{snippet}")
    return "\n\n".join(lines)


def latest_list(
    articles: Sequence[Article], offset: int, stories: Mapping[int, StoryBrief] | None = None
) -> str:
    """A page of the newest articles (one per story)."""
    if not articles:
        return _("No articles yet.")
    stories = stories or {}
    lines = [_("🗞 Latest articles") + hint(bool(stories))]
    lines += [
        f"{n}. {article_line(a, _brief(a, stories))}" for n, a in enumerate(articles, offset + 1)
    ]
    return "\n\n".join(lines)


def _restates(title: str, sentence: str) -> bool:
    """Whether a sentence says the title again: the title's words, in order, are in it (a
    title made from the lede is the lede with words left out) and are at least half of it
    (a lede naming a quoted event title says more than the title)."""
    wanted, said = words(title), words(sentence)
    it = iter(said)
    return 2 * len(wanted) >= len(said) and all(word in it for word in wanted)


def summary_lines(article: Article, summary: Summary) -> tuple[str, ...]:
    """The summary's sentences without those that repeat the title above them; when every one
    does, the first sentence of the article that does not."""
    kept = tuple(s for s in summary.sentences if not _restates(article.title, s))
    if kept or not summary.sentences:
        return kept
    further = beyond_title(article.title, split_sentences(article.body))
    return (further,) if further and not _restates(article.title, further) else ()


def summary_message(article: Article, summary: Summary) -> str:
    """An article's summary with title, date and source; no line says the title again."""
    source = esc(article.source or article.url or _("unknown source"))
    if article.url and linkable(article.url):
        source = f'<a href="{html.escape(article.url, quote=True)}">{source}</a>'
    lines = summary_lines(article, summary)
    body = esc(" ".join(lines)) if lines else "<i>" + _("(no text to summarise)") + "</i>"
    meta = f"{esc(article_date(article))} · {source} · #{article.id}"
    return f"{linked_title(article)}\n{meta}\n\n{body}"


def results_keyboard(
    articles: Sequence[Article],
    prev_data: str | None,
    next_data: str | None,
    first_number: int,
    stories: Collection[int] = frozenset(),
) -> InlineKeyboardMarkup | None:
    """A Summary button per result, a 🗞 Story button per result whose story is in `stories`
    (the ones with several sources), then ‹ Prev / Next › when there is more."""
    rows: list[list[InlineKeyboardButton]] = []
    buttons = []
    story_buttons = []
    for n, article in enumerate(articles, first_number):
        buttons.append(
            InlineKeyboardButton(f"📄 {n}", callback_data=callback("summary", article.id))
        )
        if article.story_id is not None and article.story_id in stories:
            data = callback("story", article.story_id)
            story_buttons.append(InlineKeyboardButton(f"🗞 {n}", callback_data=data))
    for row in (buttons, story_buttons):
        if row:
            rows.append(row)
    nav = []
    if prev_data:
        nav.append(InlineKeyboardButton(_("‹ Prev"), callback_data=prev_data))
    if next_data:
        nav.append(InlineKeyboardButton(_("Next ›"), callback_data=next_data))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


# ---- splitting ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"<[^>]+>|&[#\w]+;|\s+|[^\s<&]+|[<&]")
_TAG_RE = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split HTML into messages of at most `limit` UTF-16 units.

    Breaks between paragraphs, then lines, then words; never inside a tag or an entity. A tag
    open at a cut is closed at the end of one part and reopened at the start of the next.
    """
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    stack: list[tuple[str, str]] = []  # (name, opening tag)

    def closing() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(stack))

    def flush() -> None:
        nonlocal current, size
        chunk = "".join(current).rstrip() + closing()
        if chunk.strip():
            parts.append(chunk)
        current = [tag for _, tag in stack]
        size = sum(utf16_len(t) for t in current)

    tokens = _TOKEN_RE.findall(text)
    for i, token in enumerate(tokens):
        n = utf16_len(token)
        if token.isspace() and "\n\n" in token:
            # A paragraph break: start a new part if the next paragraph would not fit.
            rest = text_until_break(tokens, i + 1)
            if size + n + rest + utf16_len(closing()) > limit and size:
                flush()
                continue
        if size + n + utf16_len(closing()) > limit:
            if token.isspace():
                flush()
                continue
            flush()
            if n + size + utf16_len(closing()) > limit:  # one word longer than a message
                for piece in _hard_pieces(token, limit - size - utf16_len(closing()) - 1):
                    current.append(piece)
                    size += utf16_len(piece)
                    flush()
                continue
        tag = _TAG_RE.fullmatch(token)
        if tag:
            name = tag.group(2).lower()
            if tag.group(1):
                if stack and stack[-1][0] == name:
                    stack.pop()
            else:
                stack.append((name, token))
        current.append(token)
        size += n
    if "".join(current).strip():
        flush()
    return parts


def text_until_break(tokens: list[str], start: int) -> int:
    """UTF-16 length of the paragraph starting at tokens[start]."""
    total = 0
    for token in tokens[start:]:
        if token.isspace() and "\n\n" in token:
            break
        total += utf16_len(token)
    return total


def _hard_pieces(word: str, room: int) -> list[str]:
    room = max(room, 16)
    pieces, piece = [], ""
    for char in word:
        if utf16_len(piece + char) > room:
            pieces.append(piece)
            piece = ""
        piece += char
    if piece:
        pieces.append(piece)
    return pieces

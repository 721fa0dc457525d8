"""Telegram's limits: 4096 UTF-16 units a message, 64 bytes of callback data, escaping."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.document import parse_text_article
from engine.models import Article, Snippet
from engine.sentences import split_sentences
from engine.summary import summarize
from engine.text import words
from handlers import render
from handlers.render import callbacks

TAG = re.compile(r"</?([a-z]+)[^>]*>")


def _balanced(html: str) -> bool:
    stack: list[str] = []
    for m in TAG.finditer(html):
        if m.group(0).startswith("</"):
            if not stack or stack.pop() != m.group(1):
                return False
        else:
            stack.append(m.group(1))
    return not stack


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", TAG.sub("", html)).strip()


def test_utf16_length_counts_emoji_as_two() -> None:
    assert render.utf16_len("a🙂") == 3


def test_short_text_is_one_message() -> None:
    assert render.split_message("hello") == ["hello"]


def test_emoji_text_splits_by_utf16_not_characters() -> None:
    text = "🙂 " * 3000  # 3000 chars of emoji pairs: 9000 UTF-16 units
    parts = render.split_message(text)
    assert all(render.utf16_len(p) <= 4096 for p in parts)
    assert len(parts) == 3
    assert "".join(parts).count("🙂") == 3000


def test_long_bold_paragraph_is_closed_and_reopened_across_parts() -> None:
    text = "<b>" + "word " * 2000 + "</b>"
    parts = render.split_message(text)
    assert len(parts) >= 2
    for part in parts:
        assert _balanced(part) and render.utf16_len(part) <= 4096
        assert part.startswith("<b>") and part.endswith("</b>")


def test_splits_prefer_paragraph_breaks_and_never_cut_words() -> None:
    paragraphs = [f"Paragraph {i} " + "lorem ipsum " * 30 for i in range(40)]
    parts = render.split_message("\n\n".join(paragraphs))
    assert all(p.lstrip().startswith("Paragraph") for p in parts)


def test_a_single_giant_word_is_cut_hard_but_within_limits() -> None:
    parts = render.split_message("x" * 10_000)
    assert all(render.utf16_len(p) <= 4096 for p in parts) and "".join(parts) == "x" * 10_000


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300),
            st.sampled_from(["\n\n", "\n", " ", "🙂", "&amp;", "&lt;"]),
        ),
        max_size=80,
    ),
    st.integers(min_value=200, max_value=4096),
)
def test_any_text_splits_within_limit_with_nothing_lost(chunks: list[str], limit: int) -> None:
    text = "<b>" + render.esc("".join(c for c in chunks if c not in ("&amp;", "&lt;"))) + "</b>"
    parts = render.split_message(text, limit)
    assert all(render.utf16_len(p) <= limit for p in parts)
    assert all(_balanced(p) for p in parts)
    assert _plain(" ".join(parts)).replace(" ", "") == _plain(text).replace(" ", "")


def test_everything_user_or_article_supplied_is_escaped() -> None:
    snippet = Snippet('<script>& "x"', ((1, 7),))
    assert render.marked(snippet) == '&lt;<b>script</b>&gt;&amp; "x"'


@pytest.mark.parametrize(
    ("kind", "args"),
    [("search", ("a1b2c3d4e5f6", 200)), ("summary", (10**11,)), ("digest", (10**11, 10**11))],
)
def test_callback_data_fits_64_bytes_and_round_trips(kind: str, args: tuple[object, ...]) -> None:
    data = callbacks.callback(kind, *args)
    assert len(data.encode()) <= 64
    parsed = callbacks.parse_callback(data)
    assert parsed is not None and parsed.kind == kind and parsed.args == tuple(map(str, args))


@pytest.mark.parametrize(
    "data", [None, "", "m|-1", "m|1|2", "s|XYZ|1", "m|" + "9" * 70, "l|1; DROP"]
)
def test_malformed_callback_data_is_rejected(data: str | None) -> None:
    assert callbacks.parse_callback(data) is None


def test_building_bad_callback_data_fails_loudly() -> None:
    with pytest.raises(ValueError):
        callbacks.callback("summary", "1" * 70)


LEDE = "Anna Berg opened the Caspian ferry terminal in Alat on Monday."
FERRY = (
    f"{LEDE}\nThe terminal can handle two million tonnes of cargo a year, officials said.\n"
    "Ferries to Kazakhstan and Turkmenistan will leave from the new quay every day."
)


@pytest.mark.parametrize("headline", ["", "Caspian ferry terminal opens in Alat"])
def test_no_line_of_a_summary_reply_says_the_title_again(headline: str) -> None:
    parsed = parse_text_article(f"{headline}\n{FERRY}" if headline else FERRY)
    article = Article(1, parsed.title, parsed.body, None, None, None, datetime.now(UTC))
    message = render.summary_message(article, summarize(article.body))
    lines = [line for line in _plain(message.replace("\n", " | ")).split(" | ") if line]
    said = [s for line in lines[2:] for s in split_sentences(line)]
    assert not any(set(words(parsed.title)) <= set(words(s)) for s in said)
    assert len(said) == len(set(said)) >= 1

"""Articles carrying markup, entities, quotes, RTL and zero-width text reach users escaped."""

from __future__ import annotations

from bot import offline
from engine.models import ParsedArticle
from handlers import render
from tests.handlers.conftest import Harness

HOSTILE = ParsedArticle(
    title='<b>Bold</b> & "quoted" <script>alert(1)</script> مرحبا',
    body=(
        'Zebrafish <i>study</i> & friends: "quotes", \u200bzero\u200bwidth, \u202eRTL\u202c, 🙂. '
        "Zebrafish researchers said the <a href='x'>link</a> was fine. " * 40
    ),
    url='https://example.com/a?x="><script>',
)


async def _seed_hostile(harness: Harness) -> int:
    result = await harness.services.articles.add([HOSTILE])
    return result.added[0]


def _tags(text: str) -> set[str]:
    import re

    return {m.lower() for m in re.findall(r"</?([a-zA-Z]+)", text)}


async def test_search_results_escape_article_text(harness: Harness) -> None:
    await _seed_hostile(harness)
    [reply] = await harness.text("/search zebrafish")
    assert _tags(reply) <= {"b", "i"}
    assert "&lt;script&gt;" in reply and "<script>" not in reply
    assert "&lt;i&gt;study" in reply or "study" in reply


async def test_summary_escapes_text_and_the_source_link(harness: Harness) -> None:
    article_id = await _seed_hostile(harness)
    [reply] = await harness.text(f"/summary {article_id}")
    assert _tags(reply) <= {"b", "a"}
    assert 'href="https://example.com/a?x=&quot;&gt;&lt;script&gt;"' in reply
    assert render.utf16_len(reply) <= 4096


async def test_inline_results_escape_and_stay_within_limits(harness: Harness) -> None:
    await _seed_hostile(harness)
    await harness.send(offline.inline_update("zebrafish"))
    [answer] = harness.request.sent("answerInlineQuery")
    message = answer["results"][0]["input_message_content"]["message_text"]
    assert "<script>" not in message and render.utf16_len(message) <= 4096


async def test_digest_escapes_article_text(harness: Harness) -> None:
    from bot.delivery import Deliverer

    await harness.text("/subscribe zebrafish")
    await _seed_hostile(harness)
    harness.request.clear()
    svc = harness.services
    await Deliverer(harness.app.bot, svc.outbox, svc.subscriptions, svc.articles).round()
    [digest] = harness.request.sent("sendMessage")
    assert "<script>" not in digest["text"] and "&lt;b&gt;Bold" in digest["text"]

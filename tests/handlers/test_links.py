"""Every item that has a web address links to it: search results, /latest, summaries,
digests and inline messages (the title is the link); an address that is no web address
(a file name, `javascript:`) is never put in a link, and the HTML stays valid."""

from __future__ import annotations

import html

from bot import offline
from engine.models import ParsedArticle
from tests.support.app import Harness, deliver
from tests.support.checks import html_problems

URL = "https://news.example/caspian?id=7&lang=en"
LINK = f'<a href="{html.escape(URL, quote=True)}">Caspian ferry &lt;resumes&gt;</a>'


async def _add(h: Harness) -> None:
    await h.services.articles.add(
        [
            ParsedArticle("Caspian ferry <resumes>", "The Caspian ferry resumes today.", url=URL),
            ParsedArticle(
                "Caspian port fire",
                "A fire at the Caspian port was put out.",
                url="javascript:alert(1)",
            ),
        ]
    )


async def test_search_latest_and_summary_link_each_title(harness: Harness) -> None:
    await _add(harness)
    replies = [
        *(await harness.text("/search caspian ferry")),
        *(await harness.text("/latest 2")),
        *(await harness.text("/summary caspian ferry")),
    ]
    assert len(replies) == 3
    for reply in replies:
        assert LINK in reply, reply
        assert "javascript:" not in reply
        assert html_problems(reply) == []


async def test_a_digest_links_each_article(harness: Harness) -> None:
    await harness.text("/subscribe caspian")
    await _add(harness)
    await deliver(harness)
    [digest] = harness.texts()
    assert LINK in digest and "javascript:" not in digest
    assert "<b>Caspian port fire</b>" in digest and html_problems(digest) == []


async def test_an_inline_result_shares_a_linked_message(harness: Harness) -> None:
    await _add(harness)
    await harness.send(offline.inline_update("caspian ferry"))
    [answer] = harness.request.sent("answerInlineQuery")
    message = answer["results"][0]["input_message_content"]["message_text"]
    assert LINK in message and html_problems(message) == []


async def test_an_address_too_long_for_a_link_leaves_the_title_plain(harness: Harness) -> None:
    long_url = "https://news.example/" + "a" * 5000
    await harness.services.articles.add(
        [ParsedArticle("Caspian ferry", "The Caspian ferry resumes today.", url=long_url)]
    )
    await harness.text("/subscribe caspian")
    [reply] = await harness.text("/latest 1")
    assert "<b>Caspian ferry</b>" in reply and "href" not in reply
    assert html_problems(reply) == []
    await harness.services.articles.add(
        [ParsedArticle("Caspian port", "The Caspian port reopens today.", url=long_url + "b")]
    )
    await deliver(harness)
    [digest] = harness.texts()
    assert "Caspian port" in digest and html_problems(digest) == []

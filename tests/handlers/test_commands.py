"""Commands, buttons and inline mode through the real Application, offline."""

from __future__ import annotations

import re

import pytest
from telegram import Update

from bot import offline
from engine.summary import content_words
from handlers import render
from handlers.render import callbacks
from tests.support.app import Harness, start_app
from tests.support.samples import seed_id
from tests.support.stories import distinct_events


async def test_start_and_help_explain_every_command(harness: Harness) -> None:
    for command in ("/start", "/help"):
        [reply] = await harness.text(command)
        assert "newsbot" in reply
        for name in ("search", "latest", "summary", "subscribe", "unsubscribe", "timezone"):
            assert f"/{name}" in reply


async def test_commands_are_registered_with_telegram_at_start(harness: Harness) -> None:
    calls = [c for c in harness.request.calls if c.method == "setMyCommands"]
    [call] = [c for c in calls if "language_code" not in c.params] or [None]
    assert call is not None, "the default menu, for users of every other language"
    names = [c["command"] for c in call.params["commands"]]
    assert names[:5] == ["start", "help", "search", "latest", "summary"]


async def test_misspelled_search_finds_the_khankendi_summit_first(harness: Harness) -> None:
    [reply] = await harness.text("/search Khankendy summit")
    assert "Showing results for: khankendi summit" in reply
    first = reply.split("\n\n")[1]
    assert f"#{seed_id('000')}" in first
    assert "<b>Khankendi</b>" in reply or "<b>summit</b>" in reply


async def test_search_without_words_gets_a_usage_line(harness: Harness) -> None:
    [reply] = await harness.text("/search")
    assert reply.startswith("Usage: /search")


async def test_search_pages_with_next_and_prev_buttons(harness: Harness) -> None:
    # Four more events (the seeds' two Khankendi reports are one entry): 8 results.
    await harness.services.articles.add(distinct_events(4, "Azerbaijan"))
    await harness.text("/search azerbaijan")
    buttons = dict((label, data) for label, data in harness.buttons())
    assert "Next ›" in buttons and "‹ Prev" not in buttons
    summary_buttons = [label for label in buttons if label.startswith("📄")]
    assert summary_buttons == ["📄 1", "📄 2", "📄 3", "📄 4", "📄 5"][: len(summary_buttons)]
    await harness.send(offline.callback_update(buttons["Next ›"]))
    [edit] = harness.request.sent("editMessageText")
    assert [line[:2] for line in edit["text"].split("\n\n")[1:]] == ["6.", "7.", "8."]
    assert harness.answers(), "every button press is answered"
    assert "‹ Prev" in dict(harness.buttons())


async def test_summary_button_sends_the_articles_summary(harness: Harness) -> None:
    await harness.text("/search bayramov")
    _label, data = harness.buttons()[0]
    await harness.send(offline.callback_update(data))
    [reply] = harness.texts()
    assert "Bayramov" in reply and f"#{seed_id('002')}" in reply
    assert harness.answers()


@pytest.mark.parametrize(
    "data", ["s|zzzz|1", "m|", "x" * 64, "l|99999", "m|12345678901234567", "", "s|000000000000|5"]
)
async def test_forged_or_stale_buttons_get_a_polite_answer(harness: Harness, data: str) -> None:
    calls = await harness.send(offline.callback_update(data))
    answers = [c.params for c in calls if c.method == "answerCallbackQuery"]
    assert answers and answers[0].get("text"), f"no polite answer for {data!r}"
    assert not harness.texts() or "went wrong" not in harness.texts()[0]


async def test_summary_button_for_a_deleted_article_says_so(harness: Harness) -> None:
    await harness.send(offline.callback_update(callbacks.callback("summary", 999)))
    assert harness.texts() == ["No article with id 999."]


async def test_latest_lists_newest_first_with_paging(harness: Harness) -> None:
    [reply] = await harness.text("/latest 2")
    assert reply.startswith("🗞 Latest articles")
    assert len(re.findall(r"^\d+\. ", reply, re.M)) == 2
    assert "Next ›" in dict(harness.buttons())


@pytest.mark.parametrize("arg", ["0", "11", "abc", "-1", "2 3"])
async def test_latest_with_a_bad_count_gets_usage(harness: Harness, arg: str) -> None:
    [reply] = await harness.text(f"/latest {arg}")
    assert reply.startswith("Usage: /latest")


async def test_summary_by_id_has_title_date_and_source(harness: Harness) -> None:
    [reply] = await harness.text(f"/summary {seed_id('004')} 2")
    assert "Feb 28, 2026" in reply and "004_04d7aadca3091b46.txt" in reply
    assert "Khojaly" in reply or "roundtable" in reply


async def test_summary_by_query_uses_the_best_match(harness: Harness) -> None:
    [reply] = await harness.text("/summary Hajiyev Brusels")
    assert "Azerbaijan’s Perspective on Regional Stability" in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/summary", "Usage: /summary"),
        ("/summary 999", "No article with id 999."),
        ("/summary 3 99", "Usage: /summary"),
        ("/summary zzzqqqxx", "Nothing matches"),
        ("/summary " + "x" * 1200, "too long"),
        ('/summary "*"', "Give me some words"),
    ],
)
async def test_summary_bad_input_gets_one_clear_line(
    harness: Harness, text: str, expected: str
) -> None:
    [reply] = await harness.text(text)
    assert expected in reply and "\n" not in reply


@pytest.mark.parametrize(
    "query",
    [
        "",
        "🙂🙂🙂",
        "<b>bold</b>",
        "& < >",
        '"quoted"',
        "NEAR(a b)",
        "AND OR NOT",
        "' OR 1=1 --",
        "x" * 4000,
        "مرحبا",
        "zero\u200bwidth",
        "*",
        "summit*",
    ],
)
async def test_hostile_searches_get_a_reply_never_a_traceback(harness: Harness, query: str) -> None:
    replies = await harness.text(f"/search {query}")
    assert len(replies) == 1
    reply = replies[0]
    assert "Traceback" not in reply and "went wrong" not in reply
    assert render.utf16_len(reply) <= 4096
    assert "<b>bold</b>" not in reply  # user text is escaped, never interpreted


async def test_plain_text_in_private_chat_is_a_search(harness: Harness) -> None:
    [reply] = await harness.text("bayramov")
    assert reply.startswith("🔎 Results for “bayramov”")


async def test_groups_answer_cmd_at_botname_compactly_and_ignore_chatter(harness: Harness) -> None:
    group = {"chat_id": -100123, "chat_type": "supergroup"}
    [reply] = await harness.text("/search@newsbot_test_bot azerbaijan", **group)
    assert len(re.findall(r"^\d+\. ", reply, re.M)) == 3  # compact: 3 results in groups
    assert await harness.text("/search@other_bot azerbaijan", **group) == []
    assert await harness.text("just chatting about azerbaijan", **group) == []
    assert await harness.text("/unknowncommand", **group) == []


async def test_unknown_command_in_private_points_to_help(harness: Harness) -> None:
    assert await harness.text("/frobnicate") == ["I don't know that command. Try /help."]


async def test_edited_messages_and_channel_posts_are_ignored(harness: Harness) -> None:
    assert await harness.text("/search azerbaijan", edited=True) == []
    post = offline.message_update("/search azerbaijan", chat_id=-100999, chat_type="channel")
    post["channel_post"] = post.pop("message")
    post["channel_post"].pop("from")
    assert await harness.send(post) == []


async def test_inline_query_returns_articles_with_summaries(harness: Harness) -> None:
    await harness.send(offline.inline_update("Bayramov ECO"))
    [answer] = harness.request.sent("answerInlineQuery")
    results = answer["results"]
    assert results[0]["id"] == str(seed_id("002"))
    assert "Bayramov" in results[0]["input_message_content"]["message_text"]
    assert results[0]["description"]
    assert len(results) <= 50


async def test_inline_descriptions_say_what_the_titles_do_not(harness: Harness) -> None:
    await harness.send(offline.inline_update(""))
    [answer] = harness.request.sent("answerInlineQuery")
    for result in answer["results"]:
        title = set(content_words(result["title"]))
        described = set(content_words(result["description"]))
        assert len(title & described) * 2 < len(title), result["title"]
    by_id = {r["id"]: r for r in answer["results"]}
    # Seed 002's title is made from its lede: the description is not that lede again.
    assert not by_id[str(seed_id("002"))]["description"].startswith("On September 25")


async def test_empty_inline_query_shows_the_latest_and_pages(harness: Harness) -> None:
    await harness.send(offline.inline_update(""))
    [answer] = harness.request.sent("answerInlineQuery")
    # The five seeds are four stories: one result each.
    assert len(answer["results"]) == 4 and not answer.get("next_offset")
    await harness.services.articles.add(distinct_events(25, "Brief on regional trade."))
    await harness.send(offline.inline_update(""))
    [first] = harness.request.sent("answerInlineQuery")
    assert len(first["results"]) == 20 and first["next_offset"] == "20"
    await harness.send(offline.inline_update("", offset="20"))
    [second] = harness.request.sent("answerInlineQuery")
    assert len(second["results"]) == 9 and not second.get("next_offset")
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 29  # 4 seed stories and 25 more
    await harness.send(offline.inline_update("", offset="garbage"))
    [answer] = harness.request.sent("answerInlineQuery")
    assert [r["id"] for r in answer["results"]] == [r["id"] for r in first["results"]]


async def test_inline_query_with_only_symbols_answers_empty(harness: Harness) -> None:
    await harness.send(offline.inline_update("🙂 <>"))
    [answer] = harness.request.sent("answerInlineQuery")
    assert answer["results"] == []


async def test_unexpected_errors_apologise_and_log_without_the_token(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(harness.services.articles, "latest", boom)
    [reply] = await harness.text("/latest")
    assert reply == "Sorry, something went wrong on my side. Please try again."
    assert "database on fire" in caplog.text and "update" in caplog.text


async def test_a_double_tap_on_a_page_button_is_harmless(harness: Harness) -> None:
    await harness.text("/latest 2")
    next_data = dict(harness.buttons())["Next ›"]
    harness.request.fail_next(
        "editMessageText",
        400,
        "Bad Request: message is not modified: specified new message "
        "content and reply markup are exactly the same",
    )
    await harness.send(offline.callback_update(next_data))
    assert harness.texts() == [] and harness.answers()


async def test_a_429_on_a_reply_is_waited_out_and_retried(harness: Harness) -> None:
    harness.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await harness.text("/start")
    sends = harness.request.sent("sendMessage")
    assert len(sends) == 2, "the refused reply went out once more after retry_after"
    assert sends[0]["text"] == sends[1]["text"]


async def test_a_403_on_a_reply_is_logged_not_retried(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await harness.text("/start")
    assert len(harness.request.sent("sendMessage")) == 1
    assert "Forbidden" in caplog.text


async def test_paging_buttons_still_work_after_a_restart(harness: Harness) -> None:
    await harness.services.articles.add(distinct_events(4, "Azerbaijan trade."))
    await harness.text("/search azerbaijan")
    next_data = dict(harness.buttons())["Next ›"]
    request = offline.RecordingRequest()
    restarted = await start_app(harness.services, request)
    await restarted.process_update(
        Update.de_json(offline.callback_update(next_data), restarted.bot)
    )
    [edit] = request.sent("editMessageText")
    assert edit["text"].split("\n\n")[1].startswith("6.")
    await restarted.shutdown()

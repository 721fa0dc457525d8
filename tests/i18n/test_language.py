"""Replies in the reader's language: the user's Telegram language, a chat's /language, digests
in the chat's language and time zone, errors and buttons too, and always valid Telegram HTML."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text

import i18n
from bot import offline
from engine.models import Article
from tests.support.app import Harness, MakeHarness, add_articles, deliver
from tests.support.checks import message_problems
from tests.support.samples import CORPUS

GROUP = {"chat_id": -100700, "chat_type": "supergroup"}
ADMIN, MEMBER = 42, 43


async def test_a_german_telegram_user_gets_german_replies(harness: Harness) -> None:
    assert await harness.text("/latest 99", language="de") == [
        "Verwendung: /latest [N], N von 1 bis 10"
    ]
    [listing] = await harness.text("/latest 2", language="de-AT")
    assert listing.startswith("🗞 Neueste Artikel") and "Tippe auf 📄 N" in listing
    assert [label for label, _ in harness.buttons()][-1] == "Weiter ›"


async def test_a_failing_language_read_is_no_apology(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down(chat_id: int) -> tuple[str | None, str]:
        raise ConnectionError("the database is down")

    monkeypatch.setattr(harness.services.subscriptions, "speech", down)
    [usage] = await harness.text("/latest 99", language="de")  # one reply, no "sorry"
    assert usage == "Verwendung: /latest [N], N von 1 bis 10", "the user's own language"


@pytest.mark.parametrize("language", [None, "en", "fr", "pt-br", "x" * 40])
async def test_other_languages_get_english(harness: Harness, language: str | None) -> None:
    assert await harness.text("/latest 99", language=language) == [
        "Usage: /latest [N], N from 1 to 10"
    ]


async def test_help_and_the_command_menu_are_translated(harness: Harness) -> None:
    menus = {c.get("language_code"): c["commands"] for c in harness.request.sent("setMyCommands")}
    [help_text] = await harness.text("/help", language="de")
    assert "hält die Nachrichten deines Teams durchsuchbar" in help_text
    assert "/language [xx|auto] — die Sprache der Antworten und Zusammenstellungen hier" in (
        help_text
    )
    assert set(menus) == {None, "de", "ru"}
    german = {c["command"]: c["description"] for c in menus["de"]}
    assert german["search"] == "Artikel finden (Tippfehler sind in Ordnung)"


async def test_errors_and_dates_follow_the_language(harness: Harness) -> None:
    assert await harness.text("/summary 99999999", language="de") == [
        "Kein Artikel mit der ID 99999999."
    ]
    assert await harness.text("/search 🙂 ?!", language="de") == [
        "Gib mir ein paar Wörter, nach denen ich suchen soll."
    ]
    [too_long] = await harness.text("/search " + "peace " * 200, language="de")
    assert too_long.startswith("Diese Suche ist zu lang: Bleib unter ")
    [english] = await harness.text("/search Washington summit")
    [german] = await harness.text("/search Washington summit", language="de")
    assert "Feb 28, 2026" in english and "28.02.2026" in german
    assert german.startswith("🔎 Ergebnisse für „Washington summit“")


async def test_a_group_chooses_its_language_for_everyone(harness: Harness) -> None:
    harness.request.admins.add(ADMIN)
    assert await harness.text("/language de", user_id=MEMBER, **GROUP) == [
        "Only this group's admins can do that here."
    ]
    assert await harness.text("/language de", user_id=ADMIN, **GROUP) == [
        "Antworten und Zusammenstellungen sind hier jetzt auf Deutsch."
    ]
    [reply] = await harness.text("/latest 99", user_id=MEMBER, language="en", **GROUP)
    assert reply.startswith("Verwendung:"), "the chat's choice beats the member's own"
    [shown] = await harness.text("/language", user_id=MEMBER, **GROUP)
    assert shown.startswith("Antworten sind hier auf Deutsch, für diesen Chat gewählt.")
    assert await harness.text("/language auto", user_id=ADMIN, language="en", **GROUP) == [
        "Replies here now follow each person's Telegram language."
    ]
    assert (await harness.text("/latest 99", user_id=MEMBER, language="en", **GROUP))[0].startswith(
        "Usage:"
    )
    # Elsewhere nothing changed: another chat, the same member.
    assert (await harness.text("/latest 99", user_id=MEMBER, language="en"))[0].startswith("Usage:")


@pytest.mark.parametrize("wanted", ["xx", "klingon", "de de", "²", "<b>", "d" * 300])
async def test_an_unknown_language_is_named_and_the_choices_listed(
    harness: Harness, wanted: str
) -> None:
    [reply] = await harness.text(f"/language {wanted}")
    assert reply.startswith("There is no language “") and "de (Deutsch)" in reply
    assert "or auto." in reply
    assert "en (English)" in reply and "\n" not in reply
    assert await harness.services.subscriptions.speech(1001) == (None, "UTC")


async def test_button_answers_are_translated(harness: Harness) -> None:
    calls = await harness.send(offline.callback_update("zz|forged", language="de"))
    answers = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
    assert answers == ["Diese Schaltfläche gilt nicht mehr."]


async def test_a_digest_speaks_its_subscribers_language(harness: Harness) -> None:
    await harness.text("/subscribe", language="de")
    await add_articles(
        harness, "Caspian ferry line opens. A new ferry links Alat and Turkmenbashi."
    )
    await deliver(harness)
    [digest] = harness.request.sent("sendMessage")
    assert digest["text"].startswith("🗞 <b>Neue Artikel</b>")
    assert "hinzugefügt am" in digest["text"] and not message_problems(digest)


async def test_a_digest_follows_the_chats_language_and_time_zone(harness: Harness) -> None:
    await harness.text("/subscribe ferry", language="en")
    await harness.text("/timezone Asia/Baku")
    await harness.text("/language de")
    await add_articles(
        harness, "Caspian ferry line opens. A new ferry links Alat and Turkmenbashi."
    )
    [article] = (await harness.services.articles.latest(1, 0))[0]
    async with harness.services.articles.sessions() as session:  # added late on March 1 (UTC)
        await session.execute(
            text("UPDATE articles SET added_at = :at WHERE id = :id"),
            {"at": datetime(2026, 3, 1, 22, 30), "id": article.id},
        )
        await session.commit()
    await deliver(harness, datetime(2026, 3, 1, 22, 31))
    [digest] = harness.request.sent("sendMessage")
    assert digest["text"].startswith("🗞 <b>Neu: ferry</b>"), "the chat chose German"
    assert "hinzugefügt am 02.03.2026" in digest["text"], "already March 2 in Baku (UTC+4)"


def test_an_added_date_is_the_local_day_in_the_chats_zone() -> None:
    late = Article(1, "T", "B", None, None, None, datetime(2026, 11, 25, 22, 30))
    with i18n.using("de", "Asia/Baku"):  # UTC+4: already the 26th there
        assert i18n.article_date(late) == "hinzugefügt am 26.11.2026"
    with i18n.using("en", "UTC"):
        assert i18n.article_date(late) == "added Nov 25, 2026"
    with i18n.using("de", "America/Los_Angeles"):
        assert i18n.article_date(late) == "hinzugefügt am 25.11.2026"
    assert i18n.article_date(late) == "added Nov 25, 2026", "the block leaves no trace"


async def test_german_replies_are_valid_telegram_html(harness: Harness) -> None:
    await harness.text("/subscribe peace -sport daily 9:30 silent", language="de")
    for command in ("/help", "/latest", "/search summit", "/subscriptions", "/feeds", "/quiet"):
        await harness.send(offline.message_update(command, language="de"))
        sent = harness.request.sent("sendMessage")
        assert sent, command
        for params in sent:
            assert not message_problems(params), (command, params["text"])
            assert "Usage" not in params["text"], (command, params["text"])


async def test_a_trend_chart_is_drawn_in_german(make_harness: MakeHarness) -> None:
    h = await make_harness()
    await h.services.articles.add(CORPUS)
    english, english_caption = await h.photo("/trend tramway", language="en")
    german, caption = await h.photo("/trend tramway", language="de")
    assert caption.startswith("Artikel, die „tramway“ erwähnen, pro Tag, letzte 30 Tage (")
    assert caption.endswith("): insgesamt 4") and english_caption.endswith("): 4 in total")
    assert german != english, "titles, axis labels and ticks are drawn in German"


@pytest.mark.parametrize(
    ("count", "reply"),
    [
        (1, "Отменена 1 подписка."),
        (3, "Отменены 3 подписки."),
        (5, "Отменено 5 подписок."),
        (11, "Отменено 11 подписок."),
        (12, "Отменено 12 подписок."),
    ],
)
async def test_russian_plurals_take_the_right_form(
    harness: Harness, count: int, reply: str
) -> None:
    for n in range(count):
        await harness.services.subscriptions.subscribe(1001, None, f"word{n}", "instant", None)
    assert await harness.text("/unsubscribe all", language="ru") == [reply]


async def test_russian_dates_and_buttons(harness: Harness) -> None:
    [reply] = await harness.text("/search Washington summit", language="ru")
    assert reply.startswith("🔎 Результаты по запросу «Washington summit»")
    assert "28 февр. 2026\u202fг." in reply, "CLDR's Russian medium date (a narrow no-break space)"
    await harness.text("/latest 2", language="ru")
    assert [label for label, _ in harness.buttons()][-1] == "Дальше ›"

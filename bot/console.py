"""`python -m bot console`: try the bot without a token, through the same Application.

Each typed line becomes an Update; what the bot sends is printed, bold as bold on a terminal
(in [brackets] through a pipe), links with their address. `!N` presses the button labelled
📄 N (the summary of result N); the other buttons are `!a`, `!b`, …; `@words` runs an inline
query; `quit` or Ctrl-D (end of input) quits. Charts and files the bot sends are saved in
console-files/ of the current folder, their path and size printed. The console keeps its own
store there too (never the running bot's: its pretend chat would get real digests).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sys
from pathlib import Path
from typing import Any

from telegram import Update

from bot import offline
from bot.app import NewsApp, build_application
from bot.settings import Settings
from ingest.vectors import catch_up

_TAG = re.compile(r"<[^>]+>")
# A link, bold or not: its text, then its address (after the bold, so it reads as a note).
_LINK = re.compile(r'(<b>)?<a href="([^"]*)">(.*?)</a>(</b>)?', re.DOTALL)
_SUMMARY_BUTTON = re.compile(r"📄 ([0-9]+)")
CONSOLE_STORE = "newsbot-console.db"
FILES_DIR = "console-files"
_BOLD = re.compile(r"<(/?)(?:b|strong)>")
ANSI_BOLD, ANSI_RESET = "\x1b[1m", "\x1b[0m"
QUIT = frozenset({"quit", "exit"})
NO_DELIVERY = (
    "(Note: nothing is delivered in this console: no digests are sent here. Subscriptions "
    "deliver in a chat with the running bot, `python -m bot run`.)"
)


def terminal_text(text: str, tty: bool) -> str:
    """A reply's HTML as terminal text: bold in ANSI on a terminal, in [brackets] otherwise."""
    on, off = (ANSI_BOLD, ANSI_RESET) if tty else ("[", "]")
    linked = _LINK.sub(
        lambda m: f"{m.group(1) or ''}{m.group(3)}{m.group(4) or ''} &lt;{m.group(2)}&gt;", text
    )
    marked = _BOLD.sub(lambda m: off if m.group(1) else on, linked)
    return html.unescape(_TAG.sub("", marked))


def button_keys(labels: list[str]) -> list[str]:
    """What to type after `!` for each button: N for "📄 N" (as the hint says), else a letter."""
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    keys = []
    for label in labels:
        summary = _SUMMARY_BUTTON.fullmatch(label)
        keys.append(summary.group(1) if summary else next(letters, "?"))
    return keys


def _save(call: offline.Call, folder: Path) -> None:
    """A chart or a file the bot sent: written to `folder`, its path and size printed."""
    for param, content in call.files.items():
        name = Path(call.filenames.get(param) or param).name
        if call.method == "sendPhoto" and not name.endswith(".png"):
            name = "trend.png"  # the only photo the bot sends is a /trend chart
        target = folder / name
        folder.mkdir(parents=True, exist_ok=True)
        number = 1
        while target.exists():  # an earlier chart stays: the next one gets the next number
            number += 1
            target = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        target.write_bytes(content)
        caption = call.params.get("caption")
        if caption:
            print(terminal_text(str(caption), sys.stdout.isatty()))
        print(f"(saved {target} · {len(content):,} bytes)")
    print()


def _show(call: offline.Call, buttons: dict[str, str], folder: Path) -> None:
    params: dict[str, Any] = call.params
    if call.method in ("sendMessage", "editMessageText"):
        print(terminal_text(str(params.get("text", "")), sys.stdout.isatty()))
        markup = params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup or {}
        pressable = [b for row in markup.get("inline_keyboard", []) for b in row]
        keys = button_keys([b["text"] for b in pressable])
        buttons.update({key: b["callback_data"] for key, b in zip(keys, pressable, strict=True)})
        if pressable:
            print(" ".join(f"[!{k} {b['text']}]" for k, b in zip(keys, pressable, strict=True)))
        print()
    elif call.method in ("sendPhoto", "sendDocument"):
        _save(call, folder)
    elif call.method == "answerInlineQuery":
        for result in params.get("results", []):
            print(f"• {result['title']}\n  {result.get('description', '')}")
        print()
    elif call.method == "answerCallbackQuery" and params.get("text"):
        print(f"({params['text']})")


def _payload(line: str, buttons: dict[str, str]) -> dict[str, Any] | None:
    """The update a typed line stands for; None (and a note) for a button that is not there."""
    key = line[1:].strip().lower()
    if line.startswith("!") and (key.isdigit() or (len(key) == 1 and key.isalpha())):
        if key not in buttons:
            listed = ", ".join(f"!{k}" for k in buttons)
            shown = f"the buttons are {listed}" if buttons else "no buttons are shown"
            print(f"There is no button {key}: {shown}.\n")
            return None
        return offline.callback_update(buttons[key])
    if line.startswith("@"):
        return offline.inline_update(line[1:])
    return offline.message_update(line)


async def _turn(
    app: NewsApp,
    request: offline.RecordingRequest,
    line: str,
    buttons: dict[str, str],
    folder: Path,
) -> dict[str, str]:
    """Send one typed line to the bot and print what it answered; the buttons now pressable
    (the new reply's, or the earlier ones if it has none, as in a chat)."""
    payload = _payload(line, buttons)
    if payload is None:
        return buttons
    request.clear()
    await app.process_update(Update.de_json(payload, app.bot))
    shown: dict[str, str] = {}
    for call in request.calls:
        _show(call, shown, folder)
    if _command(line) == "subscribe":
        print(NO_DELIVERY + "\n")
    return shown or buttons


def _command(line: str) -> str:
    """The command a line starts with ("subscribe" for "/subscribe@bot words"), else ""."""
    words = line[1:].split(maxsplit=1) if line.startswith("/") else []
    return words[0].partition("@")[0].lower() if words else ""


def console_settings(settings: Settings) -> Settings:
    """The console's settings: no token, and its own store unless DATABASE_URL names one."""
    update: dict[str, object] = {"bot_token": None}
    if "database_url" not in settings.model_fields_set:
        update["database_url"] = f"sqlite+aiosqlite:///{CONSOLE_STORE}"
    return settings.model_copy(update=update)


async def _ready_meaning(app: NewsApp) -> None:
    """Search by meaning in the console too (it runs no jobs): embed the articles without a
    vector, one at a time (leaving never waits long for the model), then fill the index."""
    articles = app.bot_data.articles
    meaning = articles.meaning if articles is not None else None
    if meaning is not None:
        await catch_up(meaning.index.vectors, meaning.embedder, batch=1)
        await meaning.index.fill()


async def run_console(settings: Settings) -> int:
    """Read lines from stdin and print the bot's replies until EOF."""
    request = offline.RecordingRequest()
    settings = console_settings(settings)
    folder = Path.cwd() / FILES_DIR
    # No jobs: nothing is delivered to a console, and no feed should be polled from it.
    app = build_application(settings, request=request, rate_limit=False, schedule_jobs=False)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    print(
        "newsbot console: type /help, /search words, !N to press a button, @words for inline, "
        "quit (or Ctrl-D) to leave."
    )
    print(f"(store: {settings.store_label()}; files the bot sends go to {folder})")
    buttons: dict[str, str] = {}
    loop = asyncio.get_running_loop()
    meaning = asyncio.create_task(_ready_meaning(app))  # words alone until it is done
    try:
        while True:
            print("> ", end="", flush=True)
            raw = await loop.run_in_executor(None, sys.stdin.readline)
            line = raw.strip()
            if not raw or line.lower() in QUIT:  # "" is the end of input (Ctrl-D)
                break
            if line:
                buttons = await _turn(app, request, line, buttons, folder)
    finally:
        meaning.cancel()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
    return 0

"""`python -m bot console`: try the bot without a token, through the same Application.

Each typed line becomes an Update; what the bot sends is printed, bold as bold on a terminal
(in [brackets] through a pipe). `!N` presses button N of the last reply; `@words` runs an
inline query; `quit` or Ctrl-D (end of input) quits.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sys
from typing import Any

from telegram import Update

from bot import offline
from bot.app import NewsApp, build_application
from bot.settings import Settings
from engine.numbers import parse_int

_TAG = re.compile(r"<[^>]+>")
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
    marked = _BOLD.sub(lambda m: off if m.group(1) else on, text)
    return html.unescape(_TAG.sub("", marked))


def _show(call: offline.Call, buttons: list[str]) -> None:
    params: dict[str, Any] = call.params
    if call.method in ("sendMessage", "editMessageText"):
        print(terminal_text(str(params.get("text", "")), sys.stdout.isatty()))
        markup = params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup or {}
        labels = []
        for row in markup.get("inline_keyboard", []):
            for button in row:
                buttons.append(button["callback_data"])
                labels.append(f"[!{len(buttons)} {button['text']}]")
        if labels:
            print(" ".join(labels))
        print()
    elif call.method == "answerInlineQuery":
        for result in params.get("results", []):
            print(f"• {result['title']}\n  {result.get('description', '')}")
        print()
    elif call.method == "answerCallbackQuery" and params.get("text"):
        print(f"({params['text']})")


def _payload(line: str, buttons: list[str]) -> dict[str, Any] | None:
    """The update a typed line stands for; None (and a note) for a button that is not there."""
    if line.startswith("!") and line[1:].isdigit():
        number = parse_int(line[1:], 1, len(buttons))
        if number is None:
            shown = f"the buttons are !1 to !{len(buttons)}" if buttons else "no buttons are shown"
            print(f"There is no button {line[1:]}: {shown}.\n")
            return None
        return offline.callback_update(buttons[number - 1])
    if line.startswith("@"):
        return offline.inline_update(line[1:])
    return offline.message_update(line)


async def _turn(
    app: NewsApp, request: offline.RecordingRequest, line: str, buttons: list[str]
) -> list[str]:
    """Send one typed line to the bot and print what it answered; the buttons now pressable
    (the new reply's, or the earlier ones if it has none, as in a chat)."""
    payload = _payload(line, buttons)
    if payload is None:
        return buttons
    request.clear()
    await app.process_update(Update.de_json(payload, app.bot))
    shown: list[str] = []
    for call in request.calls:
        _show(call, shown)
    if _command(line) == "subscribe":
        print(NO_DELIVERY + "\n")
    return shown or buttons


def _command(line: str) -> str:
    """The command a line starts with ("subscribe" for "/subscribe@bot words"), else ""."""
    words = line[1:].split(maxsplit=1) if line.startswith("/") else []
    return words[0].partition("@")[0].lower() if words else ""


async def run_console(settings: Settings) -> int:
    """Read lines from stdin and print the bot's replies until EOF."""
    request = offline.RecordingRequest()
    tokenless = settings.model_copy(update={"bot_token": None})
    # No jobs: nothing is delivered to a console, and no feed should be polled from it.
    app = build_application(tokenless, request=request, rate_limit=False, schedule_jobs=False)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    print(
        "newsbot console: type /help, /search words, !N to press a button, @words for inline, "
        "quit (or Ctrl-D) to leave."
    )
    buttons: list[str] = []
    loop = asyncio.get_running_loop()
    try:
        while True:
            print("> ", end="", flush=True)
            raw = await loop.run_in_executor(None, sys.stdin.readline)
            line = raw.strip()
            if not raw or line.lower() in QUIT:  # "" is the end of input (Ctrl-D)
                break
            if line:
                buttons = await _turn(app, request, line, buttons)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
    return 0

"""`python -m bot console`: try the bot without a token, through the same Application.

Each typed line becomes an Update; what the bot sends is printed. `!N` presses button N of the
last reply; `@words` runs an inline query; an empty line or Ctrl-D quits.
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
from bot.app import build_application
from bot.settings import Settings

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def _show(call: offline.Call, buttons: list[str]) -> None:
    params: dict[str, Any] = call.params
    if call.method in ("sendMessage", "editMessageText"):
        print(_plain(str(params.get("text", ""))))
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


async def run_console(settings: Settings) -> int:
    """Read lines from stdin and print the bot's replies until EOF."""
    request = offline.RecordingRequest()
    tokenless = settings.model_copy(update={"bot_token": None})
    # No jobs: nothing is delivered to a console, and no feed should be polled from it.
    app = build_application(tokenless, request=request, rate_limit=False, schedule_jobs=False)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    print("newsbot console: type /help, /search words, !N to press a button, @words for inline.")
    buttons: list[str] = []
    loop = asyncio.get_running_loop()
    try:
        while True:
            print("> ", end="", flush=True)
            line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if not line:
                break
            if line.startswith("!") and line[1:].isdigit() and 0 < int(line[1:]) <= len(buttons):
                payload = offline.callback_update(buttons[int(line[1:]) - 1])
            elif line.startswith("@"):
                payload = offline.inline_update(line[1:])
            else:
                payload = offline.message_update(line)
            request.clear()
            buttons = []
            await app.process_update(Update.de_json(payload, app.bot))
            for call in request.calls:
                _show(call, buttons)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
    return 0

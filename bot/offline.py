"""A Bot API stand-in inside the process: records every call, answers with well-formed JSON.

The pattern of python-telegram-bot's own tests/auxil/networking.py. It powers the handler
tests and `python -m bot console`. Failures (429, 403) can be queued per method to test how
the bot copes with them. Uploaded files (sendPhoto, sendDocument) are recorded with the call;
files users sent are served to getFile and its download from `downloads`.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "newsbot",
    "username": "newsbot_test_bot",
}


@dataclass(frozen=True, slots=True)
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)  # uploads, by parameter name
    filenames: dict[str, str] = field(default_factory=dict)  # their names, where given


class RecordingRequest(BaseRequest):
    """Records (method, parameters); replies like the Bot API would."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, deque[tuple[int, dict[str, Any]]]] = defaultdict(deque)
        self.admins: set[int] = set()
        self.downloads: dict[str, bytes] = {}  # file_id -> content of a file a user sent
        self.chats: dict[str, dict[str, Any]] = {}  # getChat answers by id or @username
        self._message_id = 0

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def fail_next(
        self, method: str, status: int, description: str, retry_after: int | None = None
    ) -> None:
        """Make the next call of `method` fail as Telegram would (429 with retry_after, 403 …)."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self.failures[method].append((status, body))

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Parameters of every recorded call of `method`."""
        return [c.params for c in self.calls if c.method == method]

    def clear(self) -> None:
        """Forget recorded calls."""
        self.calls.clear()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        if "/file/bot" in url:  # a download of a file a user sent (after getFile)
            content = self.downloads.get(name)
            return (200, content) if content is not None else (404, b"")
        params = request_data.parameters if request_data else {}
        files, filenames = _uploads(request_data)
        self.calls.append(Call(name, dict(params), files, filenames))
        if self.failures[name]:
            status, body = self.failures[name].popleft()
            return status, json.dumps(body).encode()
        if name == "getChat" and str(params.get("chat_id")) not in self.chats:
            body = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            return 400, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return []
        if method in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
            return self._message(method, params)
        if method == "getChat":
            return self.chats[str(params.get("chat_id"))]
        if method == "getFile":
            file_id = str(params.get("file_id", ""))
            size = len(self.downloads.get(file_id, b""))
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": size,
                "file_path": f"documents/{file_id}",
            }
        if method == "getChatMember":
            user_id = int(params.get("user_id", 0))
            status = "administrator" if user_id in self.admins else "member"
            user = {"id": user_id, "is_bot": False, "first_name": "U"}
            if status == "administrator":
                return {
                    "status": status,
                    "user": user,
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            return {"status": status, "user": user}
        return True

    def _message(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """The message a send or an edit produced, as the Bot API returns it."""
        self._message_id += 1
        chat_id = params.get("chat_id", 1)
        message: dict[str, Any] = {
            "message_id": params.get("message_id", self._message_id),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "supergroup"},
            "from": BOT_USER,
        }
        sent_file = {"file_id": f"f{self._message_id}", "file_unique_id": f"u{self._message_id}"}
        if method == "sendPhoto":
            message["photo"] = [{**sent_file, "width": 800, "height": 450}]
        elif method == "sendDocument":
            message["document"] = sent_file
        else:
            message["text"] = params.get("text", "")
        return message


def _uploads(request_data: RequestData | None) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files a call uploads, by parameter name: their bytes, and their names if given."""
    if request_data is None or not request_data.contains_files:
        return {}, {}
    found: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for name, part in request_data.multipart_data.items():
        content = part[1] if isinstance(part, tuple) else part
        found[name] = content if isinstance(content, bytes) else content.read()
        if isinstance(part, tuple) and isinstance(part[0], str):
            names[name] = part[0]
    return found, names


_update_id = 0


def _next_update_id() -> int:
    global _update_id
    _update_id += 1
    return _update_id


def user(
    user_id: int = 1001, first_name: str = "Ada", language: str | None = None
) -> dict[str, Any]:
    """A human user as the Bot API sends it (`language`: their Telegram app's language_code)."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language:
        data["language_code"] = language
    return data


def chat(chat_id: int = 1001, kind: str = "private", **extra: Any) -> dict[str, Any]:
    """A chat; negative ids are groups."""
    data: dict[str, Any] = {"id": chat_id, "type": kind, **extra}
    if kind != "private":
        data.setdefault("title", "Team")
    return data


def message_update(
    text: str,
    *,
    chat_id: int = 1001,
    chat_type: str = "private",
    user_id: int = 1001,
    edited: bool = False,
    thread_id: int | None = None,
    message_id: int = 1,
    language: str | None = None,
) -> dict[str, Any]:
    """An update carrying a text message; commands get their bot_command entity."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat(chat_id, chat_type, **({"is_forum": True} if thread_id else {})),
        "from": user(user_id, language=language),
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split()[0].encode("utf-16-le")) // 2
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if thread_id is not None:
        message["message_thread_id"] = thread_id
        message["is_topic_message"] = True
    if edited:
        message["edit_date"] = int(time.time())
    return {"update_id": _next_update_id(), "edited_message" if edited else "message": message}


def callback_update(
    data: str,
    *,
    chat_id: int = 1001,
    chat_type: str = "private",
    user_id: int = 1001,
    message_id: int = 1,
    language: str | None = None,
) -> dict[str, Any]:
    """An update for a pressed inline button under one of the bot's messages."""
    return {
        "update_id": _next_update_id(),
        "callback_query": {
            "id": str(_next_update_id()),
            "from": user(user_id, language=language),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat(chat_id, chat_type),
                "from": BOT_USER,
                "text": "…",
            },
        },
    }


def inline_update(
    query: str, offset: str = "", user_id: int = 1001, language: str | None = None
) -> dict[str, Any]:
    """An inline query (`@bot words`)."""
    return {
        "update_id": _next_update_id(),
        "inline_query": {
            "id": str(_next_update_id()),
            "from": user(user_id, language=language),
            "query": query,
            "offset": offset,
        },
    }


def document_update(
    file_id: str,
    file_name: str,
    size: int,
    *,
    chat_id: int = 1001,
    chat_type: str = "private",
    user_id: int = 1001,
    mime_type: str = "text/x-opml",
) -> dict[str, Any]:
    """An update carrying a document (a file) a user sent."""
    message = message_update("", chat_id=chat_id, chat_type=chat_type, user_id=user_id)
    del message["message"]["text"]
    message["message"]["document"] = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": size,
    }
    return message

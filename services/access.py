"""The team's access policy: who may read, who administers (no Telegram; handlers.access
applies it to updates)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Access:
    """The team's allow-list (both sets empty: open to everyone) and its admins."""

    allowed_users: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    admins: frozenset[int] = frozenset()

    @property
    def is_open(self) -> bool:
        """No allow-list: everyone may read."""
        return not (self.allowed_users or self.allowed_chats)

    def lets_in(self, user_id: int | None, chat_id: int | None) -> bool:
        """Whether this user in this chat may use the bot (admins always may)."""
        if self.is_open:
            return True
        if user_id is not None and (user_id in self.allowed_users or user_id in self.admins):
            return True
        return chat_id is not None and chat_id in self.allowed_chats

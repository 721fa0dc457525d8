"""The daily purge forgets what is done in short write transactions, never one long one that
holds SQLite's write lock while everyone else's writes wait."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from engine.models import ParsedArticle
from storage import outbox as outbox_module
from storage.articles import ArticleStore
from storage.outbox import OutboxStore
from storage.subscriptions import SubscriptionStore


async def test_a_purge_deletes_in_batches_and_keeps_what_is_owed(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    subs = SubscriptionStore(store.sessions, store)
    outbox = OutboxStore(store.sessions, store, "test")
    for chat in range(1, 8):
        await subs.subscribe(chat, None, "", "instant", None)
    await store.add([ParsedArticle("A", "First story.")])
    await outbox.fan_out()
    for delivery in (await outbox.due(datetime(2100, 1, 1)))[:6]:
        await outbox.mark_sent(delivery)  # 6 delivered, 1 still owed
    deletes: list[str] = []
    engine = store.sessions.kw["bind"].sync_engine
    listener = lambda _c, _cur, sql, *_: deletes.append(sql) if sql.startswith("DELETE") else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    monkeypatch.setattr(outbox_module, "PURGE_BATCH", 4)
    assert await outbox.purge(datetime.utcnow() + timedelta(seconds=1)) == 6
    assert len(deletes) == 2  # 4, then 2: two short transactions
    assert await outbox.counts() == {"pending": 1}

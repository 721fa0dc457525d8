"""What the tests share, written once (fixtures themselves live in conftest.py files):

- `net`: a free loopback port; an HTTP server thread that stops at once.
- `web`: the local web site the fetcher, feeds and /add read (routes that misbehave too).
- `samples`: documents more than one test module reads (seeds, feeds, OPML, pages, corpora).
- `botapi`: a minimal Bot API stand-in over HTTP (records sends, can hold one in flight).
- `emulator`: the telegram-test-api Bot API emulator, and a `Chat` that plays a user on it.
- `app`: the real Application over a recording request, started as the bot starts it.
- `processes`: `python -m bot …` in a child process, waiting on events in its log.
- `stores`: a migrated store at a URL; `pg`: a fresh PostgreSQL database.
- `checks`: what Telegram would refuse in a reply.
"""

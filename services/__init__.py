"""The use cases the chat and the CLI share: plain data in, plain data out (no Telegram)."""

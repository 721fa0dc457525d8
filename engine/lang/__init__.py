"""What the engine knows about a corpus language: one module per language (`en` today)."""

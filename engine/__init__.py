"""Pure text engine: normalisation, sentences, typo-tolerant ranking, extractive summaries.

Imports nothing from telegram or sqlalchemy and does no I/O.
"""

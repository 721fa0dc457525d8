"""python-telegram-bot handlers, one module per feature; render.py does all the formatting."""

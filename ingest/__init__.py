"""Where articles come from: the one web fetcher (web.py) and feed polling (feeds.py).

Only this package does HTTP for content; it sits between the handlers and storage.
"""

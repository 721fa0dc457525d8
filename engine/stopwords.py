"""Words that never decide a search: English function words and the filler people wrap a
query in ("news about …", "what did … say about …", "… latest").

They are dropped from a query that has other words; a query of nothing but these words is
searched as typed. Kept short on purpose: a word that carries a topic ("war", "pop", "box",
"election") must never be here.
"""

from __future__ import annotations

_FUNCTION_WORDS = """a about above after again against all am an and any are as at be been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves s t d ll m
re ve"""

# What people say around the subject of a search, not the subject itself.
_QUERY_FILLER = """anything something articles article stories story news latest updates info
find show tell please happened happening going say looking"""

STOP_WORDS = frozenset(_FUNCTION_WORDS.split()) | frozenset(_QUERY_FILLER.split())

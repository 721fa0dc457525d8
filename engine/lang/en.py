"""Everything the engine knows about English, in one place: stop words, month names, plural
and suffix rules, and the sentence splitter's language. A second corpus language is a second
module beside this one with the same names."""

from __future__ import annotations

import re
from functools import lru_cache

# The language code sentencex splits sentences by.
SENTENCE_LANGUAGE = "en"

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# One month name, as a regular-expression group ("(?:January|…|December)").
MONTH_PATTERN = "(?:" + "|".join(MONTHS) + ")"

# English function words: they never carry a topic. Kept short on purpose: a word that carries
# a topic ("war", "pop", "box", "election") must never be here.
_FUNCTION_WORDS = """a about above after again against all am an and any are as at be been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves s t d ll m
re ve"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())

# What people say around the subject of a search, not the subject itself ("news about …",
# "what did … say about …", "… latest").
_QUERY_FILLER = """anything something articles article stories story news latest updates info
find show tell please happened happening going say looking"""

# Words that never decide a search: dropped from a query that has other words; a query of
# nothing but these words is searched as typed.
SEARCH_STOP_WORDS = FUNCTION_WORDS | frozenset(_QUERY_FILLER.split())

# Summaries have always counted these function words as content (their sentence scores were
# tuned with them in), so they stay out of the summary stop words: dropping them there would
# change which sentences are chosen.
_SUMMARY_CONTENT = """above am below d doing down herself himself ll m myself ours ourselves re
theirs themselves ve yours yourself yourselves"""
# Words news prose repeats in every other sentence.
_NEWS_FILLER = "also said"
# Words a summary's sentence scores ignore.
SUMMARY_STOP_WORDS = (FUNCTION_WORDS - frozenset(_SUMMARY_CONTENT.split())) | frozenset(
    _NEWS_FILLER.split()
)

_SUFFIXES = ("ments", "ment", "ings", "ing", "ies", "ed", "es", "s")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix strip, so "commitment", "committed" and "commits" count as one word."""
    if not word.endswith(_SUFFIXES):  # one C call for the many words with none of them
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def root(word: str) -> str:
    """`stem`, then the endings it leaves apart folded, so "average" and "averages",
    "release" and "released", "win" and "winning", "likely" and "like" are one word (nearer
    Porter's stemmer: two sentences saying the same thing are found as a reader finds them)."""
    found = stem(word)
    if found.endswith("ly") and len(found) > 5:
        found = found[:-2]
    if found.endswith("e") and len(found) > 3:
        found = found[:-1]
    elif found.endswith("y") and len(found) > 3:
        found = found[:-1] + "i"
    if len(found) > 3 and found[-1] == found[-2] and found[-1] not in "aeioulsz":
        found = found[:-1]
    return found


def inflections(word: str) -> set[str]:
    """Plural and singular forms of an English word (never the word itself). Short words keep
    their final s ("mrs", "gets" and "bids" are left alone: too many wrong folds)."""
    if len(word) < 3 or word.isdigit():
        return set()
    found = {word + "s"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        found.add(word + "es")
    if word.endswith("y") and len(word) > 3:
        found.add(word[:-1] + "ies")
    if word.endswith("ies") and len(word) > 4:
        found.add(word[:-3] + "y")
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        found.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) >= 5:
        found.add(word[:-1])
    found.discard(word)
    return found


# Stories (engine/story_features.py): the adjective of a place names the place, so "Chinese
# hackers" and "China accused" share a name. Only forms that are not themselves ordinary words.
_DEMONYMS = """afghan:afghanistan african:africa american:america arab:arabia argentine:argentina
argentinian:argentina armenian:armenia asian:asia australian:australia austrian:austria
azerbaijani:azerbaijan belarusian:belarus belgian:belgium brazilian:brazil british:britain
canadian:canada chinese:china colombian:colombia cuban:cuba czech:czechia danish:denmark
dutch:netherlands egyptian:egypt english:england european:europe filipino:philippines
finnish:finland french:france georgian:georgia german:germany greek:greece haitian:haiti
hungarian:hungary indian:india indonesian:indonesia iranian:iran iraqi:iraq irish:ireland
israeli:israel italian:italy japanese:japan jordanian:jordan kazakh:kazakhstan kenyan:kenya
korean:korea kurdish:kurds lebanese:lebanon libyan:libya mexican:mexico moroccan:morocco
nigerian:nigeria norwegian:norway pakistani:pakistan palestinian:palestine polish:poland
portuguese:portugal qatari:qatar romanian:romania russian:russia saudi:arabia scottish:scotland
serbian:serbia somali:somalia spanish:spain sudanese:sudan swedish:sweden swiss:switzerland
syrian:syria taiwanese:taiwan turkish:turkey ukrainian:ukraine venezuelan:venezuela
vietnamese:vietnam welsh:wales yemeni:yemen"""
DEMONYMS = dict(pair.split(":") for pair in _DEMONYMS.split())

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Words of a date that say when, not what: they are a story's "when" evidence, never its names.
# (A month alone is no date: "March" and "May" are words too; "July 3" is one.)
DATE_WORDS = frozenset(WEEKDAYS)
# "July 3", "Sept. 12": a month and a day.
MONTH_DAY = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.? ([0-9]{1,2})\b")

# Words that, opening a sentence, lean on what came before it: pronouns and determiners that
# point back ("He said", "This summit", "Its leader") and connectives ("But", "However").
# A summary may open a sentence with one only right after the sentence it leans on.
_POINTING_WORDS = "he she it they this these those that his her its their them him such"
# First and second person: a quote's speaker, unknown unless the sentence names them.
SPEAKER_WORDS = frozenset(("i", "we", "you", "me", "us", "my", "our", "your"))
# Words that attribute a quote to its speaker ('"We will win," said Mr Aliyev').
SPEECH_VERBS = ("said", "says", "told", "tells", "added", "adds", "asked", "explained", "warned")
_CONNECTIVES = """but however also so and yet still meanwhile instead nevertheless nonetheless
moreover furthermore besides therefore thus hence indeed likewise similarly otherwise then nor
or additionally consequently accordingly anyway"""
CONNECTIVES = frozenset(_CONNECTIVES.split())
LEANING_WORDS = frozenset(_POINTING_WORDS.split()) | CONNECTIVES
# Openings of several words that lean the same way ("In addition, ...", "As a result, ...").
LEANING_PHRASES = (
    *("even so", "in addition", "as a result", "on the other hand", "by contrast"),
    *("in contrast", "despite this", "because of this", "that said", "after that"),
    *("at the same time", "as well as this", "on top of that"),
)
# Courtesy titles: "Mr Knapman" names someone a sentence before must have introduced.
PERSON_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Lord", "Lady", "Dame", "Rev")

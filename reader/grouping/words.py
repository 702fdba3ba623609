"""The content words of a text: lower-cased, stop words dropped, crudely stemmed.

These are the terms a story's versions share when they tell one event in different words
(:mod:`reader.grouping.vectors` weighs them). The stem is deliberately crude: it only needs
"sanctions" to meet "sanction" and "talks" to meet "talk".
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z][a-z\-]+[a-z0-9]|[a-z]{2,}")

STOPWORDS = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "almost", "also", "although",
        "am", "amid", "amidst", "among", "an", "and", "another", "any", "are", "around", "as",
        "at", "be", "became", "because", "been", "before", "being", "below", "between", "both",
        "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
        "either", "else", "even", "ever", "every", "few", "for", "from", "further", "had",
        "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself",
        "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
        "like", "made", "make", "many", "may", "might", "more", "most", "much", "must", "my",
        "near", "nearly", "neither", "no", "nor", "not", "now", "of", "off", "on", "once",
        "only", "or", "other", "others", "our", "ours", "out", "over", "own", "per", "said",
        "same", "say", "says", "she", "should", "since", "so", "some", "still", "such", "than",
        "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
        "those", "though", "through", "to", "too", "toward", "towards", "under", "until", "up",
        "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where", "whether",
        "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
        "would", "yet", "you", "your", "also", "according", "reported", "reportedly", "stated",
        "says", "told", "amid", "including", "including", "new", "recent", "recently",
        "ongoing", "further", "several", "significant",
    ]
)


def stem(word: str) -> str:
    """A crude stem, enough to match "sanctions"/"sanction" and "talks"/"talk"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


#: word -> its stem, or "" for a stopword or a short word. News vocabulary is small next to
#: the number of words read, so most words are looked up, not stemmed.
_STEMS: dict[str, str] = {}
_STEMS_LIMIT = 300_000


def content_words(text: str) -> list[str]:
    if len(_STEMS) > _STEMS_LIMIT:
        _STEMS.clear()
    found = _WORD.findall(text.lower())
    stems: list[str | None] = list(map(_STEMS.get, found))
    if None in stems:
        for i, s in enumerate(stems):
            if s is None:
                w = found[i]
                stems[i] = _STEMS[w] = "" if w in STOPWORDS or len(w) <= 2 else stem(w)
    return list(filter(None, stems))


def surface_forms(text: str) -> dict[str, str]:
    """Each content word's stem -> the word as the text first writes it (lower case), so an
    explanation can say "countries" where grouping counted "countrie"."""
    out: dict[str, str] = {}
    for w in _WORD.findall(text.lower()):
        if w not in STOPWORDS and len(w) > 2:
            out.setdefault(stem(w), w)
    return out

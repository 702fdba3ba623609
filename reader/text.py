"""Text normalisation helpers shared by the importers and the library.

Two jobs live here:

* :func:`identity_hash` decides when two articles are "the same text". It must ignore what
  changes between copies of one post (case, spacing, curly versus straight quotes, stray
  punctuation) while still telling different articles apart.
* :func:`make_title` turns a lead sentence into a headline for formats whose items have no
  title of their own (forum posts, long first lines).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Anything that is not a letter or digit (``_`` counts as punctuation here).
_NON_WORD = re.compile(r"[\W_]+")

#: Abbreviations whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "gov",
        "sen", "rep", "prof", "inc", "ltd", "co", "corp", "no", "vs", "etc", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "approx", "est",
        "fig", "dept", "univ",
    ]
)  # fmt: skip

#: Candidate sentence ends: terminal punctuation, optional closing quotes/brackets, space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")

#: What may be trimmed from the end of a cut title before the ellipsis.
_CUT_TRAIL = " \t,;:-–—(\"'“‘[/"


def normalise_for_identity(text: str) -> str:
    """Fold ``text`` to the form :func:`identity_hash` compares.

    NFKC folds compatibility forms (no-break space, ligatures, full-width digits), casefold
    ignores case, and every run of non-word characters becomes one space, so punctuation,
    quotes and line layout do not matter.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def identity_hash(title: str, body: str) -> str:
    """A stable hex digest of an article's normalised title and body.

    Two articles with the same words in the same order hash the same even when their
    punctuation, case or whitespace differ; attachments are not part of the text (importers
    remove them from the body), so two re-posts with different images still match.
    """
    data = normalise_for_identity(title) + "\x1f" + normalise_for_identity(body)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def collapse_whitespace(text: str) -> str:
    """Every whitespace run (incl. no-break spaces and newlines) becomes a single space."""
    return " ".join(text.split())


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, or all of it when no sentence end is found.

    A period after a known abbreviation ("Mr.", "Jan.") or a single capital ("U.S.", "D.")
    does not end the sentence, and a sentence only ends before something that can start one
    (a capital, digit, quote or bracket), which keeps "e.g. this" together.
    """
    text = collapse_whitespace(text)
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        nxt = text[end : end + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'(["):
            continue
        if text[match.start()] == ".":
            word = text[: match.start()].rsplit(" ", 1)[-1].strip("\"“‘'([")
            bare = word.replace(".", "")
            if bare.lower() in _ABBREVIATIONS or (len(bare) <= 2 and bare[:1].isupper()):
                continue
        return text[: match.end()].rstrip()
    return text


def make_title(text: str, limit: int = 100) -> str:
    """A headline from the lead sentence of ``text``: at most ``limit`` characters.

    A sentence that fits is used whole (without a final period, as headlines have none).
    A longer one is cut at the last word boundary that fits, trailing punctuation is trimmed
    and "…" marks the cut. An empty string comes back only for text without any words.
    """
    sentence = first_sentence(text)
    if len(sentence) <= limit:
        if sentence.endswith(".") and not sentence.endswith("..") and len(sentence) > 1:
            sentence = sentence[:-1]
        return sentence.strip()
    window = sentence[:limit]  # room for the ellipsis comes from dropping the last word
    cut = window.rfind(" ")
    if cut < limit // 3:  # one enormous "word": cut it hard
        cut = limit - 1
    head = window[:cut].rstrip(_CUT_TRAIL)
    if not head:
        head = window[: limit - 1]
    return head + "…"

"""Why two versions sit in one story: their similarity and what drives it, for the reader.

The same arithmetic grouping uses (:mod:`reader.grouping.similarity`), with the parts named:
the shared names and terms that weigh most in the cosine, and each conflict that was
subtracted from it.
"""

from __future__ import annotations

from collections.abc import Mapping

from reader.grouping import thresholds as t
from reader.grouping.conflicts import conflicts, facts_of
from reader.grouping.features import Features
from reader.grouping.vectors import Vector, cosine, shared_terms
from reader.types import GroupReason

#: How many shared names and terms an explanation lists.
MAX_LISTED = 8


def _shown(term: str, a: Features, b: Features, words: Mapping[str, str]) -> str:
    """A term as the reader knows it: a name's display form, a figure without its tag, a
    word as the articles write it (``words``: stem -> surface) rather than its stem."""
    if term.startswith("e:"):
        key = term[2:]
        return a.names.get(key) or b.names.get(key) or key
    return term[2:] if term.startswith("n:") else words.get(term, term)


def explain(
    a_id: int, a: tuple[Vector, Features], b_id: int, b: tuple[Vector, Features],
    rule: str = "",
    words: Mapping[str, str] | None = None,
) -> GroupReason:
    """Explain the pair ``a``, ``b`` (each its vector and features). ``rule`` overrides the
    verdict when something else put them together (a user's merge); ``words`` maps stems
    to the words the articles write (:func:`reader.grouping.words.surface_forms`)."""
    (va, fa), (vb, fb) = a, b
    shared = shared_terms(va, vb)
    penalty, why = conflicts(facts_of(fa), facts_of(fb))
    cos = cosine(va, vb)
    similarity = max(0.0, cos - penalty)
    surface = words or {}
    names = [_shown(term, fa, fb, surface) for term, _ in shared if term.startswith("e:")]
    named = {w for name in names for w in name.lower().split()}
    terms = [shown for term, _ in shared if not term.startswith("e:")
             if (shown := _shown(term, fa, fb, surface)) not in named]  # "trump" beside Trump
    if not rule:
        if similarity >= t.REPOST_SIMILARITY:
            rule = "re-post"
        elif similarity >= t.LINK_THRESHOLD:
            rule = "similar"
        else:
            rule = "less similar than a story needs on its own (joined through the others)"
    return GroupReason(
        article_a=a_id,
        article_b=b_id,
        similarity=round(similarity, 3),
        cosine=round(cos, 3),
        names=tuple(names[:MAX_LISTED]),
        terms=tuple(terms[:MAX_LISTED]),
        conflicts=tuple(why),
        rule=rule,
    )

"""What each version adds: its sentences found in no other version of its story.

Judged fuzzily (rapidfuzz ``token_set_ratio`` against every sentence of the other versions),
so a sentence that another version paraphrases with the same words in another order is not
reported as new; a sentence with facts no other version has is. Sentences come from
:mod:`reader.sentences`, so "the U.S. economy" and "1.2 GW" stay whole and a highlight never
starts or stops inside them.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from reader.grouping import thresholds as t
from reader.sentences import sentence_spans
from reader.types import SentenceSpan


def unique_sentences(body: str, others: Sequence[str]) -> list[SentenceSpan]:
    """The sentences of ``body`` that no body in ``others`` contains, even paraphrased."""
    pool = [s.text.lower() for other in others for s in sentence_spans(other)]
    out: list[SentenceSpan] = []
    for span in sentence_spans(body):
        if len(span.text) < t.MIN_UNIQUE_SENTENCE_CHARS:
            continue
        if not pool:
            out.append(span)
            continue
        best = process.extractOne(span.text.lower(), pool, scorer=fuzz.token_set_ratio)
        if best is None or best[1] < t.UNIQUE_SENTENCE_SIMILARITY:
            out.append(span)
    return out

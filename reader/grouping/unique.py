"""What each version adds: its sentences found in no other version of its story.

Judged fuzzily (rapidfuzz ``token_set_ratio`` against every sentence of the other versions),
so a sentence that another version paraphrases with the same words in another order is not
reported as new; a sentence with facts no other version has is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from reader.grouping import thresholds as t
from reader.types import SentenceSpan

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)")


def sentence_spans(body: str) -> list[SentenceSpan]:
    """Sentences of a body as character offsets (headings and bullets are their own lines)."""
    spans: list[SentenceSpan] = []
    for match in _SENTENCE.finditer(body):
        text = match.group(0)
        stripped = text.strip()
        if not stripped:
            continue
        start = match.start() + (len(text) - len(text.lstrip()))
        spans.append(SentenceSpan(start=start, end=start + len(stripped), text=stripped))
    return spans


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

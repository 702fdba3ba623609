"""Every threshold, window and cap the story grouping uses, in one place.

Each value carries the reason it has its size, and the collection it was measured on. The
values were chosen to hold on every labelled collection at once (the real-news ECB+ dev half,
its titles alone, the seed dumps, the look-alike corpus), never tuned to one of them: other
collections of the same kinds are kept back to judge the result. The guiding rule (from
lemon24/reader's dedupe plugin): a wrong merge is worse than a missed one, because the reader
then hides a different event inside a story; a missed merge only shows one more row.
"""

from __future__ import annotations

from datetime import timedelta

# --------------------------------------------------------------------------- terms

#: A title word counts once more than a body word: the headline states the event, and a
#: headline-only item (a title-only feed) is all title.
TITLE_WORD_EXTRA = 1

#: A headline-only item names its acronyms (:func:`reader.grouping.entities.headline_entities`),
#: unless more than this share of its letters are capitals: a headline that shouts ("FIRED IN
#: PHILLY!!") writes every word like an acronym. Not tuned: any share well above a normal
#: headline's (a few capitals per line) and below all-capitals does (0.5 to 0.7 give the
#: same figures on every collection).
SHOUTING_SHARE = 0.6

#: An all-capitals word of more letters is a shouted word inside a headline, not an acronym
#: ("PHILADELPHIA 76ERS Fired Jim O'Brien": it gave a headline-only item the name key of a
#: whole look-alike topic, and merged its two halves in one draw of ECB+ articles, look-alike
#: pairs 4.9% -> 6.9%). Acronyms are short (NATO, NYPD, FEMA); a rarer six-letter one
#: (UNICEF) is lost from headline-only items. 4 gives the same figures on every collection,
#: 6 the same but for titles alone (F1 0.689 -> 0.686).
MAX_HEADLINE_ACRONYM = 5

#: Numbers below this are too common ("two tankers", "5 years") to be a fact by themselves
#: unless they carry a distinctive unit (a magnitude, a percentage).
MIN_SPECIFIC_NUMBER = 10

#: A year range ("2008-09", "1999-2003") names every year it spans when it spans at most
#: this many: a season or a term of office is the time of the events it holds, so "2008-09"
#: and "2009-10" share 2009 and do not conflict. On ECB+ dev this moved B3 recall on draws
#: of 80% of its topics from 0.649 to 0.654, and nothing else on any labelled collection.
MAX_YEAR_RANGE = 10

# --------------------------------------------------------------------------- vectors

#: An article's vector keeps its heaviest terms only. Rewrites share the few terms that
#: name the event; a long article's tail of incidental words only dilutes the cosine. It is
#: a trade between collections, measured at LINK_THRESHOLD 0.20: on the ECB+ dev half all
#: terms gave B3 P 0.965 R 0.736 with 4.6% of look-alike pairs merged, against P 0.982
#: R 0.685 and 1.6% for 40 (60 terms: P 0.949, 7.7%); on draws of 80% of its topics all
#: terms gain recall at the same precision. But 100, 300 or all terms cost the seed dumps
#: their precision (pairwise P 0.75-0.82 against 0.98), and a wrong merge is worse than a
#: missed one.
VECTOR_TERMS = 40

#: A term held by more articles than this is left out of the vectors: it names a subject
#: ("oil", "Putin" in a Russia dump), not an event. At least :data:`TERM_DF_MIN_CAP`
#: articles, so small libraries keep their terms (on ECB+'s 496 articles 120, about a
#: quarter, measured like no cap and better than 60: B3 F1 0.79 against 0.77); in large ones
#: :data:`TERM_DF_FRACTION` of the library, which also bounds grouping's work: each kept
#: term pairs its articles with each other.
TERM_DF_MIN_CAP = 120
TERM_DF_FRACTION = 0.003


def term_df_cap(total: int) -> int:
    """Most articles a term may be held by and still weigh in a library of ``total``."""
    return max(TERM_DF_MIN_CAP, int(total * TERM_DF_FRACTION))


# --------------------------------------------------------------------------- similarity

#: Conflicts subtracted from the cosine. Only conflicts that tell look-alike events apart
#: were kept: on ECB+ dev same-event pairs against look-alike pairs, a both-sided different
#: protagonist fired on 6% against 33%, a conflicting fixed quantity 9.5% against 29%,
#: disjoint years 8% against 30%. (Dates in the text that differ, 18% against 16%, and a
#: protagonist missing on one side, 21% against 41% in an earlier measurement, do not
#: discriminate and are not used.) Rate decisions that went different ways are the
#: look-alike corpus's next-meeting case.
PROTAGONIST_PENALTY = 0.30
FIXED_QUANTITY_PENALTY = 0.15
DECISION_PENALTY = 0.30
YEARS_PENALTY = 0.30

#: A round figure ("more than 200,000", "18,000 acres") stands for an exact one within this
#: fraction (214,000 and 18,200), so the two are not a conflict.
ROUNDING_TOLERANCE = 0.10

#: A pair this similar is the same text posted again (a forum re-post, a syndicated copy):
#: it joins whatever the dates say.
REPOST_SIMILARITY = 0.90

# --------------------------------------------------------------------------- stories

#: Two groups join when the average similarity over all their cross pairs reaches this (a
#: pair the candidate walk did not find counts 0): average link, so one close member is
#: never enough. Measured with the values above over the pure pipeline: at 0.20 ECB+ dev B3
#: P 0.98 / R 0.69 with 1.6% of its look-alike pairs merged, its titles alone F1 0.69, seeds
#: pairwise P 0.98 / R 0.89, no pair of the look-alike corpus merged. 0.18 raised ECB+ recall
#: to 0.73 but merged 7% of its look-alikes and cost the seeds 0.04 of precision; 0.22 lost
#: 0.07 of ECB+ recall for no precision.
LINK_THRESHOLD = 0.20

#: A pair must share terms whose rarities (IDF, as weighed) add up to this much, or it
#: counts 0: two short items that share only common words ("Good news" / "More good news",
#: every word of a two-item library) are not one event however close their cosine. A
#: shared name or rare word weighs 4 to 10, a common word 1 to 2. At 4 no labelled
#: collection moved; 6 cost ECB+ titles 0.02 of F1 and the synthetic dumps 0.04 of recall.
MIN_SHARED_RARITY = 4.0

#: Pairs less similar than this are dropped (they count 0, like pairs never found): they
#: hardly move an average, and would cost memory and conflict tests. From 0.04 to 0.10 every
#: labelled collection came out the same; 0.15 began to split ECB+ stories.
EDGE_FLOOR = 0.10

#: Each article keeps at most this many neighbours (the most similar): rewrites of one event
#: are rarely more than a few dozen, and the cap bounds memory on look-alike-heavy dumps.
MAX_NEIGHBOURS = 40

#: Articles whose known publication dates are further apart than this never share a story
#: (unless they are re-posts): rewrites appear within days, next month's look-alike event
#: (a second earthquake) does not. An unknown date never splits anything.
DATE_WINDOW = timedelta(days=7)

#: Dates read from the prose (``published_inferred``) may be the date of something the
#: article mentions rather than its own, so they could bound a story more loosely; but 7
#: days instead of 30 changed nothing on the ECB+, seed and look-alike collections and
#: halved the wrong merges on synthetic dumps (pairwise precision 0.17 -> 0.36), whose
#: events differ in little but their day. It may not be shorter than :data:`DATE_WINDOW`
#: (exact dates count among all dates).
INFERRED_DATE_WINDOW = timedelta(days=7)

# --------------------------------------------------------------------------- what each version adds

#: A sentence is "only in this version" when its best partial match (rapidfuzz
#: ``token_set_ratio``) against every sentence of the other versions stays below this.
UNIQUE_SENTENCE_SIMILARITY = 62.0

#: Sentences shorter than this (characters) are never reported as unique: headings, bullets.
MIN_UNIQUE_SENTENCE_CHARS = 30

# --------------------------------------------------------------------------- facets

#: Facets list names mentioned by at least this many articles.
MIN_FACET_COUNT = 2

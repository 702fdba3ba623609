"""Every threshold, window and cap the story grouping uses, in one place.

Each value carries the reason it has its size. The guiding rule (borrowed from lemon24/reader's
dedupe plugin): a wrong merge is worse than a missed one, because the reader then hides a
different event inside a story; a missed merge only shows one more row.
"""

from __future__ import annotations

from datetime import timedelta

# --------------------------------------------------------------------------- time windows

#: Articles whose *known* publication dates are further apart than this never group (unless
#: they are re-posts). Rewrites of one event appear within days; a week allows for weekly
#: round-ups while keeping next month's look-alike event (a second earthquake) apart.
DATE_WINDOW = timedelta(days=7)

#: Dates read from the prose (``published_inferred``) are often the date of something the
#: article mentions, not of the article itself, so they bound the window only loosely.
INFERRED_DATE_WINDOW = timedelta(days=30)

#: A story's known dates may span at most this much; stops a chain of day-apart rewrites
#: from growing one story over months.
STORY_SPAN = timedelta(days=14)

# --------------------------------------------------------------------------- re-posts

#: Body similarity (rapidfuzz ``ratio`` on normalised text, 0..1) at or above which two
#: articles are the same text re-posted: grouped regardless of dates or facts. Forum re-posts
#: differ only in the attachment line; rewrites by another writer never come close to this.
REPOST_RATIO = 0.92

#: How much of each body the re-post test compares. A re-post is identical from the start;
#: comparing a prefix keeps the test cheap on very long articles.
REPOST_PREFIX_CHARS = 3000

# --------------------------------------------------------------------------- features

#: Numbers below this are too common ("two tankers", "5 years") to be a fact by themselves
#: unless they carry a distinctive unit (a magnitude, a percentage).
MIN_SPECIFIC_NUMBER = 10

#: At most this many phrase shingles are kept per article (the rarest-looking: longest words
#: first). Caps storage and scoring time on very long articles.
MAX_PHRASES = 160

#: At most this many keys of one article go into ``feature_postings`` (the blocking index).
#: The rarest keys are enough to find rewrites; common keys would make huge posting lists.
MAX_POSTINGS_PER_ARTICLE = 24

# --------------------------------------------------------------------------- blocking

#: A key held by more than this fraction of the library is too common to block on ("Putin"
#: in a Russia dump): its posting list would pull in a large part of the library.
BLOCK_MAX_DF_FRACTION = 0.02

#: ...but small libraries still need some keys: a key with at most this many articles is
#: always usable for blocking.
BLOCK_MIN_DF_CAP = 12

#: Absolute cap on a posting list used for blocking, whatever the library size. Reading a
#: key's postings costs per entry, and at 100,000 articles keys near a 400 cap (a common
#: number, a date) made blocking most of an import's time; a key in over a hundred
#: articles is not rare evidence anyway. On synthetic dumps of 10,000 articles, 100
#: instead of 400 raised pairwise precision (0.79 -> 0.92) for a little recall
#: (0.99 -> 0.96). Libraries under 5,000 articles (the seeds) are unaffected.
BLOCK_MAX_DF = 100

#: Each article keeps at most this many candidate partners (best blocking weight first).
#: Rewrites of one event are rarely more than a few dozen; the cap bounds scoring cost.
MAX_CANDIDATES = 40

#: A candidate must share at least this much rarity weight (sum of IDF) in blocking keys.
MIN_BLOCK_WEIGHT = 4.0

#: An out-of-window candidate is tested as a possible re-post only when it shares at least
#: this fraction of the article's own blocking weight: a re-post repeats the text, so it
#: holds nearly all of the article's rare keys; a later look-alike event shares a few names.
REPOST_BLOCK_SHARE = 0.8

#: ...and only the heaviest few of those: a re-post shares *all* of the article's rare keys,
#: so it is among the heaviest; several re-posts of one text join through each other. In a
#: library with a small pool of names (a feed about one region) thousands of articles share
#: 80% of a short article's few rare names, and each would cost a names or text comparison.
MAX_FAR_CANDIDATES = 3

# --------------------------------------------------------------------------- scoring

#: Keys rarer than this IDF (natural log) count as "specific" evidence; commoner ones
#: ("Russia" in a Russia dump) are ignored when deciding whether facts are shared.
MIN_SPECIFIC_IDF = 1.2

#: Title token-set similarity (0..1) that counts as strong evidence on its own kind.
STRONG_TITLE = 0.62

#: Accept a pair when its combined score reaches this and the multi-kind rule holds.
ACCEPT_SCORE = 0.40

#: Weights of each kind of shared fact in the combined score. Names and numbers are the
#: facts rewrites keep; phrases catch the shared wording that paraphrase leaves behind;
#: titles are rewritten most and weigh least.
WEIGHT_NAMES = 0.40
WEIGHT_NUMBERS = 0.25
WEIGHT_DATES = 0.10
WEIGHT_PHRASES = 0.45
WEIGHT_TITLE = 0.20

#: A kind counts as "present" evidence at or above these overlap levels (0..1).
NAMES_EVIDENCE = 0.30
NUMBERS_EVIDENCE = 0.20
DATES_EVIDENCE = 0.50
PHRASES_EVIDENCE = 0.12

#: Shared wording this high counts as a further kind of evidence by itself.
STRONG_PHRASES = 0.20

#: Penalty per conflicting specific fact (same unit, different values, e.g. magnitude 6.1
#: against 7.5, or 32 dolphins against 20); conflicts are the look-alike event's fingerprint.
CONFLICT_PENALTY = 0.15

#: Penalty per figure that differs in a *running* unit (acres burned, people evacuated, the
#: death toll, containment): reports of one fire a day apart differ in all of them, so a
#: difference says little; the names keep two fires apart. Weak rather than nothing: on
#: the look-alike corpus 0.05 changes no pair, 0.15 (a fixed conflict) split two fires.
RUNNING_CONFLICT_PENALTY = 0.05

#: A round figure ("more than 200,000", "18,000 acres") stands for an exact one within this
#: fraction (214,000 and 18,200), so the two are not a conflict.
ROUNDING_TOLERANCE = 0.10

#: Penalty when both articles report a rate decision and they went different ways (a cut
#: against a hold): the same bank, governor and rate level, but a different meeting.
DECISION_CONFLICT_PENALTY = 0.30

#: Penalty when both articles name a different main protagonist and neither mentions the
#: other's: two celebrities entering rehab share every word but the person.
PROTAGONIST_PENALTY = 0.45

#: Smaller penalty when one article's main protagonist is absent from the other: an
#: aviation agency's warning that mentions a crash is not the crash story.
ONE_SIDED_PROTAGONIST_PENALTY = 0.15

#: Penalty when both articles state event dates in the text and none of them agree.
DATE_CONFLICT_PENALTY = 0.20

# --------------------------------------------------------------------------- clustering

#: When two groups join, the average score over their cross pairs must reach this. Stops
#: union-find chaining (A~B and B~C joining A with an unrelated C).
AVERAGE_LINK = 0.38

#: An import tests a new article against this many members (the newest) of each story it
#: may join, not only the member blocking found: without them one shared name with one
#: member chained unrelated articles into a story (labelled synthetic dumps of 20,000:
#: import precision 0.65 against 0.84 for a full regroup, which sees whole stories).
STORY_MEMBERS_FOR_LINK = 16

#: Cross pairs examined for the average-link test are capped (sampled) beyond this.
MAX_LINK_PAIRS = 64

# --------------------------------------------------------------------------- what each version adds

#: A sentence is "only in this version" when its best partial match (rapidfuzz
#: ``token_set_ratio``) against every sentence of the other versions stays below this.
UNIQUE_SENTENCE_SIMILARITY = 62.0

#: Sentences shorter than this (characters) are never reported as unique: headings, bullets.
MIN_UNIQUE_SENTENCE_CHARS = 30

# --------------------------------------------------------------------------- facets

#: Facets list names mentioned by at least this many articles.
MIN_FACET_COUNT = 2

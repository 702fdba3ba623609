"""Story grouping: a pure pipeline, Qt-free and database-free. Its files, in order:

1. :mod:`features` (with :mod:`words`, :mod:`facts`, :mod:`entities`, :mod:`name_runs`,
   :mod:`name_words`): each article's terms and the facts that can conflict, once per
   article; :mod:`pool` extracts them in worker processes for big imports.
2. :mod:`vectors`: terms weighed by TF-IDF against the library, the heaviest kept.
3. :mod:`candidates`: the pairs that share a term, with their cosine, in one numpy walk
   over the inverted index (blocking and similarity are one computation).
4. :mod:`conflicts` and :mod:`similarity`: what a pair's facts contradict, subtracted.
5. :mod:`clusters`: average link over the similarity graph, under dates and corrections.
6. :mod:`assignments`: stories for a whole library (regroup) or for new articles (import).

:mod:`explain` and :mod:`unique` answer the reader's questions about a story;
:mod:`evaluate` scores a grouping against labels. Every threshold lives in
:mod:`thresholds`. Storage and orchestration are in :mod:`reader.library.grouping`.
"""

"""Story grouping: pure, Qt-free and database-free.

:mod:`features` turns an article into facts, :mod:`scoring` weighs two articles' shared facts
by rarity, :mod:`candidates` finds the few pairs worth scoring, :mod:`clusters` turns accepted
pairs into stories under the user's corrections; :mod:`explain`, :mod:`unique` and
:mod:`representative` answer the reader's questions about a story. Every threshold lives in
:mod:`thresholds`. Persistence is in :mod:`reader.storage.stories`.
"""

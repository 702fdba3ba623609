"""Splitting prose into sentences that know abbreviations, initials, decimals and list marks.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets) before
whitespace, and at every line end (headings and list items are their own lines). A full stop
does not end a sentence when it:

* sits inside a token ("1.2 GW", "U.S.-made", "example.com": no whitespace follows);
* is followed by a lowercase word ("etc. are", "т.е. все", "“Why?” he asked");
* closes a title that always precedes a name or number ("Dr.", "Mr.", "Gen.", "St.", "No. 5");
* closes an initial ("J. R. R. Tolkien") or another abbreviation ("U.S.", "Jan.", "Inc.",
  "a.m.", "etc."), unless the next word is one that starts sentences and never names
  ("the U.S. The treaty…" ends; "the U.S. Secretary of State" does not).

A list mark at the start of a line ("1.", "2)", "a.", "•") is not a sentence: spans start
after it. These are rules rather than a library on purpose: about 9 µs a sentence, no data
files, and every decision can be read here. sentencex (well kept) agrees with them on every
line of the seeds and on 99% of ECB+ and article-page lines, mostly differing on quoted
speech, which it keeps whole; it would add 4 MB of native code per platform. pysbd is
unmaintained since 2021, installs top-level ``benchmarks`` and ``examples`` packages, and
takes 60 times the rules' time on the seeds.
"""

from __future__ import annotations

import re
from typing import Final

from reader.types import SentenceSpan

#: A possible break: terminal marks, closing quotes/brackets, then whitespace within the line
#: (or the CJK full stops, which need no space after them). A match starts only where a run
#: of marks starts, and takes it whole (possessive), so a long run without a space after it
#: costs one pass, not one pass from each of its characters.
_BREAK: Final = re.compile(
    r"(?<![.!?…])[.!?…]++[\"'”’)\]»]*+[^\S\n]+|(?<![。！？])[。！？]++[」』”’)]*+[^\S\n]*"
)

#: A list mark opening a line: "1." "12)" "(3)" "a." "iv)" or a bullet, then whitespace.
_LIST_MARK: Final = re.compile(
    r"[^\S\n]*(?:\(?(?:\d{1,3}|[a-z]|i{1,3}|iv|vi{0,3}|ix|x)[.)]|[•\-–—*·▪●◦‣])[^\S\n]+"
)

#: The word before a full stop (letters, digits and inner dots: "U.S", "Jan", "a.m").
_WORD_BEFORE: Final = re.compile(r"[^\W_](?:[\w.'’-]*[^\W_])?$")

#: How far back the word before a full stop is looked for (longer words are no abbreviation).
_LOOK_BACK: Final = 48

#: The first word after a break, past any opening quotes or brackets.
_WORD_AFTER: Final = re.compile(r"[\"'“‘(\[«]*([^\W_])([\w'’-]*)")

#: Dotted abbreviations: "U.S", "e.g", "a.m", "D.C" (the final dot is the mark itself).
_DOTTED: Final = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")

#: Titles that stand before a name: a full stop after them never ends a sentence.
TITLES: Final = frozenset(
    [
        "Mr", "Mrs", "Ms", "Mx", "Messrs", "Mme", "Mlle", "Dr", "Prof", "Gen", "Lt", "Col", "Capt",
        "Cpt", "Sgt", "Cpl", "Maj", "Adm", "Cmdr", "Brig", "Gov", "Govs", "Sen", "Sens", "Rep",
        "Reps", "Rev", "Hon", "Rt", "Pres", "Supt", "Insp", "Det", "Amb", "Atty", "Fr",
    ]
)

#: Abbreviations a number often follows ("Jan. 5", "No. 3", "Vol. 2"): a number after them
#: continues the sentence.
BEFORE_NUMBERS: Final = frozenset(
    [
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No",
        "Nos", "Nr", "Art", "Fig", "Figs", "Vol", "Vols", "p", "pp", "Ch", "Sec", "Sect", "Para",
        "Op",
    ]
)

#: Abbreviations that may also end a sentence ("…in the U.S. The…", "Main St. It…"): the
#: full stop ends it only when a word that starts sentences follows (:data:`STARTERS`).
ABBREVIATIONS: Final = BEFORE_NUMBERS | frozenset(
    [
        "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", "Inc", "Ltd",
        "Corp", "Co", "Cos", "Bros", "Plc", "Jr", "Jnr", "Sr", "Snr", "St", "Ste", "Mt", "Ft",
        "etc", "vs", "approx", "est", "dept", "Dept", "Univ", "Ave", "Blvd", "Rd", "Sq", "al",
        "cf", "ca", "viz", "govt", "Govt", "intl", "Intl", "Ala", "Ariz", "Ark", "Calif", "Colo",
        "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Kans", "Ky", "La", "Md", "Mass", "Mich",
        "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Penn", "Tenn", "Tex",
        "Va", "Vt", "Wash", "Wis", "Wyo",
    ]
)

#: Words that start sentences and are never part of a name: after an abbreviation or an
#: initial, one of these means the sentence did end there.
STARTERS: Final = frozenset(
    [
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
        "i", "you", "his", "her", "their", "our", "my", "your", "there", "here", "in", "on", "at",
        "by", "for", "from", "with", "without", "to", "of", "as", "after", "before", "during",
        "since", "until", "while", "when", "where", "whenever", "if", "although", "though",
        "because", "but", "and", "or", "so", "yet", "nor", "however", "meanwhile", "moreover",
        "furthermore", "also", "still", "then", "thus", "therefore", "instead", "otherwise",
        "besides", "nevertheless", "nonetheless", "indeed", "later", "earlier", "now", "today",
        "yesterday", "tomorrow", "some", "many", "most", "several", "few", "all", "both", "each",
        "every", "no", "none", "not", "neither", "either", "another", "other", "such", "what",
        "which", "who", "whom", "whose", "why", "how", "despite", "amid", "among", "according",
        "last", "next", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "officials",
    ]
)


def _abbreviated(previous: str) -> bool:
    """Whether a full stop after ``previous`` may be an abbreviation's rather than an end:
    an initial ("J", "m" in "p. m."), a dotted abbreviation, or a known one."""
    return (
        (len(previous) == 1 and previous.isalpha())
        or _DOTTED.fullmatch(previous) is not None
        or _known(previous, ABBREVIATIONS)
    )


def _known(word: str, names: frozenset[str]) -> bool:
    """``word`` in ``names`` as written or capitalised ("ST. JOSEPH", "O prof. Carlos")."""
    return word in names or word.capitalize() in names


def _ends_sentence(text: str, line_start: int, mark: int, after: int, line_end: int) -> bool:
    """Whether the terminal marks at ``text[mark]`` (a break that ends at ``after``) end a
    sentence, judged by the word before them and the word after."""
    following = _WORD_AFTER.match(text, after, line_end)
    if following is not None and following.group(1).islower():
        return False  # "etc. are", "т.е. все", "“Why?” he asked"
    if text[mark] != "." or text.startswith("..", mark):
        return True  # "?", "!", "…" and "..." before a capital, a digit or a dash end it
    before = _WORD_BEFORE.search(text, max(line_start, mark - _LOOK_BACK), mark)
    if before is None:
        return True
    previous = before.group(0)
    if _known(previous, TITLES):
        return False  # "Dr. William Hutchison", "O prof. Carlos"
    if following is None:
        return not _abbreviated(previous)  # "BUFFALO, N.Y. — Hours…", "vs. #Steelers"
    first = following.group(1)
    if first.isdigit():  # "Jan. 5", "No. 3", "E. 52nd St."; "in 2023. 2024 was…"
        return not (_known(previous, BEFORE_NUMBERS)
                    or (len(previous) == 1 and previous.isalpha()))
    if _abbreviated(previous):
        # "J. R. R. Tolkien", "the U.S. Senate", "St. Andrews"; "by the U.S. The…", "etc. It…"
        return (first + following.group(2)).lower() in STARTERS
    return True


def _line_spans(text: str, start: int, end: int, out: list[SentenceSpan]) -> None:
    """Append the sentences of ``text[start:end]``, one line without its newline. A piece
    without a letter or digit (a stray closing quote) stays with the sentence before it."""
    line_start = start
    mark = _LIST_MARK.match(text, start, end)
    if mark is not None and mark.end() < end:
        start = mark.end()
    begin = start
    word_at = start - 1  # where the next letter or digit is, looked up once per stretch
    for found in _BREAK.finditer(text, start, end):
        if _ends_sentence(text, line_start, found.start(), found.end(), end):
            if word_at < found.end():
                word = _WORDY.search(text, found.end(), end)
                if word is None:
                    break  # only punctuation is left: it closes this sentence
                word_at = word.start()
            _add(text, begin, found.end(), out)
            begin = found.end()
    _add(text, begin, end, out)


#: A letter or a digit (a piece without one is not a sentence).
_WORDY: Final = re.compile(r"[^\W_]")


def _add(text: str, start: int, end: int, out: list[SentenceSpan]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        first = start + len(piece) - len(piece.lstrip())
        out.append(SentenceSpan(start=first, end=first + len(stripped), text=stripped))


def sentence_spans(text: str) -> list[SentenceSpan]:
    """The sentences of ``text`` as character offsets into it, list marks left out."""
    out: list[SentenceSpan] = []
    position = 0
    while True:
        newline = text.find("\n", position)
        end = len(text) if newline < 0 else newline
        if end > position:
            _line_spans(text, position, end, out)
        if newline < 0:
            return out
        position = newline + 1


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [span.text for span in sentence_spans(text)]

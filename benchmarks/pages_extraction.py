"""Saved web pages: how much of the article Broadsheet stores, and how little else; titles, dates.

    .venv/bin/python benchmarks/pages_extraction.py                 # the stored body, titles, dates
    .venv/bin/python benchmarks/pages_extraction.py --settings      # and every setting measured
    .venv/bin/python benchmarks/pages_extraction.py --before be45bfa  # a revision's stored body too
    .venv/bin/python benchmarks/pages_extraction.py --pages DIR     # another collection

The pages are ``../shared/data/pages-dev`` (``html/<id>.html.gz`` and ``ground-truth.json``, half
of the Scrapinghub/Zyte article-extraction benchmark). The metric is that benchmark's: both
texts are split into ``\\w+`` tokens and cut into 4-token shingles; per page, true positives,
false positives and false negatives are counted (shingle multiplicity included) and divided by
their sum; precision is averaged over the pages that extracted or expected something, recall
over the pages that expected something (a page where both are empty scores 1, one where the
wrong one is empty 0), and F1 is taken of the two means. The ± figures are 95% bootstrap
intervals over pages; differences between settings are paired bootstraps.

What is scored is the plain text Broadsheet stores (:func:`reader.feeds.pages.extract_page`,
the text search and grouping see); a page Broadsheet refuses scores as an empty text. Titles
are checked against the page's own ``<h1>`` elements and ``og:title``, dates against its own
published-date metadata (``article:published_time``, ``datePublished`` in microdata or
JSON-LD, ``pubdate`` and the like), compared as calendar dates.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_CODE_ENV = "BROADSHEET_BENCH_CODE"
sys.path.insert(0, os.environ.get(_CODE_ENV, str(ROOT)))
sys.path.insert(1, str(ROOT))  # benchmarks.revisions always comes from this checkout

from benchmarks.revisions import extract_revision  # noqa: E402

PAGES = ROOT.parent / "shared" / "data" / "pages-dev"
_WORD = re.compile(r"\w+")
SHINGLE = 4
BOOTSTRAP = 1000

#: (tp, fp, fn) of one page, divided by their sum.
Counts = tuple[float, float, float]


# ------------------------------------------------------------------ the benchmark's metric


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text or "")
    return Counter(
        tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))
        if tokens[i : i + SHINGLE]
    )


def page_counts(expected: str, extracted: str) -> Counts:
    want, got = shingles(expected), shingles(extracted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def summary(counts: Sequence[Counts]) -> tuple[float, float, float]:
    """(precision, recall, F1) over pages, as the benchmark averages them."""
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _resamples(n: int) -> list[list[int]]:
    rng = random.Random(20191119)
    return [[rng.randrange(n) for _ in range(n)] for _ in range(BOOTSTRAP)]


def interval(counts: Sequence[Counts], samples: list[list[int]], other: Sequence[Counts] = ()
             ) -> float:
    """Half-width of the 95% bootstrap interval of F1 (of the F1 difference to ``other``)."""
    values = []
    for picks in samples:
        f1 = summary([counts[i] for i in picks])[2]
        if other:
            f1 -= summary([other[i] for i in picks])[2]
        values.append(f1)
    mean = sum(values) / len(values)
    return 1.96 * (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5


# ------------------------------------------------------------------ the pages and their metadata


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    data: bytes
    body: str  # the hand-checked main text


def load(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(key, gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()),
             value.get("articleBody", ""))
        for key, value in sorted(truth.items())
    ]


#: Typography a title may be written with in one place and not another.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                        "…": "...", "\u00a0": " "})
_SITE_SEPARATORS = (" - ", " | ", " : ", ": ", " · ", " :: ")


def _norm(text: str) -> str:
    return " ".join(text.translate(_PLAIN).split()).casefold()


def title_agrees(stored: str, h1: Sequence[str], og_title: str | None) -> bool:
    """The stored title is one of the page's ``<h1>`` or its ``og:title``, typography
    aside, or the ``og:title`` without a site name joined to it ("Title - Site")."""
    mine = _norm(stored)
    if mine in h1 or mine == og_title:
        return True
    return og_title is not None and any(
        og_title.startswith(mine + sep) or og_title.endswith(sep + mine)
        for sep in _SITE_SEPARATORS
    )


#: Published-date metadata, most specific first: (attribute holding the name, its value).
_DATE_META = [
    ("property", "article:published_time"), ("name", "article:published_time"),
    ("itemprop", "datePublished"), ("property", "og:pubdate"), ("name", "pubdate"),
    ("name", "publishdate"), ("name", "publish-date"), ("name", "parsely-pub-date"),
    ("name", "sailthru.date"), ("name", "dc.date.issued"), ("name", "DC.date.issued"),
    ("name", "date"),
]
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class When:
    """A published date as written: its calendar day there, and the instant when it has one."""

    day: date
    instant: datetime | None


def _day(value: str | None) -> When | None:
    found = _ISO_DAY.search(value or "")
    if found is None or int(found.group(1)) < 1990:  # 0001-01-01 placeholders are no date
        return None
    try:
        day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None
    instant = None
    try:
        parsed = datetime.fromisoformat((value or "").strip())
        if "T" in (value or "") and parsed.tzinfo is not None:
            instant = parsed.astimezone(UTC)
    except ValueError:
        pass
    return When(day, instant)


_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _json_ld_dates(root: Any) -> list[str]:
    """``datePublished`` values in the page's JSON-LD (read by pattern, not by the code under
    test)."""
    return [
        found
        for script in root.xpath('//script[@type="application/ld+json"]')
        for found in _JSON_LD_PUBLISHED.findall(script.text_content())
    ]


@dataclass(frozen=True, slots=True)
class Reference:
    h1: tuple[str, ...]
    og_title: str | None
    published: When | None


def reference(data: bytes) -> Reference:
    from lxml import html  # type: ignore[import-untyped]

    root = html.fromstring(data, parser=html.HTMLParser(encoding="utf-8"))  # as the README says
    h1 = tuple(t for t in (_norm(e.text_content()) for e in root.iter("h1")) if t)
    og = root.xpath('//meta[@property="og:title"]/@content')
    published = None
    for attribute, name in _DATE_META:
        for element in root.xpath(f'//*[@{attribute}="{name}"]'):
            published = published or _day(element.get("content") or element.get("datetime"))
        if published:
            break
    if published is None:
        published = next(filter(None, map(_day, _json_ld_dates(root))), None)
    if published is None:
        published = next(
            filter(None, map(_day, root.xpath("//time[@pubdate]/@datetime"))), None
        )
    return Reference(h1, _norm(og[0]) if og and og[0].strip() else None, published)


# ------------------------------------------------------------------ what Broadsheet stores


@dataclass(frozen=True, slots=True)
class Stored:
    text: str
    title: str | None
    published: datetime | None  # UTC


def _child(folder: Path) -> int:
    """Print what this checkout (or the one in ``$BROADSHEET_BENCH_CODE``) stores per page."""
    from reader.errors import ImportFailed
    from reader.feeds.pages import extract_page

    out: dict[str, Any] = {}
    pages = load(folder)
    import trafilatura  # noqa: F401 - imported before the clock starts, as a warm process has it

    cpu = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            path = Path(tmp) / f"{page.id}.html"
            path.write_bytes(page.data)
            try:
                saved = extract_page(path)
            except ImportFailed:
                out[page.id] = None
                continue
            published = saved.published.isoformat() if saved.published else None
            out[page.id] = [saved.text, saved.title, published]
    print(json.dumps({"pages": out, "cpu": time.process_time() - cpu}))
    return 0


def stored_by(folder: Path, code: Path | None) -> tuple[dict[str, Stored], float]:
    """What a checkout stores for every page, and its CPU seconds (a child process)."""
    env = dict(os.environ)
    if code is not None:
        env[_CODE_ENV] = str(code)
    cmd = [sys.executable, __file__, "--child", "--pages", str(folder)]
    ran = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    raw: dict[str, Any] = json.loads(ran.stdout.strip().splitlines()[-1])
    out = {
        key: Stored(v[0], v[1], _utc(v[2]) if v[2] else None)
        if v else Stored("", None, None)
        for key, v in raw["pages"].items()
    }
    return out, float(raw["cpu"])


def _utc(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def date_agrees(stored: datetime | None, declared: When) -> str:
    """"instant" (the same moment, to the minute), "day" (the declared day, or its UTC day,
    with no time or another time), "other" or "none"."""
    if stored is None:
        return "none"
    if declared.instant is not None and abs(stored - declared.instant) < timedelta(minutes=1):
        return "instant"
    utc_day = declared.instant.date() if declared.instant else declared.day
    return "day" if stored.date() in (declared.day, utc_day) else "other"


# ------------------------------------------------------------------ settings measured


def _trafilatura_text(**options: Any) -> Callable[[bytes], str]:
    """trafilatura alone, its own plain text (the benchmark's usual way to run it)."""
    import trafilatura

    def run(data: bytes) -> str:
        return trafilatura.extract(data, include_comments=False, **options) or ""

    return run


def _broadsheet(**changes: Any) -> Callable[[bytes], str]:
    """Broadsheet's pipeline with some settings changed (the plain text it would store)."""
    from reader.errors import ImportFailed
    from reader.feeds.pages import BEST, extract_html

    how = replace(BEST, **changes)

    def run(data: bytes) -> str:
        try:
            return extract_html(data, Path("page.html"), how).text
        except ImportFailed:
            return ""

    return run


def settings() -> list[tuple[str, Callable[[bytes], str]]]:
    return [
        ("trafilatura alone: plain text, balanced", _trafilatura_text()),
        ("trafilatura alone: plain text, favor_precision",
         _trafilatura_text(favor_precision=True)),
        ("trafilatura alone: plain text, favor_recall", _trafilatura_text(favor_recall=True)),
        ("trafilatura alone: favor_precision, include_links (Markdown links)",
         _trafilatura_text(favor_precision=True, include_links=True)),
        ("trafilatura alone: favor_precision, include_images (Markdown images)",
         _trafilatura_text(favor_precision=True, include_images=True)),
        ("Broadsheet, best: precision + rescue 0.5, links, no images", _broadsheet()),
        ("  focus precision, no rescue", _broadsheet(rescue=0.0)),
        ("  focus balanced", _broadsheet(focus="balanced")),
        ("  focus recall, no rescue", _broadsheet(focus="recall", rescue=0.0)),
        ("  rescue below 0.3", _broadsheet(rescue=0.3)),
        ("  rescue below 0.7", _broadsheet(rescue=0.7)),
        ("  rescue below 0.9", _broadsheet(rescue=0.9)),
        ("  no links (include_links off)", _broadsheet(links=False)),
        ("  images, captions dropped, no alt text", _broadsheet(images=True)),
        ("  images and their alt text", _broadsheet(images=True, alt_text=True)),
        ("  images, captions and alt text", _broadsheet(images=True, captions=True,
                                                        alt_text=True)),
        ("  lead headings kept", _broadsheet(lead_headings=True)),
    ]


# ------------------------------------------------------------------ report


def _row(name: str, counts: Sequence[Counts], samples: list[list[int]],
         base: Sequence[Counts] = (), seconds: float | None = None) -> str:
    p, r, f1 = summary(counts)
    line = f"  {name:<68} P {p:.3f}  R {r:.3f}  F1 {f1:.4f} ±{interval(counts, samples):.3f}"
    if base:
        diff = f1 - summary(base)[2]
        line += f"  Δ {diff:+.4f} ±{interval(counts, samples, base):.4f}"
    if seconds is not None:
        line += f"  {seconds * 1000 / len(counts):.0f} ms/page"
    return line


def titles_and_dates(pages: Sequence[Page], stored: dict[str, Stored]) -> list[str]:
    refs = {page.id: reference(page.data) for page in pages}
    with_title = [p.id for p in pages if refs[p.id].h1 or refs[p.id].og_title]
    wrong_titles = [
        k for k in with_title
        if not title_agrees(stored[k].title or "", refs[k].h1, refs[k].og_title)
    ]
    dated = [p.id for p in pages if refs[p.id].published]
    verdicts = {k: date_agrees(stored[k].published, refs[k].published) for k in dated}
    tally = Counter(verdicts.values())
    lines = [
        f"  titles: {len(with_title) - len(wrong_titles)} of {len(with_title)} pages with an"
        f" <h1> or og:title agree with one ({len(pages) - len(with_title)} pages have neither)",
        f"  dates: of {len(dated)} pages declaring when they were published, {tally['instant']}"
        f" stored that moment, {tally['day']} that day, {tally['other']} another day,"
        f" {tally['none']} no date ({len(pages) - len(dated)} pages declare none)",
    ]
    for k in wrong_titles:
        lines.append(f"    title {k[:10]}: stored {stored[k].title!r}; h1 {refs[k].h1[:2]!r},"
                     f" og:title {refs[k].og_title!r}")
    for k, verdict in verdicts.items():
        if verdict in ("other", "none"):
            lines.append(f"    date {k[:10]}: stored {stored[k].published}, page says"
                         f" {refs[k].published}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES, help="the collection's folder")
    parser.add_argument("--settings", action="store_true", help="measure every setting too")
    parser.add_argument("--before", metavar="REV", help="also measure this git revision")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.pages)
    if not (args.pages / "ground-truth.json").exists():
        print(f"the pages are needed: {args.pages} has no ground-truth.json", file=sys.stderr)
        return 2
    pages = load(args.pages)
    samples = _resamples(len(pages))
    print(f"{len(pages)} pages from {args.pages}; shingles of {SHINGLE} words;"
          f" ± = 95% bootstrap ({BOOTSTRAP} resamples)")
    stored, seconds = stored_by(args.pages, None)
    after = [page_counts(p.body, stored[p.id].text) for p in pages]
    if args.before:
        with tempfile.TemporaryDirectory() as tmp:
            old, old_seconds = stored_by(args.pages, extract_revision(args.before, Path(tmp)))
        before = [page_counts(p.body, old[p.id].text) for p in pages]
        print(f"stored body, before ({args.before}):")
        print(_row("as stored", before, samples, seconds=old_seconds))
        print("\n".join(titles_and_dates(pages, old)[:2]))
    print("stored body, this checkout:")
    print(_row("as stored", after, samples, before if args.before else (), seconds))
    print("\n".join(titles_and_dates(pages, stored)))
    if args.settings:
        print("settings (Δ against this checkout's stored body):")
        for name, run in settings():
            cpu = time.process_time()
            counts = [page_counts(p.body, run(p.data)) for p in pages]
            print(_row(name, counts, samples, after, time.process_time() - cpu), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

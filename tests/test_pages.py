"""Saved web pages: the article without its furniture, the same in the text and the HTML."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers.modules import benchmark

import reader.feeds.pages as pages
from reader.errors import ImportFailed
from reader.feeds.htmltext import html_to_text
from reader.feeds.pages import BEST, Extraction, extract_html, extract_page

DATA = Path(__file__).resolve().parent / "data" / "feeds"
DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "pages-dev"

PARAGRAPHS = [
    "The city council approved a new budget for the harbour on Tuesday evening, after a debate"
    " that lasted more than six hours and ended with a narrow vote of eleven to nine.",
    'The plan adds two ferry routes and repairs the old sea wall, which engineers described as'
    ' <a href="/reports/sea-wall">close to failing</a> in a report published last spring.',
    "Residents of the eastern quarter, who lost their only crossing when the bridge closed,"
    " will be the first to get the new service, the mayor said after the vote.",
    "Work on the wall starts in March and should take two years; the ferries are due to run"
    " from the summer, once the two new landing stages have been built and inspected.",
]


def page(*, figure: bool = True, declared: str | None = "2024-03-05T21:30:00-05:00") -> bytes:
    meta = (
        f'<meta property="article:published_time" content="{declared}">' if declared else ""
    )
    figure_html = (  # as WordPress writes an image with its caption
        '<div id="attachment_7" class="wp-caption aligncenter">'
        '<img src="/img/harbour.jpg" alt="Boats moored in the old harbour" width="640">'
        '<p class="wp-caption-text">The harbour at dawn, before the vote. Photo: Ana Ruiz</p>'
        "</div>"
        if figure else ""
    )
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + figure_html + "".join(
        f"<p>{p}</p>" for p in PARAGRAPHS[2:]
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour budget approved after six-hour debate - Coast Courier</title>
<meta property="og:title" content="Harbour budget approved after six-hour debate">
<meta property="og:site_name" content="Coast Courier">
<link rel="canonical" href="https://courier.example/2024/03/05/harbour-budget">
{meta}</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour budget approved after six-hour debate</h1>{body}</article>
<footer>Copyright Coast Courier 2024. All rights reserved.</footer></body></html>""".encode()


def test_the_text_is_the_displayed_html_text() -> None:
    saved = extract_html(page(), Path("harbour.html"))
    assert saved.text == html_to_text(saved.html, sanitized=True, alt_text=False)
    for paragraph in (PARAGRAPHS[0], PARAGRAPHS[3]):
        assert paragraph in saved.text
    assert "close to failing" in saved.text and 'href="https://courier.example/reports/' in (
        saved.html
    )
    for furniture in ("Home", "Copyright", "Photo: Ana Ruiz", "Boats moored", "<img"):
        assert furniture not in saved.text and furniture not in saved.html


def test_the_title_is_the_articles_not_the_sites_and_not_in_the_body() -> None:
    saved = extract_html(page(), Path("harbour.html"))
    assert saved.title == "Harbour budget approved after six-hour debate"
    assert saved.site == "Coast Courier"
    assert "six-hour debate" not in saved.text and "<h1" not in saved.html


def test_the_declared_publication_moment_is_stored() -> None:
    saved = extract_html(page(), Path("harbour.html"))
    assert saved.published == datetime(2024, 3, 6, 2, 30, tzinfo=UTC)
    # Without a declaration (or with a placeholder), trafilatura's date: here the URL's day.
    for declared in (None, "0001-01-01T00:00:00Z"):
        saved = extract_html(page(declared=declared), Path("harbour.html"))
        assert saved.published == datetime(2024, 3, 5, tzinfo=UTC)


def test_json_ld_and_microdata_dates_are_read() -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2023-11-20T01:50:59Z"},
    ]}
    data = page(declared=None).replace(
        b"</head>",
        b'<script type="application/ld+json">' + json.dumps(ld).encode() + b"</script></head>",
    )
    assert extract_html(data, Path("p.html")).published == datetime(
        2023, 11, 20, 1, 50, 59, tzinfo=UTC
    )
    micro = page(declared=None).replace(
        b"</head>", b'<meta itemprop="datePublished" content="2022-07-01"></head>'
    )
    assert extract_html(micro, Path("p.html")).published == datetime(2022, 7, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Harbour budget approved - Coast Courier", "Coast Courier", "Harbour budget approved"),
        ("Coast Courier | Harbour budget approved", "Coast Courier", "Harbour budget approved"),
        ("Coast Courier", "Coast Courier", "Coast Courier"),
        ("Why Coast Courier matters", "Coast Courier", "Why Coast Courier matters"),
        ("Harbour budget approved", None, "Harbour budget approved"),
    ],
)
def test_the_sites_name_is_taken_off_the_title(title: str, site: str | None, expected: str
                                               ) -> None:
    assert pages._without_site(title, site) == expected


def test_images_captions_and_alt_text_follow_the_settings() -> None:
    with_images = extract_html(page(), Path("p.html"), Extraction(images=True))
    assert "<img" in with_images.html and "Photo: Ana Ruiz" not in with_images.html
    assert "Boats moored" not in with_images.text
    assert with_images.text == html_to_text(with_images.html, sanitized=True, alt_text=False)
    everything = extract_html(
        page(), Path("p.html"), Extraction(images=True, captions=True, alt_text=True)
    )
    assert "Photo: Ana Ruiz" in everything.text and "Boats moored" in everything.text


def test_a_focused_extraction_that_lost_the_article_is_rescued(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When favor_precision keeps less than half of what a balanced extraction keeps (it took
    a print header for the article), the balanced extraction is stored."""
    from lxml import html as lxml_html

    def fake(_: Any, data: bytes, how: Extraction, focus: str, *, with_metadata: bool
             ) -> tuple[dict[str, str], Any]:
        paragraphs = PARAGRAPHS[:3] if focus == "precision" else PARAGRAPHS * 2
        body = lxml_html.fromstring(
            "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
        ).find("body")
        return ({"title": "T"} if with_metadata else {}), body

    monkeypatch.setattr(pages, "_extract", fake)
    assert PARAGRAPHS[3] in extract_html(b"<html></html>", Path("p.html")).text
    assert PARAGRAPHS[3] not in extract_html(
        b"<html></html>", Path("p.html"), Extraction(rescue=0.0)
    ).text


def test_a_page_without_an_article_is_refused() -> None:
    with pytest.raises(ImportFailed, match="no article"):
        extract_page(DATA / "empty_page.html")


def test_the_benchmark_metric() -> None:
    bench = benchmark("pages_extraction")
    text = "one two three four five six seven eight"
    assert bench.page_counts(text, text) == (1.0, 0.0, 0.0)
    assert bench.summary([bench.page_counts(text, text)]) == (1.0, 1.0, 1.0)
    padded = bench.page_counts(text, text + " nine ten")  # two shingles more
    assert padded == pytest.approx((5 / 7, 2 / 7, 0.0))
    missing = bench.page_counts(text, "")
    assert bench.summary([missing]) == (0.0, 0.0, 0.0)
    p, r, f1 = bench.summary([padded, bench.page_counts(text, text)])
    assert (p, r) == pytest.approx(((5 / 7 + 1) / 2, 1.0))
    assert f1 == pytest.approx(2 * p * r / (p + r))


def test_the_benchmark_reads_titles_and_dates_from_the_page() -> None:
    bench = benchmark("pages_extraction")
    ref = bench.reference(page())
    assert ref.h1 == ("harbour budget approved after six-hour debate",)
    assert ref.published.day.isoformat() == "2024-03-05"
    assert bench.date_agrees(datetime(2024, 3, 6, 2, 30, tzinfo=UTC), ref.published) == "instant"
    assert bench.date_agrees(datetime(2024, 3, 4, tzinfo=UTC), ref.published) == "other"
    assert bench.title_agrees("Harbour budget approved after six-hour debate", ref.h1,
                              "harbour budget approved after six-hour debate - coast courier")


@pytest.fixture(scope="module")
def dev_pages() -> list[tuple[str, bytes]]:
    if not (DEV / "ground-truth.json").exists():
        pytest.skip(f"the development pages are not present ({DEV})")
    keys = sorted(json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8")))
    return [(k, gzip.decompress((DEV / "html" / f"{k}.html.gz").read_bytes()))
            for k in keys[::6]]


def test_real_pages_store_the_text_their_html_shows(dev_pages: list[tuple[str, bytes]]) -> None:
    for key, data in dev_pages:
        try:
            saved = extract_html(data, Path(f"{key}.html"), BEST)
        except ImportFailed:
            continue
        assert saved.text == html_to_text(saved.html, sanitized=True, alt_text=False), key
        assert "<img" not in saved.html, key

"""Quote-in-note formatting, snippets, and Markdown rendering with sanitising."""

from __future__ import annotations

import locale
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.markdown import render_markdown
from reader.notes_text import append_block, format_quote, note_snippet, quote_date

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "em",
    "strong", "s", "del", "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip

# --------------------------------------------------------------------------- quoting


def test_quote_has_the_documented_format() -> None:
    quote = format_quote(
        "Drones struck the refinery overnight.",
        "Russian Federation News",
        datetime(2025, 1, 30, 8, 0, tzinfo=UTC),
    )
    assert quote == (
        "> Drones struck the refinery overnight.\n\n— Russian Federation News, 30 Jan 2025"
    )


def test_quote_keeps_paragraphs_inside_one_quote() -> None:
    # Qt's QTextCursor.selectedText() separates paragraphs with U+2029.
    quote = format_quote("First paragraph.\u2029\u2029\u2029Second one.  \r\nThird", "Src")
    assert quote == "> First paragraph.\n>\n> Second one.\n> Third\n\n— Src"


def test_quote_escapes_lines_that_would_become_markup() -> None:
    quote = format_quote("# Not a heading\n1. not a list\n- nor this\n> nor this", "S")
    html = render_markdown(quote)
    assert "<h1>" not in html and "<ol" not in html and "<ul>" not in html
    assert html.count("<blockquote>") == 1
    assert "# Not a heading" in html and "1. not a list" in html


def test_quote_renders_as_quote_then_attribution() -> None:
    quote = format_quote("Line", "Economy Daily", datetime(2025, 2, 14, tzinfo=UTC))
    html = render_markdown(quote)
    quoted, _, after = html.partition("</blockquote>")
    assert "Line" in quoted and "Economy Daily" not in quoted
    assert "— Economy Daily, 14 Feb 2025" in after


def test_quote_without_date_or_text() -> None:
    assert format_quote("text", "Forum") == "> text\n\n— Forum"
    assert format_quote(" \n\u2029 ", "Forum") == ""
    assert format_quote("x", "  ").endswith("— Unknown source")


def test_quote_date_ignores_the_process_locale() -> None:
    before = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
            break
        except locale.Error:
            continue
    try:
        assert quote_date(datetime(2025, 3, 5, tzinfo=UTC)) == "5 Mar 2025"
        assert quote_date(datetime(2024, 12, 31, tzinfo=UTC)) == "31 Dec 2024"
    finally:
        locale.setlocale(locale.LC_TIME, before)


def test_append_block_separates_with_one_blank_line() -> None:
    assert append_block("", "> q") == "> q\n"
    assert append_block("my note", "> q") == "my note\n\n> q\n"
    assert append_block("my note\n\n\n", "> q") == "my note\n\n> q\n"
    assert append_block("my note", "") == "my note"


@given(st.text(max_size=200), st.text(max_size=30))
def test_every_quoted_line_is_inside_the_quote(passage: str, source: str) -> None:
    quote = format_quote(passage, source)
    if not quote:
        assert not passage.replace("\u2029", "").replace("\u2028", "").strip()
        return
    body, _, _ = quote.rpartition("\n\n— ")
    assert body
    assert all(line == ">" or line.startswith("> ") for line in body.split("\n"))


# --------------------------------------------------------------------------- snippets


def test_snippet_drops_markup_but_keeps_numbers() -> None:
    body = "## Key points\n\n1. Rate held at 21.\n2. Next meeting in 2025. Later\n> *quoted*"
    assert note_snippet(body) == "Key points Rate held at 21. Next meeting in 2025. Later quoted"


def test_snippet_cuts_at_a_word() -> None:
    snippet = note_snippet("alpha " * 50, 40)
    assert len(snippet) <= 40 and snippet.endswith("alpha…")


# --------------------------------------------------------------------------- rendering


def parse_html(html: str) -> tuple[set[str], set[str], list[str]]:
    """The tags, attribute names and link targets really present in ``html``."""
    tags: set[str] = set()
    attributes: set[str] = set()
    hrefs: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.add(tag)
            for name, value in attrs:
                attributes.add(name)
                if name == "href":
                    hrefs.append(value or "")

    Collector().feed(html)
    return tags, attributes, hrefs


def test_renders_headings_lists_links_quotes_emphasis() -> None:
    html = render_markdown(
        "# Title\n\n## Sub\n\n- one\n- two\n\n1. first\n\n> quoted\n\n"
        "*em* **strong** ~~gone~~ `code` [site](https://example.org/a?b=1&c=2)\n"
    )
    for tag in ("<h1>Title</h1>", "<h2>Sub</h2>", "<ul>", "<li>one</li>", "<ol>",
                "<blockquote>", "<em>em</em>", "<strong>strong</strong>", "<s>gone</s>",
                "<code>code</code>"):  # fmt: skip
        assert tag in html, tag
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">site</a>' in html


def test_renders_tables() -> None:
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert "<table>" in html and '<td style="text-align:right">2</td>' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="https://tracker.example/x.png" onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](file:///etc/passwd)",
        "[x](vbscript:msgbox)",
        "<a href='https://ok.example' onclick='evil()'>x</a>",
        '<iframe src="https://example.org"></iframe>',
        "<style>body{display:none}</style>",
        "![pixel](https://tracker.example/pixel.gif)",
        "[rel](../../etc/passwd)",
        "<https://example.org/autolink>",
    ],
)
def test_nothing_active_or_remote_survives(source: str) -> None:
    tags, attributes, hrefs = parse_html(render_markdown(source))
    assert not tags & {"script", "img", "iframe", "style", "object", "embed", "link"}
    assert not {a for a in attributes if a.startswith("on")}
    assert "src" not in attributes and "style" not in attributes
    assert all(h.split(":")[0].lower() in {"http", "https", "mailto"} for h in hrefs), hrefs


def test_images_become_links_that_load_nothing() -> None:
    html = render_markdown("![chart](https://example.org/chart.png)")
    assert "<img" not in html
    assert '<a href="https://example.org/chart.png"' in html


def test_mailto_links_are_kept() -> None:
    assert 'href="mailto:desk@example.org"' in render_markdown("[desk](mailto:desk@example.org)")


def test_empty_note_renders_nothing() -> None:
    assert render_markdown("") == "" and render_markdown(" \n ") == ""


@given(st.text(alphabet=st.sampled_from(list("<>\"'&[]()!:/ ascriptjvhef=\n*#-`")), max_size=80))
def test_rendering_any_text_never_yields_active_html(text: str) -> None:
    tags, attributes, hrefs = parse_html(render_markdown(text))
    assert tags <= ALLOWED_TAGS
    assert attributes <= {"href", "rel", "title", "start", "style"}
    assert all(h.split(":")[0].lower() in {"http", "https", "mailto"} for h in hrefs)

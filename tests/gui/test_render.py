from reader.render import ONLY_CLASS, body_to_html


def test_paragraphs_headings_and_lists() -> None:
    body = (
        "Intro sentence one.\n\nKey Details:\n\n  1. First item.\n  2. Second item.\n\n"
        "Next Steps\n\n  • a bullet\n  • another\n\nClosing <b>text</b>."
    )
    html = body_to_html(body)
    assert "<h3>Key Details:</h3>" in html
    assert "<h3>Next Steps</h3>" in html
    assert "<ol><li>First item.</li><li>Second item.</li></ol>" in html
    assert "<ul><li>a bullet</li><li>another</li></ul>" in html
    assert "&lt;b&gt;text&lt;/b&gt;" in html  # escaped, never markup
    assert html.startswith("<p>Intro sentence one.</p>")


def test_highlight_spans_use_body_offsets() -> None:
    body = "First sentence. Second one here.\n\nThird."
    start = body.index("Second")
    html = body_to_html(body, [(start, start + len("Second one here."))])
    assert f'<span class="{ONLY_CLASS}">Second one here.</span>' in html
    assert "Third." in html and html.count(ONLY_CLASS) == 1


def test_urls_become_links_and_are_escaped() -> None:
    html = body_to_html('See https://example.org/a?b=1&c=2. "Quoted"')
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in html
    assert "&quot;Quoted&quot;" in html



def test_lists_render_as_written() -> None:
    body = ("Key Details:\n\n1. Operation Overview:\n  • raid on call centres\n"
            "2. Arrests Made:\n  • two detained\n  • one at large\n3. Outlook:\n\nEnd.\n\n"
            "5. Fifth point\n6. Sixth point")
    html = body_to_html(body)
    assert ("<ol><li>Operation Overview:<ul><li>raid on call centres</li></ul></li>"
            "<li>Arrests Made:<ul><li>two detained</li><li>one at large</li></ul></li>"
            "<li>Outlook:</li></ol>") in html
    assert '<ol start="5"><li>Fifth point</li><li>Sixth point</li></ol>' in html

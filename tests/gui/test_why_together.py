"""The reader's "Why these versions are together" section: what it says, that it is worked
out on the worker and only when open, and that imported text in it stays text."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.errors import BroadsheetError
from reader.gui.main_window import MainWindow
from reader.gui.why_together import WORKING, explanation_lines
from reader.library import Library
from reader.types import GroupReason, StoryDetail, StoryRow, VersionRow

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _window_on_sample(make_window: object, tmp_path: Path) -> MainWindow:
    with Library.open(tmp_path / "lib.db") as lib:  # the fixture's library file
        lib.import_paths(sorted(SAMPLE.iterdir()))
    return make_window()  # type: ignore[operator,no-any-return]


def _open_biggest_story(qtbot: QtBot, window: MainWindow) -> StoryRow:
    model = window.stories_model
    rows = model.pager.rows
    best = max(range(len(rows)), key=lambda r: rows[r].size)
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.stories.tree.setCurrentIndex(model.index(best, 0))
    return rows[best]


def test_opening_the_section_explains_every_version_from_the_worker(
    qtbot: QtBot, make_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window_on_sample(make_window, tmp_path)
    threads: list[str] = []
    story_of = Library.story

    def recording(self: Library, story_id: int, with_reasons: bool = True) -> StoryDetail:
        threads.append(threading.current_thread().name)
        return story_of(self, story_id, with_reasons)

    monkeypatch.setattr(Library, "story", recording)
    story = _open_biggest_story(qtbot, window)
    assert story.size >= 3
    panel, button = window.reading.why, window.reading.why.button
    assert button.isVisible() and not panel.isVisible()
    assert threads == []  # nothing is worked out while the section is closed

    with qtbot.waitSignal(window.explanations.explained, timeout=10_000) as shown:
        button.click()
    assert shown.args == [story.id]
    assert panel.isVisible()
    assert threads and threading.main_thread().name not in threads

    expected = window.library.story(story.id)
    text = panel.text()
    versions = window.library.versions(story.id)
    number = {v.article_id: i + 1 for i, v in enumerate(versions)}
    head = expected.story.headline_article_id
    assert f"compared with version {number[head]}" in text
    assert len(expected.reasons) == story.size - 1
    for reason in expected.reasons:
        source = next(v.source for v in versions if v.article_id == reason.article_b)
        assert (f"Version {number[reason.article_b]} · {source}: "
                f"similarity {reason.similarity:.2f}") in text
        if reason.names:
            assert "Shared names: " + ", ".join(reason.names[:4]) in text
    # the version being read is the one marked as current
    current = [line for style, line in panel.lines if style == "current"]
    assert current == [next(line for _s, line in panel.lines
                            if line.startswith(f"Version {window.reading.version_index() + 1} "))]


def test_moving_between_versions_reuses_the_answer_and_marks_the_current_one(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    window = _window_on_sample(make_window, tmp_path)
    _open_biggest_story(qtbot, window)
    with qtbot.waitSignal(window.explanations.explained, timeout=10_000):
        window.act_why.trigger()  # W
    submitted: list[object] = []
    original = window.jobs.submit
    window.jobs.submit = lambda *a, **k: submitted.append(a) or original(*a, **k)  # type: ignore[method-assign]
    with qtbot.waitSignals([window.article_shown, window.explanations.explained], timeout=5000):
        window.reading.next_version()
    assert window.reading.version_index() == 1
    explain_jobs = [a for a in submitted if "Explaining" in str(a)]
    assert explain_jobs == []  # the same story and versions: the kept answer
    current = [line for style, line in window.reading.why.lines if style == "current"]
    assert len(current) == 1 and current[0].startswith("Version 2 ")

    window.act_why.trigger()  # closes it again
    assert not window.reading.why.isVisible()


def test_a_single_version_story_has_no_section(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    window = _window_on_sample(make_window, tmp_path)
    model = window.stories_model
    single = next(r for r in range(model.rowCount()) if model.pager.rows[r].size == 1)
    window.reading.why.button.setChecked(True)
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.stories.tree.setCurrentIndex(model.index(single, 0))
    assert not window.reading.why.button.isVisible()
    assert not window.reading.why.isVisible()
    assert not window.act_why.isEnabled()


def test_a_failure_is_said_in_the_section(
    qtbot: QtBot, make_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window_on_sample(make_window, tmp_path)

    def broken(self: Library, story_id: int, with_reasons: bool = True) -> StoryDetail:
        raise BroadsheetError("the library is busy")

    monkeypatch.setattr(Library, "story", broken)
    story = _open_biggest_story(qtbot, window)
    with qtbot.waitSignal(window.explanations.explained, timeout=10_000) as shown:
        window.reading.why.button.click()
        assert window.reading.why.text() == WORKING
    assert shown.args == [story.id]
    assert window.reading.why.text() == "Could not explain this story: the library is busy"


HOSTILE = '<img src="/dev/zero"> <b>Wire</b>'


def test_imported_text_in_the_section_is_shown_literally(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    rows = [{"title": f"Kerch ferry port reopens after repairs ({n})",
             "body": "The port of Kerch reopened on Monday after repairs to the Crimea ferry "
                     "line. Officials in Kerch said ferries to Crimea would resume at 06:00.",
             "source": source, "published": "2025-01-21T08:00:00Z"}
            for n, source in enumerate((HOSTILE, "Plain Wire"))]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.import_paths([path])
    window: MainWindow = make_window()  # type: ignore[operator]
    story = _open_biggest_story(qtbot, window)
    assert story.size == 2
    with qtbot.waitSignal(window.explanations.explained, timeout=10_000):
        window.reading.why.button.click()
    panel = window.reading.why
    assert HOSTILE in panel.text()
    assert "<img" not in panel.document().toHtml().split("<body", 1)[1].replace(
        "&lt;img", "")  # escaped as text in Qt's own serialisation, never an image


def _version(aid: int, source: str) -> VersionRow:
    return VersionRow(article_id=aid, title=f"t{aid}", source=source, published=None,
                      published_inferred=False, read=False, starred=False)


def _detail(head: int, reasons: tuple[GroupReason, ...]) -> StoryDetail:
    row = StoryRow(id=7, headline="h", headline_article_id=head, sources=("A", "B"), size=4,
                   source_count=2, first_published=None, last_published=None, unread=4,
                   starred=False, has_note=False)
    return StoryDetail(story=row, versions=(), reasons=reasons)


def test_the_lines_name_what_drove_the_grouping_without_repeating_names() -> None:
    reasons = (
        GroupReason(article_a=2, article_b=1, similarity=0.41, cosine=0.56,
                    names=("Kerch Strait", "Crimea"),
                    terms=("spill", "strait", "kerch", "oil", "crimea"),
                    conflicts=("different kilometer: 14.5 against 145",), rule="similar"),
        GroupReason(article_a=2, article_b=3, similarity=0.2, cosine=0.2, rule="user merge"),
    )
    versions = [_version(1, "A"), _version(2, "B"), _version(3, "C"), _version(4, "D")]
    lines = explanation_lines(_detail(2, reasons), versions, current=3)
    assert lines[0] == ("intro", "Each version compared with version 2 (B), the one the "
                                 "story's headline comes from.")
    assert ("version", "Version 1 · A: similarity 0.41 (0.56 shared, less what they "
                       "disagree on)") in lines
    assert ("detail", "Shared names: Kerch Strait, Crimea") in lines
    assert ("detail", "Shared terms: spill, oil") in lines  # "strait", "kerch" are names
    assert ("conflict", "Differs: different kilometer: 14.5 against 145") in lines
    assert ("version", "Version 2 · B: the headline version") in lines
    # the version being read comes first, then the others in order
    assert lines[1] == ("current", "Version 3 · C: similarity 0.20; user merge")
    assert [text.split(":")[0] for style, text in lines if style == "version"] == [
        "Version 1 · A", "Version 2 · B"]
    assert lines[-1][1].startswith("1 more version(s) have no explanation")


@pytest.mark.parametrize("size", [(1024, 640), (1400, 860)])
def test_the_version_bar_shows_its_label_and_both_toggles_whole(
    qtbot: QtBot, make_window: object, tmp_path: Path, size: tuple[int, int]
) -> None:
    """The header is as wide as the text column: the bar's two rows must fit in it, and the
    version label (which never widens the pane) must still say which version this is."""
    from PySide6.QtWidgets import QLabel

    window = _window_on_sample(make_window, tmp_path)
    window.resize(*size)
    story = _open_biggest_story(qtbot, window)
    reading = window.reading
    label = reading.version_label
    qtbot.waitUntil(lambda: label.width() > 0)
    full = f"Version 1 of {story.size} · "
    assert label.text().startswith(full)
    shown = QLabel.text(label)  # what is drawn, maybe ending in "…"
    assert shown == label.text() or (shown.endswith("…") and len(shown) > len(full))
    for toggle in (reading.why.button, reading.highlight_box):
        assert toggle.isVisible() and toggle.width() >= toggle.sizeHint().width()


def test_a_split_version_leaves_the_explanation(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    window = _window_on_sample(make_window, tmp_path)
    story = _open_biggest_story(qtbot, window)
    with qtbot.waitSignal(window.explanations.explained, timeout=10_000):
        window.reading.why.button.click()
    with qtbot.waitSignal(window.explanations.explained, timeout=5000):
        window.reading.next_version()
    split = window.reading.article
    assert split is not None and split.story_id == story.id
    assert sum(style in ("version", "current") for style, _l in window.reading.why.lines) == (
        story.size)
    with qtbot.waitSignal(window.changes_applied, timeout=10_000):
        window.act_split.trigger()
    assert window.library.versions(story.id)[1].article_id != split.id
    # back to the story: its explanation is worked out anew, without the split version
    with qtbot.waitSignal(window.explanations.explained, timeout=10_000) as shown:
        window.open_story(story.id)
    assert shown.args == [story.id]
    headers = [line for style, line in window.reading.why.lines
               if style in ("version", "current")]
    assert len(headers) == story.size - 1
    assert not any(line.startswith(f"Version {story.size} ") for line in headers)
    assert window.reading.versions == window.library.versions(story.id)


def test_moving_through_stories_quickly_queues_one_explanation_at_a_time(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    window = _window_on_sample(make_window, tmp_path)
    model = window.stories_model
    multi = [r for r in range(model.rowCount()) if model.pager.rows[r].size >= 2]
    assert len(multi) >= 3
    window.reading.why.button.setChecked(True)
    labels: list[str] = []
    original = window.jobs.submit

    def counting(*args: object, **kwargs: object) -> int:
        labels.append(str(kwargs.get("label", "")))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    window.jobs.submit = counting  # type: ignore[method-assign]
    last = model.pager.rows[multi[-1]].id
    with qtbot.waitSignal(window.explanations.explained, timeout=10_000,
                          check_params_cb=lambda story_id: story_id == last):
        for row in multi:  # faster than the worker answers: no event loop in between
            window.stories.tree.setCurrentIndex(model.index(row, 0))
    # the first story's job, then the one shown when it ended: never one per story
    assert labels.count("Explaining the story") == 2
    assert window.reading.article is not None and window.reading.article.story_id == last
    assert window.reading.why.text().startswith("Each version compared with version")

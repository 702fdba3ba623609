"""A broken install (a package missing) gives one line naming the package, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.errors import MissingDependency, missing_package
from reader.library import Library

DATA = Path(__file__).parent / "data" / "feeds"


def test_the_lxml_clean_stub_names_its_new_package() -> None:
    # The text lxml 5.2+ raises from its stub ``lxml.html.clean``.
    stub = ImportError(
        "lxml.html.clean module is now a separate project lxml_html_clean.\n"
        "Install lxml[html_clean] or lxml_html_clean directly."
    )
    assert missing_package(stub) == "lxml_html_clean"
    assert missing_package(ModuleNotFoundError("x", name="PySide6.QtWidgets")) == (
        "PySide6-Essentials"
    )
    assert missing_package(ModuleNotFoundError("x", name="markdown_it")) == "markdown-it-py"
    assert "'trafilatura' is missing" in str(
        MissingDependency(ModuleNotFoundError("x", name="trafilatura"), "saved web pages")
    )


def test_a_saved_page_without_its_extractor_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now raises ImportError
    with Library.open(tmp_path / "l.db") as library:
        report = library.import_paths([DATA / "saved_page.html"])
        assert report.added == 0
        (failed,) = [f for f in report.files if f.error]
        assert "'trafilatura' is missing" in failed.error
        assert library.stats().articles == 0


def test_the_command_names_a_missing_package_without_a_traceback(tmp_path: Path) -> None:
    # Block sqlite_utils before anything imports it: the whole command set needs it.
    code = (
        "import sys; sys.modules['sqlite_utils'] = None\n"
        "from reader.cli import main\n"
        f"raise SystemExit(main(['stats', '--library', {str(tmp_path / 'l.db')!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "broadsheet: the Python package 'sqlite-utils' is missing; reinstall Broadsheet, or "
        "run 'pip install sqlite-utils' in its environment"
    ]


def test_an_import_error_without_a_module_name_does_not_invent_a_package() -> None:
    broken = ImportError("libscipy_openblas.so: ELF load command address/offset not\npage-aligned")
    assert missing_package(broken) is None
    message = str(MissingDependency(broken))
    assert "\n" not in message and message.startswith("a library Broadsheet needs cannot be")

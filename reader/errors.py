"""One exception root, so callers (CLI, GUI) can turn any expected failure into a message.

Every subclass carries a message written for the user: it names the file or item and the
reason. Anything that is *not* a ``BroadsheetError`` is a bug and may show a traceback.
"""

from __future__ import annotations

from pathlib import Path


class BroadsheetError(Exception):
    """Root of every expected, user-facing failure."""


class ImportFailed(BroadsheetError):
    """A file could not be imported. The library is left exactly as it was for that file."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class Cancelled(BroadsheetError):
    """The user cancelled a long operation; work already committed is kept."""

    def __init__(self, what: str = "operation") -> None:
        super().__init__(f"{what} cancelled")


class LibraryError(BroadsheetError):
    """The library file cannot be used (damaged, newer schema, not a Broadsheet library)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NewerLibraryError(LibraryError):
    """The library was written by a newer Broadsheet; we refuse it and leave it untouched."""


class DamagedLibraryError(LibraryError):
    """The file is truncated, garbage, or fails SQLite's integrity check."""


class ReadOnlyLibraryError(LibraryError):
    """The library (its file, folder or disk) cannot be written; reading still works."""


class NotFound(BroadsheetError):
    """A story, article, topic or backup named by the user does not exist."""


class RuleSyntaxError(BroadsheetError):
    """A topic rule or search query does not parse. ``position`` points at the problem."""

    def __init__(self, text: str, message: str, position: int | None = None) -> None:
        self.text = text
        self.position = position
        where = f" at character {position + 1}" if position is not None else ""
        super().__init__(f"{message}{where}: {text!r}")


class InvalidOperation(BroadsheetError):
    """A well-formed request that makes no sense here (merge a story with itself, ...)."""


class MissingDependency(BroadsheetError):
    """A Python package Broadsheet needs is not installed (a broken or partial install)."""

    def __init__(self, exc: ImportError, needed_for: str = "") -> None:
        self.package = missing_package(exc)
        why = f" (needed for {needed_for})" if needed_for else ""
        if self.package is None:
            first = (str(exc).splitlines() or [""])[0]
            super().__init__(f"a library Broadsheet needs cannot be loaded{why} ({first}); "
                             "reinstall Broadsheet")
            return
        super().__init__(
            f"the Python package '{self.package}' is missing{why}; reinstall Broadsheet, or run "
            f"'pip install {self.package}' in its environment"
        )


#: Import names whose distribution on PyPI is spelled differently.
_DISTRIBUTIONS = {
    "PySide6": "PySide6-Essentials",
    "shiboken6": "PySide6-Essentials",
    "sqlite_utils": "sqlite-utils",
    "charset_normalizer": "charset-normalizer",
    "markdown_it": "markdown-it-py",
    "justext": "jusText",
}


def missing_package(exc: ImportError) -> str | None:
    """The PyPI package that would satisfy a failed import, for a one-line message.

    lxml 5.2 moved ``lxml.html.clean`` out into ``lxml_html_clean``; its stub raises a plain
    ImportError that names the new package in the text only, so that case is read from there.
    """
    name = exc.name or ""
    if "lxml_html_clean" in str(exc) or name.startswith("lxml.html.clean"):
        return "lxml_html_clean"
    top = name.split(".")[0]
    if not top:  # no module named (a broken binary library, say): do not guess from prose
        return None
    return _DISTRIBUTIONS.get(top, top)

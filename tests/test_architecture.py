"""The core must stay Qt-free: the CLI, tests and benchmarks never load PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CORE_MODULES = [
    path.relative_to(REPO).with_suffix("").as_posix().replace("/", ".")
    for path in sorted((REPO / "reader").rglob("*.py"))
    if "gui" not in path.relative_to(REPO).parts and path.name != "__main__.py"
]


def test_core_imports_no_pyside6() -> None:
    modules = [m.removesuffix(".__init__") for m in CORE_MODULES]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert len(modules) > 10
    assert result.stdout.strip() == ""


def test_cli_help_does_not_load_qt() -> None:
    script = (
        "import sys\n"
        "from reader.cli import build_parser\n"
        "build_parser()\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "False"


def test_no_sql_in_gui() -> None:
    """Widgets and models talk to the facade only: no SQL, no storage modules."""
    offenders = []
    for path in (REPO / "reader" / "gui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("sqlite_utils", "import sqlite3", ".execute(", "SELECT ", "reader.storage"):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []

"""Where things live: the per-user library and the bundled resources.

Data always goes in the OS's proper per-user folder (platformdirs), never next to the
executable; resources are found both in a source checkout and inside a frozen bundle.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "Broadsheet"
LIBRARY_FILE = "library.broadsheet.db"


def data_dir() -> Path:
    """The per-user data folder (created on first use)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_library_path() -> Path:
    """The library used when no ``--library`` is given."""
    return data_dir() / LIBRARY_FILE


def resource_path(*parts: str) -> Path:
    """Path of a file in ``resources/``: from a PyInstaller bundle, a source checkout (or
    editable install), or a plain ``pip install`` (``<prefix>/share/broadsheet``)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root).joinpath("resources", *parts)
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout.joinpath(*parts)
    return Path(sys.prefix).joinpath("share", "broadsheet", *parts)

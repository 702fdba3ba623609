"""Entry script for the frozen bundle: the same ``reader.cli:main`` as the ``broadsheet`` command.

Why a separate file instead of ``reader/__main__.py``: PyInstaller puts the entry script's folder
on ``sys.path``, and ``reader/`` holds ``types.py``, which would shadow the standard library.
"""

from __future__ import annotations

import multiprocessing

from reader.cli import main

if __name__ == "__main__":
    # Harmless if nothing spawns processes; required if anything ever does in a frozen app.
    multiprocessing.freeze_support()
    raise SystemExit(main())

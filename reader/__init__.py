"""Broadsheet: an offline news reader that groups rewrites of one event into stories.

The package is named ``reader``; everything outside ``reader.gui`` is Qt-free so the
command line, tests and benchmarks never pay for (or depend on) PySide6.
"""

__version__ = "0.1.0"

"""Say why Qt cannot open a window, in words a user can act on, instead of Qt's raw abort.

When Qt's platform plugin cannot load, Qt prints a misleading hint ("xcb-cursor0 … is
needed", whatever is really missing) and aborts the process (exit 134). Two guards stand in
front of that:

* :func:`platform_problem` runs before the ``QApplication`` exists. On Linux it loads the
  platform plugin Qt is about to pick, the way Qt would, and reports the shared libraries the
  dynamic loader cannot find, or that there is no display at all.
* :class:`FatalMessages` catches any other fatal Qt message, prints what went wrong with the
  same advice and exits with status 1, never an abort.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

#: Platforms that need no display server and no extra system libraries.
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "minimalegl")

ADVICE = (
    "To use Broadsheet without a window, run its commands (broadsheet --help), or set "
    "QT_QPA_PLATFORM=offscreen for a headless run."
)


def platform_problem(env: dict[str, str] | None = None) -> str | None:
    """Why the window cannot start on this machine, or None when nothing is known to block it.

    Only Linux is checked: Windows and macOS wheels carry everything Qt needs.
    """
    if not sys.platform.startswith("linux"):
        return None
    env = dict(os.environ) if env is None else env
    requested = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested in HEADLESS_PLATFORMS:
        return None
    wayland = bool(env.get("WAYLAND_DISPLAY")) and requested in ("", "wayland")
    if wayland and not _missing(_plugin("libqwayland*.so")):
        return None  # Qt takes Wayland; xcb is only its fallback
    if requested not in ("", "xcb"):
        return None  # a platform we do not know how to check: let Qt try it
    if not env.get("DISPLAY"):
        return (
            "the window cannot open: no display was found (DISPLAY and "
            f"WAYLAND_DISPLAY are not set). {ADVICE}"
        )
    missing = _missing(_plugin("libqxcb.so"))
    if not missing:
        return None
    names = ", ".join(missing)
    packages = " ".join(sorted({debian_package(name) for name in missing}))
    return (
        f"the window cannot open: Qt's X11 support needs {names}, which "
        f"{'is' if len(missing) == 1 else 'are'} not installed. On Debian or Ubuntu: "
        f"sudo apt-get install {packages} (from a source checkout, scripts/system-deps --gui "
        f"installs them). {ADVICE}"
    )


def debian_package(soname: str) -> str:
    """Debian's name for the package of a library: ``libxcb-icccm.so.4`` -> ``libxcb-icccm4``."""
    base, _, version = soname.partition(".so.")
    base = base.lower()
    return f"{base}{'-' if base[-1:].isdigit() else ''}{version.split('.')[0]}"


def _plugin(pattern: str) -> Path | None:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    return next(iter(sorted(folder.glob(pattern))), None)


def _missing(plugin: Path | None) -> list[str]:
    """Libraries ``plugin`` needs that cannot be loaded (empty: it loads, or is absent)."""
    if plugin is None:
        return []
    try:
        ctypes.CDLL(str(plugin))  # what Qt is about to do; it is loaded once either way
    except OSError as exc:
        first = re.match(r"([^:\s]+\.so[.\d]*)", str(exc))
        return _ldd_missing(plugin) or [first.group(1) if first else str(exc)]
    return []


def _ldd_missing(plugin: Path) -> list[str]:
    """Every unresolved library (the loader names only the first), when ldd is available."""
    if shutil.which("ldd") is None:
        return []
    result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False)
    return sorted(set(re.findall(r"^\s*(\S+) => not found", result.stdout, re.M)))


#: Qt's start-up hints that mislead: it names xcb-cursor whatever library is really missing.
_MISLEADING = ("xcb-cursor0 or libxcb-cursor0 is needed", "even though it was found")


class FatalMessages:
    """Qt's message handler while Broadsheet runs: a fatal message becomes advice and exit 1.

    Until :meth:`started` is called, Qt's warnings are held back; if start-up then fails, the
    ones that say what went wrong (not Qt's generic hints) are printed with the advice. Keep
    the object alive for as long as it is installed.
    """

    def __init__(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        self.held: list[str] | None = []
        qInstallMessageHandler(self.handle)

    def started(self) -> None:
        """The application exists: print what was held back and pass messages through."""
        held, self.held = self.held or [], None
        for message in held:
            print(message, file=sys.stderr)

    def handle(self, kind: Any, context: object, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        if kind == QtMsgType.QtFatalMsg:
            reasons = [m for m in self.held or [] if not any(x in m for x in _MISLEADING)]
            why = "; ".join(reasons) or message.strip().splitlines()[0]
            print(f"broadsheet: the window cannot open: {why}. {ADVICE}",
                  file=sys.stderr, flush=True)
            os._exit(1)  # Qt aborts as soon as the handler returns: leave first
        if kind == QtMsgType.QtDebugMsg:
            return
        if self.held is not None:
            self.held.append(message)
        else:
            print(message, file=sys.stderr)

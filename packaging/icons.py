"""Render the one SVG icon source into every raster format the installers need.

Why generate instead of committing PNG/ICO/ICNS files: a single source (``resources/icon.svg``)
cannot drift from its derivatives, and binary blobs stay out of git. Rendering uses Qt's own
SVG renderer (PySide6-Essentials already ships QtSvg), so no extra build dependency is needed.
ICO and ICNS are written by hand: both are plain containers of PNG images, and doing it here
avoids Pillow as a build dependency.

Run directly (``python packaging/icons.py [OUT_DIR]``) or through ``packaging/build.py``.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "resources" / "icon.svg"
DEFAULT_OUT = REPO / "build" / "icons"

#: Freedesktop hicolor sizes installed by the .deb (plus the SVG as "scalable").
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Sizes stored in the Windows .ico (256 is the largest the format can describe).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: ICNS element types that hold PNG data, with their pixel size (Retina "@2x" types included).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_pngs(source: Path, sizes: set[int]) -> dict[int, bytes]:
    """Render ``source`` at each size and return PNG bytes keyed by size.

    Qt is imported here, not at module level, so that importing this module (e.g. from
    build.py's argument parsing) stays cheap; the offscreen platform is forced because a
    build machine or CI runner usually has no display.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"icons: cannot parse {source}")
    out: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6's stub says bytes, but the binding only accepts str for the format.
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
            raise SystemExit(f"icons: PNG encoding failed at {size}px")
        buffer.close()
        out[size] = bytes(data.data())
    return out


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG-compressed entries (supported since Windows Vista).

    Layout: ICONDIR (6 bytes), one 16-byte ICONDIRENTRY per image, then the PNG payloads.
    A width/height byte of 0 means 256.
    """
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries = b""
    payload = b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        payload += data
    return header + entries + payload


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns: the ``icns`` magic, total length, then (type, length, PNG) elements."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def generate(out_dir: Path = DEFAULT_OUT, source: Path = SOURCE) -> dict[str, Path]:
    """Write hicolor PNGs, ``broadsheet.ico``, ``broadsheet.icns`` and return their paths.

    Layout of ``out_dir``: ``hicolor/<N>x<N>/apps/broadsheet.png`` for every hicolor size,
    ``hicolor/scalable/apps/broadsheet.svg``, ``broadsheet.ico``, ``broadsheet.icns`` and
    ``broadsheet.png`` (512 px, used for the Linux bundle and the AppStream listing).
    """
    wanted = set(HICOLOR_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = render_pngs(source, wanted)
    out_dir.mkdir(parents=True, exist_ok=True)
    for size in HICOLOR_SIZES:
        target = out_dir / "hicolor" / f"{size}x{size}" / "apps" / "broadsheet.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = out_dir / "hicolor" / "scalable" / "apps" / "broadsheet.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(source.read_bytes())
    paths = {
        "ico": out_dir / "broadsheet.ico",
        "icns": out_dir / "broadsheet.icns",
        "png": out_dir / "broadsheet.png",
        "hicolor": out_dir / "hicolor",
    }
    paths["ico"].write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    paths["icns"].write_bytes(icns_bytes(pngs))
    paths["png"].write_bytes(pngs[512])
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for name, path in generate(target).items():
        print(f"{name}: {path}")

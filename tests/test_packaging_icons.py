"""The icon generator writes real ICO/ICNS containers and PNGs at the sizes installers need.

These formats are written by hand (packaging/icons.py) rather than with Pillow, so the tests
parse them back independently: a wrong offset or length would give Windows or macOS a broken
icon that nothing else in CI would notice.
"""

from __future__ import annotations

import struct
from pathlib import Path
from types import ModuleType

import pytest
from helpers.modules import load_file

REPO = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])  # IHDR follows the signature
    return width, height


@pytest.fixture(scope="module")
def generated(
    qapp: object, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ModuleType, dict[str, Path]]:
    """Generate once per module. ``qapp`` first: the generator would otherwise create a bare
    QGuiApplication, and every later widget test in the session would then fail."""
    icons = load_file("packaging_icons", REPO / "packaging" / "icons.py")
    return icons, icons.generate(tmp_path_factory.mktemp("icons"))


def test_hicolor_pngs_have_their_directory_size(
    generated: tuple[ModuleType, dict[str, Path]],
) -> None:
    icons, paths = generated
    for size in icons.HICOLOR_SIZES:
        png = paths["hicolor"] / f"{size}x{size}" / "apps" / "broadsheet.png"
        assert _png_size(png.read_bytes()) == (size, size)
    svg = paths["hicolor"] / "scalable" / "apps" / "broadsheet.svg"
    assert svg.read_bytes() == (REPO / "resources" / "icon.svg").read_bytes()


def test_icon_is_not_blank(generated: tuple[ModuleType, dict[str, Path]]) -> None:
    """A renderer failure yields a transparent image; the icon must have opaque pixels."""
    from PySide6.QtGui import QImage

    image = QImage(str(generated[1]["png"]))
    assert image.width() == 512
    centre = image.pixelColor(256, 256)
    corner = image.pixelColor(0, 0)
    assert centre.alpha() == 255
    assert corner.alpha() == 0  # rounded tile: the corner stays transparent


def test_ico_directory_points_at_valid_pngs(generated: tuple[ModuleType, dict[str, Path]]) -> None:
    icons, paths = generated
    data = paths["ico"].read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(icons.ICO_SIZES))
    seen = []
    for index in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        payload = data[offset : offset + length]
        assert len(payload) == length
        size = w or 256
        assert w == h and planes == 1 and bpp == 32
        assert _png_size(payload) == (size, size)
        seen.append(size)
    assert sorted(seen) == sorted(icons.ICO_SIZES)
    assert offset + length == len(data)


def test_icns_elements_chain_to_the_end(generated: tuple[ModuleType, dict[str, Path]]) -> None:
    icons, paths = generated
    data = paths["icns"].read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    position = 8
    found = {}
    while position < len(data):
        kind = data[position : position + 4]
        length = struct.unpack(">I", data[position + 4 : position + 8])[0]
        found[kind] = _png_size(data[position + 8 : position + length])
        position += length
    assert position == len(data)
    assert found == {kind: (size, size) for kind, size in icons.ICNS_TYPES}

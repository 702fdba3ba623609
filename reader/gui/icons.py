"""Toolbar icons drawn from a few strokes in the palette's text colour, so they follow the
theme (light, dark, or the desktop's) and need no icon theme, which Xvfb and many desktops
lack. :func:`refresh` redraws them when the palette changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

Draw = Callable[[QPainter], None]


def _path(points: list[tuple[float, float]]) -> QPainterPath:
    path = QPainterPath(QPointF(*points[0]))
    for x, y in points[1:]:
        path.lineTo(x, y)
    return path


def _import(p: QPainter) -> None:
    p.drawPath(_path([(12, 3), (12, 14)]))
    p.drawPath(_path([(7, 10), (12, 15), (17, 10)]))
    p.drawPath(_path([(4, 15), (4, 20), (20, 20), (20, 15)]))


def _export(p: QPainter) -> None:
    p.drawPath(_path([(12, 15), (12, 4)]))
    p.drawPath(_path([(7, 8), (12, 3), (17, 8)]))
    p.drawPath(_path([(4, 15), (4, 20), (20, 20), (20, 15)]))


def _check(p: QPainter) -> None:
    p.drawEllipse(QRectF(3, 3, 18, 18))
    p.drawPath(_path([(8, 12), (11, 15), (16, 9)]))


def _checks(p: QPainter) -> None:
    p.drawPath(_path([(2, 12), (6, 16), (13, 8)]))
    p.drawPath(_path([(9, 15), (10, 16), (17, 8)]))
    p.drawPath(_path([(14, 15), (15, 16), (22, 8)]))


def _star(p: QPainter) -> None:
    import math

    points = []
    for i in range(10):
        r = 9.0 if i % 2 == 0 else 4.0
        a = -math.pi / 2 + i * math.pi / 5
        points.append((12 + r * math.cos(a), 12.5 + r * math.sin(a)))
    points.append(points[0])
    p.drawPath(_path(points))


def _next_unread(p: QPainter) -> None:
    p.drawPath(_path([(10, 4), (10, 17)]))
    p.drawPath(_path([(5, 12), (10, 17), (15, 12)]))
    p.setBrush(p.pen().color())
    p.drawEllipse(QRectF(16, 3, 5, 5))


def _tag(p: QPainter) -> None:
    p.drawPath(_path([(3, 4), (11, 4), (20, 13), (13, 20), (4, 11), (3, 4)]))
    p.drawEllipse(QRectF(6.5, 6.5, 3, 3))


def _refresh(p: QPainter) -> None:
    p.drawArc(QRectF(4, 4, 16, 16), 60 * 16, 280 * 16)
    p.drawPath(_path([(17, 2), (17, 7), (12, 7)]))


def _sliders(p: QPainter) -> None:
    for y, x in ((6, 15), (12, 8), (18, 13)):
        p.drawPath(_path([(3, y), (21, y)]))
        p.setBrush(p.pen().color())
        p.drawEllipse(QRectF(x - 2, y - 2, 4, 4))


def _feed(p: QPainter) -> None:
    p.drawArc(QRectF(-8, 8, 24, 24), 0, 90 * 16)
    p.drawArc(QRectF(-14, 2, 36, 36), 0, 90 * 16)
    p.setBrush(p.pen().color())
    p.drawEllipse(QRectF(3, 17, 4, 4))


SHAPES: dict[str, Draw] = {
    "import": _import, "export": _export, "read": _check, "story-read": _checks,
    "all-read": _checks, "star": _star, "next-unread": _next_unread, "topics": _tag,
    "refresh": _refresh, "preferences": _sliders, "feed": _feed,
}


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The icon ``name`` drawn at 1× and 2× in ``colour`` (default: the palette's text)."""
    if colour is None:
        colour = QApplication.palette().color(QPalette.ColorRole.WindowText)
    result = QIcon()
    for size in (24, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 24, size / 24)
        pen = QPen(colour, 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        SHAPES[name](painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def refresh(actions: dict[str, QAction]) -> None:
    """Redraw each action's icon in the current palette (after a theme change)."""
    for name, action in actions.items():
        action.setIcon(icon(name))

"""State icons for the tray and the menus, drawn with QPainter (no image files to ship).

Each state differs by shape *and* colour, so the icon still reads for colour-blind users and in
a grayscale rendering: ok is a circle with a check mark, running a circle with a circular arrow,
failed a triangle with "!", timeout a circle with clock hands, never a hollow circle, paused a
circle with two bars, unknown a square with "?". Every shape is drawn in a 64-unit space and
rendered at each size the platforms ask for (16 to 64 px), so small sizes are not downscaled.
On macOS the tray shows the calm states as template images (the same shapes in black and alpha,
tinted by the system) and keeps colour for the states that need attention (tray_icon).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)

# Sizes rendered into every icon: tray (16, 20, 22, 24, 32 at 1x and 2x) and menus.
PIXMAP_SIZES = (16, 20, 22, 24, 32, 40, 44, 48, 64)

STATES = ("ok", "running", "failed", "timeout", "never", "paused", "unknown")

# On macOS the menu bar wants a template image (black and alpha, which the system tints for a
# light or dark menu bar, and for the highlighted item); menu-bar apps switch to a coloured icon
# only to ask for attention. So the calm states are drawn as templates there, and these keep
# their colour to stand out.
ATTENTION = frozenset({"failed", "timeout", "unknown"})
# The menu bar's icon is 18 points high (36 px on a Retina screen); the rest for other panels.
TEMPLATE_SIZES = (16, 18, 20, 22, 24, 32, 36, 40, 44, 64)

# English source texts; translated at use (state_label), so a translator loaded after import
# still applies. Marked for pyside6-lupdate with the "State" context.
STATE_LABELS: dict[str, str] = {
    "ok": QT_TRANSLATE_NOOP("State", "OK"),
    "running": QT_TRANSLATE_NOOP("State", "Running"),
    "failed": QT_TRANSLATE_NOOP("State", "Failed"),
    "timeout": QT_TRANSLATE_NOOP("State", "Timed out"),
    "never": QT_TRANSLATE_NOOP("State", "Never synced"),
    "paused": QT_TRANSLATE_NOOP("State", "Paused"),
    "unknown": QT_TRANSLATE_NOOP("State", "Unknown"),
}

COLORS: dict[str, str] = {
    "ok": "#2e7d32",
    "running": "#1565c0",
    "failed": "#c62828",
    "timeout": "#e65100",
    "never": "#8a8a8a",
    "paused": "#6b6b6b",
    "unknown": "#6b6b6b",
}

_GLYPH = QColor("#ffffff")
_UNIT = 64.0


def state_label(state: str) -> str:
    """The state in words, in the user's language."""
    return QCoreApplication.translate("State", STATE_LABELS.get(state, STATE_LABELS["unknown"]))


def _known(state: str) -> str:
    return state if state in STATES else "unknown"


def _glyph_pen(width: float) -> QPen:
    pen = QPen(_GLYPH, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _body(p: QPainter, fill: QColor) -> None:
    """The filled circle most states sit on, with a darker rim for light and dark panels."""
    p.setPen(QPen(fill.darker(140), 2.5))
    p.setBrush(QBrush(fill))
    p.drawEllipse(QRectF(3, 3, 58, 58))


def _draw_ok(p: QPainter, fill: QColor) -> None:
    _body(p, fill)
    p.setPen(_glyph_pen(8))
    p.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath(QPointF(17, 33))
    path.lineTo(28, 44)
    path.lineTo(47, 22)
    p.drawPath(path)


def _draw_running(p: QPainter, fill: QColor) -> None:
    _body(p, fill)
    pen = _glyph_pen(7)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    # A clockwise arc from the top right round to the left, then an arrowhead going up.
    p.drawArc(QRectF(17, 17, 30, 30), 70 * 16, -250 * 16)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(_GLYPH))
    p.drawPolygon(QPolygonF([QPointF(8, 33), QPointF(26, 33), QPointF(17, 20)]))


def _draw_failed(p: QPainter, fill: QColor) -> None:
    rim = QPen(fill.darker(140), 2.5)
    rim.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(rim)
    p.setBrush(QBrush(fill))
    p.drawPolygon(QPolygonF([QPointF(32, 3), QPointF(62, 58), QPointF(2, 58)]))
    p.setPen(_glyph_pen(8))
    p.drawLine(QPointF(32, 22), QPointF(32, 38))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(_GLYPH))
    p.drawEllipse(QPointF(32, 48.5), 4.5, 4.5)


def _draw_timeout(p: QPainter, fill: QColor) -> None:
    _body(p, fill)
    p.setPen(_glyph_pen(6.5))
    p.drawLine(QPointF(32, 32), QPointF(32, 14))
    p.drawLine(QPointF(32, 32), QPointF(45, 40))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(_GLYPH))
    p.drawEllipse(QPointF(32, 32), 5, 5)


def _draw_never(p: QPainter, fill: QColor) -> None:
    p.setPen(QPen(fill, 8))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QRectF(7, 7, 50, 50))


def _draw_paused(p: QPainter, fill: QColor) -> None:
    _body(p, fill)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(_GLYPH))
    p.drawRoundedRect(QRectF(20, 17, 8.5, 30), 2, 2)
    p.drawRoundedRect(QRectF(35.5, 17, 8.5, 30), 2, 2)


def _draw_unknown(p: QPainter, fill: QColor) -> None:
    p.setPen(QPen(fill.darker(140), 2.5))
    p.setBrush(QBrush(fill))
    p.drawRoundedRect(QRectF(4, 4, 56, 56), 9, 9)
    # "?" as strokes, not text: no font needed and crisp at 16 px.
    p.setPen(_glyph_pen(7))
    p.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    path.arcMoveTo(QRectF(21, 12, 22, 22), 160)
    path.arcTo(QRectF(21, 12, 22, 22), 160, -250)
    path.lineTo(32, 39)
    p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(_GLYPH))
    p.drawEllipse(QPointF(32, 49.5), 4.5, 4.5)


_DRAW = {
    "ok": _draw_ok,
    "running": _draw_running,
    "failed": _draw_failed,
    "timeout": _draw_timeout,
    "never": _draw_never,
    "paused": _draw_paused,
    "unknown": _draw_unknown,
}


def draw_state(p: QPainter, state: str) -> None:
    """Draw a state's icon in the 64-unit space on any paint device (a pixmap, an SVG)."""
    state = _known(state)
    _DRAW[state](p, QColor(COLORS[state]))


def state_pixmap(state: str, size: int = 64) -> QPixmap:
    """One rendering of a state's icon, size x size pixels (needs a QGuiApplication)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(size / _UNIT, size / _UNIT)
        draw_state(p, state)
    finally:
        p.end()
    return pix


def template_pixmap(state: str, size: int = 64) -> QPixmap:
    """A state's shape alone, as a macOS template image: every pixel black, the shape in the
    alpha channel, the glyph (check mark, arrow, bars) cut out of the body."""
    state = _known(state)
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(size / _UNIT, size / _UNIT)
        _DRAW[state](p, QColor("#000000"))  # a black body (and rim); the glyph stays white
    finally:
        p.end()
    image = pix.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    # Only black and white ink was used, so at each pixel alpha * (255 - red) / 255 is the
    # black ink's coverage alone: the body keeps its (antialiased) edge, the glyph becomes a hole.
    pixels = array("I")
    pixels.frombytes(bytes(image.constBits())[: image.sizeInBytes()])
    for i, value in enumerate(pixels):
        alpha, red = value >> 24, (value >> 16) & 0xFF
        pixels[i] = ((alpha * (255 - red) + 127) // 255) << 24
    data = pixels.tobytes()
    out = QImage(data, size, size, image.bytesPerLine(), QImage.Format.Format_ARGB32)
    return QPixmap.fromImage(out.copy())  # a copy: `data` is freed on return


# Drawn once per state and set of sizes, for the running app: the tray's menu is rebuilt on every
# change of the rows, with an icon per instance (two per instance shown in a submenu), and a
# QIcon is a shared handle, so every entry in a state can show the same pixmaps.
_ICONS: dict[tuple[str, tuple[int, ...]], QIcon] = {}
_ICONS_APP: list[object] = []  # the application they were drawn for


def _cached(
    key: str, sizes: tuple[int, ...], draw: Callable[[int], QPixmap], mask: bool = False
) -> QIcon:
    app = QCoreApplication.instance()
    if not _ICONS_APP or _ICONS_APP[0] is not app:  # pixmaps belong to one application
        _ICONS.clear()
        _ICONS_APP[:] = [app]
    icon = _ICONS.get((key, sizes))
    if icon is None:
        icon = QIcon()
        for each in sizes:
            icon.addPixmap(draw(each))
        icon.setIsMask(mask)
        _ICONS[(key, sizes)] = icon
    return QIcon(icon)


def state_icon(state: str, size: int = 64) -> QIcon:
    """The icon of a state, with a pixmap per common size (and `size`) so each one is crisp."""
    state = _known(state)
    sizes = tuple(sorted({*PIXMAP_SIZES, size}))
    return _cached(state, sizes, lambda each: state_pixmap(state, each))


def template_icon(state: str) -> QIcon:
    """The template image of a state (see template_pixmap), marked as a mask so that macOS
    tints it like the other menu-bar icons."""
    state = _known(state)
    return _cached(
        f"template:{state}", TEMPLATE_SIZES, lambda each: template_pixmap(state, each), True
    )


def tray_icon(state: str, template: bool | None = None) -> QIcon:
    """The tray's icon for the worst state: with ``template`` (default: on macOS), a template
    image for the calm states and the coloured icon for those in ATTENTION; else coloured."""
    state = _known(state)
    if template is None:
        template = sys.platform == "darwin"
    if template and state not in ATTENTION:
        return template_icon(state)
    return state_icon(state)

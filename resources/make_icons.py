"""Draw the application icon files the Linux desktop entries name (Icon=bwdc-tray).

The icon is the tray's "ok" icon (bwdc_tray/gui/icons.py draws it with QPainter), written as
PNGs at the hicolor theme's sizes and as SVG, under resources/icons/hicolor/. Run it after
changing that drawing:

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
NAME = "bwdc-tray"


def main(out: Path = HERE / "icons" / "hicolor") -> int:
    sys.path.insert(0, str(HERE.parent))
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QGuiApplication, QPainter
    from PySide6.QtSvg import QSvgGenerator

    from bwdc_tray.gui import icons

    app = QGuiApplication(sys.argv[:1])  # a script of its own: pixmaps need an application
    for size in SIZES:
        folder = out / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not icons.state_pixmap("ok", size).save(str(folder / f"{NAME}.png")):
            raise SystemExit(f"could not write {folder / NAME}.png")
    scalable = out / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    svg = QSvgGenerator()
    svg.setFileName(str(scalable / f"{NAME}.svg"))
    svg.setSize(QSize(64, 64))
    svg.setViewBox(QRectF(0, 0, 64, 64))
    svg.setTitle(NAME)
    painter = QPainter(svg)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        icons.draw_state(painter, "ok")
    finally:
        painter.end()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "icons" / "hicolor"))

"""Draw the application icon files: the Linux desktop entries' icon (Icon=bwdc-tray) and the
macOS menu-bar template image.

The icon is the tray's "ok" icon (bwdc_tray/gui/icons.py draws it with QPainter), written as
PNGs at the hicolor theme's sizes and as SVG, under resources/icons/hicolor/; the macOS template
(the same shape in black and alpha, which the menu bar tints) as resources/icons/macos/
bwdc-trayTemplate.png (18 px) and bwdc-trayTemplate@2x.png (36 px). The macOS app icon (.icns) is
made from the hicolor PNGs at build time by installer/macos/make_app_icon.sh. Run this after
changing the drawing:

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/make_icons.py [ICONS_DIR]

ICONS_DIR defaults to resources/icons (it gets hicolor/ and macos/).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The hicolor sizes; 16, 32, 64, 128, 256 and 512 also make the macOS .icns.
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
NAME = "bwdc-tray"
# The menu bar's 18 points, at 1x and 2x; the "Template" suffix is what makes NSImage treat a
# file as a template image.
TEMPLATES = {f"{NAME}Template.png": 18, f"{NAME}Template@2x.png": 36}


def main(out: Path = HERE / "icons") -> int:
    sys.path.insert(0, str(HERE.parent))
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QGuiApplication, QPainter
    from PySide6.QtSvg import QSvgGenerator

    from bwdc_tray.gui import icons

    app = QGuiApplication(sys.argv[:1])  # a script of its own: pixmaps need an application
    hicolor = out / "hicolor"
    for size in SIZES:
        folder = hicolor / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not icons.state_pixmap("ok", size).save(str(folder / f"{NAME}.png")):
            raise SystemExit(f"could not write {folder / NAME}.png")
    scalable = hicolor / "scalable" / "apps"
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
    macos = out / "macos"
    macos.mkdir(parents=True, exist_ok=True)
    for name, size in TEMPLATES.items():
        if not icons.template_pixmap("ok", size).save(str(macos / name)):
            raise SystemExit(f"could not write {macos / name}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "icons"))

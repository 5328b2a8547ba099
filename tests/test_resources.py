"""What a Linux install puts on the desktop (the launcher, the autostart entry and the icons), and
the macOS menu-bar template image."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import REPO

# QImage reads PNGs through Qt's image plugins: with the application made first, as everywhere.
pytestmark = pytest.mark.usefixtures("qapp")

RESOURCES = REPO / "resources"
ENTRIES = ("bwdc-tray.desktop", "bwdc-tray-autostart.desktop")
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
HICOLOR = RESOURCES / "icons" / "hicolor"
MACOS = RESOURCES / "icons" / "macos"
TEMPLATES = {"bwdc-trayTemplate.png": 18, "bwdc-trayTemplate@2x.png": 36}


def _entry(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(RESOURCES / name, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.parametrize("name", ENTRIES)
def test_each_entry_runs_an_installed_command_with_our_icon(name: str) -> None:
    entry = _entry(name)
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = {*scripts["scripts"], *scripts["gui-scripts"]}
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Exec"].split()[0] in installed
    assert entry["Icon"] == "bwdc-tray"


def test_the_autostart_entry_starts_the_tray_and_stays_out_of_menus() -> None:
    entry = _entry("bwdc-tray-autostart.desktop")
    assert entry["Exec"] == "bwdc-tray tray" and entry["NoDisplay"] == "true"


def test_the_entries_pass_the_freedesktop_validator() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip(
            "desktop-file-validate is not installed "
            "(apt-get install -y --no-install-recommends desktop-file-utils)"
        )
    done = subprocess.run(
        [tool, *(str(RESOURCES / n) for n in ENTRIES)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.parametrize("size", SIZES)
def test_the_icon_is_there_at_every_hicolor_size(size: int) -> None:
    image = QImage(str(HICOLOR / f"{size}x{size}" / "apps" / "bwdc-tray.png"))
    assert not image.isNull() and (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_the_scalable_icon_is_an_svg_of_the_same_drawing(tmp_path: Path) -> None:
    svg = (HICOLOR / "scalable" / "apps" / "bwdc-tray.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and 'viewBox="0 0 64 64"' in svg
    # The committed icons are what make_icons.py draws now (run as the script it is).
    subprocess.run(
        [sys.executable, str(RESOURCES / "make_icons.py"), str(tmp_path)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
        timeout=120,
    )
    for size in SIZES:
        rel = Path(f"{size}x{size}") / "apps" / "bwdc-tray.png"
        fresh, kept = QImage(str(tmp_path / "hicolor" / rel)), QImage(str(HICOLOR / rel))
        assert fresh == kept, f"{rel} is out of date: run resources/make_icons.py"
    for name in TEMPLATES:
        fresh, kept = QImage(str(tmp_path / "macos" / name)), QImage(str(MACOS / name))
        assert fresh == kept, f"macos/{name} is out of date: run resources/make_icons.py"


@pytest.mark.parametrize(("name", "size"), TEMPLATES.items())
def test_the_macos_menu_bar_template_is_black_with_alpha(name: str, size: int) -> None:
    image = QImage(str(MACOS / name))
    assert not image.isNull() and (image.width(), image.height()) == (size, size)
    colours = [image.pixelColor(x, y) for y in range(size) for x in range(size)]
    assert {(c.red(), c.green(), c.blue()) for c in colours} == {(0, 0, 0)}
    alphas = {c.alpha() for c in colours}
    assert {0, 255} <= alphas  # a shape with holes (the check mark), not a filled square

"""Error and warning text stays readable when the system theme is light or dark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette

from bwdc_tray.gui import theme
from bwdc_tray.gui.dialogs import AddInstanceDialog
from bwdc_tray.paths import resolve
from tests.conftest import World


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Window, QColor(window))
        palette.setColor(group, QPalette.ColorRole.WindowText, QColor(text))
    return palette


LIGHT = ("#f6f5f4", "#000000")  # the usual light window backgrounds: GNOME, Windows, macOS
DARK = ("#2b2b2b", "#ffffff")


@pytest.fixture
def follow(qapp: Any) -> Iterator[None]:
    before = qapp.palette()
    follower = theme.follow(qapp)
    try:
        yield
    finally:
        qapp.removeEventFilter(follower)
        qapp.setPalette(before)


def _shown_colour(widget: Any) -> QColor:
    sheet = widget.styleSheet()
    assert sheet.startswith("color: ")
    return QColor(sheet.removeprefix("color: ").rstrip(";"))


def test_every_tone_reads_well_on_light_and_dark_windows() -> None:
    for light, dark in theme.TONES.values():
        for background in (LIGHT[0], "#ffffff", "#ececec"):
            assert contrast(QColor(light), QColor(background)) >= 4.5, (light, background)
        for background in (DARK[0], "#353535", "#1e1e1e"):
            assert contrast(QColor(dark), QColor(background)) >= 4.5, (dark, background)


def test_error_text_follows_a_switch_to_dark_and_back(
    world: World, qtbot: Any, qapp: Any, follow: None, tmp_path: Path
) -> None:
    qapp.setPalette(_palette(*LIGHT))
    dialog = AddInstanceDialog(resolve(world.home))
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("bad name!")
    assert not dialog.name_error.isHidden()
    light = _shown_colour(dialog.name_error)
    assert contrast(light, QColor(LIGHT[0])) >= 4.5

    qapp.setPalette(_palette(*DARK))  # what a system switching to dark mode does
    dark = _shown_colour(dialog.name_error)
    assert dark != light
    assert contrast(dark, QColor(DARK[0])) >= 4.5

    qapp.setPalette(_palette(*LIGHT))
    assert _shown_colour(dialog.name_error) == light

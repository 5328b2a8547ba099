"""Translations: the GUI in French when the system locale is French, English otherwise.

The .ts source is bwdc_tray/gui/i18n/bwdc_tray_fr.ts (`pyside6-lupdate bwdc_tray/gui/*.py -ts
...`), compiled to the .qm that app._install_translations loads (`pyside6-lrelease`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt

from bwdc_tray import i18n
from bwdc_tray.gui.app import _install_translations
from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.icons import state_label
from bwdc_tray.gui.tray import SEP, Tray
from bwdc_tray.paths import resolve
from tests.conftest import World

I18N = Path(__file__).resolve().parents[2] / "bwdc_tray" / "gui" / "i18n"
TS = I18N / "bwdc_tray_fr.ts"
PLACEHOLDER = re.compile(r"\{\w*\}|%n")


@pytest.fixture
def french(qapp: Any) -> Iterator[list[Any]]:
    """The French translator installed as a French system would get it; removed afterwards."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translators = _install_translations(qapp)
    try:
        yield translators
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)
        i18n.set_language("en")


@pytest.fixture
def make_tray(world: World, qtbot: Any) -> Iterator[Any]:
    made: list[Tray] = []

    def make() -> Tray:
        tray = Tray(Controller(resolve(world.home)), lambda: None, lambda _name: None)
        made.append(tray)
        return tray

    yield make
    for tray in made:
        tray.hide()


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Any]:
    from bwdc_tray.gui.window import MainWindow

    made: list[Any] = []

    def make() -> Any:
        window = MainWindow(Controller(resolve()), confirm=lambda _title, _text: True)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close_hides = False
        window.stop_test()


def _entries(tray: Tray) -> list[str]:
    tray.menu.aboutToShow.emit()
    return tray.menu_entries()


def _headers(window: Any) -> list[str]:
    model = window.model
    return [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]


# --- French --------------------------------------------------------------------------------------


def test_the_french_translator_loads(french: list[Any]) -> None:
    assert french, "bwdc_tray_fr.qm was not found or did not load"
    assert QCoreApplication.translate("Tray", "Quit") == "Quitter"


def test_tray_menu_in_french(
    french: list[Any], world: World, make_tray: Any, fake_crontab: Path
) -> None:
    world.add("corp")
    entries = _entries(make_tray())
    assert entries[:3] == [
        "Synchroniser maintenant",
        f"Synchroniser maintenant{SEP}corp",
        f"Synchroniser maintenant{SEP}Toutes les instances",
    ]
    assert "Instances…" in entries
    assert "Suspendre toutes les planifications" in entries
    assert entries[-1] == "Quitter"
    assert not any(e.startswith(("Sync now", "Pause all")) for e in entries)


def test_main_window_in_french(
    french: list[Any], world: World, make_window: Any, fake_crontab: Path
) -> None:
    world.add("corp")
    window = make_window()
    texts = {key: button.text() for key, button in window.buttons.items()}
    assert texts["add"] == "&Ajouter…"
    assert texts["sync"] == "Synchroniser mai&ntenant"
    assert texts["remove"] == "&Supprimer…"
    headers = _headers(window)
    assert headers[:3] == ["Nom", "Libellé", "Annuaire"]
    assert "Planification" in headers and "Prochaine exécution" in headers


def test_engine_messages_beside_fields_in_french(
    world: World, qtbot: Any, french: list[Any]
) -> None:
    from bwdc_tray.gui.dialogs import AddInstanceDialog

    world.add("corp", secrets=False)
    branch = world.add("branch", secrets=False)
    dialog = AddInstanceDialog(resolve(world.home), name="corp")
    qtbot.addWidget(dialog)
    dialog.timeout_edit.setText("0")
    assert "le délai maximal doit être un nombre positif de secondes" in dialog.timeout_error.text()
    dialog.timeout_edit.setText("60")
    dialog.appdata_edit.setText(str(branch))
    assert "est déjà utilisé par 'branch'" in dialog.clash_error.text()
    assert not dialog.ok_button.isEnabled()


def test_state_labels_in_french(french: list[Any]) -> None:
    assert state_label("failed") == "Échec"
    assert state_label("never") == "Jamais synchronisé"
    assert state_label("paused") == "Suspendu"


def test_plurals_in_french(french: list[Any]) -> None:
    def tr(text: str, n: int) -> str:
        return QCoreApplication.translate("Tray", text, "", n)

    assert tr("%n groups", 1) == "1 groupe"
    assert tr("%n groups", 3) == "3 groupes"
    assert tr("%n min ago", 4) == "il y a 4 min"


# --- English (no translator) ---------------------------------------------------------------------


def test_english_is_unchanged_without_a_translator(
    qapp: Any, world: World, make_tray: Any, make_window: Any, fake_crontab: Path
) -> None:
    world.add("corp")
    entries = _entries(make_tray())
    assert entries[0] == "Sync now" and entries[-1] == "Quit"
    assert "Pause all schedules" in entries
    window = make_window()
    assert window.buttons["add"].text() == "&Add…"
    assert window.buttons["sync"].text() == "&Sync now"
    assert _headers(window)[:3] == ["Name", "Label", "Directory"]
    assert state_label("failed") == "Failed"


# --- the .ts source ------------------------------------------------------------------------------


def _root() -> ET.Element:
    return ET.parse(TS).getroot()  # noqa: S314 - the project's own file, not untrusted input


def _messages() -> list[tuple[str, ET.Element]]:
    root = _root()
    return [
        (context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_the_compiled_translation_ships_beside_its_source() -> None:
    qm = I18N / "bwdc_tray_fr.qm"
    assert qm.is_file() and qm.stat().st_size > 0
    assert _root().get("language") == "fr_FR"


def test_every_french_translation_is_finished_and_keeps_its_placeholders() -> None:
    messages = _messages()
    assert len(messages) > 250
    problems: list[str] = []
    for context, message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        where = f"{context}: {source!r}"
        if translation is None:
            problems.append(f"{where}: no translation")
            continue
        if translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{where}: {translation.get('type')}")
        if message.get("numerus") == "yes":
            texts = [form.text or "" for form in translation.iter("numerusform")]
        else:
            texts = [translation.text or ""]
        wanted = set(PLACEHOLDER.findall(source))
        for text in texts:
            if not text.strip():
                problems.append(f"{where}: empty translation")
            elif missing := wanted - set(PLACEHOLDER.findall(text)):
                problems.append(f"{where}: {text!r} lacks {sorted(missing)}")
    assert not problems, "\n".join(problems)

"""The "Adopt existing setups" wizard, offscreen: what was found, details, import, replace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bwdc_tray.adopt.model import Finding
from bwdc_tray.paths import resolve
from tests.conftest import World

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _recipe(world: World) -> Finding:
    appdata = world.tmp / "data" / "corp"
    appdata.mkdir(parents=True, mode=0o700)
    from bwdc_tray.demo.setup import _seed_data_json

    _seed_data_json(appdata, 0, "http://127.0.0.1:8087")
    log = appdata / "bwdc.log"
    log.write_text("Syncing...\nSynced 3 group(s) and 7 user(s).\n")
    return Finding(
        kind="crontab",
        location="crontab of you, line 2",
        raw=f"0 2 * * * BITWARDENCLI_CONNECTOR_APPDATA_DIR={appdata} bwdc sync >> {log} 2>&1",
        schedule="0 2 * * *",
        schedule_text="0 2 * * *",
        command=f"BITWARDENCLI_CONNECTOR_APPDATA_DIR={appdata} bwdc sync >> {log} 2>&1",
        bwdc=str(world.bwdc),
        appdata=str(appdata),
        log=str(log),
    )


def _desktop_app(tmp: Path) -> Finding:
    return Finding(
        kind="desktop-app",
        location=str(tmp / "Bitwarden Directory Connector"),
        appdata=str(tmp / "Bitwarden Directory Connector"),
        notes=("the desktop app and bwdc-tray must not run on this folder at once",),
    )


def _dialog(qtbot: Any, found: list[Finding], **kw: Any) -> Any:
    from bwdc_tray.gui.adopt import AdoptDialog

    dialog = AdoptDialog(resolve(), discover=lambda _paths: found, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == len(found) and bool(dialog.status.text()))
    return dialog


def test_what_was_found_is_listed_with_its_details_and_warnings(world: World, qtbot: Any) -> None:
    recipe, app = _recipe(world), _desktop_app(world.tmp)
    dialog = _dialog(qtbot, [recipe, app])
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert cells == ["crontab", recipe.location, "0 2 * * *", recipe.appdata, recipe.log]
    assert "Found 2 setup(s)" in dialog.status.text()
    assert "bwdc sync" in dialog.details.text()
    assert dialog.name_edit.text() == "corp"
    assert dialog.replace_box.isEnabled()

    dialog.table.selectRow(1)
    assert dialog.table.item(1, 0).text() == "Desktop app"
    assert "must not run" in dialog.notes.text() and not dialog.notes.isHidden()
    assert not dialog.replace_box.isEnabled()  # there is no job to replace


def test_nothing_found_says_so(world: World, qtbot: Any) -> None:
    dialog = _dialog(qtbot, [])
    assert "No bwdc job" in dialog.status.text()
    assert not dialog.import_button.isEnabled()


def test_import_adds_the_instance_and_keeps_the_old_log_as_history(
    world: World, qtbot: Any
) -> None:
    recipe = _recipe(world)
    dialog = _dialog(qtbot, [recipe])
    with qtbot.waitSignal(dialog.adopted) as adopted:
        assert dialog.import_selected()
    assert adopted.args[0] == "corp"
    res = world.cli("status", "corp", "--json")
    assert res.code == 0, res.err
    assert '"source": "foreign"' in res.out and '"result": "ok"' in res.out


def test_replacing_asks_first_and_nothing_happens_on_no(world: World, qtbot: Any) -> None:
    asked: list[str] = []
    calls: list[Any] = []

    def confirm(title: str, text: str) -> bool:
        asked.append(text)
        return False

    dialog = _dialog(
        qtbot, [_recipe(world)], confirm=confirm, adopt=lambda *a, **k: calls.append((a, k))
    )
    dialog.replace_box.setChecked(True)
    assert not dialog.import_selected()
    assert asked and "backup" in asked[0] and "--restore" in asked[0]
    assert calls == []


def test_an_import_the_engine_refuses_shows_why_and_stays_open(world: World, qtbot: Any) -> None:
    from bwdc_tray.errors import InvalidInput

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise InvalidInput("the data folder is already used by corp", "choose another one")

    dialog = _dialog(qtbot, [_recipe(world)], adopt=refuse)
    assert not dialog.import_selected()
    assert "already used" in dialog.error.text() and not dialog.error.isHidden()
    assert dialog.isVisible()


def test_the_window_opens_the_wizard_from_the_instance_menu(
    world: World, qtbot: Any, fake_crontab: Path
) -> None:
    from bwdc_tray.gui.controller import Controller
    from bwdc_tray.gui.window import MainWindow

    window = MainWindow(Controller(resolve()), confirm=lambda _t, _x: True)
    qtbot.addWidget(window)
    window.adopt_action.trigger()
    qtbot.waitUntil(lambda: window.dialog is not None and window.dialog.isVisible())
    assert window.dialog.windowTitle() == "Adopt existing setups"
    assert window.dialog.table.editTriggers() == window.dialog.table.EditTrigger.NoEditTriggers
    window.dialog.reject()


def test_a_secret_in_the_old_job_line_is_not_shown(world: World, qtbot: Any) -> None:
    from dataclasses import replace

    recipe = _recipe(world)
    recipe = replace(recipe, command="BW_CLIENTSECRET=s3cr3t-value bwdc login && bwdc sync")
    dialog = _dialog(qtbot, [recipe])
    assert "s3cr3t-value" not in dialog.details.text()
    assert "BW_CLIENTSECRET=[hidden]" in dialog.details.text()


def test_an_imported_setup_offers_to_replace_its_old_job(world: World, qtbot: Any) -> None:
    recipe = _recipe(world)
    from bwdc_tray.adopt.apply import adopt

    adopt(resolve(), recipe, "corp")
    dialog = _dialog(qtbot, [recipe])
    assert "Already imported as corp" in dialog.details.text()
    assert dialog.name_edit.text() == "corp" and not dialog.name_edit.isEnabled()
    assert dialog.replace_box.isChecked()

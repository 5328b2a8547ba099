"""The main window, offscreen: the table, Add, Remove and Undo, Secrets, Test, history."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from bwdc_tray.config import ConfigStore
from bwdc_tray.paths import resolve
from tests.conftest import CANARY, CLIENT_ID, World

# The offscreen platform says so whenever a window is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def gui_world(world: World, fake_crontab: Path) -> World:
    """A world whose scheduler is the fake crontab: nothing here reads the real one."""
    return world


@pytest.fixture
def make_window(qtbot: Any) -> Any:
    from bwdc_tray.gui.controller import Controller
    from bwdc_tray.gui.window import MainWindow

    made: list[Any] = []

    def make(confirm: Any = None) -> Any:
        controller = Controller(resolve())
        window = MainWindow(controller, confirm=confirm or (lambda _title, _text: True))
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()  # shortcuts only reach the active window
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close_hides = False
        window.stop_test()


def _cells(window: Any) -> dict[str, list[str]]:
    model = window.model
    return {
        model.data(model.index(r, 0)): [
            model.data(model.index(r, c)) for c in range(model.columnCount())
        ]
        for r in range(model.rowCount())
    }


def _keyring() -> dict[str, str]:
    path = Path(os.environ["FAKE_KEYRING_FILE"])
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def test_table_lists_instances_and_follows_rows_changed(
    gui_world: World, make_window: Any, refresh: Any
) -> None:
    gui_world.add("corp")
    gui_world.add("branch", "invalid-client")
    window = make_window()
    assert window.windowTitle() == "bwdc-tray"
    cells = _cells(window)
    assert set(cells) == {"corp", "branch"}
    assert window.model.headers == [
        "Name",
        "Label",
        "Directory",
        "Schedule",
        "Next run",
        "Last result",
        "Job",
    ]
    assert cells["corp"][2] == "LDAP / Active Directory"
    assert cells["corp"][5] == "never synced"
    assert cells["corp"][6] == "—"

    window.select("branch")
    assert gui_world.cli("run", "corp").code == 0
    assert gui_world.cli("run", "branch").code == 1
    refresh(window.controller)  # what the file watcher does after its debounce
    cells = _cells(window)
    assert cells["corp"][5].startswith("OK · just now")
    assert "groups" in cells["corp"][5]
    assert cells["branch"][5].startswith("failed")
    assert window.selected_name() == "branch"  # the selection survives the refresh
    # The history pane shows the selected instance's run and its log.
    assert window.history.rowCount() == 1
    assert window.history.item(0, 2).text() == "failed"
    assert "==== bwdc-tray start" in window.log_view.toPlainText()


def test_running_row_shows_progress(gui_world: World, make_window: Any) -> None:
    gui_world.add("corp")
    window = make_window()
    assert window.progress.isHidden()
    controller = window.controller
    controller.rows = [replace(controller.rows[0], state="running")]
    controller.rowsChanged.emit()
    assert not window.progress.isHidden()
    assert "corp" in window.progress_label.text()
    assert _cells(window)["corp"][5].startswith("running")
    assert not window.sync_action.isEnabled()  # "already running": not offered twice


def test_add_dialog_validates_then_adds(gui_world: World, make_window: Any, qtbot: Any) -> None:
    window = make_window()
    dialog = window.add_instance()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "bad name!")
    assert not dialog.name_error.isHidden()
    assert "invalid instance name" in dialog.name_error.text()
    assert not dialog.ok_button.isEnabled()

    folder = gui_world.tmp / "data" / "new"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text(
        json.dumps({"directoryType": 1, "organizationId": "org-42"}), encoding="utf-8"
    )
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "new-one")
    dialog.appdata_edit.setText(str(folder))
    dialog.bwdc_edit.setText(str(gui_world.bwdc))
    assert dialog.name_error.isHidden()
    assert "Entra ID" in dialog.data_info.text()
    assert "org-42" in dialog.data_info.text()
    dialog.timeout_edit.setText("-3")
    assert not dialog.ok_button.isEnabled()
    assert "positive" in dialog.timeout_error.text()
    dialog.timeout_edit.setText("120")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    inst = ConfigStore(resolve()).load().get("new-one")
    assert inst.appdata == folder
    assert inst.timeout == 120
    qtbot.waitUntil(lambda: window.selected_name() == "new-one")


def test_add_dialog_refuses_a_shared_folder(gui_world: World, make_window: Any) -> None:
    appdata = gui_world.add("corp")
    window = make_window()
    dialog = window.add_instance()
    dialog.name_edit.setText("corp")
    assert "already exists" in dialog.name_error.text()
    dialog.name_edit.setText("other")
    dialog.appdata_edit.setText(str(appdata))
    assert "already used by 'corp'" in dialog.clash_error.text()
    assert not dialog.ok_button.isEnabled()


def test_properties_dialog_edits_an_instance(
    gui_world: World, make_window: Any, qtbot: Any
) -> None:
    appdata = gui_world.add("corp")
    other = gui_world.add("branch")
    window = make_window()
    assert window.select("corp")
    qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert dialog is not None and dialog.editing == "corp"
    # The form holds the instance as it is; the name cannot be changed.
    assert dialog.name_edit.isReadOnly() and dialog.name_edit.text() == "corp"
    assert dialog.appdata_edit.text() == str(appdata)
    assert dialog.timeout_edit.text() == "60"
    assert dialog.ok_button.isEnabled()

    dialog.appdata_edit.setText(str(other))
    assert "already used by 'branch'" in dialog.clash_error.text()
    assert not dialog.ok_button.isEnabled()
    dialog.appdata_edit.setText(str(appdata))
    dialog.timeout_edit.setText("0")
    assert not dialog.ok_button.isEnabled()
    dialog.timeout_edit.setText("300")
    dialog.label_edit.setText("Head office")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    inst = ConfigStore(resolve()).load().get("corp")
    assert (inst.label, inst.timeout, inst.appdata) == ("Head office", 300, appdata)
    qtbot.waitUntil(lambda: _cells(window)["corp"][1] == "Head office")
    assert "corp" in window.statusBar().currentMessage()


def test_folder_picker_finds_data_json(tmp_path: Path) -> None:
    from bwdc_tray.gui.dialogs import find_data_folder

    inner = tmp_path / "Bitwarden Directory Connector"
    inner.mkdir()
    (inner / "data.json").write_text("{}", encoding="utf-8")
    (tmp_path / "other").mkdir()
    assert find_data_folder(tmp_path) == inner
    assert find_data_folder(inner) == inner
    assert find_data_folder(tmp_path / "other") == tmp_path / "other"


def test_remove_asks_removes_and_undo_restores(
    gui_world: World, make_window: Any, fake_crontab: Path, refresh: Any, qtbot: Any
) -> None:
    gui_world.add("corp")
    assert gui_world.cli("schedule", "set", "corp", "daily", "02:30").code == 0
    asked: list[str] = []
    answers = iter([False, True])

    def confirm(_title: str, text: str) -> bool:
        asked.append(text)
        return next(answers)

    window = make_window(confirm)
    window.select("corp")
    assert not window.remove_selected()  # Cancel: nothing happens
    assert "corp" in ConfigStore(resolve()).load().instances
    assert window.remove_selected()
    assert len(asked) == 2
    assert "Remove corp?" in asked[0]
    assert "corp" not in ConfigStore(resolve()).load().instances
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert not any(key.startswith("bwdc-tray\ncorp:") for key in _keyring())
    table = fake_crontab / getpass.getuser()
    assert not table.exists() or "bwdc-tray corp" not in table.read_text(encoding="utf-8")
    assert not window.undo_button.isHidden()

    window.undo_button.click()
    cfg = ConfigStore(resolve()).load()
    assert cfg.get("corp").schedule == "30 2 * * *"
    assert _keyring()["bwdc-tray\ncorp:client_secret"] == CANARY
    assert window.undo_button.isHidden()
    assert window.removal is None
    refresh(window.controller)
    assert _cells(window)["corp"][6] == "in sync"  # the OS job is back too


def test_remove_refused_while_running_keeps_everything(
    gui_world: World, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwdc_tray import runner
    from bwdc_tray.locking import AlreadyRunning

    gui_world.add("corp")
    window = make_window()

    def busy(*_args: object) -> list[str]:
        raise AlreadyRunning(None)

    monkeypatch.setattr(runner, "cleanup_for_removal", busy)
    assert not window.remove_selected()
    assert "running right now" in window.message_box.text()
    assert "corp" in ConfigStore(resolve()).load().instances


def test_secrets_dialog_never_echoes_and_stores(
    gui_world: World, make_window: Any, qtbot: Any
) -> None:
    gui_world.add("corp", secrets=False)
    window = make_window()
    dialog = window.edit_secrets("corp")
    for edit in (dialog.client_id_edit, dialog.client_secret_edit, dialog.directory_secret_edit):
        assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert "not stored" in dialog.state_label.text()
    qtbot.keyClicks(dialog.client_id_edit, "organization.short")
    assert "organization.<36-character id>" in dialog.client_id_error.text()
    assert not dialog.save_button.isEnabled()
    dialog.client_id_edit.setText(CLIENT_ID)
    dialog.client_secret_edit.setText("s3cret-value")
    dialog.directory_secret_edit.setText("bind-password")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = _keyring()
    assert stored["bwdc-tray\ncorp:client_id"] == CLIENT_ID
    assert stored["bwdc-tray\ncorp:client_secret"] == "s3cret-value"
    assert stored["bwdc-tray\ncorp:directory_secret"] == "bind-password"
    assert "s3cret-value" not in window.statusBar().currentMessage()


def test_secrets_dialog_shows_keyring_trouble(
    gui_world: World, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwdc_tray.gui.dialogs import SecretsDialog

    gui_world.add("corp", secrets=False)
    monkeypatch.setenv("FAKE_KEYRING_LOCKED", "1")
    dialog = SecretsDialog(resolve(), "corp")
    assert "refused" in dialog.error_label.text()
    assert "Fix:" in dialog.error_label.text()
    dialog.client_id_edit.setText(CLIENT_ID)
    dialog.client_secret_edit.setText("x")
    assert not dialog.save_button.isEnabled()


def test_test_button_shows_the_dry_run(gui_world: World, make_window: Any, qtbot: Any) -> None:
    gui_world.add("corp")
    window = make_window()
    window.select("corp")
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.test_process is not None
    assert not window.test_action.isEnabled()
    assert not window.progress.isHidden()
    qtbot.waitUntil(lambda: window.test_dialog is not None, timeout=30_000)
    dialog = window.test_dialog
    assert "would sync 5 group(s)" in dialog.summary.text()
    assert "Engineering" in dialog.names()
    assert window.progress.isHidden()
    assert window.test_action.isEnabled()
    # The dry run is in the history, marked as such; it never counts as the sync state.
    qtbot.waitUntil(lambda: window.history.rowCount() > 0)
    assert "(dry run)" in window.history.item(0, 1).text()
    assert _cells(window)["corp"][5] == "never synced"


def test_sync_now_and_shortcuts(
    gui_world: World, make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui_world.add("corp")
    window = make_window()
    started: list[str | None] = []
    monkeypatch.setattr(window.controller, "sync_now", lambda name=None: started.append(name))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert started == ["corp"]
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString()
        for a in (window.add_action, window.remove_action, window.sync_action, window.test_action)
    }
    assert shortcuts["Add…"] == "Ctrl+N"
    assert shortcuts["Remove…"] == "Del"
    assert shortcuts["Sync now"] == "F5"
    assert shortcuts["Test (dry run)"] == "Ctrl+T"
    for button in window.buttons.values():
        assert button.accessibleName()
    assert window.table.accessibleName() == "Instances"


def test_close_hides_or_closes(gui_world: World, make_window: Any) -> None:
    window = make_window()
    window.close_hides = True
    window.close()
    assert window.isHidden()
    window.show()
    window.close_hides = False
    assert window.close()


def test_directory_text_that_looks_like_html_is_shown_as_typed(
    gui_world: World, make_window: Any, refresh: Any
) -> None:
    """A bwdc message quoting a directory name such as `<b>Admins</b>` or `<img src=…>` is text:
    Qt would otherwise render it (and load the image) in tooltips and message boxes."""
    from bwdc_tray import logs

    appdata = gui_world.add("corp")
    message = "group <b>Admins</b> <img src='/etc/hosts'> was not found"
    with logs.LogWriter(appdata / "bwdc.log") as log:
        log.start(run_id="r1", instance="corp", trigger="manual", mode="sync", bwdc_version=None)
        log.end(
            run_id="r1",
            result="failed",
            exit_code=1,
            duration_s=1.0,
            groups=None,
            users=None,
            message=message,
            mode="sync",
        )
    window = make_window()
    window.select("corp")
    refresh(window.controller)
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == "corp")
    shown = model.data(model.index(row, model.LAST_RESULT), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Admins&lt;/b&gt;" in shown and "<img" not in shown
    assert "&lt;img" in window.history.item(0, 4).toolTip()
    window.show_error(message)
    assert window.message_box.textFormat() == Qt.TextFormat.PlainText
    assert window.message_box.text() == message

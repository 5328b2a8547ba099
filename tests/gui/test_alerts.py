"""The alerts dialog, offscreen: an instance's and the default's, saved through the engine."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from bwdc_tray.alerts import model, settings
from bwdc_tray.alerts.model import Delivery
from bwdc_tray.config import ConfigStore
from bwdc_tray.paths import resolve
from bwdc_tray.secrets import open_store
from tests.conftest import CANARY, World

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SLACK = f"https://hooks.slack.com/services/T000/B000/{CANARY}"
PING = f"https://hc-ping.com/{CANARY}-ping"


@pytest.fixture
def gui_world(world: World, fake_crontab: Path) -> World:
    return world


@pytest.fixture
def open_dialog(qtbot: Any) -> Any:
    from bwdc_tray.gui.alerts import AlertsDialog

    def make(scope: str) -> AlertsDialog:
        dialog = AlertsDialog(resolve(), scope)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


@pytest.fixture
def make_window(qtbot: Any) -> Any:
    from bwdc_tray.gui.controller import Controller
    from bwdc_tray.gui.window import MainWindow

    made: list[Any] = []

    def make() -> Any:
        window = MainWindow(Controller(resolve()), confirm=lambda _title, _text: True)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close_hides = False
        window.stop_test()


def _cfg() -> Any:
    return ConfigStore(resolve()).load()


def _url(scope: str, field: str) -> str | None:
    return settings.get_url(open_store(), scope, field)


def _keyring_text() -> str:
    path = Path(os.environ["FAKE_KEYRING_FILE"])
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _visible_texts(widget: QWidget) -> str:
    """Every label, tooltip, placeholder and accessible text the dialog shows."""
    parts = [widget.windowTitle(), widget.toolTip(), widget.accessibleDescription()]
    for child in widget.findChildren(QWidget):
        parts += [child.toolTip(), child.accessibleName(), child.accessibleDescription()]
        if isinstance(child, QLabel):
            parts.append(child.text())
        if isinstance(child, QLineEdit):
            parts.append(child.placeholderText())
            if child.echoMode() == QLineEdit.EchoMode.Normal:
                parts.append(child.text())
    for child in widget.findChildren(QWidget):
        text = getattr(child, "toPlainText", None)
        if text is not None:
            parts.append(text())
    return "\n".join(parts)


def test_instance_webhook_saved_to_config_and_url_to_keyring(
    gui_world: World, open_dialog: Any, qtbot: Any
) -> None:
    gui_world.add("corp")
    dialog = open_dialog("corp")
    assert dialog.windowTitle().startswith("Alerts for corp")
    box = dialog.webhook_box
    assert box.mode() == "inherit"
    assert not dialog.webhook_url_edit.isEnabled()  # nothing to type while it inherits
    assert "The default: off" in box.default_label.text()
    assert dialog.webhook_url_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.healthcheck_url_edit.echoMode() == QLineEdit.EchoMode.Password

    qtbot.mouseClick(box.radios["own"], Qt.MouseButton.LeftButton)
    assert box.mode() == "own" and dialog.webhook_url_edit.isEnabled()
    assert not dialog.save_button.isEnabled()  # a webhook needs a URL
    qtbot.keyClicks(dialog.webhook_url_edit, SLACK)
    dialog.webhook_format_combo.setCurrentIndex(dialog.webhook_format_combo.findData("slack"))
    assert dialog.webhook_format_combo.currentText() == "Slack"
    dialog.webhook_every_run_check.setChecked(True)
    assert dialog.webhook_error.isHidden()
    assert dialog.save_button.isEnabled()
    assert CANARY not in _visible_texts(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted

    own = settings.load(_cfg(), "corp")
    assert own.webhook == model.WebhookSettings(format="slack", every_run=True)
    assert own.healthcheck is None and not own.system_log and own.metrics_dir is None
    assert settings.raw(_cfg(), "corp") == {"webhook": {"format": "slack", "every_run": True}}
    assert _url("corp", model.WEBHOOK_URL) == SLACK
    # The URL is in the keyring only: never in the config file.
    assert CANARY not in resolve().config_file.read_text(encoding="utf-8")
    assert CANARY in _keyring_text()
    assert dialog.webhook_url_edit.text() == ""  # not kept in the widget

    again = open_dialog("corp")
    assert again.webhook_box.mode() == "own"
    assert again.webhook_url_edit.text() == ""
    assert again.webhook_url_edit.placeholderText() == "stored; type to replace"
    assert again.webhook_format_combo.currentData() == "slack"
    assert again.webhook_every_run_check.isChecked()
    assert again.save_button.isEnabled()  # the stored URL is enough
    assert CANARY not in _visible_texts(again)


def test_invalid_url_shows_the_error_beside_the_field_and_saves_nothing(
    gui_world: World, open_dialog: Any, qtbot: Any
) -> None:
    gui_world.add("corp")
    before = resolve().config_file.read_bytes()
    dialog = open_dialog("corp")
    dialog.webhook_box.set_mode("own")
    qtbot.keyClicks(dialog.webhook_url_edit, f"ftp://example.com/{CANARY}")
    assert not dialog.webhook_error.isHidden()
    assert "the webhook URL must start with https://" in dialog.webhook_error.text()
    assert "Fix:" in dialog.webhook_error.text()
    assert CANARY not in dialog.webhook_error.text()
    assert not dialog.save_button.isEnabled()
    dialog.healthcheck_box.set_mode("own")
    qtbot.keyClicks(dialog.healthcheck_url_edit, "https://")
    assert "must name a host" in dialog.healthcheck_error.text()
    dialog.metrics_box.set_mode("own")
    dialog.metrics_edit.setText("relative/folder")
    assert "must be an absolute path" in dialog.metrics_error.text()

    dialog.accept()  # as a keyboard Return would
    assert dialog.isVisible()
    assert resolve().config_file.read_bytes() == before
    assert _keyring_text().count(CANARY) == 1  # the API secret only: no URL stored
    assert _url("corp", model.WEBHOOK_URL) is None

    dialog.webhook_url_edit.setText(SLACK)
    dialog.healthcheck_url_edit.setText(PING)
    assert dialog.webhook_error.isHidden() and dialog.healthcheck_error.isHidden()
    assert not dialog.save_button.isEnabled()  # the folder still is not valid
    dialog.metrics_edit.setText(str(gui_world.tmp / "textfile"))
    assert dialog.metrics_error.isHidden()
    assert dialog.save_button.isEnabled()


def test_inherit_own_off_round_trip(gui_world: World, open_dialog: Any, qtbot: Any) -> None:
    gui_world.add("corp")
    with ConfigStore(resolve()).edit() as cfg:
        settings.save(
            cfg,
            model.DEFAULT_SCOPE,
            model.AlertSettings(
                healthcheck=model.HealthcheckSettings(style="uptime-kuma"), system_log=True
            ),
        )
    settings.set_url(open_store(), model.DEFAULT_SCOPE, model.HEALTHCHECK_URL, PING)

    dialog = open_dialog("corp")
    assert "Uptime Kuma push" in dialog.healthcheck_box.default_label.text()
    assert "The default: on" in dialog.system_log_box.default_label.text()
    # Own pings need a URL of their own: the default's is not borrowed (the CLI and the runner
    # agree), so Save waits for one.
    dialog.healthcheck_box.set_mode("own")
    assert not dialog.save_button.isEnabled()
    dialog.healthcheck_url_edit.setText(f"https://kuma.example/api/push/{CANARY}x")
    dialog.healthcheck_style_combo.setCurrentIndex(
        dialog.healthcheck_style_combo.findData("healthchecks")
    )
    dialog.system_log_box.set_mode("off")
    dialog.metrics_box.set_mode("own")
    metrics = gui_world.tmp / "textfile"
    dialog.metrics_edit.setText(str(metrics))
    assert dialog.save()

    raw = settings.raw(_cfg(), "corp")
    assert raw == {
        "healthcheck": {"style": "healthchecks"},
        "system_log": False,
        "metrics_dir": str(metrics),
    }  # the webhook inherits: no key
    eff = settings.effective(_cfg(), "corp")
    assert eff.settings.system_log is False
    assert eff.scopes["webhook"] == model.DEFAULT_SCOPE
    assert eff.scopes["healthcheck"] == "corp"
    assert _url("corp", model.HEALTHCHECK_URL) == f"https://kuma.example/api/push/{CANARY}x"

    again = open_dialog("corp")
    modes = {box.channel: box.mode() for box in again.boxes()}
    assert modes == {
        "webhook": "inherit",
        "healthcheck": "own",
        "system_log": "off",
        "metrics_dir": "own",
    }
    assert again.metrics_edit.text() == str(metrics)
    # Back to the default everywhere: the keys go, and the instance's own URL with them.
    for box in again.boxes():
        box.set_mode("inherit")
    assert again.save()
    assert settings.raw(_cfg(), "corp") == {}
    assert _url("corp", model.HEALTHCHECK_URL) is None
    assert _url(model.DEFAULT_SCOPE, model.HEALTHCHECK_URL) == PING  # the default's stays
    eff = settings.effective(_cfg(), "corp")
    assert eff.settings.system_log is True and eff.settings.healthcheck is not None


def test_default_dialog(gui_world: World, open_dialog: Any, qtbot: Any) -> None:
    gui_world.add("corp")
    dialog = open_dialog(model.DEFAULT_SCOPE)
    assert dialog.windowTitle().startswith("Default alerts, for every instance")
    assert all(box.isCheckable() and not box.isChecked() for box in dialog.boxes())
    assert not dialog.webhook_box.radios
    assert dialog.test_button.isHidden()
    dialog.webhook_box.setChecked(True)
    assert not dialog.save_button.isEnabled()
    dialog.webhook_url_edit.setText(SLACK)
    dialog.webhook_format_combo.setCurrentIndex(dialog.webhook_format_combo.findData("teams"))
    dialog.system_log_box.setChecked(True)
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    default = settings.load(_cfg(), model.DEFAULT_SCOPE)
    assert default.webhook == model.WebhookSettings(format="teams", every_run=False)
    assert default.system_log is True
    assert _url(model.DEFAULT_SCOPE, model.WEBHOOK_URL) == SLACK
    assert CANARY not in resolve().config_file.read_text(encoding="utf-8")
    eff = settings.effective(_cfg(), "corp")
    assert eff.settings.webhook == default.webhook

    # The instance's dialog says what the default is, never its URL.
    inst = open_dialog("corp")
    assert "Microsoft Teams, on failures and recoveries" in inst.webhook_box.default_label.text()
    assert CANARY not in _visible_texts(inst)

    # Off in the default: the key and its URL go.
    again = open_dialog(model.DEFAULT_SCOPE)
    assert again.webhook_box.isChecked()
    again.webhook_box.setChecked(False)
    assert again.save()
    assert settings.load(_cfg(), model.DEFAULT_SCOPE).webhook is None
    assert _url(model.DEFAULT_SCOPE, model.WEBHOOK_URL) is None


def test_send_a_test_runs_off_the_gui_thread(
    gui_world: World, open_dialog: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwdc_tray.alerts import dispatch

    gui_world.add("corp")
    release = threading.Event()
    seen: list[tuple[str, bool]] = []

    def slow_send_test(paths: Any, name: str) -> list[Delivery]:
        seen.append((name, threading.current_thread() is threading.main_thread()))
        release.wait(10)
        return [
            Delivery("webhook", True, "HTTP 200"),
            Delivery("healthcheck", False, "HTTP 500 after 3 attempts"),
            Delivery("system-log", False, "skipped: not configured", skipped=True),
        ]

    monkeypatch.setattr(dispatch, "send_test", slow_send_test)
    dialog = open_dialog("corp")
    started = time.monotonic()
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < 1  # the click returned at once
    assert dialog.testing and not dialog.test_button.isEnabled()
    assert "Sending a test" in dialog.test_output.toPlainText()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [("corp", False)]  # on a thread of its own
    # The dialog stays responsive while the test waits.
    dialog.system_log_box.set_mode("own")
    assert dialog.system_log_box.mode() == "own"
    assert dialog.testing
    release.set()
    qtbot.waitUntil(lambda: not dialog.testing, timeout=10_000)
    shown = dialog.test_output.toPlainText()
    assert dialog.test_output.isReadOnly()
    assert "Webhook: OK — HTTP 200" in shown
    assert "Health check: failed — HTTP 500 after 3 attempts" in shown
    assert "System log: skipped — skipped: not configured" in shown
    assert dialog.test_button.isEnabled()


def test_send_a_test_with_nothing_configured_and_with_an_error(
    gui_world: World, open_dialog: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwdc_tray.alerts import dispatch

    gui_world.add("corp")
    dialog = open_dialog("corp")
    assert dialog.send_test()
    qtbot.waitUntil(lambda: not dialog.testing, timeout=30_000)
    assert "nothing was sent" in dialog.test_output.toPlainText()

    def broken(paths: Any, name: str) -> list[Delivery]:
        raise RuntimeError(f"boom {SLACK}")

    monkeypatch.setattr(dispatch, "send_test", broken)
    assert dialog.send_test()
    qtbot.waitUntil(lambda: not dialog.testing, timeout=10_000)
    assert "RuntimeError" in dialog.test_output.toPlainText()
    assert CANARY not in dialog.test_output.toPlainText()


def test_closing_during_a_test_drops_its_answer(
    gui_world: World, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwdc_tray.alerts import dispatch
    from bwdc_tray.gui.alerts import AlertsDialog

    gui_world.add("corp")
    release, done = threading.Event(), threading.Event()

    def slow(paths: Any, name: str) -> list[Delivery]:
        release.wait(10)
        done.set()
        return [Delivery("webhook", True, "HTTP 200")]

    monkeypatch.setattr(dispatch, "send_test", slow)
    dialog = AlertsDialog(resolve(), "corp")
    dialog.send_test()
    dialog.deleteLater()
    del dialog
    qtbot.wait(50)
    release.set()
    assert done.wait(5)
    qtbot.wait(100)  # the answer arrives for a dialog that is gone: nothing happens


def test_keyring_trouble_is_shown_and_saves_nothing(
    gui_world: World, open_dialog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui_world.add("corp")
    monkeypatch.setenv("FAKE_KEYRING_LOCKED", "1")
    dialog = open_dialog("corp")
    assert "refused" in dialog.error_label.text()
    assert "Fix:" in dialog.error_label.text()
    dialog.system_log_box.set_mode("own")
    assert not dialog.save_button.isEnabled()


def test_window_has_the_button_and_the_menu_action(
    gui_world: World, make_window: Any, qtbot: Any
) -> None:
    gui_world.add("corp")
    window = make_window()
    button = window.buttons["alerts"]
    assert button.text() == "A&lerts…"
    assert button.accessibleName() == "Alerts"
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "A&lerts…" in texts and "De&fault alerts…" in texts
    window.select("corp")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert dialog is not None and dialog.scope == "corp"
    assert dialog.windowTitle().startswith("Alerts for corp")
    dialog.system_log_box.set_mode("own")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert settings.load(_cfg(), "corp").system_log is True
    assert "corp" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.dialog is None)

    window.default_alerts_action.trigger()
    dialog = window.dialog
    assert dialog is not None and dialog.scope == model.DEFAULT_SCOPE
    assert dialog.windowTitle().startswith("Default alerts")
    dialog.reject()


def test_alerts_button_disabled_without_a_selection(gui_world: World, make_window: Any) -> None:
    window = make_window()  # no instance at all
    assert not window.buttons["alerts"].isEnabled()
    assert not window.alerts_action.isEnabled()
    assert window.default_alerts_action.isEnabled()
    assert window.edit_alerts() is None


def test_dialog_and_button_in_french(
    gui_world: World, qapp: Any, make_window: Any, open_dialog: Any
) -> None:
    from PySide6.QtCore import QLocale

    from bwdc_tray import i18n
    from bwdc_tray.gui.app import _install_translations

    gui_world.add("corp")
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translators = _install_translations(qapp)
    try:
        assert translators
        window = make_window()
        assert window.buttons["alerts"].text() == "A&lertes…"
        assert window.default_alerts_action.text() == "Alertes par &défaut…"
        dialog = open_dialog("corp")
        assert dialog.windowTitle() == "Alertes de corp — bwdc-tray"
        assert dialog.webhook_box.radios["inherit"].text() == "Utiliser la valeur par défaut"
        assert "Par défaut : désactivé" in dialog.webhook_box.default_label.text()
        assert dialog.webhook_format_combo.itemText(0) == "JSON générique"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)
        i18n.set_language("en")

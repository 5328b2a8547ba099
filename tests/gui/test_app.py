"""The app's own pieces: notifications once per change, preferences."""

from __future__ import annotations

from typing import Any

import pytest

from bwdc_tray.gui.app import Prefs
from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.notify import Notifier
from bwdc_tray.paths import resolve
from tests.conftest import World


def test_one_notification_per_change_of_state(qtbot, world: World, refresh: Any) -> None:
    world.add("corp", "ldap-unreachable")
    controller = Controller(resolve(world.home))
    shown: list[tuple[str, str, bool]] = []
    muted = [False]
    notifier = Notifier(controller, lambda t, m, e: shown.append((t, m, e)), lambda: muted[0])
    world.cli("run", "corp")
    refresh(controller)
    world.cli("run", "corp")  # failed again: no second notification
    refresh(controller)
    assert [s[0] for s in shown] == ["corp: sync failed"]
    assert "ECONNREFUSED" in shown[0][1] and shown[0][2] is True
    (world.tmp / "data" / "corp" / "simulator.json").write_text('{"scenario": "ok"}')
    world.cli("run", "corp")
    refresh(controller)
    assert shown[-1][0] == "corp: syncing again" and shown[-1][2] is False
    muted[0] = True
    (world.tmp / "data" / "corp" / "simulator.json").write_text('{"scenario": "crash-401"}')
    world.cli("run", "corp")
    refresh(controller)
    assert len(shown) == 2 and len(notifier.sent) == 2


def test_the_controller_sees_a_run_started_elsewhere(qtbot, world: World) -> None:
    """Live without polling: a run from the CLI shows up through the file watcher."""
    world.add("corp")
    controller = Controller(resolve(world.home))
    assert controller.row("corp").state == "never"
    with qtbot.waitSignal(controller.rowsChanged, timeout=10_000):
        world.cli("run", "corp")
    qtbot.waitUntil(lambda: controller.row("corp").state == "ok", timeout=10_000)


def test_prefs_round_trip(world: World) -> None:
    paths = resolve(world.home)
    prefs = Prefs(paths)
    assert prefs.muted is False
    prefs.muted = True
    assert Prefs(paths).muted is True


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen's, not ours
def test_without_a_tray_the_window_is_the_app_with_a_notice(
    qtbot: Any, qapp: Any, world: World
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from bwdc_tray.gui import app as gui_app
    from bwdc_tray.gui.window import MainWindow

    world.add("corp", secrets=False)
    seen: dict[str, Any] = {}

    def look_then_close() -> None:
        tops = qapp.topLevelWidgets()
        window = next(w for w in tops if isinstance(w, MainWindow))
        notice = next(w for w in tops if isinstance(w, QMessageBox) and w.isVisible())
        seen.update(window=window.isVisible(), hides=window.close_hides, text=notice.text())
        notice.close()
        window.close()  # the last window: in window-only mode this ends the app

    QTimer.singleShot(500, look_then_close)
    try:
        assert gui_app.main(["--home", str(world.home)]) == 0
    finally:
        qapp.setQuitOnLastWindowClosed(False)
    assert seen["window"] is True and seen["hides"] is False
    assert "No system tray is available" in seen["text"]

"""The tray's start: the icon first ("unknown"), the rows read after it on the worker thread."""

from __future__ import annotations

from typing import Any

from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.icons import state_icon
from bwdc_tray.gui.tray import Tray
from bwdc_tray.paths import resolve
from tests.conftest import World


def test_rows_read_after_the_icon_shows(world: World, qtbot: Any) -> None:
    world.add("corp")
    world.cli("run", "corp")
    controller = Controller(resolve(world.home), read_now=False)
    tray = Tray(controller, lambda: None, lambda _name: None)
    try:
        assert not controller.loaded and controller.rows == []
        assert controller.worst_state() == "unknown"
        assert "Unknown" in tray.icon.toolTip()
        with qtbot.waitSignal(controller.rowsChanged, timeout=15_000):
            controller.refresh()
        assert controller.loaded and controller.worst_state() == "ok"
        assert tray.tooltip().startswith("corp: synced")
        assert "corp: synced" in tray.icon.toolTip()
        assert any(e.startswith("corp — synced") for e in tray.menu_entries())
    finally:
        tray.hide()


def test_state_icons_are_drawn_once(qapp: Any) -> None:
    # The menu asks for an icon per instance at every rebuild: one drawing per state serves all.
    assert state_icon("ok", 16).cacheKey() == state_icon("ok", 16).cacheKey()
    assert state_icon("ok").cacheKey() != state_icon("failed").cacheKey()
    assert state_icon("no-such-state").cacheKey() == state_icon("unknown").cacheKey()


def test_a_controller_let_go_during_a_read_is_not_destroyed_by_the_reader(
    world: World, qtbot: Any
) -> None:
    # The worker thread holds no reference to the controller: if it did, the controller (with a
    # running timer) would be destroyed on that thread, which aborts in malloc after a while.
    import gc
    import threading

    world.add("corp")
    others = threading.active_count()
    for _ in range(10):
        controller = Controller(resolve(world.home))
        controller._debounce.start()
        controller.refresh()
        del controller
        gc.collect()
        qtbot.waitUntil(lambda: threading.active_count() <= others, timeout=15_000)
        qtbot.wait(20)  # the queued delivery finds no controller

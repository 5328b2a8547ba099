"""The tray menu's settings: start at login, mute notifications."""

from __future__ import annotations

from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.tray import Toggle, Tray
from bwdc_tray.paths import resolve
from tests.conftest import World


def test_toggles_are_checkable_menu_entries(qtbot, world: World) -> None:
    world.add("corp", secrets=False)
    state = {"login": False, "mute": True}
    toggles = [
        Toggle(
            "Start at login", "tip", lambda: state["login"], lambda v: state.__setitem__("login", v)
        ),
        Toggle(
            "Mute notifications",
            "tip",
            lambda: state["mute"],
            lambda v: state.__setitem__("mute", v),
        ),
    ]
    tray = Tray(Controller(resolve(world.home)), lambda: None, lambda _n: None, toggles=toggles)
    tray.rebuild_menu()
    login = tray.action("Start at login")
    mute = tray.action("Mute notifications")
    assert login.isCheckable() and not login.isChecked()
    assert mute.isChecked()
    login.trigger()
    mute.trigger()
    assert state == {"login": True, "mute": False}
    tray.rebuild_menu()
    assert tray.action("Start at login").isChecked()

"""The tray's logic, offscreen: icons, the menu, the tooltip, Sync now.

Offscreen there is no system tray (isSystemTrayAvailable() is False), but QSystemTrayIcon and
its menu still work as objects; tests/gui/test_real_tray.py checks the real thing under Xvfb.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSystemTrayIcon

from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.icons import (
    ATTENTION,
    STATE_LABELS,
    STATES,
    state_icon,
    state_label,
    state_pixmap,
    template_icon,
    template_pixmap,
    tray_icon,
)
from bwdc_tray.gui.tray import MAX_TOOLTIP_LINES, SEP, Tray
from bwdc_tray.overview import STATE_ORDER
from bwdc_tray.paths import resolve
from tests.conftest import World

RUN_TIMEOUT_MS = 30_000


class Calls:
    def __init__(self) -> None:
        self.windows = 0
        self.schedules: list[str] = []
        self.quits = 0

    def open_window(self) -> None:
        self.windows += 1

    def edit_schedule(self, name: str) -> None:
        self.schedules.append(name)

    def quit(self) -> None:
        self.quits += 1


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def make_tray(world: World, calls: Calls, qtbot: Any) -> Iterator[Any]:
    made: list[Tray] = []

    def make() -> Tray:
        controller = Controller(resolve(world.home))
        tray = Tray(controller, calls.open_window, calls.edit_schedule, quit_app=calls.quit)
        made.append(tray)
        return tray

    yield make
    for tray in made:
        tray.hide()


def opened(tray: Tray) -> list[str]:
    """The menu's entries as the user sees them when it opens."""
    tray.menu.aboutToShow.emit()
    return tray.menu_entries()


def status(world: World, name: str) -> dict[str, Any]:
    res = world.cli("status", name, "--json")
    assert res.code == 0, res.err
    items = json.loads(res.out)
    return items[0] if isinstance(items, list) else items


def ended_manual_ok(world: World, name: str) -> bool:
    item = status(world, name)
    last = item.get("last_run") or {}
    return item["state"] == "ok" and last.get("result") == "ok" and last.get("trigger") == "manual"


def image(state: str, size: int, *, gray: bool = False, background: str = "white") -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(QColor(background))
    painter = QPainter(img)
    painter.drawPixmap(0, 0, state_pixmap(state, size))
    painter.end()
    return img.convertToFormat(QImage.Format.Format_Grayscale8) if gray else img


def differing_pixels(a: QImage, b: QImage) -> int:
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            ca, cb = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            delta = max(
                abs(ca.red() - cb.red()), abs(ca.green() - cb.green()), abs(ca.blue() - cb.blue())
            )
            count += delta > 48
    return count


# --- icons ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [16, 22, 32, 64])
def test_icons_differ_per_state_by_shape_not_colour_alone(qapp: Any, size: int) -> None:
    # At least 8% of the pixels differ between any two states, in colour and in grayscale
    # (so the shapes differ, not only the hues), on a light and a dark panel.
    least = size * size // 12
    for background in ("white", "#2b2b2b"):
        for gray in (False, True):
            imgs = {s: image(s, size, gray=gray, background=background) for s in STATES}
            for a, b in combinations(STATES, 2):
                n = differing_pixels(imgs[a], imgs[b])
                assert n >= least, f"{a} vs {b} at {size}px (gray={gray}, {background}): {n}"


def test_icons_have_a_pixmap_per_size_and_labels(qapp: Any) -> None:
    for state in STATE_ORDER:
        assert state in STATES and state in STATE_LABELS and state_label(state)
        sizes = {s.width() for s in state_icon(state).availableSizes()}
        assert {16, 22, 32, 64} <= sizes
        # The pixmap drawn for 16 px is not a scaled-down 64 px one.
        assert state_icon(state).pixmap(16).toImage() == state_pixmap(state, 16).toImage()
    assert state_label("no-such-state") == "Unknown"
    assert state_pixmap("no-such-state", 22).toImage() == state_pixmap("unknown", 22).toImage()
    assert len(set(STATE_LABELS.values())) == len(STATE_LABELS)


# --- menu ----------------------------------------------------------------------------------------


def test_menu_lists_every_instance_and_is_rebuilt_when_it_opens(
    world: World, make_tray: Any
) -> None:
    world.add("corp")
    world.add("hr")
    tray = make_tray()
    entries = opened(tray)
    assert entries[:4] == [
        "Sync now",
        f"Sync now{SEP}corp",
        f"Sync now{SEP}hr",
        f"Sync now{SEP}All instances",
    ]
    assert "corp — never synced" in entries
    assert f"corp — never synced{SEP}Last run: never synced" in entries
    assert f"corp — never synced{SEP}Next run: not scheduled" in entries
    assert f"hr — never synced{SEP}Edit schedule…" in entries
    assert entries[-3:] == ["Instances…", "Pause all schedules", "Quit"]
    assert not tray.action("corp — never synced", "Open log").isEnabled()  # no log yet
    assert not tray.action("corp — never synced", "Last run: never synced").isEnabled()

    # The menu is rebuilt from the controller's rows each time it opens, not kept.
    tray.controller.rows = [r for r in tray.controller.rows if r.name == "hr"]
    entries = opened(tray)
    assert f"Sync now{SEP}corp" not in entries and f"Sync now{SEP}hr" in entries


def test_pause_and_resume_flip_with_the_controller(
    world: World, make_tray: Any, fake_crontab: Path, qtbot: Any
) -> None:
    world.add("corp")
    assert world.cli("schedule", "set", "corp", "daily", "02:00").code == 0
    tray = make_tray()
    assert "Pause all schedules" in opened(tray)
    tray.action("Pause all schedules").trigger()
    assert tray.controller.paused is True
    qtbot.waitUntil(lambda: not tray.controller.busy)
    entries = opened(tray)
    assert "Resume all schedules" in entries and "Pause all schedules" not in entries
    assert "All schedules are paused" in tray.tooltip()
    assert tray.controller.row("corp").state == "paused"
    assert any(e.endswith("Next run: paused") for e in entries)
    tray.action("Resume all schedules").trigger()
    assert tray.controller.paused is False
    assert "Pause all schedules" in opened(tray)


def test_no_instances_yet(world: World, make_tray: Any) -> None:
    tray = make_tray()
    entries = opened(tray)
    assert entries == ["Sync now", f"Sync now{SEP}All instances", "Instances…",
                       "Pause all schedules", "Quit"]  # fmt: skip
    assert not tray.action("Sync now").isEnabled()
    assert tray.tooltip() == "bwdc-tray: no instances yet"


def test_sync_now_from_the_menu_starts_a_run(world: World, make_tray: Any, qtbot: Any) -> None:
    world.add("corp")
    world.add("hr")
    tray = make_tray()
    opened(tray)
    tray.action("Sync now", "corp").trigger()
    qtbot.waitUntil(lambda: ended_manual_ok(world, "corp"), timeout=RUN_TIMEOUT_MS)
    assert status(world, "hr")["state"] == "never"
    # The file watcher brings the result to the tray, with no refresh by hand.
    qtbot.waitUntil(lambda: tray.controller.row("corp").state == "ok", timeout=RUN_TIMEOUT_MS)
    assert "corp: synced" in tray.tooltip()

    opened(tray)
    tray.action("Sync now", "All instances").trigger()
    qtbot.waitUntil(lambda: ended_manual_ok(world, "hr"), timeout=RUN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: tray.controller.worst_state() == "ok", timeout=RUN_TIMEOUT_MS)


def test_a_running_instance_shows_as_running(world: World, make_tray: Any, qtbot: Any) -> None:
    world.add("slow", delay=1.5)
    tray = make_tray()
    opened(tray)
    tray.action("Sync now", "slow").trigger()
    qtbot.waitUntil(lambda: tray.controller.row("slow").state == "running", timeout=10_000)
    assert tray.tooltip().startswith("slow: running…")
    entries = opened(tray)
    assert "slow — running…" in entries
    assert not tray.action("Sync now", "slow").isEnabled()  # the lock would refuse it anyway
    assert tray.icon.icon().pixmap(32).toImage() == tray_icon("running").pixmap(32).toImage()
    qtbot.waitUntil(lambda: ended_manual_ok(world, "slow"), timeout=RUN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: tray.controller.row("slow").state == "ok", timeout=RUN_TIMEOUT_MS)


def test_instance_entries_call_back(world: World, make_tray: Any, calls: Calls) -> None:
    world.add("corp")
    world.cli("run", "corp")
    tray = make_tray()
    entries = opened(tray)
    title = next(e for e in entries if e.startswith("corp — synced"))
    assert tray.action(title, "Open log").isEnabled()
    tray.action(title, "Edit schedule…").trigger()
    assert calls.schedules == ["corp"]
    tray.action("Instances…").trigger()
    assert calls.windows == 1
    tray.action("Quit").trigger()
    assert calls.quits == 1 and not tray.icon.isVisible()


# --- tooltip and icon ----------------------------------------------------------------------------


def test_tooltip_sums_up_each_instance(world: World, make_tray: Any, fake_crontab: Path) -> None:
    world.add("corp")
    world.add("bad", "ldap-unreachable")
    world.add("new")
    assert world.cli("schedule", "set", "corp", "daily", "02:00").code == 0
    assert world.cli("run", "corp").code == 0
    assert world.cli("run", "bad").code != 0
    tray = make_tray()
    lines = tray.tooltip().splitlines()
    corp = tray.controller.row("corp")
    last = corp.last_run
    assert last is not None and last["groups"] and last["users"]
    when = tray.format_when(corp.next_run)
    assert when.endswith("02:00")
    assert lines[0] == (
        f"corp: synced just now, {last['groups']} groups, {last['users']} users; next run {when}"
    )
    assert lines[1].startswith("bad: failed just now: ") and "ECONNREFUSED" in lines[1]
    assert lines[2] == "new: never synced"
    from bwdc_tray.gui.plaintext import tip

    # Text on Windows and macOS; on Linux the HTML that shows that text as it is.
    shown = tray.icon.toolTip()
    assert shown == (tip(tray.tooltip()) if sys.platform.startswith("linux") else tray.tooltip())


def test_tooltip_is_shortened_when_there_are_many(world: World, make_tray: Any) -> None:
    for i in range(MAX_TOOLTIP_LINES + 2):
        world.add(f"site{i}")
    world.add("zz-bad", "ldap-unreachable")
    world.cli("run", "zz-bad")
    tray = make_tray()
    lines = tray.tooltip().splitlines()
    assert len(lines) == MAX_TOOLTIP_LINES
    assert lines[0].startswith("zz-bad: failed")  # the worst first
    assert lines[-1] == "…and 4 more"
    if sys.platform == "win32":
        assert len(tray.tooltip()) <= 127


def test_icon_follows_the_worst_state(world: World, make_tray: Any, refresh: Any) -> None:
    def shown(tray: Tray) -> QImage:
        return tray.icon.icon().pixmap(32).toImage()

    def drawn(state: str) -> QImage:
        return tray_icon(state).pixmap(32).toImage()  # coloured here; a template on macOS

    world.add("corp")
    tray = make_tray()
    assert shown(tray) == drawn("never")
    if sys.platform != "darwin":
        assert shown(tray) == state_pixmap("never", 32).toImage()
    world.cli("run", "corp")
    refresh(tray.controller)
    assert tray.controller.worst_state() == "ok"
    assert shown(tray) == drawn("ok")
    world.add("bad", "ldap-unreachable")
    world.cli("run", "bad")
    refresh(tray.controller)
    assert tray.controller.worst_state() == "failed"
    assert shown(tray) == state_pixmap("failed", 32).toImage()
    assert shown(tray) != state_pixmap("ok", 32).toImage()


# --- the macOS menu bar: template images for the calm states ----------------------------------


def alpha_image(state: str, size: int) -> QImage:
    return template_pixmap(state, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.parametrize("size", [18, 36])
def test_the_template_icon_is_a_black_mask_in_the_shape_of_the_state(qapp: Any, size: int) -> None:
    calm = [s for s in STATES if s not in ATTENTION]
    assert set(calm) == {"ok", "running", "never", "paused"}
    for state in calm:
        icon = template_icon(state)
        assert icon.isMask()  # what makes macOS tint it for a light or dark menu bar
        assert {18, 36} <= {s.width() for s in icon.availableSizes()}
        image = alpha_image(state, size)
        pixels = [image.pixelColor(x, y) for y in range(size) for x in range(size)]
        assert {(c.red(), c.green(), c.blue()) for c in pixels} == {(0, 0, 0)}, state
        alphas = {c.alpha() for c in pixels}
        assert 0 in alphas and 255 in alphas and len(alphas) > 2, state  # antialiased edges
    # Without colour the shapes alone still tell the states apart.
    for a, b in combinations(calm, 2):
        ia, ib = alpha_image(a, size), alpha_image(b, size)
        n = sum(
            abs(ia.pixelColor(x, y).alpha() - ib.pixelColor(x, y).alpha()) > 48
            for y in range(size)
            for x in range(size)
        )
        assert n >= size * size // 12, f"{a} vs {b} at {size}px: {n}"


def test_on_macos_only_the_states_that_need_attention_keep_their_colour(
    world: World, make_tray: Any, refresh: Any, calls: Calls
) -> None:
    for state in STATES:
        mac, elsewhere = tray_icon(state, template=True), tray_icon(state, template=False)
        assert not elsewhere.isMask()
        assert elsewhere.pixmap(32).toImage() == state_pixmap(state, 32).toImage()
        if state in ATTENTION:
            assert not mac.isMask()
            assert mac.pixmap(32).toImage() == state_pixmap(state, 32).toImage()
        else:
            assert mac.isMask()
            assert mac.pixmap(32).toImage() == template_pixmap(state, 32).toImage()
    assert tray_icon("ok").isMask() == (sys.platform == "darwin")

    world.add("corp")
    world.cli("run", "corp")
    tray = Tray(
        Controller(resolve(world.home)),
        calls.open_window,
        calls.edit_schedule,
        quit_app=calls.quit,
        template=True,
    )
    try:
        refresh(tray.controller)
        assert tray.controller.worst_state() == "ok"
        assert tray.icon.icon().isMask()
        world.add("bad", "ldap-unreachable")
        world.cli("run", "bad")
        refresh(tray.controller)
        assert tray.controller.worst_state() == "failed"
        assert not tray.icon.icon().isMask()
        assert tray.icon.icon().pixmap(32).toImage() == state_pixmap("failed", 32).toImage()
    finally:
        tray.hide()


# --- clicks and the platform ---------------------------------------------------------------------


def test_left_click_opens_the_window(world: World, make_tray: Any, calls: Calls) -> None:
    tray = make_tray()
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)
    assert calls.windows == 0
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    # On macOS a click shows the menu instead (Qt does that itself).
    assert calls.windows == (0 if sys.platform == "darwin" else 1)


def test_offscreen_has_no_tray_and_the_icon_stays_hidden(world: World, make_tray: Any) -> None:
    tray = make_tray()
    assert Tray.available() is False
    assert tray.show() is False
    assert not tray.icon.isVisible()
    assert tray.icon.contextMenu() is tray.menu
    assert tray.menu.accessibleName()

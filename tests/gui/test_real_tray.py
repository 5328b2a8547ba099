"""The real tray: Xvfb, a tray host (trayer) and the app in a process of its own.

The icon appears in the tray, a right click opens the menu, "Sync now ▸ corp" starts a run that
ends ok in `status`, the icon turns to ok, and Quit ends the app while a second run goes on
to its end. The clicks are real X events
(xdotool) at the places the app reports (tray.geometry(), the menu's action geometries), and
screenshots (ImageMagick's `import`) are kept in the test's tmp folder.

apt: xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-shape0
     trayer xdotool imagemagick
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage

from tests.conftest import REPO, World
from tests.support.xdesktop import Started, start_desktop

pytestmark = [pytest.mark.realservice, pytest.mark.slow]

TOOLS = {"Xvfb": "xvfb", "trayer": "trayer", "xdotool": "xdotool", "import": "imagemagick"}
APT = (
    "xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 "
    "libxcb-shape0 trayer xdotool imagemagick"
)
STEP_S = 20.0  # for any one thing to show up
RUN_S = 60.0  # for the run to end


def _missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


if not sys.platform.startswith("linux"):
    pytest.skip("the real-tray test uses Xvfb and trayer (Linux)", allow_module_level=True)
if missing := _missing_tools():
    pytest.skip(
        f"the real-tray test needs {', '.join(missing)} "
        f"(apt-get install -y --no-install-recommends {APT})",
        allow_module_level=True,
    )


class App:
    """The tray app in its own process, and what it reports (tests/gui/real_tray_app.py)."""

    def __init__(self, started: Started, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        with log.open("w") as err:
            self.proc = started.add(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.gui.real_tray_app"],
                    cwd=REPO,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    text=True,
                )
            )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                self.events.put({"event": "noise", "line": line})

    def expect(self, event: str, timeout: float = STEP_S, **match: Any) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                got = self.events.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.events.empty():
                    break
                continue
            seen.append(got)
            if got.get("event") == "no-tray":
                pytest.fail(f"the app found no system tray; its log: {self.log.read_text()}")
            if got.get("event") == event and all(got.get(k) == v for k, v in match.items()):
                return got
        pytest.fail(
            f"no {event} {match or ''} from the app within {timeout}s; it said {seen}; "
            f"exit code {self.proc.poll()}; its log: {self.log.read_text()}"
        )


def center(geometry: list[int]) -> tuple[int, int]:
    x, y, w, h = geometry
    return x + w // 2, y + h // 2


def screenshot(env: dict[str, str], path: Path) -> QImage:
    subprocess.run(["import", "-window", "root", str(path)], env=env, check=True, timeout=30)
    image = QImage(str(path))
    assert not image.isNull(), path
    return image


def shot_until(
    env: dict[str, str], path: Path, check: Any, what: str, timeout: float = STEP_S
) -> QImage:
    """Screenshots until `check(image)` holds: the X server paints a moment after Qt."""
    deadline = time.monotonic() + timeout
    while True:
        image = screenshot(env, path)
        if check(image):
            return image
        assert time.monotonic() < deadline, f"{what}: see {path}"
        time.sleep(0.3)


def drawn(geometry: list[int]) -> Any:
    """Not a flat slot: the region holds an antialiased drawing (or text)."""
    return lambda image: len({c.rgb() for c in colours(image, geometry)}) > 3


def colours(image: QImage, geometry: list[int]) -> list[QColor]:
    x, y, w, h = geometry
    return [QColor(image.pixel(i, j)) for j in range(y, y + h) for i in range(x, x + w)]


def greenish(colour: QColor) -> bool:
    return colour.green() > colour.red() + 40 and colour.green() > colour.blue() + 20


def test_real_tray_icon_menu_and_sync_now(world: World, tmp_path: Path, qapp: Any) -> None:
    world.add("corp")
    shots = tmp_path / "shots"
    shots.mkdir()
    started = Started()
    try:
        try:
            # The tray host first: it must own _NET_SYSTEM_TRAY_S0 for the app to embed.
            xenv = start_desktop(started, tmp_path)
        except RuntimeError as exc:
            pytest.fail(f"Xvfb + trayer did not come up: {exc}")
        app_env = {**xenv, "QT_QPA_PLATFORM": "xcb", "QT_ENABLE_HIGHDPI_SCALING": "0"}
        app = App(started, app_env, tmp_path / "app.log")

        def xdotool(*args: str) -> None:
            subprocess.run(["xdotool", *args], env=xenv, check=True, timeout=10)

        def click(point: tuple[int, int], button: str = "1") -> None:
            xdotool("mousemove", str(point[0]), str(point[1]))
            time.sleep(0.3)  # let the hover land before the press
            xdotool("click", button)

        # 1. The icon is in the tray, drawn (not an empty slot), showing "never synced".
        tray = app.expect("tray")
        assert tray["state"] == "never"
        geometry = tray["geometry"]
        shot_until(xenv, shots / "1-icon.png", drawn(geometry), f"no icon at {geometry}")

        # 2. A right click opens the menu, rebuilt with the instance in it.
        click(center(geometry), "3")
        menu = app.expect("menu", title="")
        for entry in ("Sync now", "Instances…", "Pause all schedules", "Quit"):
            assert entry in menu["items"], menu
        assert any(e.startswith("corp — never synced") for e in menu["items"]), menu
        shot_until(xenv, shots / "2-menu.png", drawn(menu["geometry"]), "no menu drawn")

        # 3. Sync now ▸ corp.
        click(center(menu["items"]["Sync now"]))
        submenu = app.expect("menu", title="Sync now")
        assert set(submenu["items"]) >= {"corp", "All instances"}, submenu
        shot_until(xenv, shots / "3-sync-now.png", drawn(submenu["geometry"]), "no submenu")
        click(center(submenu["items"]["corp"]))
        app.expect("action", text="corp")

        # 4. The run ends ok in the status, as a manual run; the icon turns to ok.
        deadline = time.monotonic() + RUN_S
        item: dict[str, Any] = {}
        while time.monotonic() < deadline:
            item = json.loads(world.cli("status", "corp", "--json").out)[0]
            last = item.get("last_run") or {}
            if item["state"] == "ok" and last.get("trigger") == "manual":
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"no manual run ended ok within {RUN_S}s: {item}")
        shot_until(
            xenv,
            shots / "4-icon-ok.png",
            lambda image: sum(map(greenish, colours(image, geometry))) >= 20,
            "the tray icon did not turn to ok (green)",
        )

        # 5. A slower run, started from the menu, shows as running...
        first_run = item["last_run"]["started"]
        sim = world.tmp / "data" / "corp" / "simulator.json"
        sim.write_text(json.dumps({"scenario": "ok", "delay": 3, "cpu": 0}))
        click(center(geometry), "3")
        menu = app.expect("menu", title="")
        click(center(menu["items"]["Sync now"]))
        submenu = app.expect("menu", title="Sync now")
        click(center(submenu["items"]["corp"]))
        app.expect("action", text="corp")
        deadline = time.monotonic() + RUN_S
        while json.loads(world.cli("status", "corp", "--json").out)[0]["state"] != "running":
            assert time.monotonic() < deadline, "the second run never showed as running"
            time.sleep(0.2)

        # 6. ...and Quit ends the app cleanly while that run goes on to its end.
        click(center(geometry), "3")
        menu = app.expect("menu", title="")
        click(center(menu["items"]["Quit"]))
        app.expect("quit")
        assert app.proc.wait(STEP_S) == 0, app.log.read_text()
        deadline = time.monotonic() + RUN_S
        while True:
            item = json.loads(world.cli("status", "corp", "--json").out)[0]
            if item["state"] == "ok" and item["last_run"]["started"] != first_run:
                break
            assert time.monotonic() < deadline, f"the run did not outlive the tray: {item}"
            time.sleep(0.3)
    finally:
        started.stop_all()

"""The controller's debounce: a burst of writes costs one read; a stream does not stall it."""

from __future__ import annotations

import time
from typing import Any

from bwdc_tray.gui.controller import DEBOUNCE_MAX_MS, Controller
from bwdc_tray.paths import resolve
from tests.conftest import World


def test_a_stream_of_writes_still_refreshes_the_rows(world: World, qtbot: Any) -> None:
    world.add("corp")
    world.cli("run", "corp")
    controller = Controller(resolve(world.home))
    log = controller.row("corp").log
    reads: list[float] = []
    controller.rowsChanged.connect(lambda: reads.append(time.monotonic()))
    start = time.monotonic()
    # Writes 100 ms apart (closer than the 250 ms debounce) for three max-waits.
    while time.monotonic() - start < 3 * DEBOUNCE_MAX_MS / 1000:
        with log.open("a", encoding="utf-8") as fh:
            fh.write("\n")
        qtbot.wait(100)
    stream_end = time.monotonic()
    assert reads and reads[0] < stream_end, "no read while the writes kept coming"
    qtbot.waitUntil(lambda: not controller.busy, timeout=15_000)


def test_a_burst_of_writes_costs_one_read(world: World, qtbot: Any) -> None:
    world.add("corp")
    world.cli("run", "corp")
    controller = Controller(resolve(world.home))
    log = controller.row("corp").log
    reads: list[float] = []
    controller.rowsChanged.connect(lambda: reads.append(time.monotonic()))
    for _ in range(5):
        with log.open("a", encoding="utf-8") as fh:
            fh.write("\n")
        qtbot.wait(20)
    qtbot.waitUntil(lambda: bool(reads) and not controller.busy, timeout=15_000)
    qtbot.wait(400)
    assert len(reads) == 1

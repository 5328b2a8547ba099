"""The window opening, as bench/scale.py times it: `python bench/window_open.py HOME N`.

A QApplication, the Controller of HOME, the MainWindow shown; when the window is exposed and its
table holds N rows, prints one JSON line {"in_process": s, "window": s, "rows": N} and exits.
``in_process`` counts from this script's first line (imports included), ``window`` from the
Controller's creation. The parent times the whole, from the process start.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bwdc_tray.gui.controller import Controller  # noqa: E402
from bwdc_tray.gui.window import MainWindow  # noqa: E402
from bwdc_tray.paths import resolve  # noqa: E402


def main() -> int:
    home, wanted = sys.argv[1], int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    t_window = time.perf_counter()
    controller = Controller(resolve(home))
    window = MainWindow(controller)
    window.show()
    if not QTest.qWaitForWindowExposed(window, 30_000):
        print(json.dumps({"error": "the window was never exposed"}), flush=True)
        return 1
    deadline = time.monotonic() + 60
    while window.model.rowCount() != wanted and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    now = time.perf_counter()
    rows = window.model.rowCount()
    print(
        json.dumps({"in_process": now - STARTED, "window": now - t_window, "rows": rows}),
        flush=True,
    )
    window.close()
    return 0 if rows == wanted else 1


if __name__ == "__main__":
    sys.exit(main())

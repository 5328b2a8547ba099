"""Shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def refresh(qtbot: Any) -> Callable[[Any], None]:
    """What the file watcher does after its debounce: read the rows again, and wait for them
    (the controller reads them on a worker thread)."""

    def do(controller: Any) -> None:
        controller.refresh()
        qtbot.waitUntil(lambda: not controller.busy, timeout=15_000)

    return do


@pytest.fixture(autouse=True)
def _free_qt_cycles_between_tests() -> Any:
    """Collect each test's garbage when it ends, while Qt is idle.

    Tests drop Controllers the app never drops (its own lives as long as it does), and some come
    back as reference cycles (a Controller and its child Notifier, which holds it). Left to the
    collector, such a cycle is freed at whatever allocation triggers it, and freeing it in the
    middle of the next test's widget construction has crashed the interpreter (a segfault in
    QTableView.setModel, depending only on how many objects the collected test modules made).
    """
    yield
    import gc

    gc.collect()

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

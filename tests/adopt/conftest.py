"""The `machine` fixture shared by the discovery tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.machine import Machine


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)

"""`schedule sync` over many instances reads the configuration once, not once per instance
(bench/scale.py: that made it quadratic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwdc_tray.config import ConfigStore
from tests.conftest import World


def test_sync_loads_the_config_once(
    world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"site-{i}" for i in range(4)]
    for i, name in enumerate(names):
        world.add(name, secrets=False)
        res = world.cli("schedule", "set", name, f"daily 0{i}:1{i}", "--no-apply")
        assert res.code == 0, res.err
    loads = 0
    real_load = ConfigStore.load

    def counting_load(self: ConfigStore) -> object:
        nonlocal loads
        loads += 1
        return real_load(self)

    monkeypatch.setattr(ConfigStore, "load", counting_load)
    res = world.cli("schedule", "sync")
    assert res.code == 0, res.err
    assert res.out.splitlines() == [f"{name}: installed" for name in names]
    assert loads == 1
    loads = 0
    res = world.cli("schedule", "sync")
    assert res.out.splitlines() == [f"{name}: in sync" for name in names]
    assert loads == 1

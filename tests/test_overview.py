"""What the tray and window show: one row per instance, pause/resume, detached runs."""

from __future__ import annotations

import json
import time

from bwdc_tray import overview
from bwdc_tray.launch import start_run
from bwdc_tray.paths import resolve
from tests.conftest import World


def test_rows_and_the_worst_state(world: World, fake_crontab) -> None:
    world.add("good")
    world.add("bad", "ldap-unreachable")
    world.add("new")
    world.cli("run", "good")
    world.cli("run", "bad")
    world.cli("schedule", "set", "good", "daily", "02:00")
    rows = {r.name: r for r in overview.rows(resolve(world.home))}
    assert rows["good"].state == "ok" and rows["good"].job == "in-sync"
    assert rows["good"].description == "At 02:00" or rows["good"].description
    assert rows["good"].next_run is not None and rows["good"].last_finished is not None
    assert rows["good"].directory == "LDAP / Active Directory"
    assert rows["bad"].state == "failed" and rows["new"].state == "never"
    assert overview.worst_state(list(rows.values())) == "failed"
    assert overview.worst_state([rows["good"], rows["new"]]) == "never"


def test_pause_and_resume_all(world: World, fake_crontab) -> None:
    world.add("a", secrets=False)
    world.add("b", secrets=False)
    world.cli("schedule", "set", "a", "hourly")
    res = world.cli("schedule", "pause")
    assert res.code == 0 and "a: paused" in res.out
    item = json.loads(world.cli("status", "a", "--json").out)[0]
    assert item["job"] == "none" and item["next_run"] is None and item["schedule"] == "0 * * * *"
    rows = {r.name: r for r in overview.rows(resolve(world.home))}
    assert rows["a"].state == "paused" and rows["b"].state == "never"
    assert "paused" in world.cli("schedule", "sync").out
    res = world.cli("schedule", "resume")
    assert res.code == 0 and "a: resumed" in res.out
    item = json.loads(world.cli("status", "a", "--json").out)[0]
    assert item["job"] == "in-sync" and item["next_run"] is not None


def test_a_detached_run_goes_through_the_runner(world: World) -> None:
    world.add("corp")
    start_run(resolve(world.home), "corp")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        item = json.loads(world.cli("status", "corp", "--json").out)[0]
        if item["state"] == "ok":
            break
        time.sleep(0.1)
    assert item["state"] == "ok" and item["last_run"]["trigger"] == "manual"


def test_status_and_rows_ask_the_scheduler_once_for_all_instances(
    world: World, fake_crontab
) -> None:
    for name in ("a", "b", "c"):
        world.add(name, secrets=False)
        world.cli("schedule", "set", name, "hourly")
    log = fake_crontab / "calls.log"
    log.write_text("")
    assert world.cli("status", "--json").code == 0
    assert log.read_text().splitlines() == ["-l"]
    log.write_text("")
    assert len(overview.rows(resolve(world.home))) == 3
    assert log.read_text().splitlines() == ["-l"]

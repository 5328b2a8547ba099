"""`status` and `log`: what an admin reads, from runner logs and hand-made recipe logs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import World

RECIPE_LOG = """\
Mon Nov 30 01:00:01 UTC 2026
Syncing complete.
Synced 5 group(s) and 20 user(s).
Mon Nov 30 02:00:01 UTC 2026
connect ECONNREFUSED 127.0.0.1:1389
"""


def _status(world: World, name: str) -> dict:
    res = world.cli("status", name, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)[0]


def test_shape_matches_the_contract(world: World) -> None:
    world.add("corp", secrets=True)
    world.cli("run", "corp")
    item = _status(world, "corp")
    assert set(item) == {"name", "label", "state", "last_run", "next_run", "schedule", "job"}
    assert set(item["last_run"]) == {
        "started",
        "finished",
        "result",
        "exit_code",
        "groups",
        "users",
        "message",
        "trigger",
        "source",
    }
    assert item["job"] == "none" and item["next_run"] is None
    assert "+" in item["last_run"]["started"] or item["last_run"]["started"].endswith("Z")


def test_never_run_instance(world: World) -> None:
    world.add("corp")
    item = _status(world, "corp")
    assert item["state"] == "never" and item["last_run"] is None


def test_hand_made_recipe_log_is_foreign(world: World) -> None:
    appdata = world.add("corp", secrets=False)
    (appdata / "bwdc.log").write_text(RECIPE_LOG)
    item = _status(world, "corp")
    assert item["state"] == "failed"
    last = item["last_run"]
    assert last["source"] == "foreign" and last["trigger"] == "unknown"
    assert last["message"] == "connect ECONNREFUSED 127.0.0.1:1389"
    assert last["started"].startswith("2026-11-30T02:00:01")


def test_recipe_log_without_date_lines_uses_the_files_time(world: World) -> None:
    appdata = world.add("corp", secrets=False)
    log = appdata / "bwdc.log"
    log.write_text("Syncing complete.\nSynced 3 group(s) and 42 user(s).\n")
    os.utime(log, (1_790_000_000, 1_790_000_000))
    last = _status(world, "corp")["last_run"]
    assert (last["result"], last["groups"], last["users"]) == ("ok", 3, 42)
    assert last["finished"] is not None and last["started"] is None


def test_binary_junk_in_the_log_is_a_status_not_a_traceback(world: World) -> None:
    appdata = world.add("corp")
    world.cli("run", "corp")
    with (appdata / "bwdc.log").open("ab") as fh:
        fh.write(os.urandom(4096) + b"\x00\xff\xfe\n")
    res = world.cli("status", "corp", "--json")
    assert res.code == 0 and "Traceback" not in res.err
    world.cli("run", "corp")
    assert _status(world, "corp")["state"] == "ok"


def test_unreadable_log_is_unknown(world: World, tmp_path: Path) -> None:
    world.add("corp")
    res = world.cli(
        "instance",
        "add",
        "odd",
        "--appdata",
        str(tmp_path / "odd"),
        "--bwdc",
        str(world.bwdc),
        "--log",
        str(tmp_path),
    )  # a folder, not a file
    assert res.code == 0
    item = _status(world, "odd")
    assert item["state"] == "unknown"


def test_log_prints_the_last_runs(world: World) -> None:
    world.add("corp")
    world.cli("run", "corp")
    world.cli("run", "corp", "--dry-run")
    res = world.cli("log", "corp", "--runs", "2")
    assert res.code == 0
    assert res.out.count("==== bwdc-tray start") == 2
    assert res.out.count("==== bwdc-tray end") == 2
    one = world.cli("log", "corp")
    assert one.out.count("==== bwdc-tray start") == 1 and '"mode":"test"' in one.out
    assert world.cli("log", "corp", "--runs", "0").code == 2


def test_status_table_for_humans(world: World) -> None:
    world.add("corp")
    world.add("ldap", "ldap-unreachable")
    world.cli("run", "corp")
    world.cli("run", "ldap")
    res = world.cli("status")
    assert res.code == 0
    assert "corp" in res.out and "ok" in res.out and "20" in res.out
    assert "ECONNREFUSED" in res.out

"""`instance add/list/show/remove` and the config file behind them."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from tests.conftest import SHARED, World
from tests.support.platforms import posix_only


def test_add_list_show_remove_round_trip(world: World) -> None:
    appdata = world.add("corp-ad", secrets=False)
    res = world.cli("instance", "list", "--json")
    assert res.code == 0
    [item] = json.loads(res.out)
    assert item["name"] == "corp-ad"
    assert item["appdata"] == str(appdata)
    assert item["directory"] == "LDAP / Active Directory"
    assert item["log"] == str(appdata / "bwdc.log")

    shown = json.loads(world.cli("instance", "show", "corp-ad", "--json").out)
    assert shown["data_json"]["organization_id"] == "00000000-0000-4000-8000-000000000000"
    assert shown["data_json"]["server"] == "http://127.0.0.1:8087"

    res = world.cli("instance", "remove", "corp-ad")
    assert res.code == 0
    assert "instance add corp-ad --appdata" in res.out and "to undo: bwdc-tray --home" in res.out
    assert appdata.is_dir() and (appdata / "data.json").exists()  # never deleted
    assert json.loads(world.cli("instance", "list", "--json").out) == []


@pytest.mark.parametrize("name", ["", "-x", ".hidden", "a b", "a/b", "x" * 65, "é", "a\nb"])
def test_bad_names_are_refused_with_the_rule(world: World, name: str) -> None:
    res = world.cli("instance", "add", "--appdata", str(world.tmp / "d"), "--", name)
    assert res.code == 2
    assert "letters, digits" in res.err
    assert not (world.home / "instances.json").exists()


@pytest.mark.parametrize("value", ["0", "-5", "abc", "nan", "inf"])
def test_bad_timeouts_are_refused(world: World, value: str) -> None:
    res = world.cli("instance", "add", "x", "--appdata", str(world.tmp / "d"), "--timeout", value)
    assert res.code == 2
    assert "--timeout" in res.err


def test_label_is_free_text(world: World) -> None:
    label = 'Corp "AD" — Zürich\'s ✓ $(rm -rf /)'
    res = world.cli(
        "instance",
        "add",
        "corp",
        "--appdata",
        str(world.tmp / "d"),
        "--bwdc",
        str(world.bwdc),
        "--label",
        label,
        "--timeout",
        "90.5",
    )
    assert res.code == 0, res.err
    [item] = json.loads(world.cli("instance", "list", "--json").out)
    assert item["label"] == label
    assert item["timeout"] == 90.5


def test_duplicate_name_and_shared_appdata_refused(world: World) -> None:
    world.add("a", secrets=False)
    assert world.cli("instance", "add", "a", "--appdata", str(world.tmp / "other")).code == 2
    res = world.cli("instance", "add", "b", "--appdata", str(world.tmp / "data" / "a"))
    assert res.code == 2
    assert "already used by 'a'" in res.err


def test_missing_bwdc_path_is_named(world: World) -> None:
    res = world.cli(
        "instance",
        "add",
        "a",
        "--appdata",
        str(world.tmp / "d"),
        "--bwdc",
        str(world.tmp / "nope" / "bwdc"),
    )
    assert res.code == 2
    assert "--bwdc" in res.err


@posix_only("POSIX file modes: 0600")
def test_config_file_is_private_and_atomic(world: World) -> None:
    world.add("a", secrets=False)
    cfg = world.home / "instances.json"
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert not [p for p in cfg.parent.iterdir() if p.name.endswith(".tmp")]


def test_corrupt_config_is_kept_aside_and_reported(world: World) -> None:
    world.home.mkdir()
    cfg = world.home / "instances.json"
    cfg.write_text('{"instances": {"a": ')
    res = world.cli("instance", "list")
    assert res.code == 5
    assert "not a valid bwdc-tray configuration" in res.err
    assert "Traceback" not in res.err
    copies = list(world.home.glob("instances.json.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_text() == '{"instances": {"a": '
    # A write is refused too: the broken file is never replaced behind the user's back.
    res = world.cli("instance", "add", "b", "--appdata", str(world.tmp / "d"))
    assert res.code == 5
    assert cfg.read_text() == '{"instances": {"a": '
    assert len(list(world.home.glob("instances.json.corrupt-*"))) == 1


def test_unknown_keys_survive_a_rewrite(world: World) -> None:
    world.add("a", secrets=False)
    cfg = world.home / "instances.json"
    doc = json.loads(cfg.read_text())
    doc["instances"]["a"]["future_field"] = {"x": 1}
    cfg.write_text(json.dumps(doc))
    world.add("b", secrets=False)
    assert json.loads(cfg.read_text())["instances"]["a"]["future_field"] == {"x": 1}


def test_home_option_and_env(world: World, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    res = world.cli(
        "--home",
        str(other),
        "instance",
        "add",
        "x",
        "--appdata",
        str(tmp_path / "d"),
        "--bwdc",
        str(world.bwdc),
    )
    assert res.code == 0
    assert (other / "instances.json").exists()
    assert not (world.home / "instances.json").exists()


def test_unknown_instance_names_the_known_ones(world: World) -> None:
    world.add("corp", secrets=False)
    res = world.cli("instance", "show", "crop")
    assert res.code == 2
    assert "no instance named 'crop'" in res.err and "corp" in res.err


def test_show_with_corrupt_data_json_is_a_clear_message(world: World) -> None:
    appdata = world.add("a", secrets=False)
    (appdata / "data.json").write_bytes(b"\x00\xff{not json")
    before = (appdata / "data.json").read_bytes()
    res = world.cli("instance", "show", "a")
    assert res.code == 0
    assert "not valid JSON" in res.out
    assert (appdata / "data.json").read_bytes() == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_data_json_read_never_modifies(world: World) -> None:
    sample = SHARED / "fixtures" / "bwdc-captures" / "data.json"
    if not sample.exists():
        pytest.skip("shared/ fixtures absent")
    appdata = world.tmp / "copy"
    appdata.mkdir()
    (appdata / "data.json").write_bytes(sample.read_bytes())
    os.utime(appdata / "data.json", (1_000_000_000, 1_000_000_000))
    res = world.cli("instance", "add", "a", "--appdata", str(appdata), "--bwdc", str(world.bwdc))
    assert res.code == 0
    world.cli("instance", "show", "a")
    st = (appdata / "data.json").stat()
    assert st.st_mtime == 1_000_000_000
    assert (appdata / "data.json").read_bytes() == sample.read_bytes()


@posix_only("symlinks, which Windows allows only to administrators or in developer mode")
def test_a_symlink_to_a_used_data_folder_is_refused(world: World) -> None:
    appdata = world.add("a", secrets=False)
    link = world.tmp / "link"
    link.symlink_to(appdata)
    res = world.cli("instance", "add", "b", "--appdata", str(link) + "/../a")
    assert res.code == 2 and "already used by 'a'" in res.err
    res = world.cli("instance", "add", "c", "--appdata", str(link))
    assert res.code == 2


def test_unwritable_home_is_a_message_not_a_traceback(world: World, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    res = world.cli(
        "--home",
        str(blocker / "home"),
        "instance",
        "add",
        "a",
        "--appdata",
        str(tmp_path / "d"),
        "--bwdc",
        str(world.bwdc),
    )
    assert res.code == 5
    assert "cannot use" in res.err and "Traceback" not in res.err


def _listed(world: World, name: str) -> dict[str, object]:
    items = json.loads(world.cli("instance", "list", "--json").out)
    found: dict[str, object] = next(i for i in items if i["name"] == name)
    return found


def test_set_changes_fields_and_says_what_changed(world: World) -> None:
    appdata = world.add("corp", secrets=False)
    res = world.cli(
        "instance",
        "set",
        "corp",
        "--label",
        "Corp AD",
        "--timeout",
        "90",
        "--log",
        str(world.tmp / "corp.log"),
    )
    assert res.code == 0, res.err
    assert "corp: label - -> Corp AD" in res.out
    assert "corp: timeout 60 -> 90" in res.out
    assert f"corp: log {appdata / 'bwdc.log'} -> {world.tmp / 'corp.log'}" in res.out
    item = _listed(world, "corp")
    assert (item["label"], item["timeout"], item["log"]) == (
        "Corp AD",
        90,
        str(world.tmp / "corp.log"),
    )

    # Empty values return to the defaults; the same values change nothing.
    res = world.cli("instance", "set", "corp", "--label", "", "--log", "")
    assert res.code == 0 and _listed(world, "corp")["label"] is None
    assert _listed(world, "corp")["log"] == str(appdata / "bwdc.log")
    res = world.cli("instance", "set", "corp", "--timeout", "90")
    assert res.out == "corp: nothing changed\n"


def test_set_checks_like_add_and_changes_nothing_on_error(world: World) -> None:
    world.add("corp", secrets=False)
    other = world.add("branch", secrets=False)
    before = (world.home / "instances.json").read_bytes()
    for args, words in (
        ((), "nothing to change"),
        (("--timeout", "0"), "positive number of seconds"),
        (("--appdata", str(other)), "already used by 'branch'"),
        (("--bwdc", str(world.tmp / "nope")), "bwdc"),
        (("--label", "x" * 513), "512 characters"),
    ):
        res = world.cli("instance", "set", "corp", *args)
        assert res.code == 2, (args, res.out)
        assert words in res.err, (args, res.err)
    assert (world.home / "instances.json").read_bytes() == before
    assert world.cli("instance", "set", "ghost", "--label", "x").code == 2


@pytest.mark.slow
def test_set_refuses_to_move_a_running_instance_but_relabels_it(world: World) -> None:
    world.add("corp", delay=2.0)
    world.cli("run", "corp", "--dry-run")  # probe the version first
    run = world.proc("run", "corp", background=True)
    try:
        deadline = time.monotonic() + 30
        while json.loads(world.cli("status", "corp", "--json").out)[0]["state"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        res = world.cli("instance", "set", "corp", "--login", "keychain")
        assert res.code == 3
        assert "running right now" in res.err
        assert world.cli("instance", "set", "corp", "--label", "busy").code == 0
        run.communicate(timeout=60)
        assert run.returncode == 0
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert world.cli("instance", "set", "corp", "--login", "keychain").code == 0
    assert _listed(world, "corp")["login"] == "keychain"

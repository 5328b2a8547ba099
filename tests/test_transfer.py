"""`export` / `import`: configuration only, validated before anything is written."""

from __future__ import annotations

import json

from tests.conftest import CANARY, World


def test_round_trip_without_secrets(world: World) -> None:
    world.add("a")
    world.add("b", login="keychain")
    exported = world.tmp / "export.json"
    assert world.cli("export", str(exported)).code == 0
    text = exported.read_text()
    assert CANARY not in text and "client" not in text
    assert world.cli("instance", "remove", "a").code == 0
    res = world.cli("import", str(exported))
    assert res.code == 0
    assert "added a" in res.out and "skipped b" in res.out
    names = [i["name"] for i in json.loads(world.cli("instance", "list", "--json").out)]
    assert sorted(names) == ["a", "b"]


def test_invalid_import_writes_nothing(world: World) -> None:
    world.add("a", secrets=False)
    before = (world.home / "instances.json").read_bytes()
    bad = {
        "format": "bwdc-tray-export",
        "version": 1,
        "instances": {
            "good": {"appdata": str(world.tmp / "g")},
            "bad name": {"appdata": str(world.tmp / "x")},
        },
    }
    path = world.tmp / "bad.json"
    path.write_text(json.dumps(bad))
    res = world.cli("import", str(path))
    assert res.code == 2
    assert "nothing was imported" in res.err and "bad name" in res.err
    assert (world.home / "instances.json").read_bytes() == before
    path.write_text("[]")
    assert world.cli("import", str(path)).code == 2
    relative = {"format": "bwdc-tray-export", "instances": {"r": {"appdata": "rel/path"}}}
    path.write_text(json.dumps(relative))
    res = world.cli("import", str(path))
    assert res.code == 2 and "absolute" in res.err


def test_import_from_stdin_with_replace(world: World) -> None:
    world.add("a", secrets=False)
    doc = json.loads(world.cli("export").out)
    doc["instances"]["a"]["label"] = "changed"
    res = world.cli("import", "-", "--replace", stdin=json.dumps(doc))
    assert res.code == 0 and "replaced a" in res.out
    [item] = json.loads(world.cli("instance", "list", "--json").out)
    assert item["label"] == "changed"


def test_an_import_never_carries_a_secret(world: World) -> None:
    doc = {
        "format": "bwdc-tray-export",
        "instances": {"a": {"appdata": str(world.tmp / "a"), "client_secret": "oops"}},
    }
    res = world.cli("import", "-", stdin=json.dumps(doc))
    assert res.code == 2 and "looks like a secret" in res.err
    assert not (world.home / "instances.json").exists()


def test_import_refuses_a_shared_log(world: World) -> None:
    world.add("a", secrets=False)
    doc = {
        "format": "bwdc-tray-export",
        "instances": {
            "b": {
                "appdata": str(world.tmp / "b"),
                "log": str(world.tmp / "data" / "a" / "bwdc.log"),
            }
        },
    }
    res = world.cli("import", "-", stdin=json.dumps(doc))
    assert res.code == 2 and "already the log of 'a'" in res.err


def test_export_to_an_impossible_place_is_a_message(world: World) -> None:
    res = world.cli("export", str(world.tmp / "no" / "such" / "dir" / "x.json"))
    assert res.code == 2 and "cannot write" in res.err

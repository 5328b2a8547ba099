"""`bwdc-tray demo` on a machine without bwdc."""

from __future__ import annotations

import json

from tests.conftest import World


def test_demo_makes_three_instances_one_failing(world: World) -> None:
    home = world.tmp / "demo-home"
    res = world.proc("--home", str(home), "demo", "--no-gui")
    assert res.returncode == 0, res.stderr
    assert "okta-contractors" in res.stdout and "invalid_client" in res.stdout
    status = json.loads(world.proc("--home", str(home), "status", "--json").stdout)
    assert {s["name"]: s["state"] for s in status} == {
        "corp-ad": "ok",
        "cloud-entra": "ok",
        "okta-contractors": "failed",
    }
    # Run again: the demo home is reused, not duplicated.
    again = world.proc("--home", str(home), "demo", "--no-gui")
    assert again.returncode == 0
    assert (
        len(json.loads(world.proc("--home", str(home), "instance", "list", "--json").stdout)) == 3
    )


def test_demo_refuses_a_real_home(world: World) -> None:
    world.add("real", secrets=False)
    res = world.cli("--home", str(world.home), "demo", "--no-gui")
    assert res.code == 2
    assert "real instances" in res.err


def test_a_demo_home_never_stores_a_real_secret(world: World) -> None:
    home = world.tmp / "demo-home"
    assert world.proc("--home", str(home), "demo", "--no-gui").returncode == 0
    res = world.cli(
        "--home",
        str(home),
        "secret",
        "set",
        "corp-ad",
        "--stdin",
        stdin="organization.3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d\nreal\n",
    )
    assert res.code == 5 and "demo" in res.err

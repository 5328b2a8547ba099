"""Finding existing bwdc jobs on a machine: what discover() does across the sources."""

from __future__ import annotations

from bwdc_tray.adopt.discover import discover
from tests.fakes.machine import Machine

# --- already adopted ----------------------------------------------------------------------------


def test_a_job_on_a_folder_that_is_already_an_instance_says_so(
    world: object, machine: Machine
) -> None:
    from bwdc_tray.paths import resolve
    from tests.conftest import World

    assert isinstance(world, World)
    appdata = world.add("corp")
    machine.paths = resolve(str(world.home))
    table = f"0 1 * * * BITWARDENCLI_CONNECTOR_APPDATA_DIR={appdata} bwdc sync\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert any("already bwdc-tray's instance corp" in n for n in finding.notes)


def test_discover_keeps_its_published_signature() -> None:
    import inspect

    params = inspect.signature(discover).parameters
    assert list(params)[:7] == ["paths", "runner", "etc", "home", "platform", "env", "root"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n != "paths")

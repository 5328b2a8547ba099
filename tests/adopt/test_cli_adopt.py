"""`bwdc-tray adopt`: listing findings, importing one, replacing its job only when confirmed."""

from __future__ import annotations

import io
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from bwdc_tray import cli
from bwdc_tray.adopt.model import Finding
from bwdc_tray.config import ConfigStore
from bwdc_tray.paths import resolve
from tests.adopt.test_apply import cron_finding, cron_line, make_appdata, table_path, users_table
from tests.conftest import CliResult, World


@pytest.fixture
def found(world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """A crontab with one recipe line, and a discover() that finds it (and a job without a
    data folder)."""
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(users_table(line))
    findings = [
        cron_finding(world, appdata, line),
        Finding(
            kind="crontab",
            location="crontab of root, line 9",
            raw="*/5 * * * * /opt/sync.sh",
            schedule="*/5 * * * *",
            notes=("the script /opt/sync.sh cannot be read",),
        ),
    ]
    fake = types.ModuleType("bwdc_tray.adopt.discover")

    def discover(paths: Any, **_kw: Any) -> list[Finding]:
        return findings

    fake.discover = discover  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bwdc_tray.adopt.discover", fake)
    return findings


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def cli_with_tty(answer: str, *args: str) -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err, stdin=Tty(answer))
    return CliResult(code, out.getvalue(), err.getvalue())


def test_adopt_lists_what_it_found_as_json_without_the_raw_job(
    world: World, found: list[Finding]
) -> None:
    res = world.cli("adopt", "--json")
    assert res.code == 0, res.err
    items = json.loads(res.out)
    assert [i["id"] for i in items] == [f.id for f in found]
    assert set(items[0]) == {
        "id",
        "kind",
        "location",
        "part",
        "schedule",
        "schedule_text",
        "run_as",
        "appdata",
        "log",
        "bwdc",
        "script",
        "notes",
        "instance",
    }
    assert items[0]["schedule"] == "0 * * * *" and items[0]["instance"] is None
    assert items[1]["notes"] == ["the script /opt/sync.sh cannot be read"]
    assert "raw" not in res.out


def test_adopt_lists_what_it_found_for_people(world: World, found: list[Finding]) -> None:
    res = world.cli("adopt")
    assert res.code == 0, res.err
    assert f"{found[0].id}  crontab:" in res.out and "schedule: 0 * * * *" in res.out
    assert "data:     - (not found)" in res.out
    assert "bwdc-tray adopt ID" in res.out


def test_an_unknown_id_is_refused_listing_the_known_ones(
    world: World, found: list[Finding]
) -> None:
    res = world.cli("adopt", "deadbeef")
    assert res.code == 2
    assert "no finding with id 'deadbeef'" in res.err
    assert found[0].id in res.err and found[1].id in res.err


def test_adopt_id_imports_the_job_and_leaves_the_old_one_running(
    world: World, found: list[Finding], fake_crontab: Path
) -> None:
    before = table_path(fake_crontab).read_text()
    res = world.cli("adopt", found[0].id, "--label", "Corp AD")
    assert res.code == 0, res.err
    assert "added the instance corp" in res.out
    assert "keeps running" in res.out and "secret set corp" in res.out
    assert table_path(fake_crontab).read_text() == before
    inst = ConfigStore(resolve()).load().get("corp")
    assert inst.label == "Corp AD" and inst.schedule is None
    listed = json.loads(world.cli("adopt", "--json").out)
    assert listed[0]["instance"] == "corp"


def test_a_finding_without_data_folder_is_refused_naming_the_fix(
    world: World, found: list[Finding]
) -> None:
    res = world.cli("adopt", found[1].id)
    assert res.code == 2
    assert "no data folder" in res.err and "fix: add it by hand" in res.err


def test_replace_without_a_terminal_is_refused_unless_yes_is_given(
    world: World, found: list[Finding], fake_crontab: Path
) -> None:
    before = table_path(fake_crontab).read_text()
    res = world.cli("adopt", found[0].id, "--replace")
    assert res.code == 2
    assert "no terminal" in res.err and "--yes" in res.err
    assert table_path(fake_crontab).read_text() == before
    assert ConfigStore(resolve()).load().instances == {}


def test_replace_asks_on_a_terminal_and_no_changes_nothing(
    world: World, found: list[Finding], fake_crontab: Path
) -> None:
    before = table_path(fake_crontab).read_text()
    res = cli_with_tty("n\n", "adopt", found[0].id, "--replace")
    assert res.code == 2
    assert f"Replace crontab job {found[0].location}" in res.err
    assert "A backup goes to" in res.err and "nothing was changed" in res.err
    assert table_path(fake_crontab).read_text() == before


def test_replace_confirmed_on_a_terminal_replaces_the_line(
    world: World, found: list[Finding], fake_crontab: Path
) -> None:
    res = cli_with_tty("y\n", "adopt", found[0].id, "--replace", "--name", "ad")
    assert res.code == 0, res.err
    table = table_path(fake_crontab).read_text()
    assert found[0].raw not in table and "# BEGIN bwdc-tray ad@" in table
    assert "backup of the old job:" in res.out and "adopt --restore" in res.out


def test_replace_yes_json_then_backups_and_restore_round_trip(
    world: World, found: list[Finding], fake_crontab: Path
) -> None:
    before = table_path(fake_crontab).read_text()
    res = world.cli("adopt", found[0].id, "--replace", "--yes", "--json")
    assert res.code == 0, res.err
    done = json.loads(res.out)
    assert done["id"] == found[0].id and done["name"] == "corp" and done["replaced"] is True
    assert done["schedule"] == "0 * * * *" and Path(done["backup"]).is_file()
    assert any("secret set corp" in n for n in done["notes"])

    backups = world.cli("adopt", "--backups", "--json")
    [item] = json.loads(backups.out)
    assert item["instance"] == "corp" and item["kind"] == "crontab" and not item["restored"]

    res = world.cli("adopt", "--restore", item["file"])
    assert res.code == 0, res.err
    assert "put the line back" in res.out
    assert table_path(fake_crontab).read_text() == before
    assert "(restored " in world.cli("adopt", "--backups").out


def test_restoring_an_unknown_backup_lists_the_known_ones(
    world: World, found: list[Finding]
) -> None:
    res = world.cli("adopt", "--restore", "nope")
    assert res.code == 2
    assert "no backup 'nope' (backups: none)" in res.err


def test_options_that_need_an_id_say_so(world: World, found: list[Finding]) -> None:
    res = world.cli("adopt", "--replace", "--yes")
    assert res.code == 2 and "--replace, --yes needs the ID of a finding" in res.err
    res = world.cli("adopt", found[0].id, "--backups")
    assert res.code == 2 and "cannot be combined" in res.err


def test_the_real_discovery_finds_a_recipe_line_that_adopt_then_replaces_and_restores(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    before = users_table(line)
    table.write_text(before)
    listed = world.cli("adopt", "--json")
    assert listed.code == 0, listed.err
    [item] = [i for i in json.loads(listed.out) if i["appdata"] == str(appdata)]
    assert item["kind"] == "crontab" and item["schedule"] == "0 * * * *"

    res = world.cli("adopt", item["id"], "--replace", "--yes")
    assert res.code == 0, res.err
    assert line not in table.read_text() and "# BEGIN bwdc-tray corp@" in table.read_text()
    inst = ConfigStore(resolve()).load().get("corp")
    assert inst.log_path == appdata / "bwdc.log"
    backup = json.loads(world.cli("adopt", "--backups", "--json").out)[0]["file"]
    assert world.cli("adopt", "--restore", backup).code == 0
    assert table.read_text() == before

"""Importing a found bwdc job as an instance, replacing its old job, and undoing that."""

from __future__ import annotations

import getpass
import json
import os
import plistlib
import stat
from pathlib import Path

import pytest

from bwdc_tray.adopt import apply
from bwdc_tray.adopt.model import Finding
from bwdc_tray.config import ConfigStore
from bwdc_tray.errors import EnvironmentProblem
from bwdc_tray.paths import Paths, resolve
from bwdc_tray.schedule import jobs
from tests.conftest import World
from tests.fakes.commands import FakeRunner

RECIPE_LOG = """\
Mon Nov 30 01:00:01 UTC 2026
Syncing complete.
Synced 5 group(s) and 20 user(s).
Mon Nov 30 02:00:01 UTC 2026
connect ECONNREFUSED 127.0.0.1:1389
"""


def make_appdata(world: World, name: str = "corp", log: str | None = RECIPE_LOG) -> Path:
    """A bwdc data folder as a hand-made recipe leaves it: data.json and its `>> bwdc.log`."""
    from bwdc_tray.demo.setup import _seed_data_json

    appdata = world.tmp / "srv" / name
    appdata.mkdir(parents=True, mode=0o700)
    _seed_data_json(appdata, 0, "http://127.0.0.1:8087")
    (appdata / "simulator.json").write_text(json.dumps({"scenario": "ok"}))
    if log is not None:
        (appdata / "bwdc.log").write_text(log)
    return appdata


def cron_line(appdata: Path, bwdc: Path, when: str = "0 * * * *") -> str:
    return (
        f"{when} BITWARDENCLI_CONNECTOR_APPDATA_DIR={appdata} {bwdc} sync "
        f">> {appdata}/bwdc.log 2>&1"
    )


def cron_finding(world: World, appdata: Path, line: str, **changes: object) -> Finding:
    fields: dict[str, object] = {
        "kind": "crontab",
        "location": f"crontab of {getpass.getuser()}, line 3",
        "raw": line,
        "schedule": "0 * * * *",
        "schedule_text": "every hour",
        "command": line.split(" ", 5)[-1],
        "bwdc": str(world.bwdc),
        "appdata": str(appdata),
        "log": str(appdata / "bwdc.log"),
    }
    fields.update(changes)
    return Finding(**fields)  # type: ignore[arg-type]


def table_path(store: Path, user: str | None = None) -> Path:
    return store / (user or getpass.getuser())


def paths() -> Paths:
    return resolve()


def users_table(line: str) -> str:
    return (
        "# m h dom mon dow command\n"
        "MAILTO=admin@example.com\n"
        f"{line}\n"
        "\n"
        "0 4 * * * /usr/bin/backup --all  # nightly\n"
    )


def status_of(world: World, name: str) -> dict[str, object]:
    res = world.cli("status", name, "--json")
    assert res.code == 0, res.err
    item: dict[str, object] = json.loads(res.out)[0]
    return item


# --- importing ------------------------------------------------------------------------------------


def test_an_imported_job_keeps_its_log_as_history_until_bwdc_trays_own_runs_follow(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(users_table(line))
    done = apply.adopt(paths(), cron_finding(world, appdata, line), "corp")

    assert not done.replaced and done.backup is None
    assert done.inst.log_path == appdata / "bwdc.log" and done.inst.bwdc == str(world.bwdc)
    assert table.read_text() == users_table(line), "the old job stays as it was"
    assert any("keeps running" in n and "--replace" in n for n in done.notes)
    assert any("secret set corp" in n for n in done.notes)
    inst = ConfigStore(paths()).load().get("corp")
    assert inst.schedule is None, "no schedule of ours beside the old job"
    assert inst.extra["adopted"]["schedule"] == "0 * * * *"

    item = status_of(world, "corp")
    last = item["last_run"]
    assert isinstance(last, dict)
    assert item["state"] == "failed" and last["source"] == "foreign"
    assert last["message"] == "connect ECONNREFUSED 127.0.0.1:1389"
    assert item["job"] == "none"

    world.set_secrets("corp")
    assert world.cli("run", "corp").code == 0
    last = status_of(world, "corp")["last_run"]
    assert isinstance(last, dict)
    assert last["source"] == "runner" and last["result"] == "ok"
    assert (appdata / "bwdc.log").read_text().startswith(RECIPE_LOG), "history kept"


def test_a_finding_without_a_data_folder_is_refused_with_the_command_to_add_it(
    world: World,
) -> None:
    finding = Finding(kind="crontab", location="crontab of root, line 1", raw="* * * * * x")
    with pytest.raises(apply.AdoptRefused, match="no data folder") as caught:
        apply.adopt(paths(), finding, "corp")
    assert "instance add" in (caught.value.remedy or "")
    assert ConfigStore(paths()).load().instances == {}


def test_a_data_folder_that_is_already_an_instance_is_refused(world: World) -> None:
    appdata = world.add("corp", secrets=False)
    finding = cron_finding(world, appdata, cron_line(appdata, world.bwdc))
    with pytest.raises(apply.AdoptRefused, match="already used by the instance 'corp'"):
        apply.adopt(paths(), finding, "other")
    assert set(ConfigStore(paths()).load().instances) == {"corp"}


def test_importing_the_same_job_twice_says_it_is_already_imported(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    finding = cron_finding(world, appdata, cron_line(appdata, world.bwdc))
    apply.adopt(paths(), finding, "corp")
    with pytest.raises(apply.AdoptRefused, match="already imported as 'corp'") as caught:
        apply.adopt(paths(), finding, "corp")
    assert "--replace" in (caught.value.remedy or "")


def test_suggested_names_are_valid_unique_and_come_from_the_folder_or_the_script() -> None:
    def finding(appdata: str | None, script: str | None = None) -> Finding:
        return Finding(kind="crontab", location="x", raw="y", appdata=appdata, script=script)

    assert apply.suggest_name(finding("/srv/Corp LDAP"), set()) == "corp-ldap"
    assert apply.suggest_name(finding("/srv/corp"), {"corp", "corp-2"}) == "corp-3"
    default = "/home/u/.config/Bitwarden Directory Connector"
    assert apply.suggest_name(finding(default, "/opt/sync-ad.sh"), set()) == "sync-ad"
    assert apply.suggest_name(finding(None), {"bwdc"}) == "bwdc-2"
    assert apply.suggest_name(finding("/srv/ünï çødé"), set()) == "n-d"


# --- replacing a crontab line ---------------------------------------------------------------------


def test_replacing_removes_exactly_the_old_line_keeps_every_other_byte_and_installs_ours(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    before = users_table(line)
    table.write_text(before)
    done = apply.adopt(paths(), cron_finding(world, appdata, line), "corp", replace=True)

    assert done.replaced and done.backup is not None
    inst = ConfigStore(paths()).load().get("corp")
    assert inst.schedule == "0 * * * *"
    assert inst.extra["adopted"]["replaced"] is True
    ours = jobs.spec_for(paths(), inst)
    assert ours is not None
    from bwdc_tray.schedule.backends.crontab import CrontabBackend

    block = CrontabBackend().render(ours)
    assert table.read_text() == before.replace(line + "\n", "") + block
    assert jobs.inspect(paths(), inst).job == "in-sync"

    assert stat.S_IMODE(done.backup.stat().st_mode) == 0o600
    assert done.backup.parent == paths().state_dir / "adopt-backups"
    record = json.loads(done.backup.read_text())
    assert record["raw"] == line and record["kind"] == "crontab"
    assert record["location"].startswith("crontab of") and record["run_as"] is None
    assert any(str(done.backup) in d for d in done.done)
    assert any("adopt --restore" in n for n in done.notes)
    assert any("secret set corp" in n for n in done.notes)


def test_restore_puts_the_line_back_byte_for_byte_and_leaves_the_instance_without_schedule(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    before = users_table(line)
    table.write_text(before)
    done = apply.adopt(paths(), cron_finding(world, appdata, line), "corp", replace=True)
    assert done.backup is not None

    said = apply.restore(paths(), done.backup.name)
    assert table.read_text() == before
    assert any("put the line back" in s for s in said)
    inst = ConfigStore(paths()).load().get("corp")
    assert inst.schedule is None and inst.extra["adopted"]["replaced"] is False
    assert inst.log_path == appdata / "bwdc.log"
    [listed] = apply.list_backups(paths())
    assert listed["file"] == done.backup.name and listed["restored"]
    with pytest.raises(apply.InvalidInput, match="already restored"):
        apply.restore(paths(), done.backup.name)


def test_a_table_holding_only_the_old_line_is_replaced_and_restored(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(line + "\n")
    done = apply.adopt(paths(), cron_finding(world, appdata, line), "corp", replace=True)
    assert done.backup is not None
    assert line not in table.read_text() and "# BEGIN bwdc-tray corp" in table.read_text()
    apply.restore(paths(), str(done.backup))
    assert table.read_text() == line + "\n"


def test_replacing_is_refused_when_the_line_changed_since_discovery(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    edited = users_table(line.replace("0 * * * *", "30 * * * *", 1))
    table.write_text(edited)
    with pytest.raises(apply.JobChanged, match="no longer there") as caught:
        apply.adopt(paths(), cron_finding(world, appdata, line), "corp", replace=True)
    assert "adopt" in (caught.value.remedy or "")
    assert table.read_text() == edited
    assert ConfigStore(paths()).load().instances == {}
    assert apply.list_backups(paths()) == []


def test_replacing_is_refused_when_the_line_is_there_twice(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    doubled = users_table(line) + line + "\n"
    table.write_text(doubled)
    with pytest.raises(apply.JobChanged, match="2 times"):
        apply.adopt(paths(), cron_finding(world, appdata, line), "corp", replace=True)
    assert table.read_text() == doubled


def test_when_ours_cannot_be_installed_the_old_line_is_put_back(
    world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwdc_tray.schedule import manage

    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    before = users_table(line)
    table.write_text(before)

    def refuse(*_args: object, **_kw: object) -> None:
        assert line not in table.read_text(), "the old line is out when ours goes in"
        raise EnvironmentProblem("crontab refused the new table (simulated)")

    monkeypatch.setattr(manage, "apply_schedule", refuse)
    with pytest.raises(apply.RolledBack, match="old job was put back") as caught:
        apply.adopt(paths(), cron_finding(world, appdata, line), "corp", replace=True)
    assert "simulated" in caught.value.message
    assert table.read_text() == before
    inst = ConfigStore(paths()).load().get("corp")
    assert inst.schedule is None
    [backup] = apply.list_backups(paths())
    assert backup["restored"], "the backup says its job is back"


def test_a_schedule_without_a_cron_form_cannot_be_replaced_and_nothing_changes(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = f"@reboot {world.bwdc} sync"
    finding = cron_finding(world, appdata, line, schedule=None, schedule_text="at boot")
    with pytest.raises(apply.AdoptRefused, match="at boot") as caught:
        apply.adopt(paths(), finding, "corp", replace=True)
    assert "--no-apply" in (caught.value.remedy or "")
    assert ConfigStore(paths()).load().instances == {}


def test_one_sync_of_a_job_that_runs_several_cannot_replace_the_whole_job(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(users_table(line))
    finding = cron_finding(world, appdata, line, part="sync 1 of 2 (/opt/sync.sh line 3)")
    with pytest.raises(apply.AdoptRefused, match="also stop the others"):
        apply.adopt(paths(), finding, "corp", replace=True)
    assert table.read_text() == users_table(line)
    assert apply.adopt(paths(), finding, "corp").inst.name == "corp", "importing is fine"


def test_an_imported_job_can_be_replaced_later(world: World, fake_crontab: Path) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(users_table(line))
    finding = cron_finding(world, appdata, line)
    apply.adopt(paths(), finding, "corp")
    done = apply.adopt(paths(), finding, "ignored", replace=True)
    assert done.replaced and done.inst.name == "corp"
    assert line not in table.read_text()
    with pytest.raises(apply.AdoptRefused, match="already replaced") as caught:
        apply.adopt(paths(), finding, "corp", replace=True)
    assert done.backup is not None and done.backup.name in (caught.value.remedy or "")


def test_replacing_while_schedules_are_paused_is_refused(world: World, fake_crontab: Path) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab)
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(users_table(line))
    assert world.cli("schedule", "pause").code == 0
    with pytest.raises(apply.AdoptRefused, match="paused"):
        apply.adopt(paths(), cron_finding(world, appdata, line), "corp", replace=True)
    assert table.read_text() == users_table(line)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_job_in_a_dedicated_users_crontab_is_replaced_in_that_users_table(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    line = cron_line(appdata, world.bwdc)
    table = table_path(fake_crontab, "bwdcsvc")
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text("MAILTO=ops\n" + line + "\n")
    finding = cron_finding(world, appdata, line, run_as="bwdcsvc", location="crontab of bwdcsvc")
    done = apply.adopt(paths(), finding, "corp", replace=True)
    assert done.inst.run_as == "bwdcsvc"
    assert table.read_text().startswith("MAILTO=ops\n# BEGIN bwdc-tray corp@")
    assert not table_path(fake_crontab).exists(), "the current user's table is untouched"
    assert done.backup is not None
    apply.restore(paths(), done.backup.name)
    assert table.read_text() == "MAILTO=ops\n" + line + "\n"


# --- /etc/cron.d ----------------------------------------------------------------------------------


def cron_d_finding(world: World, appdata: Path) -> tuple[Finding, Path]:
    etc = world.tmp / "etc" / "cron.d"
    etc.mkdir(parents=True)
    path = etc / "bwdc"
    text = "SHELL=/bin/sh\n" + cron_line(appdata, world.bwdc).replace(" BIT", " root BIT", 1) + "\n"
    path.write_text(text)
    path.chmod(0o644)
    finding = cron_finding(
        world, appdata, text, kind="cron.d", location=str(path), artifact_path=str(path)
    )
    return finding, path


def test_a_cron_d_file_is_moved_into_the_backup_and_back(
    world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply, "_is_root", lambda: True)
    appdata = make_appdata(world)
    finding, path = cron_d_finding(world, appdata)
    text = path.read_bytes()
    done = apply.adopt(paths(), finding, "corp", replace=True)
    assert not path.exists()
    assert done.backup is not None
    moved = json.loads(done.backup.read_text())["restore"]["moved_to"]
    assert Path(moved).read_bytes() == text
    assert "# BEGIN bwdc-tray corp" in table_path(fake_crontab).read_text()

    apply.restore(paths(), done.backup.name)
    assert path.read_bytes() == text and stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not table_path(fake_crontab).exists(), "our job went with its schedule"


def test_replacing_a_cron_d_file_needs_root(
    world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply, "_is_root", lambda: False)
    appdata = make_appdata(world)
    finding, path = cron_d_finding(world, appdata)
    with pytest.raises(apply.AdoptRefused, match="only root") as caught:
        apply.adopt(paths(), finding, "corp", replace=True)
    assert "sudo" in (caught.value.remedy or "")
    assert path.exists() and ConfigStore(paths()).load().instances == {}


# --- launchd and Task Scheduler, through fake runners ---------------------------------------------


def test_a_launch_agent_is_booted_out_moved_into_the_backup_and_restored(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    agents = world.tmp / "Library" / "LaunchAgents"
    agents.mkdir(parents=True)
    plist = agents / "com.example.bwdc.plist"
    text = plistlib.dumps(
        {
            "Label": "com.example.bwdc",
            "ProgramArguments": ["/bin/sh", "-c", f"{world.bwdc} sync >> {appdata}/bwdc.log"],
            "StartCalendarInterval": {"Minute": 0},
        }
    ).decode()
    plist.write_text(text)
    runner = FakeRunner(lambda argv, _input: (0, "", ""))
    finding = cron_finding(
        world, appdata, text, kind="launchd", location=str(plist), artifact_path=str(plist)
    )
    done = apply.adopt(paths(), finding, "corp", replace=True, runner=runner)
    domain = f"gui/{os.getuid()}"
    assert runner.calls == [("launchctl", "bootout", f"{domain}/com.example.bwdc")]
    assert not plist.exists() and done.backup is not None

    apply.restore(paths(), done.backup.name, runner=runner)
    assert plist.read_text() == text
    assert runner.calls[-1] == ("launchctl", "bootstrap", domain, str(plist))


def test_a_launch_agent_that_changed_since_discovery_is_not_touched(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    plist = world.tmp / "com.example.bwdc.plist"
    plist.write_text("<plist>changed</plist>")
    runner = FakeRunner(lambda argv, _input: (0, "", ""))
    finding = cron_finding(
        world,
        appdata,
        plistlib.dumps({"Label": "com.example.bwdc"}).decode(),
        kind="launchd",
        location=str(plist),
        artifact_path=str(plist),
    )
    with pytest.raises(apply.JobChanged):
        apply.adopt(paths(), finding, "corp", replace=True, runner=runner)
    assert runner.calls == [] and plist.read_text() == "<plist>changed</plist>"


TASK_XML = """<?xml version="1.0" encoding="UTF-16"?>
<Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions>
<Exec><Command>C:\\bwdc\\sync.cmd</Command></Exec></Actions></Task>
"""


def test_a_scheduled_task_is_deleted_after_its_xml_is_backed_up_and_registered_again(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)
    registered: list[str] = []

    def schtasks(argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        if argv[1] == "/Create":
            registered.append(Path(argv[3]).read_bytes().decode("utf-16"))
        return 0, "", ""

    runner = FakeRunner(schtasks)
    finding = cron_finding(
        world, appdata, TASK_XML, kind="taskscheduler", location="\\Bitwarden\\Sync"
    )
    done = apply.adopt(paths(), finding, "corp", replace=True, runner=runner)
    assert runner.calls == [
        ("schtasks", "/Query", "/TN", "\\Bitwarden\\Sync"),
        ("schtasks", "/Delete", "/TN", "\\Bitwarden\\Sync", "/F"),
    ]
    assert done.backup is not None
    xml_copy = Path(json.loads(done.backup.read_text())["restore"]["xml_file"])
    assert xml_copy.read_bytes().decode("utf-16") == TASK_XML

    apply.restore(paths(), done.backup.name, runner=runner)
    create = runner.calls[-1]
    assert create[:3] == ("schtasks", "/Create", "/XML") and create[4:] == (
        "/TN",
        "\\Bitwarden\\Sync",
        "/F",
    )
    assert registered == [TASK_XML]


def test_a_task_that_cannot_be_deleted_leaves_everything_in_place(
    world: World, fake_crontab: Path
) -> None:
    appdata = make_appdata(world)

    def schtasks(argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        return (1, "", "ERROR: Access is denied.") if argv[1] == "/Delete" else (0, "", "")

    finding = cron_finding(
        world, appdata, TASK_XML, kind="taskscheduler", location="\\Bitwarden\\Sync"
    )
    with pytest.raises(EnvironmentProblem, match=r"Access is denied.*imported, without a sched"):
        apply.adopt(paths(), finding, "corp", replace=True, runner=FakeRunner(schtasks))
    inst = ConfigStore(paths()).load().get("corp")
    assert inst.schedule is None, "imported, but not scheduled by us"
    assert not table_path(fake_crontab).exists()


def test_the_desktop_apps_folder_imports_with_its_own_advice_and_no_job(world: World) -> None:
    from bwdc_tray.adopt.model import Finding
    from bwdc_tray.demo.setup import _seed_data_json

    folder = world.tmp / "config" / "Bitwarden Directory Connector"
    folder.mkdir(parents=True, mode=0o700)
    _seed_data_json(folder, 0, "http://127.0.0.1:8087")
    app = Finding(kind="desktop-app", location=str(folder), appdata=str(folder))
    assert apply.suggest_name(app, set()) == "desktop-app"
    with pytest.raises(apply.AdoptRefused, match="no job to replace"):
        apply.adopt(paths(), app, "desktop-app", replace=True)
    done = apply.adopt(paths(), app, "desktop-app")
    assert ConfigStore(paths()).load().get("desktop-app").schedule is None
    advice = " ".join(done.notes)
    assert "quit the desktop app" in advice and "schedule set desktop-app" in advice
    assert "--replace" not in advice

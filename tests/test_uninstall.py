"""`bwdc-tray uninstall`: jobs gone, the user's own lines and bwdc's data untouched."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import pytest

from bwdc_tray import uninstall
from bwdc_tray.config import ConfigStore
from bwdc_tray.errors import EnvironmentProblem, InvalidInput
from bwdc_tray.paths import resolve
from bwdc_tray.schedule import backends, jobs
from bwdc_tray.schedule.backends.taskscheduler import FOLDER, task_path
from tests.conftest import CANARY, World
from tests.fakes.commands import FakeRunner

USERS_LINES = "MAILTO=admin@example.com\r\n# my backup\n0 1 * * * /usr/local/bin/backup --all\n"


def table(store: Path) -> Path:
    return store / getpass.getuser()


def scheduled(world: World, store: Path, *names: str) -> dict[str, Path]:
    """Instances with a daily schedule, beside the user's own crontab lines."""
    table(store).parent.mkdir(parents=True, exist_ok=True)
    table(store).write_bytes(USERS_LINES.encode())
    folders = {}
    for name in names:
        folders[name] = world.add(name)
        res = world.cli("schedule", "set", name, "daily", "02:00")
        assert res.code == 0, res.err
        (folders[name] / "bwdc.log").write_text("a run\n")
        (folders[name] / "bwdc.log.1").write_text("an older run\n")
        (folders[name] / "bwdc.log.3").write_text("after a gap in the rotation\n")
    assert f"BEGIN bwdc-tray {names[0]}@" in table(store).read_text()
    return folders


def keyring(world: World) -> str:
    path = world.tmp / "keyring.json"
    return path.read_text() if path.exists() else ""


def snapshot(world: World, store: Path) -> dict[str, bytes]:
    """Every file the uninstaller could touch, by path."""
    roots = [world.home, world.tmp / "data", store]
    files = [p for r in roots if r.exists() for p in r.rglob("*") if p.is_file()]
    out = {str(p): p.read_bytes() for p in files if p.name != "calls.log"}
    out["keyring"] = keyring(world).encode()
    return out


def test_jobs_go_schedules_stay_paused_and_resume_brings_them_back(
    world: World, fake_crontab: Path
) -> None:
    folders = scheduled(world, fake_crontab, "corp", "lab")
    data_json = (folders["corp"] / "data.json").read_bytes()

    res = world.cli("uninstall", "--jobs", "--yes")

    assert res.code == 0, res.err
    assert table(fake_crontab).read_bytes() == USERS_LINES.encode(), "every byte of theirs kept"
    assert "removed:      cron job corp@" in res.out and "(the schedule of lab)" in res.out
    assert "schedule resume" in res.out and res.out.endswith("2 removed, 1 kept, 0 failed\n")
    cfg = ConfigStore(resolve()).load()
    assert cfg.paused and cfg.get("corp").schedule == "0 2 * * *"
    assert CANARY in keyring(world), "secrets stay without --data"
    assert (folders["corp"] / "bwdc.log").exists() and (folders["corp"] / "bwdc.log.3").exists()
    assert (folders["corp"] / "data.json").read_bytes() == data_json

    again = world.cli("uninstall", "--jobs", "--yes")
    assert again.code == 0 and "0 removed" in again.out, "idempotent"

    assert world.cli("schedule", "resume").code == 0
    assert table(fake_crontab).read_text().count("BEGIN bwdc-tray") == 2


def test_orphans_of_this_home_go_and_other_homes_jobs_stay(
    world: World, fake_crontab: Path
) -> None:
    scheduled(world, fake_crontab, "corp")
    ours = jobs.job_id(resolve(), "gone")  # an instance removed from the config by hand
    theirs = "demo@0badc0de"  # another --home's
    extra = "".join(
        f"# BEGIN bwdc-tray {j} (managed by bwdc-tray; edit with `bwdc-tray schedule`)\n"
        f"0 3 * * * /bin/true\n# END bwdc-tray {j}\n"
        for j in (ours, theirs)
    )
    with table(fake_crontab).open("a") as fh:
        fh.write(extra)

    res = world.cli("uninstall", "--jobs", "--yes")

    assert res.code == 0, res.err
    assert f"cron job {ours} in" in res.out and "no schedule names it" in res.out
    assert f"kept:         cron job {theirs}" in res.out
    left = table(fake_crontab).read_bytes().decode()
    assert "BEGIN bwdc-tray corp@" not in left and ours not in left and theirs in left
    assert left.startswith(USERS_LINES)


def test_data_removes_our_files_and_never_bwdcs(world: World, fake_crontab: Path) -> None:
    folders = scheduled(world, fake_crontab, "corp")
    appdata = folders["corp"]
    (appdata / "notes.txt").write_text("the admin's own file")
    assert world.cli("run", "corp").code == 0  # status, locks and cache exist now
    assert (world.home / "state" / "status").is_dir()
    bwdcs = {p.name: p.read_bytes() for p in appdata.iterdir() if "bwdc.log" not in p.name}
    assert {"data.json", "notes.txt"} <= set(bwdcs)

    res = world.cli("uninstall", "--data", "--yes")

    assert res.code == 0, res.err + res.out
    assert table(fake_crontab).read_bytes() == USERS_LINES.encode(), "--data implies --jobs"
    assert CANARY not in keyring(world) and "corp:client_id" not in keyring(world)
    assert {p.name: p.read_bytes() for p in appdata.iterdir()} == bwdcs, "only our log went"
    assert not world.home.exists(), res.out
    assert "kept:         the data folder of corp" in res.out
    assert "removed:      2 keyring entries of corp" in res.out
    assert CANARY not in res.out + res.err

    again = world.cli("uninstall", "--data", "--yes")
    assert again.code == 0 and "0 removed" in again.out
    assert not world.home.exists(), "a second run writes no configuration back"


def test_data_keeps_a_data_folder_inside_the_home(world: World, fake_crontab: Path) -> None:
    appdata = world.home / "instances" / "demo"  # where `bwdc-tray demo` puts its folders
    appdata.mkdir(parents=True)
    (appdata / "data.json").write_text("{}")
    assert world.cli("instance", "add", "demo", "--appdata", str(appdata)).code == 0

    res = world.cli("uninstall", "--data", "--yes")

    assert res.code == 0, res.err
    assert (appdata / "data.json").read_text() == "{}"
    assert not (world.home / "instances.json").exists()
    assert f"kept:         the folder {world.home}: it still holds" in res.out


def test_dry_run_and_refusals_change_nothing(world: World, fake_crontab: Path) -> None:
    scheduled(world, fake_crontab, "corp")
    before = snapshot(world, fake_crontab)

    dry = world.cli("uninstall", "--data", "--dry-run")
    assert dry.code == 0, dry.err
    assert (
        "would remove: cron job corp@" in dry.out and "would remove: the keyring entries" in dry.out
    )
    assert "nothing was changed" in dry.out

    no_tty = world.cli("uninstall", "--jobs")  # the test's stdin is no terminal
    assert no_tty.code == 2 and "--yes" in no_tty.err

    no_flags = world.cli("uninstall", "--yes")
    assert no_flags.code == 2 and "--jobs" in no_flags.err and "--data" in no_flags.err

    linux_all = world.cli("uninstall", "--jobs", "--all-users", "--yes")
    assert linux_all.code == 2 and "Task Scheduler only" in linux_all.err

    assert snapshot(world, fake_crontab) == before


def test_a_job_that_cannot_be_removed_is_exit_5_and_keeps_the_data(
    world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scheduled(world, fake_crontab, "corp")
    monkeypatch.setenv("FAKE_CRONTAB_FAIL_LIST", "1")

    res = world.cli("uninstall", "--data", "--yes")

    assert res.code == 5
    assert "failed:" in res.out and "Permission denied" in res.out
    assert "fix: check that this user may use cron" in res.err
    assert CANARY in keyring(world) and (world.home / "instances.json").exists()


def test_no_crontab_command_is_a_skip_line(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    world.add("corp")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    res = world.cli("uninstall", "--jobs", "--yes")

    assert res.code == 0, res.err
    assert "skipped:      cron: the crontab command is not installed" in res.out
    assert "Traceback" not in res.err


# --- Task Scheduler, through the fake command runner ---------------------------------------------


class FakeSchtasks:
    """`schtasks` with a folder of tasks, and PowerShell deleting our (empty) folder."""

    def __init__(self, names: list[str], denied: tuple[str, ...] = ()) -> None:
        self.tasks = [FOLDER + n for n in names] + ["\\Microsoft\\Windows\\Defrag\\ScheduledDefrag"]
        self.denied = denied
        self.folder_deleted = False
        self.runner = FakeRunner(self.handle)

    def handle(self, argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        if argv[0] == "powershell.exe":
            self.folder_deleted = not any(t.startswith(FOLDER) for t in self.tasks)
            return (0, "", "") if self.folder_deleted else (1, "", "the folder is not empty")
        args = list(argv[1:])
        if args == ["/Query", "/FO", "CSV", "/NH"]:
            return 0, "".join(f'"{t}","N/A","Ready"\r\n' for t in self.tasks), ""
        path = args[args.index("/TN") + 1]
        if args[0] == "/Delete":
            if path in self.denied:
                return 1, "", "ERROR: Access is denied.\r\n"
            if path in self.tasks:
                self.tasks.remove(path)
                return 0, "SUCCESS\r\n", ""
            return 1, "", "ERROR: The system cannot find the file specified.\r\n"
        return (0, "", "") if path in self.tasks else (1, "", "ERROR: not found\r\n")


@pytest.fixture
def windows_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Task Scheduler is "available" here, the other backends are not."""

    def unavailable(name: str) -> str | None:
        return None if name == "taskscheduler" else f"no {name} on this Windows"

    monkeypatch.setattr(backends, "unavailable_here", unavailable)
    monkeypatch.setattr(backends, "default_name", lambda: "taskscheduler")


def run_plan(fake: FakeSchtasks, **kw: bool) -> tuple[uninstall.Outcome, list[str]]:
    paths = resolve()
    lines: list[str] = []
    todo = uninstall.plan(paths, runner=fake.runner, platform="win32", **kw)
    done = uninstall.execute(paths, todo, lambda w, t: lines.append(f"{w}: {t}"), fake.runner)
    return done, lines


def test_task_scheduler_removes_this_homes_tasks_and_lists_the_others(
    world: World, windows_backends: None
) -> None:
    mine = jobs.job_id(resolve(), "corp")
    fake = FakeSchtasks([mine, "corp@alice", "x~3Ay@alice"])

    done, lines = run_plan(fake)

    assert done.failed == 0 and done.removed == 1, lines
    assert fake.tasks == [FOLDER + "corp@alice", FOLDER + "x~3Ay@alice", fake.tasks[-1]]
    assert f"removed: scheduled task {task_path(mine)} (no schedule names it any more)" in lines
    assert f"kept: scheduled task {FOLDER}x~3Ay@alice: another bwdc-tray home's or user's job" in (
        lines
    )
    assert not any(c[0] == "powershell.exe" for c in fake.runner.calls), "folder only with --all"


def test_all_users_empties_the_folder_when_elevated(
    world: World, windows_backends: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeSchtasks(["corp@alice", "lab@bob"])
    monkeypatch.setattr(uninstall, "is_elevated", lambda: False)
    with pytest.raises(EnvironmentProblem, match="elevated"):
        run_plan(fake, all_users=True)
    assert len(fake.tasks) == 3, "nothing removed before the refusal"

    monkeypatch.setattr(uninstall, "is_elevated", lambda: True)
    done, lines = run_plan(fake, all_users=True)

    assert done.failed == 0 and fake.tasks == ["\\Microsoft\\Windows\\Defrag\\ScheduledDefrag"]
    assert fake.folder_deleted and f"removed: the task folder {FOLDER}" in lines


def test_all_users_access_denied_says_to_run_elevated(
    world: World, windows_backends: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uninstall, "is_elevated", lambda: True)
    fake = FakeSchtasks(["corp@alice"], denied=(FOLDER + "corp@alice",))

    done, lines = run_plan(fake, all_users=True)

    assert done.failed == 1 and int(done.exit_code) == 5
    assert any("Access is denied" in line for line in lines)
    assert done.remedies == [uninstall.ELEVATED_REMEDY]


def test_all_users_is_refused_off_windows(world: World) -> None:
    with pytest.raises(InvalidInput, match="Task Scheduler only"):
        uninstall.plan(resolve(), all_users=True, platform="linux")


def test_uninstall_is_not_loaded_by_the_run_path() -> None:
    code = (
        "import sys; from bwdc_tray import cli; cli.build_parser('run'); "
        "assert 'bwdc_tray.cli_uninstall' not in sys.modules; "
        "assert 'bwdc_tray.uninstall' not in sys.modules"
    )
    import subprocess
    import sys

    assert subprocess.run([sys.executable, "-c", code], env=os.environ, check=False).returncode == 0


def test_a_config_json_is_readable_after_pause(world: World, fake_crontab: Path) -> None:
    scheduled(world, fake_crontab, "corp")
    assert world.cli("uninstall", "--jobs", "--yes").code == 0
    raw = json.loads((world.home / "instances.json").read_text())
    assert raw["paused"] is True and raw["instances"]["corp"]["schedule"] == "0 2 * * *"


def test_the_login_item_of_this_home_goes_with_the_jobs_and_others_stay(
    world: World, fake_crontab: Path, tmp_path: Path
) -> None:
    from bwdc_tray import autostart

    world.add("corp")
    paths = resolve(world.home)
    other = resolve(tmp_path / "other-home")
    autostart.set_enabled(other, True)  # another home's tray starts at login
    assert not autostart.starts_this(paths)
    res = world.cli("uninstall", "--jobs", "--yes")
    assert res.code == 0, res.err
    assert autostart.is_enabled(other)  # not this home's: kept

    autostart.set_enabled(paths, True)  # this home's: it would start a program that is gone
    assert autostart.starts_this(paths)
    res = world.cli("uninstall", "--jobs", "--yes")
    assert res.code == 0, res.err
    assert "removed:      the login item (Start at login)" in res.out
    assert not autostart.is_enabled(paths)


def test_an_adopted_instances_old_log_is_kept(world: World, fake_crontab: Path) -> None:
    from bwdc_tray.adopt.apply import ADOPTED_KEY

    appdata = world.add("corp")
    (appdata / "bwdc.log").write_text("the recipe's runs, from before bwdc-tray\n")
    with ConfigStore(resolve(world.home)).edit() as cfg:
        cfg.instances["corp"].extra[ADOPTED_KEY] = {"source": "crontab"}
    res = world.cli("uninstall", "--data", "--yes")
    assert res.code == 0, res.err + res.out
    assert (appdata / "bwdc.log").read_text() == "the recipe's runs, from before bwdc-tray\n"
    assert "kept:         the log of corp" in res.out

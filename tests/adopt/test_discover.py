"""Finding existing bwdc jobs on a machine: cron, cron.d, launchd, Task Scheduler, the app."""

from __future__ import annotations

import plistlib
from collections.abc import Mapping
from pathlib import Path

import pytest

from bwdc_tray.adopt.discover import (
    DESKTOP_APP_NOTE,
    calendar_to_cron,
    discover,
    interval_to_cron,
    split_tasks,
    task_schedule,
)
from bwdc_tray.adopt.model import Finding
from bwdc_tray.paths import Paths
from bwdc_tray.schedule.backends.taskscheduler import parse_task_xml
from tests.fakes.commands import FakeRunner

FIXTURES = Path(__file__).parent / "fixtures"
BWDC_HOME = "/home/bwdc"

Answers = Mapping[tuple[str, ...], tuple[int, str, str]]


def runner(answers: Answers) -> FakeRunner:
    def handle(argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        assert argv[0] in ("crontab", "schtasks"), f"unexpected command {argv}"
        if argv in answers:
            return answers[argv]
        if argv[0] == "crontab":
            user = argv[2] if argv[1] == "-u" else "alice"
            return 1, "", f"no crontab for {user}\n"
        return 1, "", "ERROR: The system cannot find the file specified.\n"

    return FakeRunner(handle)


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


class Machine:
    """A fake machine: /etc, a home, a root for /Library, and scripts on "disk"."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.etc = tmp / "etc"
        (self.etc / "cron.d").mkdir(parents=True)
        self.home = tmp / "home" / "alice"
        self.home.mkdir(parents=True)
        self.root = tmp / "root"
        self.paths = Paths(config_dir=tmp / "config", state_dir=tmp / "state")
        self.files: dict[str, str] = {}
        self.read: list[str] = []
        self.homes = {"bwdc": BWDC_HOME, "alice": str(self.home)}

    def reader(self, path: str) -> str | None:
        self.read.append(path)
        return self.files.get(path)

    def run(
        self,
        answers: Answers | None = None,
        *,
        platform: str = "linux",
        is_root: bool = False,
        env: Mapping[str, str] | None = None,
        root: bool = False,
        user: str = "alice",
        home: Path | None = None,
    ) -> tuple[list[Finding], FakeRunner]:
        fake = runner(answers or {})
        found = discover(
            self.paths,
            runner=fake,
            etc=self.etc,
            home=home or self.home,
            platform=platform,
            env=env or {},
            root=self.root if root else None,
            user=user,
            is_root=is_root,
            user_home=self.homes.get,
            reader=self.reader,
        )
        return found, fake


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- the user's crontab -------------------------------------------------------------------------

ALICE_TABLE = """\
# m h  dom mon dow   command
MAILTO=alice@example.com
BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/bwdc/corp
15 1 * * 1-5 /usr/local/bin/bwdc sync >> /var/log/bwdc/corp.log 2>&1
# 0 0 * * * bwdc sync >> /tmp/old.log
*/30 * * * * echo "bwdc sync is not run here"
0 4 * * * grep -q bwdc /etc/passwd || logger "no bwdc user"
@reboot bwdc --version > /tmp/v
# BEGIN bwdc-tray corp (managed by bwdc-tray; edit with `bwdc-tray schedule`)
30 2 * * * '/opt/bwdc tray/python' -m bwdc_tray run corp --trigger schedule >/dev/null 2>&1
# END bwdc-tray corp
@daily BITWARDENCLI_CONNECTOR_APPDATA_DIR=~/lab bwdc sync
"""


def test_the_users_crontab_jobs_that_sync_are_found_with_folder_log_and_schedule(
    machine: Machine,
) -> None:
    found, fake = machine.run({("crontab", "-l"): (0, ALICE_TABLE, "")})
    assert fake.calls == [("crontab", "-l")]
    assert [f.location for f in found] == ["crontab of alice, line 4", "crontab of alice, line 12"]
    first, second = found
    assert first.kind == "crontab"
    assert first.raw == "15 1 * * 1-5 /usr/local/bin/bwdc sync >> /var/log/bwdc/corp.log 2>&1"
    assert first.schedule == "15 1 * * 1-5"
    assert first.schedule_text == "15 1 * * 1-5"
    assert first.appdata == "/srv/bwdc/corp"  # from the crontab's own environment line
    assert first.log == "/var/log/bwdc/corp.log"
    assert first.bwdc == "/usr/local/bin/bwdc"
    assert first.run_as is None
    assert first.command == "/usr/local/bin/bwdc sync >> /var/log/bwdc/corp.log 2>&1"
    assert second.schedule == "0 0 * * *"
    assert second.schedule_text == "@daily"
    assert second.appdata == f"{machine.home}/lab"
    assert second.log is None
    assert any("cron mails its output" in n for n in second.notes)


def test_bwdc_trays_own_crontab_blocks_are_never_reported(machine: Machine) -> None:
    table = (
        "# BEGIN bwdc-tray corp (managed by bwdc-tray; edit with `bwdc-tray schedule`)\n"
        "30 2 * * * BITWARDENCLI_CONNECTOR_APPDATA_DIR=/x bwdc sync\n"
        "# END bwdc-tray corp\n"
        "0 * * * * /usr/bin/bwdc-tray run lab --trigger schedule\n"
    )
    found, _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert found == []


def test_no_crontab_at_all_is_not_an_error(machine: Machine) -> None:
    found, fake = machine.run()
    assert found == []
    assert fake.calls == [("crontab", "-l")]


def test_a_machine_without_the_crontab_command_finds_nothing_and_does_not_fail(
    machine: Machine,
) -> None:
    from bwdc_tray.oscmd import CommandNotFound, Completed

    def missing(argv: object, *, input_text: str | None = None) -> Completed:
        raise CommandNotFound("crontab: command not found")

    found = discover(
        machine.paths, runner=missing, etc=machine.etc, home=machine.home, platform="linux",
        env={}, user="alice", is_root=False, reader=machine.reader,
    )  # fmt: skip
    assert found == []


def test_a_reboot_job_has_no_cron_schedule_but_says_what_it_was(machine: Machine) -> None:
    table = "@reboot sleep 60 && bwdc sync >> /tmp/b.log\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.schedule is None
    assert finding.schedule_text == "@reboot"
    assert any("at boot" in n for n in finding.notes)


def test_a_very_frequent_job_keeps_its_schedule_and_is_flagged(machine: Machine) -> None:
    table = "* * * * * bwdc sync\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.schedule == "* * * * *"
    assert any("5-minute floor" in n for n in finding.notes)


def test_a_percent_in_a_cron_line_ends_the_command(machine: Machine) -> None:
    table = "0 3 * * * bwdc sync >> /var/log/b-$(date +\\%F).log%ignored input\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.command == "bwdc sync >> /var/log/b-$(date +%F).log"
    assert finding.log is None
    assert any("could not be determined" in n for n in finding.notes)


def test_a_job_running_the_documented_script_reads_it_but_not_its_secrets(
    machine: Machine,
) -> None:
    script = f"{machine.home}/bwdcSyncService.sh"
    machine.files[script] = fixture("bwdcSyncService.sh")
    table = "0 0 * * 2 ~/bwdcSyncService.sh\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert machine.read == [script]
    assert finding.script == script
    assert finding.appdata == f"{machine.home}/.config/Bitwarden Directory Connector"
    assert finding.log == "/home/bwdc/bwdc.log"  # the script cds to /home/bwdc first
    assert "reads BW_CLIENTSECRET from /home/bwdc/.bw_clientsecret" in finding.notes


def test_a_missing_script_that_clearly_is_the_bwdc_job_is_reported_with_a_note(
    machine: Machine,
) -> None:
    table = "0 0 * * 2 /home/alice/bwdcSyncService.sh\n0 1 * * * /opt/backup.sh\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.location == "crontab of alice, line 1"
    assert finding.bwdc is None
    assert finding.appdata is None
    assert any("could not be read" in n for n in finding.notes)


def test_several_syncs_in_one_script_give_several_findings_with_distinct_ids(
    machine: Machine,
) -> None:
    machine.files["/opt/bwdc/sync-all.sh"] = fixture("multi-instance.sh")
    table = "0 */4 * * * /opt/bwdc/sync-all.sh\n"
    found, _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert [f.appdata for f in found] == ["/opt/bwdc/instance-1", "/opt/bwdc/instance-2"]
    assert {f.location for f in found} == {"crontab of alice, line 1"}
    assert [f.part for f in found] == [
        "sync 1 of 2 (/opt/bwdc/sync-all.sh line 15)",
        "sync 2 of 2 (/opt/bwdc/sync-all.sh line 15)",
    ]
    assert len({f.id for f in found}) == 2
    again, _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert [f.id for f in again] == [f.id for f in found]


# --- /etc/cron.d and other users' crontabs ------------------------------------------------------

CRON_D = """\
# Bitwarden Directory Connector, as the dedicated bwdc user
SHELL=/bin/bash
PATH=/usr/local/bin:/usr/bin:/bin
0 0 * * 2 bwdc /home/bwdc/bwdcSyncService.sh
30 3 * * * root /usr/sbin/logrotate /etc/logrotate.d/bwdc
"""


def test_a_cron_d_file_is_read_with_its_user_field(machine: Machine) -> None:
    (machine.etc / "cron.d" / "bwdc-sync").write_text(CRON_D, encoding="utf-8")
    machine.files["/home/bwdc/bwdcSyncService.sh"] = fixture("bwdcSyncService.sh")
    (finding,), _fake = machine.run()
    assert finding.kind == "cron.d"
    assert finding.location == f"{machine.etc}/cron.d/bwdc-sync, line 4"
    assert finding.artifact_path == str(machine.etc / "cron.d" / "bwdc-sync")
    assert finding.raw == CRON_D  # the whole file: what a replacement removes
    assert finding.run_as == "bwdc"
    assert finding.schedule == "0 0 * * 2"
    assert finding.command == "/home/bwdc/bwdcSyncService.sh"
    assert finding.appdata == "/home/bwdc/.config/Bitwarden Directory Connector"
    assert finding.log == "/home/bwdc/bwdc.log"


def test_cron_d_files_of_bwdc_tray_and_editor_backups_are_skipped(machine: Machine) -> None:
    line = "0 0 * * * bwdc BITWARDENCLI_CONNECTOR_APPDATA_DIR=/x bwdc sync\n"
    for name in ("bwdc-tray-corp", "bwdc~", "bwdc.dpkg-old", ".placeholder"):
        (machine.etc / "cron.d" / name).write_text(line, encoding="utf-8")
    found, _fake = machine.run()
    assert found == []


def test_a_cron_d_file_with_a_dot_in_its_name_is_reported_with_a_warning(
    machine: Machine,
) -> None:
    (machine.etc / "cron.d" / "bwdc.cron").write_text(
        "0 0 * * * bwdc bwdc sync >> /home/bwdc/bwdc.log\n", encoding="utf-8"
    )
    (finding,), _fake = machine.run()
    assert any("ignores /etc/cron.d files whose names hold a dot" in n for n in finding.notes)


def test_as_root_the_crontabs_of_bwdc_and_of_cron_d_users_are_read(machine: Machine) -> None:
    (machine.etc / "cron.d" / "other").write_text(
        "0 5 * * * svc-sync /usr/bin/true\n", encoding="utf-8"
    )
    bwdc_table = "0 6 * * 1 BITWARDENCLI_CONNECTOR_APPDATA_DIR=$HOME/corp bwdc sync >> sync.log\n"
    found, fake = machine.run(
        {("crontab", "-u", "bwdc", "-l"): (0, bwdc_table, "")}, is_root=True, user="root",
        home=Path("/root"),
    )  # fmt: skip
    assert fake.calls == [
        ("crontab", "-l"),
        ("crontab", "-u", "bwdc", "-l"),
        ("crontab", "-u", "svc-sync", "-l"),
    ]
    (finding,) = found
    assert finding.location == "crontab of bwdc, line 1"
    assert finding.run_as == "bwdc"
    assert finding.appdata == "/home/bwdc/corp"
    assert finding.log == "/home/bwdc/sync.log"


def test_other_users_crontabs_are_not_read_unless_root(machine: Machine) -> None:
    _found, fake = machine.run()
    assert fake.calls == [("crontab", "-l")]


def test_an_unrelated_job_of_the_bwdc_user_is_not_adopted(machine: Machine) -> None:
    table = "0 3 * * * /usr/local/bin/cleanup.sh\n15 * * * * echo bwdc >> /tmp/x\n"
    found, _fake = machine.run(
        {("crontab", "-u", "bwdc", "-l"): (0, table, "")}, is_root=True, user="root"
    )
    assert found == []


# --- launchd ------------------------------------------------------------------------------------

DAEMON = {
    "Label": "com.example.bwdc-sync",
    "ProgramArguments": ["/usr/local/bin/bwdc", "sync"],
    "EnvironmentVariables": {
        "BITWARDENCLI_CONNECTOR_APPDATA_DIR": "/Users/Shared/bwdc/corp",
        "BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS": "true",
    },
    "UserName": "bwdc",
    "StandardOutPath": "/Users/Shared/bwdc/corp/bwdc.log",
    "StandardErrorPath": "/Users/Shared/bwdc/corp/bwdc.log",
    "StartCalendarInterval": [
        {"Hour": 2, "Minute": 30, "Weekday": 1},
        {"Hour": 2, "Minute": 30, "Weekday": 5},
    ],
}


def write_plist(folder: Path, name: str, data: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(plistlib.dumps(data))
    return path


def test_a_launch_daemon_gives_user_folder_log_and_calendar_schedule(machine: Machine) -> None:
    path = write_plist(
        machine.root / "Library" / "LaunchDaemons", "com.example.bwdc-sync.plist", DAEMON
    )
    machine.homes["bwdc"] = "/Users/bwdc"
    (finding,), _fake = machine.run(root=True, platform="darwin")
    assert finding.kind == "launchd"
    assert finding.location == str(path)
    assert finding.artifact_path == str(path)
    assert finding.raw == path.read_text(encoding="utf-8")
    assert finding.run_as == "bwdc"
    assert finding.schedule == "30 2 * * 1,5"
    assert finding.appdata == "/Users/Shared/bwdc/corp"
    assert finding.log == "/Users/Shared/bwdc/corp/bwdc.log"
    assert finding.bwdc == "/usr/local/bin/bwdc"
    assert finding.command == "/usr/local/bin/bwdc sync"


def test_launch_agents_run_scripts_and_inexact_intervals_are_described(machine: Machine) -> None:
    machine.files["/Users/alice/bin/sync.sh"] = "bwdc sync >> ~/Library/Logs/bwdc.log\n"
    write_plist(
        machine.home / "Library" / "LaunchAgents",
        "local.bwdc.plist",
        {"Label": "local.bwdc", "ProgramArguments": ["/bin/bash", "/Users/alice/bin/sync.sh"],
         "StartInterval": 7},
    )  # fmt: skip
    (finding,), _fake = machine.run(root=True)
    assert finding.run_as is None
    assert finding.schedule is None
    assert finding.schedule_text == "StartInterval 7s"
    assert finding.script == "/Users/alice/bin/sync.sh"
    assert finding.log == f"{machine.home}/Library/Logs/bwdc.log"
    assert not any("launchd discards its output" in n for n in finding.notes)


def test_bwdc_trays_own_plists_and_unrelated_plists_are_skipped(machine: Machine) -> None:
    agents = machine.home / "Library" / "LaunchAgents"
    write_plist(
        agents, "io.github.bwdc-tray.corp.plist", {**DAEMON, "Label": "io.github.bwdc-tray.corp"}
    )
    write_plist(agents, "renamed.plist", {**DAEMON, "Label": "io.github.bwdc-tray.lab"})
    write_plist(
        agents, "com.example.backup.plist", {"Label": "x", "ProgramArguments": ["/usr/bin/true"]}
    )
    (agents / "broken.plist").write_text("not a plist", encoding="utf-8")
    found, _fake = machine.run(root=True)
    assert found == []


def test_launchd_is_not_searched_off_macos_without_a_test_root(machine: Machine) -> None:
    write_plist(machine.home / "Library" / "LaunchAgents", "a.plist", DAEMON)
    found, _fake = machine.run()
    assert found == []


@pytest.mark.parametrize(
    ("value", "expr"),
    [
        ({"Hour": 2, "Minute": 30}, "30 2 * * *"),
        ({"Minute": 0}, "0 * * * *"),
        ({}, "* * * * *"),
        ([{"Hour": h, "Minute": m} for h in (8, 20) for m in (0, 30)], "*/30 8,20 * * *"),
        ({"Weekday": 7, "Hour": 0, "Minute": 0}, "0 0 * * 0"),
        ({"Day": 1, "Month": 6, "Hour": 4, "Minute": 5}, "5 4 1 6 *"),
        ([{"Day": 1, "Hour": 0, "Minute": 0}, {"Weekday": 1, "Hour": 0, "Minute": 0}], "0 0 1 * 1"),
    ],
)
def test_calendar_intervals_that_form_a_cron_product_convert_exactly(
    value: object, expr: str
) -> None:
    assert calendar_to_cron(value) == expr


@pytest.mark.parametrize(
    "value",
    [
        [{"Hour": 8, "Minute": 0}, {"Hour": 20, "Minute": 30}],  # not a product
        {"Day": 1, "Weekday": 1, "Hour": 0, "Minute": 0},  # macOS ANDs these
        {"Hour": 24},  # launchd reads it as a wildcard
        {"Seconds": 3},
    ],
)
def test_calendar_intervals_with_no_exact_cron_form_give_none(value: object) -> None:
    assert calendar_to_cron(value) is None


@pytest.mark.parametrize(
    ("seconds", "expr"),
    [(60, "* * * * *"), (900, "*/15 * * * *"), (3600, "0 * * * *"), (21600, "0 */6 * * *"),
     (86400, "0 0 * * *"), (7, None), (420, None), (18000, None), (172800, None)],
)  # fmt: skip
def test_start_intervals_convert_only_when_they_divide_an_hour_or_a_day(
    seconds: int, expr: str | None
) -> None:
    assert interval_to_cron(seconds) == expr


# --- Task Scheduler -----------------------------------------------------------------------------


def exported(name: str) -> str:
    data = (FIXTURES / name).read_bytes()
    assert data.startswith(b"\xff\xfe")  # as Windows exports it: UTF-16 LE with a BOM
    return data.decode("utf-16")


def task_body(name: str) -> str:
    text = exported(name).lstrip("\ufeff")
    return text.split("?>", 1)[1].strip()


OWN_TASK = (
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">'
    "<RegistrationInfo><Author>bwdc-tray</Author><URI>\\bwdc-tray\\corp</URI></RegistrationInfo>"
    '<Actions Context="Author"><Exec><Command>C:\\Program Files\\Bitwarden Directory Connector'
    "\\bwdc.exe</Command><Arguments>sync</Arguments></Exec></Actions></Task>"
)
SYSTEM_TASK = (
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">'
    '<Actions Context="Author"><Exec><Command>%windir%\\system32\\defrag.exe</Command>'
    "<Arguments>-c -h -o</Arguments></Exec></Actions></Task>"
)


def query_one() -> str:
    parts = [
        ("\\Bitwarden\\Directory Connector Sync", task_body("task-powershell.xml")),
        ("\\bwdc hourly", task_body("task-bwdc-exe.xml")),
        ("\\Bitwarden\\Sync at logon", task_body("task-logon-cmd.xml")),
        ("\\bwdc-tray\\corp", OWN_TASK),
        ("\\Microsoft\\Windows\\Defrag\\ScheduledDefrag", SYSTEM_TASK),
    ]
    body = "\r\n".join(f"  <!-- {path} -->\r\n{xml}" for path, xml in parts)
    return f'<?xml version="1.0" encoding="UTF-16"?>\r\n<Tasks>\r\n{body}\r\n</Tasks>\r\n'


def windows(machine: Machine) -> tuple[list[Finding], FakeRunner]:
    machine.files["C:\\scripts\\bwdc-sync.ps1"] = fixture("bwdc-sync.ps1")
    machine.files["C:\\scripts\\bwdc-lab.cmd"] = fixture("bwdc-lab.cmd")
    return machine.run(
        {("schtasks", "/Query", "/XML", "ONE"): (0, query_one(), "")},
        platform="win32",
        user="admin",
        home=Path("C:\\Users\\admin"),
        env={"USERNAME": "admin", "APPDATA": "C:\\Users\\admin\\AppData\\Roaming"},
    )


def test_windows_tasks_are_found_and_bwdc_trays_own_folder_is_skipped(machine: Machine) -> None:
    found, fake = windows(machine)
    assert fake.calls == [("schtasks", "/Query", "/XML", "ONE")]  # no crontab on Windows
    assert [(f.location, f.part) for f in found] == [
        (
            "\\Bitwarden\\Directory Connector Sync",
            "sync 1 of 2 (C:\\scripts\\bwdc-sync.ps1 line 11)",
        ),
        (
            "\\Bitwarden\\Directory Connector Sync",
            "sync 2 of 2 (C:\\scripts\\bwdc-sync.ps1 line 14)",
        ),
        ("\\bwdc hourly", ""),
        ("\\Bitwarden\\Sync at logon", ""),
    ]
    assert len({f.id for f in found}) == 4


def test_a_task_running_a_powershell_script_is_read_through_the_script(machine: Machine) -> None:
    corp, lab = windows(machine)[0][:2]
    assert corp.kind == "taskscheduler"
    assert corp.run_as == "CORP\\svc-bwdc"
    assert corp.schedule == "30 2 * * 2,5"
    assert corp.schedule_text == "weekly on Tuesday, Friday at 02:30"
    assert corp.script == "C:\\scripts\\bwdc-sync.ps1"
    assert corp.appdata == "C:\\bwdc\\corp"
    assert corp.log == "C:\\bwdc\\logs\\sync.log"
    assert lab.appdata == "C:\\scripts\\lab"
    assert lab.log == "C:\\bwdc\\logs\\lab.log"
    assert corp.command.startswith("powershell.exe -NoProfile")
    assert corp.raw.startswith('<Task version="1.2"')
    assert "reads BW_CLIENTSECRET from C:\\bwdc\\secrets\\client_secret.txt" in corp.notes


def test_a_task_running_bwdc_exe_directly_uses_the_users_default_folder(machine: Machine) -> None:
    exe = windows(machine)[0][2]
    assert exe.run_as is None
    assert exe.bwdc == "C:\\Program Files\\Bitwarden Directory Connector\\bwdc.exe"
    assert exe.appdata == "C:\\Users\\admin\\AppData\\Roaming\\Bitwarden Directory Connector"
    assert exe.schedule == "*/15 * * * *"
    assert exe.log is None
    assert any("only while its user is logged on" in n for n in exe.notes)


def test_a_logon_task_has_no_cron_schedule(machine: Machine) -> None:
    logon = windows(machine)[0][3]
    assert logon.schedule is None
    assert logon.schedule_text == "at logon"
    assert logon.appdata == "C:\\scripts\\lab"


def test_exported_task_xml_read_as_single_bytes_still_parses() -> None:
    raw = (FIXTURES / "task-powershell.xml").read_bytes().decode("latin-1")
    ((path, xml),) = split_tasks(raw)
    assert path is None
    task = parse_task_xml(xml)
    assert task.tag.endswith("Task")


def test_task_scheduler_is_not_asked_off_windows(machine: Machine) -> None:
    _found, fake = machine.run()
    assert all(call[0] != "schtasks" for call in fake.calls)


def _triggers(xml: str) -> object:
    ns = "http://schemas.microsoft.com/windows/2004/02/mit/task"
    return parse_task_xml(f'<Task xmlns="{ns}"><Triggers>{xml}</Triggers></Task>')[0]


@pytest.mark.parametrize(
    ("xml", "expr"),
    [
        ("<CalendarTrigger><StartBoundary>2024-01-01T03:05:00</StartBoundary>"
         "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>",
         "5 3 * * *"),
        ("<CalendarTrigger><Repetition><Interval>PT1H</Interval><Duration>PT23H</Duration>"
         "</Repetition><StartBoundary>2024-01-01T00:10:00</StartBoundary>"
         "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>",
         "10 * * * *"),
        ("<CalendarTrigger><StartBoundary>2024-01-01T06:00:00</StartBoundary><ScheduleByMonth>"
         "<DaysOfMonth><Day>1</Day><Day>15</Day></DaysOfMonth><Months><January/><July/></Months>"
         "</ScheduleByMonth></CalendarTrigger>", "0 6 1,15 1,7 *"),
        ("<CalendarTrigger><StartBoundary>2024-01-01T08:00:00</StartBoundary><ScheduleByDay>"
         "<DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>"
         "<CalendarTrigger><StartBoundary>2024-01-01T20:00:00</StartBoundary><ScheduleByDay>"
         "<DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>", "0 8,20 * * *"),
        ("<CalendarTrigger><StartBoundary>2024-01-01T08:00:00</StartBoundary><ScheduleByDay>"
         "<DaysInterval>2</DaysInterval></ScheduleByDay></CalendarTrigger>", None),
        ("<CalendarTrigger><StartBoundary>2024-01-01T08:00:00Z</StartBoundary><ScheduleByDay>"
         "<DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>", None),
        ("<TimeTrigger><StartBoundary>2024-05-01T08:00:00</StartBoundary></TimeTrigger>", None),
        ("<TimeTrigger><Repetition><Interval>PT7M</Interval></Repetition>"
         "<StartBoundary>2024-05-01T08:00:00</StartBoundary></TimeTrigger>", None),
        ("<BootTrigger><Enabled>true</Enabled></BootTrigger>", None),
    ],
)  # fmt: skip
def test_task_triggers_convert_to_cron_only_when_exact(xml: str, expr: str | None) -> None:
    got, text, _notes = task_schedule(_triggers(xml))  # type: ignore[arg-type]
    assert got == expr
    assert text


# --- the desktop app ----------------------------------------------------------------------------


def test_the_desktop_apps_data_is_found_with_a_warning_about_running_both(
    machine: Machine,
) -> None:
    folder = machine.home / ".config" / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (finding,), _fake = machine.run()
    assert finding.kind == "desktop-app"
    assert finding.location == str(folder)
    assert finding.appdata == str(folder)
    assert finding.raw == ""
    assert DESKTOP_APP_NOTE in finding.notes
    assert "data.json" in DESKTOP_APP_NOTE
    assert "keychain tokens" in DESKTOP_APP_NOTE


def test_a_default_folder_without_data_json_is_not_reported(machine: Machine) -> None:
    (machine.home / ".config" / "Bitwarden Directory Connector").mkdir(parents=True)
    found, _fake = machine.run()
    assert found == []


def test_on_macos_the_desktop_app_lives_in_application_support(machine: Machine) -> None:
    folder = machine.home / "Library" / "Application Support" / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (finding,), _fake = machine.run(platform="darwin")
    assert finding.location == str(folder)


def test_on_windows_the_app_folder_warns_that_uninstalling_deletes_it(tmp_path: Path) -> None:
    appdata = tmp_path / "Roaming"
    folder = appdata / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    found = discover(
        Paths(tmp_path / "c", tmp_path / "s"), runner=runner({}), home=tmp_path, platform="win32",
        env={"APPDATA": str(appdata)}, user="admin",
    )  # fmt: skip
    (finding,) = found
    assert any("uninstalling" in n for n in finding.notes)


def test_a_job_on_the_app_folder_is_pointed_out_and_kinds_come_in_order(machine: Machine) -> None:
    folder = machine.home / ".config" / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (machine.etc / "cron.d" / "bwdc").write_text("0 0 * * * alice bwdc sync\n", encoding="utf-8")
    found, _fake = machine.run({("crontab", "-l"): (0, "0 1 * * * bwdc sync\n", "")})
    assert [f.kind for f in found] == ["crontab", "cron.d", "desktop-app"]
    assert any("a job already syncs this folder" in n for n in found[2].notes)


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


def test_when_the_one_document_query_fails_tasks_are_read_one_by_one(machine: Machine) -> None:
    machine.files["C:\\scripts\\bwdc-lab.cmd"] = fixture("bwdc-lab.cmd")
    listing = (
        '"\\Bitwarden\\Sync at logon","N/A","Ready"\r\n'
        '"\\bwdc-tray\\corp","01/12/2026 02:30:00","Ready"\r\n'
        '"\\Microsoft\\Windows\\Defrag\\ScheduledDefrag","N/A","Ready"\r\n'
        '"\\Broken","N/A","Ready"\r\n'
    )
    found, fake = machine.run(
        {
            ("schtasks", "/Query", "/XML", "ONE"): (1, "", "ERROR: The task image is corrupt.\r\n"),
            ("schtasks", "/Query", "/FO", "CSV", "/NH"): (0, listing, ""),
            ("schtasks", "/Query", "/TN", "\\Bitwarden\\Sync at logon", "/XML"): (
                0, exported("task-logon-cmd.xml"), "",
            ),
        },
        platform="win32",
        user="admin",
        home=Path("C:\\Users\\admin"),
    )  # fmt: skip
    assert [f.location for f in found] == ["\\Bitwarden\\Sync at logon"]
    assert fake.calls[-2:] == [
        ("schtasks", "/Query", "/TN", "\\Bitwarden\\Sync at logon", "/XML"),
        ("schtasks", "/Query", "/TN", "\\Broken", "/XML"),
    ]


def test_a_task_naming_bwdc_through_an_environment_variable_is_found(machine: Machine) -> None:
    xml = task_body("task-bwdc-exe.xml").replace(
        '"C:\\Program Files\\Bitwarden Directory Connector\\bwdc.exe"',
        "%ProgramFiles%\\Bitwarden Directory Connector\\bwdc.exe",
    )
    found, _fake = machine.run(
        {("schtasks", "/Query", "/XML", "ONE"): (0, f"<Tasks><!-- \\b -->{xml}</Tasks>", "")},
        platform="win32",
        user="admin",
        home=Path("C:\\Users\\admin"),
    )
    (finding,) = found
    assert finding.bwdc == "C:\\Program Files\\Bitwarden Directory Connector\\bwdc.exe"

"""Finding bwdc jobs in Task Scheduler, and their triggers as cron."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwdc_tray.adopt.model import Finding
from bwdc_tray.adopt.sources.taskscheduler import split_tasks, task_schedule
from bwdc_tray.schedule.backends.taskscheduler import parse_task_xml
from tests.fakes.commands import FakeRunner
from tests.fakes.machine import FIXTURES, Machine, fixture


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

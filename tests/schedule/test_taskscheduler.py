"""The Task Scheduler backend: schema-valid XML, triggers that fire when cron would, registration
without a password on any command line, and read-back that compares equal."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bwdc_tray.errors import EnvironmentProblem, InvalidInput
from bwdc_tray.schedule import cron
from bwdc_tray.schedule.backends.base import JobSpec, job_state
from bwdc_tray.schedule.backends.taskscheduler import (
    FIRST_DAY_WARNING,
    TaskSchedulerBackend,
    canonical,
    execution_time_limit,
    plan_triggers,
    task_path,
)
from tests.conftest import CANARY
from tests.fakes.commands import FakeRunner
from tests.schedule.corpus import CORPUS, YEAR_END, YEAR_START, cronsim_year
from tests.schedule.triggersim import duration, fire_times

NS = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"
PYTHONW = "C:\\Program Files\\bwdc-tray\\pythonw.exe"

# Every corpus expression is represented exactly: none needs more than 48 triggers (`*/7 * * * *`
# is the largest, 9 repeating triggers) and none uses the Vixie AND quirk (`*/2` in one day field
# with the other set). Refusals exist, and are tested below with expressions outside the corpus.
REFUSED: dict[str, str] = {}


def _spec(
    expr: str = "30 2 * * *",
    *,
    run_as: str | None = None,
    command: tuple[str, ...] | None = None,
    timeout: float = 3600.0,
    job_id: str = "corp@1a2b3c4d",
) -> JobSpec:
    cmd = command or (PYTHONW, "-m", "bwdc_tray", "run", "corp", "--trigger", "schedule")
    return JobSpec(
        instance="corp",
        expr=cron.parse(expr),
        command=cmd,
        run_as=run_as,
        timeout=timeout,
        job_id=job_id,
    )


def _render_or_refusal(expr: str, run_as: str | None = None) -> str | InvalidInput:
    try:
        return TaskSchedulerBackend().render(_spec(expr, run_as=run_as))
    except InvalidInput as exc:
        return exc


def _tree(xml: str) -> ET.Element:
    return ET.fromstring(xml)  # noqa: S314  # our own output


# --- the schema oracle ------------------------------------------------------------------------


@pytest.mark.parametrize("run_as", [None, "svc-bwdc"])
@pytest.mark.parametrize("expr", CORPUS)
def test_every_corpus_task_validates(task_schema: Any, expr: str, run_as: str | None) -> None:
    xml = _render_or_refusal(expr, run_as)
    if isinstance(xml, InvalidInput):
        assert expr in REFUSED
        return
    task_schema.validate(xml)


@pytest.mark.parametrize(
    "command",
    [
        (PYTHONW, "-m", "bwdc_tray", "--home", 'C:\\Data\\a "quoted" & <odd> dir', "run", "x"),
        ("C:\\Prógram Fïles\\bwdc tray\\été.exe", "--home", "D:\\données\\ÿ 東京", "run", "x"),
        ("C:\\Program Files\\bwdc-tray\\bwdc-tray.exe", "run", "x", "--trigger", "schedule"),
        ("C:\\bwdc-tray.exe",),
    ],
)
def test_odd_commands_validate_and_round_trip(task_schema: Any, command: tuple[str, ...]) -> None:
    xml = TaskSchedulerBackend().render(_spec(command=command))
    task_schema.validate(xml)
    exec_ = _tree(xml).find(f"{NS}Actions/{NS}Exec")
    assert exec_ is not None
    assert exec_.findtext(f"{NS}Command") == command[0]  # the bare path: no quotes
    assert (exec_.findtext(f"{NS}Arguments") or "") == subprocess.list2cmdline(command[1:])


@pytest.mark.parametrize("timeout", [0.5, 60, 3600, 86400 * 45])
def test_execution_time_limit_leaves_the_runner_time_to_stop_first(
    task_schema: Any, timeout: float
) -> None:
    xml = TaskSchedulerBackend().render(_spec(timeout=timeout))
    task_schema.validate(xml)
    limit = _tree(xml).findtext(f"{NS}Settings/{NS}ExecutionTimeLimit")
    assert limit is not None
    seconds = duration(limit).total_seconds()
    assert seconds >= timeout + 300
    assert seconds >= timeout + timeout / 10 - 1e-6
    assert seconds % 60 == 0
    assert execution_time_limit(3600) == "PT1H6M"


def test_the_schema_oracle_catches_what_it_should(task_schema: Any) -> None:
    """A sanity check on the oracle itself: 49 triggers and a bad Interval are rejected."""
    xml = TaskSchedulerBackend().render(_spec("*/7 * * * *"))
    trig = re.search(r"    <CalendarTrigger>.*?</CalendarTrigger>\n", xml, re.S)
    assert trig is not None
    too_many = xml.replace(trig.group(0), trig.group(0) * 49, 1)
    assert not task_schema.is_valid(too_many)
    assert not task_schema.is_valid(
        xml.replace("<Interval>PT1H</Interval>", "<Interval>PT30S</Interval>")
    )


# --- the fire-time oracle ---------------------------------------------------------------------


@pytest.mark.parametrize("expr", CORPUS)
def test_triggers_fire_exactly_when_cron_does(expr: str) -> None:
    xml = _render_or_refusal(expr)
    if isinstance(xml, InvalidInput):
        assert expr in REFUSED, f"{expr!r} refused: {xml}"
        assert xml.message and xml.remedy
        return
    assert expr not in REFUSED
    expected = set(cronsim_year(expr))
    got = fire_times(xml, YEAR_START.replace(tzinfo=None), YEAR_END.replace(tzinfo=None))
    assert got == expected, (
        f"{expr}: {len(got - expected)} extra, e.g. {sorted(got - expected)[:3]}; "
        f"{len(expected - got)} missing, e.g. {sorted(expected - got)[:3]}"
    )


def test_refusals_are_a_small_minority() -> None:
    refused = {e for e in CORPUS if isinstance(_render_or_refusal(e), InvalidInput)}
    assert refused == set(REFUSED)
    assert len(refused) <= len(CORPUS) // 10


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("0 0 */2 * 1", "runs only on days that match both"),
        ("0 0 1 * */2", "runs only on days that match both"),
        ("0,7,19,23,41,53,59 0,1,3,7,12,18,23 1 * 1", "at most 48"),
    ],
)
def test_unrepresentable_expressions_are_refused_clearly(expr: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why) as info:
        TaskSchedulerBackend().render(_spec(expr))
    assert info.value.remedy


def test_the_layers() -> None:
    every = plan_triggers(cron.parse("*/15 * * * *"))
    assert every.layer == 1 and len(every.triggers) == 1 and every.triggers[0][0] is None
    xml = TaskSchedulerBackend().render(_spec("*/15 * * * *"))
    trigger = _tree(xml).find(f"{NS}Triggers/{NS}TimeTrigger")
    assert trigger is not None
    assert trigger.findtext(f"{NS}Repetition/{NS}Interval") == "PT15M"
    assert trigger.find(f"{NS}Repetition/{NS}Duration") is None  # indefinitely

    # A step of hours could drift by an hour across DST if Windows repeats in elapsed time, so
    # it is one CalendarTrigger per time, without repetition.
    four = plan_triggers(cron.parse("0 */4 * * *"))
    assert four.layer == 2 and len(four.triggers) == 6
    assert all(slot.count == 1 for _, slot in four.triggers)

    weekdays = TaskSchedulerBackend().render(_spec("30 2 * * 1-5"))
    assert weekdays.count("<CalendarTrigger>") == 1
    assert "<StartBoundary>2024-01-01T02:30:00</StartBoundary>" in weekdays
    assert "<Monday />" in weekdays and "<Sunday />" not in weekdays

    seven = plan_triggers(cron.parse("*/7 * * * *"))
    assert seven.layer == 3 and len(seven.triggers) == 9 and FIRST_DAY_WARNING in seven.warnings
    assert {(s.interval, s.count) for _, s in seven.triggers} == {(60, 24)}

    either = TaskSchedulerBackend().render(_spec("0 0 1,15 * 1"))  # the OR rule: two families
    assert "<ScheduleByMonth>" in either and "<ScheduleByWeek>" in either

    names = TaskSchedulerBackend().render(_spec("0 9 * jan,jul mon"))
    assert "<ScheduleByMonthDayOfWeek>" in names and "<Week>Last</Week>" in names


def test_start_boundaries_are_local_time_without_offset() -> None:
    for expr in CORPUS:
        xml = _render_or_refusal(expr)
        if isinstance(xml, str):
            for value in re.findall(r"<StartBoundary>(.*?)</StartBoundary>", xml):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00", value)


# --- the XML: shape, names, refusals ------------------------------------------------------------


def test_shape_of_the_task() -> None:
    xml = TaskSchedulerBackend().render(_spec())
    assert xml.startswith('<?xml version="1.0" encoding="UTF-16"?>\n')
    root = _tree(xml)
    assert root.tag == f"{NS}Task" and root.get("version") == "1.2"
    assert [c.tag.removeprefix(NS) for c in root] == [
        "RegistrationInfo", "Triggers", "Settings", "Principals", "Actions",
    ]  # fmt: skip
    assert root.findtext(f"{NS}RegistrationInfo/{NS}URI") == "\\bwdc-tray\\corp@1a2b3c4d"
    assert root.findtext(f"{NS}RegistrationInfo/{NS}Author") == "bwdc-tray"
    found = root.find(f"{NS}Settings")
    assert found is not None
    settings = {c.tag.removeprefix(NS): c.text for c in found}
    assert settings == {
        "MultipleInstancesPolicy": "IgnoreNew",
        "DisallowStartIfOnBatteries": "false",
        "StopIfGoingOnBatteries": "false",
        "StartWhenAvailable": "true",
        "Enabled": "true",
        "ExecutionTimeLimit": "PT1H6M",
    }
    assert root.find(f"{NS}Actions").get("Context") == "Author"  # type: ignore[union-attr]


def test_principals_for_each_run_context() -> None:
    me = _tree(TaskSchedulerBackend().render(_spec()))
    principal = me.find(f"{NS}Principals/{NS}Principal")
    assert principal is not None and principal.get("id") == "Author"
    assert principal.findtext(f"{NS}LogonType") == "InteractiveToken"
    assert principal.findtext(f"{NS}RunLevel") == "LeastPrivilege"
    assert principal.find(f"{NS}UserId") is None

    dedicated = _tree(TaskSchedulerBackend().render(_spec(run_as="CORP\\svc-bwdc")))
    principal = dedicated.find(f"{NS}Principals/{NS}Principal")
    assert principal is not None
    assert principal.findtext(f"{NS}UserId") == "CORP\\svc-bwdc"
    assert principal.findtext(f"{NS}LogonType") == "Password"


@pytest.mark.parametrize(
    ("job_id", "path"),
    [
        ("corp", "\\bwdc-tray\\corp"),
        ("corp@1a2b3c4d", "\\bwdc-tray\\corp@1a2b3c4d"),
        ("a:b/c", "\\bwdc-tray\\a~3Ab~2Fc"),
        ("x~3A", "\\bwdc-tray\\x~7E3A"),  # the escape character is escaped: no collision
    ],
)
def test_task_names(job_id: str, path: str) -> None:
    assert task_path(job_id) == path


@pytest.mark.parametrize(
    ("command", "why"),
    [
        (('C:\\"odd"\\python.exe', "run"), "double quote"),
        (("C:\\" + "x" * 260 + ".exe",), "at most 260"),
        ((PYTHONW, "--home", "C:\\a\nb"), "line break"),
        ((PYTHONW, "--home", "C:\\%APPDATA%\\x"), "environment variable"),
    ],
)
def test_commands_a_task_cannot_carry_are_refused(command: tuple[str, ...], why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        TaskSchedulerBackend().render(_spec(command=command))


def test_no_secret_in_the_xml() -> None:
    backend = TaskSchedulerBackend(password=lambda _user: CANARY)
    for expr in ("30 2 * * *", "*/7 * * * *", "0 0 1,15 * 1"):
        xml = backend.render(_spec(expr, run_as="svc-bwdc"))
        assert CANARY not in xml
        assert "Password</LogonType>" in xml and "<Password>" not in xml


# --- install, remove, inspect through the command seam -----------------------------------------


class FakeWindows:
    """schtasks and PowerShell's Register-ScheduledTask, with their exit codes."""

    def __init__(self) -> None:
        self.tasks: dict[str, str] = {}  # path -> the XML, as Windows would export it
        self.files: list[bytes] = []
        self.stdin: list[str | None] = []
        self.delete_denied = False
        self.runner = FakeRunner(self.handle)

    def handle(self, argv: tuple[str, ...], stdin: str | None) -> tuple[int, str, str]:
        self.stdin.append(stdin)
        if argv[0] == "powershell.exe":
            script = argv[-1]
            if "Register-ScheduledTask" not in script:
                return 1, "", "unexpected script"
            file = re.search(r"-LiteralPath '((?:[^']|'')*)'", script)
            folder = re.search(r"-TaskPath '((?:[^']|'')*)'", script)
            name = re.search(r"-TaskName '((?:[^']|'')*)'", script)
            assert file and folder and name
            if not stdin or not stdin.endswith("\n"):
                return 1, "", "The user name or password is incorrect."
            data = Path(file.group(1).replace("''", "'")).read_bytes()
            self.files.append(data)
            self.tasks[folder.group(1) + name.group(1)] = windows_export(data.decode("utf-16"))
            return 0, "", ""
        assert argv[0] == "schtasks"
        verb = argv[1]
        path = argv[argv.index("/TN") + 1]
        if verb == "/Create":
            data = Path(argv[argv.index("/XML") + 1]).read_bytes()
            self.files.append(data)
            self.tasks[path] = windows_export(data.decode("utf-16"))
            return 0, f'SUCCESS: The scheduled task "{path}" has successfully been created.\n', ""
        if path not in self.tasks:
            return 1, "", "ERROR: The system cannot find the file specified.\n"
        if verb == "/Delete":
            if self.delete_denied:
                return 1, "", "ERROR: Access is denied.\n"
            del self.tasks[path]
            return 0, f'SUCCESS: The scheduled task "{path}" was successfully deleted.\n', ""
        if verb == "/Query":
            return 0, (self.tasks[path] if "/XML" in argv else f"{path}  Ready\n"), ""
        if verb == "/Run":
            return 0, f'SUCCESS: Attempted to run the scheduled task "{path}".\n', ""
        raise AssertionError(argv)


def windows_export(xml: str) -> str:
    """Roughly what `schtasks /Query /XML` prints for a task registered from our XML: the trigger
    children in Windows' order, defaults spelled out, a Date, the user as Windows names it."""
    root = ET.fromstring(xml.lstrip("\ufeff"))  # noqa: S314
    info = root.find(f"{NS}RegistrationInfo")
    assert info is not None
    date = ET.Element(f"{NS}Date")
    date.text = "2026-11-30T10:12:13.1234567"
    info.insert(0, date)
    triggers = root.find(f"{NS}Triggers")
    for trig in triggers if triggers is not None else []:
        enabled = trig.find(f"{NS}Enabled")
        if enabled is not None:
            trig.remove(enabled)
            trig.append(enabled)  # Windows puts Enabled last
        rep = trig.find(f"{NS}Repetition")
        if rep is not None:
            trig.remove(rep)
            trig.insert(0, rep)
    settings = root.find(f"{NS}Settings")
    assert settings is not None
    for name, value in [
        ("AllowHardTerminate", "true"),
        ("RunOnlyIfNetworkAvailable", "false"),
        ("AllowStartOnDemand", "true"),
        ("Hidden", "false"),
        ("RunOnlyIfIdle", "false"),
        ("WakeToRun", "false"),
        ("Priority", "7"),
    ]:
        el = ET.SubElement(settings, f"{NS}{name}")
        el.text = value
    idle = ET.SubElement(settings, f"{NS}IdleSettings")
    for name, value in [("StopOnIdleEnd", "true"), ("RestartOnIdle", "false")]:
        ET.SubElement(idle, f"{NS}{name}").text = value
    limit = settings.find(f"{NS}ExecutionTimeLimit")
    if limit is not None and limit.text == "PT1H6M":
        limit.text = "PT66M"
    principal = root.find(f"{NS}Principals/{NS}Principal")
    assert principal is not None
    user = principal.find(f"{NS}UserId")
    if user is None:
        user = ET.SubElement(principal, f"{NS}UserId")
        user.text = "S-1-5-21-1004336348-1177238915-682003330-1001"
    else:
        user.text = "DESKTOP-7Q\\" + (user.text or "")
    ET.register_namespace("", NS[1:-1])
    return '<?xml version="1.0" encoding="UTF-16"?>\r\n' + ET.tostring(
        root, encoding="unicode"
    ).replace("\n", "\r\n")


def test_install_as_me_writes_utf16_with_bom_and_calls_schtasks() -> None:
    win = FakeWindows()
    backend = TaskSchedulerBackend(win.runner)
    spec = _spec()
    assert backend.install(spec) == []
    (argv,) = win.runner.calls
    assert argv[:3] == ("schtasks", "/Create", "/XML")
    assert argv[4:] == ("/TN", "\\bwdc-tray\\corp@1a2b3c4d", "/F")
    assert not Path(argv[3]).exists()  # the private temp file is gone
    (data,) = win.files
    assert data.startswith(b"\xff\xfe")
    assert data[2:].decode("utf-16-le") == backend.render(spec)
    assert win.stdin == [None]
    assert backend.inspect(spec.job_id) == backend.render(spec)


def test_update_overwrites_with_f_and_drift_is_seen() -> None:
    win = FakeWindows()
    backend = TaskSchedulerBackend(win.runner)
    old, new = _spec("30 2 * * *"), _spec("0 3 * * 1-5")
    backend.install(old)
    backend.install(new)
    assert all(call[-1] == "/F" for call in win.runner.calls if call[1] == "/Create")
    assert job_state(backend, new, backend.inspect(new.job_id)) == "in-sync"
    path = task_path(new.job_id)
    win.tasks[path] = win.tasks[path].replace("T03:00:00", "T04:00:00")  # edited in the GUI
    assert job_state(backend, new, backend.inspect(new.job_id)) == "drifted"
    win.tasks[path] = win.tasks[path].replace("IgnoreNew", "Parallel")
    assert backend.inspect(new.job_id) != backend.render(new)


def test_install_for_a_dedicated_user_feeds_the_password_on_stdin_only() -> None:
    win = FakeWindows()
    asked: list[str] = []

    def password(user: str) -> str:
        asked.append(user)
        return CANARY

    backend = TaskSchedulerBackend(win.runner, password=password)
    spec = _spec("0 */4 * * *", run_as="svc-bwdc")
    warnings = backend.install(spec)
    assert asked == ["svc-bwdc"]
    assert any("Log on as a batch job" in w for w in warnings)
    (argv,) = win.runner.calls
    assert argv[0] == "powershell.exe"
    assert "-User 'svc-bwdc'" in argv[-1] and "-Password $password" in argv[-1]
    assert all(CANARY not in a for call in win.runner.calls for a in call)
    assert win.stdin == [CANARY + "\n"]
    (data,) = win.files
    assert data.startswith(b"\xff\xfe") and CANARY.encode("utf-16-le") not in data
    assert CANARY not in data.decode("utf-16")
    assert "<LogonType>Password</LogonType>" in data.decode("utf-16")
    # Windows names the user DESKTOP-7Q\svc-bwdc: still the same job.
    assert backend.inspect(spec.job_id, "svc-bwdc") == backend.render(spec)


def test_a_dedicated_user_without_a_password_changes_nothing() -> None:
    win = FakeWindows()
    for backend in (
        TaskSchedulerBackend(win.runner),
        TaskSchedulerBackend(win.runner, password=lambda _u: None),
    ):
        with pytest.raises(EnvironmentProblem, match="needs svc-bwdc's Windows password") as info:
            backend.install(_spec(run_as="svc-bwdc"))
        assert info.value.remedy
    assert win.runner.calls == []


def test_a_refused_registration_is_an_environment_problem() -> None:
    runner = FakeRunner(lambda argv, _in: (1, "", "ERROR: Access is denied.\n"))
    with pytest.raises(EnvironmentProblem, match="Access is denied"):
        TaskSchedulerBackend(runner).install(_spec())


def test_remove() -> None:
    win = FakeWindows()
    backend = TaskSchedulerBackend(win.runner)
    backend.install(_spec())
    assert backend.remove("corp@1a2b3c4d")
    assert win.runner.calls[-1] == (
        "schtasks",
        "/Delete",
        "/TN",
        "\\bwdc-tray\\corp@1a2b3c4d",
        "/F",
    )
    assert not backend.remove("corp@1a2b3c4d")  # gone: "cannot find", confirmed by a query
    assert backend.inspect("corp@1a2b3c4d") is None
    assert win.runner.calls[-1] == (
        "schtasks",
        "/Query",
        "/TN",
        "\\bwdc-tray\\corp@1a2b3c4d",
        "/XML",
    )


def test_remove_that_fails_for_another_reason_says_so() -> None:
    win = FakeWindows()
    backend = TaskSchedulerBackend(win.runner)
    backend.install(_spec())
    win.delete_denied = True
    with pytest.raises(EnvironmentProblem, match="Access is denied"):
        backend.remove("corp@1a2b3c4d")


def test_run_now() -> None:
    win = FakeWindows()
    backend = TaskSchedulerBackend(win.runner)
    backend.install(_spec())
    backend.run_now("corp@1a2b3c4d")
    assert win.runner.calls[-1] == ("schtasks", "/Run", "/TN", "\\bwdc-tray\\corp@1a2b3c4d")
    with pytest.raises(EnvironmentProblem):
        backend.run_now("other")


def test_repeating_layer_warns_about_the_first_day() -> None:
    win = FakeWindows()
    assert TaskSchedulerBackend(win.runner).install(_spec("*/7 * * * *")) == [FIRST_DAY_WARNING]


def test_no_schtasks_is_an_environment_problem() -> None:
    from bwdc_tray.oscmd import CommandNotFound

    def missing(_argv: tuple[str, ...], _in: str | None) -> tuple[int, str, str]:
        raise CommandNotFound("schtasks: command not found")

    with pytest.raises(EnvironmentProblem, match="only be managed on Windows"):
        TaskSchedulerBackend(FakeRunner(missing)).inspect("corp")


# --- read-back normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize("expr", ["30 2 * * *", "*/15 * * * *", "*/7 * * * *", "0 0 1,15 * 1",
                                  "0 9 * jan,jul mon"])  # fmt: skip
@pytest.mark.parametrize("run_as", [None, "svc-bwdc"])
def test_canonical_form_is_a_fixed_point_and_absorbs_windows_noise(
    expr: str, run_as: str | None
) -> None:
    rendered = TaskSchedulerBackend().render(_spec(expr, run_as=run_as))
    assert canonical(rendered, run_as) == rendered
    assert canonical(windows_export(rendered), run_as) == rendered
    # schtasks output read as single bytes although it is UTF-16: NULs between the characters.
    garbled = "\ufeff" + "\x00".join(windows_export(rendered))
    assert canonical(garbled, run_as) == rendered


def test_a_user_given_as_a_sid_is_resolved() -> None:
    rendered = TaskSchedulerBackend().render(_spec(run_as="svc-bwdc"))
    exported = rendered.replace("<UserId>svc-bwdc</UserId>", "<UserId>S-1-5-21-1-2-3-1005</UserId>")

    def handler(argv: tuple[str, ...], _in: str | None) -> tuple[int, str, str]:
        if argv[0] == "schtasks":
            return 0, exported, ""
        assert "S-1-5-21-1-2-3-1005" in argv[-1]
        return 0, "HOST\\svc-bwdc\r\n", ""

    backend = TaskSchedulerBackend(FakeRunner(handler))
    assert backend.inspect("corp@1a2b3c4d", "svc-bwdc") == rendered


def test_a_changed_principal_or_extra_setting_is_drift() -> None:
    spec = _spec()
    rendered = TaskSchedulerBackend().render(spec)
    for edit in (
        ("<LogonType>InteractiveToken</LogonType>", "<LogonType>S4U</LogonType>"),
        ("<StartWhenAvailable>true</StartWhenAvailable>", ""),
        ("</Settings>", "  <WakeToRun>true</WakeToRun>\n  </Settings>"),
        ("run corp", "run other"),
    ):
        changed = rendered.replace(*edit)
        assert changed != rendered, edit
        assert canonical(changed) != rendered, edit


def test_unreadable_read_back_is_drift_not_a_crash() -> None:
    backend = TaskSchedulerBackend(FakeRunner(lambda _a, _i: (0, "not xml at all", "")))
    assert backend.inspect("corp") == "not xml at all"


def test_fire_time_simulator_sanity() -> None:
    """The simulator itself, on hand-written triggers (inclusive Duration end, Last, weeks)."""
    xml = (
        '<Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Triggers>'
        "<CalendarTrigger><StartBoundary>2026-03-01T10:00:00</StartBoundary>"
        "<Repetition><Interval>PT1M</Interval><Duration>PT4M</Duration></Repetition>"
        "<ScheduleByMonth><DaysOfMonth><Day>Last</Day></DaysOfMonth><Months><March /></Months>"
        "</ScheduleByMonth></CalendarTrigger>"
        "<CalendarTrigger><StartBoundary>2026-01-01T08:00:00</StartBoundary>"
        "<ScheduleByMonthDayOfWeek><Weeks><Week>Last</Week></Weeks><DaysOfWeek><Friday />"
        "</DaysOfWeek><Months><May /></Months></ScheduleByMonthDayOfWeek></CalendarTrigger>"
        "</Triggers></Task>"
    )
    got = fire_times(xml, datetime(2026, 1, 1), datetime(2027, 1, 1))
    assert sorted(got) == [
        datetime(2026, 3, 31, 10, m)
        for m in range(5)  # launched five times
    ] + [datetime(2026, 5, 29, 8, 0)]

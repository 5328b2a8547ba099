"""The launchd backend: the plist fires exactly when cron does, and launchctl is driven right."""

from __future__ import annotations

import plistlib
import stat
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bwdc_tray import BUNDLE_ID
from bwdc_tray.errors import EnvironmentProblem, InvalidInput
from bwdc_tray.oscmd import CommandNotFound, Completed
from bwdc_tray.schedule import cron
from bwdc_tray.schedule.backends import launchd
from bwdc_tray.schedule.backends.base import JobSpec, job_state
from bwdc_tray.schedule.backends.launchd import (
    MAX_ENTRIES,
    WAIT_POLLS,
    LaunchdBackend,
    expand,
    label_for,
)
from tests.conftest import CANARY, World
from tests.fakes.commands import FakeRunner
from tests.schedule.corpus import CORPUS, YEAR_START, cronsim_year
from tests.support.platforms import posix_only

COMMAND = (
    "/Applications/bwdc tray.app/Contents/MacOS/bwdc-tray",
    "--home",
    '/Users/José/it\'s "quoted" & <odd>',
    "run",
    "corp",
    "--trigger",
    "schedule",
)


def _spec(expr: str = "30 2 * * *", run_as: str | None = None, job_id: str = "corp") -> JobSpec:
    return JobSpec(
        instance="corp", expr=cron.parse(expr), command=COMMAND, run_as=run_as, job_id=job_id
    )


# --- the oracle: launchd's matching of StartCalendarInterval, simulated ---------------------------

KEYS = {"Minute": (0, 59), "Hour": (0, 23), "Day": (1, 31), "Weekday": (0, 7), "Month": (1, 12)}


def _check_entry(entry: dict[str, Any]) -> None:
    assert set(entry) <= set(KEYS), entry
    assert not {"Day", "Weekday"} <= set(entry), f"Day and Weekday in one entry: {entry}"
    for key, value in entry.items():
        low, high = KEYS[key]
        # launchd silently treats an out-of-range value as a wildcard (chef/chef#5115).
        assert type(value) is int and low <= value <= high, entry


def launchd_fire_times(entries: list[dict[str, Any]], days: int = 365) -> list[datetime]:
    """Every naive wall-clock minute of the year that some entry matches (a missing key is a
    wildcard; Weekday 0 and 7 are Sunday), computed day by day."""
    day_minutes = []
    for entry in entries:
        _check_entry(entry)
        hours = [entry["Hour"]] if "Hour" in entry else range(24)
        minutes = [entry["Minute"]] if "Minute" in entry else range(60)
        day_minutes.append(frozenset(h * 60 + m for h in hours for m in minutes))
    out: list[datetime] = []
    first = YEAR_START.replace(tzinfo=None)
    for i in range(days):
        day = first + timedelta(days=i)
        weekday = day.isoweekday() % 7  # Sunday 0
        fire: set[int] = set()
        for entry, mins in zip(entries, day_minutes, strict=True):
            if (
                entry.get("Month", day.month) == day.month
                and entry.get("Day", day.day) == day.day
                and entry.get("Weekday", weekday) % 7 == weekday
            ):
                fire |= mins
        out.extend(day + timedelta(minutes=m) for m in sorted(fire))
    return out


def _entries(text: str) -> list[dict[str, Any]]:
    plist = plistlib.loads(text.encode("utf-8"))
    entries = plist["StartCalendarInterval"]
    assert isinstance(entries, list)
    return entries


@cache
def _cronsim(expr: str, days: int = 365) -> frozenset[datetime]:
    times = cronsim_year(expr, YEAR_START, YEAR_START + timedelta(days=days))
    assert len(set(times)) == len(times)
    return frozenset(times)


# Refused by launchd for the corpus: none. The largest exact expansion in CORPUS is
# "*/20 9-17 * * mon-fri" (3 x 9 x 5 = 135 entries), under the cap of 256, and no corpus
# expression restricts both day fields with one of them starting with "*" (the AND that launchd
# cannot express without Day and Weekday in one entry). So no corpus expression needs the
# over-approximating fallback either; the cases below the corpus test both.
REFUSED: dict[str, str] = {}


@pytest.mark.parametrize("expr", CORPUS)
def test_the_plist_fires_exactly_when_cronsim_does(expr: str) -> None:
    spec = _spec(expr)
    try:
        text = LaunchdBackend().render(spec)
    except InvalidInput as exc:
        assert expr in REFUSED, f"{expr!r} refused: {exc}"
        assert "launchd" in exc.message and exc.remedy
        return
    assert expr not in REFUSED
    entries = _entries(text)
    assert 1 <= len(entries) <= MAX_ENTRIES
    fired = launchd_fire_times(entries)
    assert len(set(fired)) == len(fired)
    assert set(fired) == _cronsim(expr)


# (expression, entries, days of 2026 compared: dense schedules over January only, to stay fast)
@pytest.mark.parametrize(
    ("expr", "count", "days"),
    [
        ("* * * * *", 60, 31),  # written out as 60 Minute entries, never an empty dict
        ("0 9 * * 1-5", 5, 365),
        ("0 0 1-31 * 1", 1, 365),  # OR with a full day of month: every day
        ("0 0 */2 * 0-6", 16, 365),  # AND with every weekday: the odd days
        ("0 0 30 2 1", 2, 365),  # Feb 30 never comes, Mondays of February do
        ("0 12 * feb-mar 0,6", 4, 365),
    ],
)
def test_more_exact_expansions(expr: str, count: int, days: int) -> None:
    entries = _entries(LaunchdBackend().render(_spec(expr)))
    assert len(entries) == count
    assert set(launchd_fire_times(entries, days)) == _cronsim(expr, days)


def test_or_rule_becomes_two_families() -> None:
    entries = _entries(LaunchdBackend().render(_spec("0 0 1,15 * 1")))
    assert entries == [
        {"Day": 1, "Hour": 0, "Minute": 0},
        {"Day": 15, "Hour": 0, "Minute": 0},
        {"Weekday": 1, "Hour": 0, "Minute": 0},
    ]


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("*/5 9-17 * * 1-5", "540 StartCalendarInterval entries"),
        ("*/2 */2 * * *", "360 StartCalendarInterval entries"),
        ("0 0 */2 * 1", "Day and Weekday in one"),  # odd days that are Mondays (AND)
    ],
)
def test_beyond_the_cap_or_an_and_is_refused_or_over_approximated(expr: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why) as caught:
        LaunchdBackend().render(_spec(expr))
    assert caught.value.remedy and "--backend cron" in caught.value.remedy

    # The fallback of reference/schedulers.md §2.5: fewer keys, a superset of the fire times.
    backend = LaunchdBackend(over_approximate=True)
    entries = _entries(backend.render(_spec(expr)))
    assert len(entries) <= MAX_ENTRIES
    fired = set(launchd_fire_times(entries, 31))
    assert fired >= _cronsim(expr, 31) and fired != _cronsim(expr, 31)
    exp = expand(cron.parse(expr), over_approximate=True)
    assert not exp.exact and exp.dropped


def test_fallback_keeps_minute_and_hour_when_dropping_the_weekday_is_enough() -> None:
    exp = expand(cron.parse("*/5 9-17 * * 1-5"), over_approximate=True)
    assert exp.dropped == ("Day and Weekday",) and len(exp.entries) == 12 * 9
    assert all(set(e) == {"Hour", "Minute"} for e in exp.entries)
    exp = expand(cron.parse("0 0 */2 * 1"), over_approximate=True)
    assert exp.dropped == ("Day",) and exp.entries == [{"Weekday": 1, "Hour": 0, "Minute": 0}]


# --- labels -------------------------------------------------------------------------------------


def test_labels_are_safe_and_one_to_one_even_without_case() -> None:
    ids = ["corp", "Corp", "CORP", "a_b", "a-b", "a.b", "a__b", "a_-b", "corp@1a2b3c4d", "x9"]
    labels = [label_for(i) for i in ids]
    assert len({lab.casefold() for lab in labels}) == len(ids)
    for lab in labels:
        assert lab.startswith("io.github.bwdc-tray.")
        assert all(ch in "abcdefghijklmnopqrstuvwxyz0123456789.-_" for ch in lab)
    assert label_for("corp") == "io.github.bwdc-tray.corp"
    assert label_for("corp@1a2b3c4d") == "io.github.bwdc-tray.corp_-1a2b3c4d"


# --- install, remove, inspect ------------------------------------------------------------------


class FakeLaunchctl:
    """launchctl's answers for bootout, print, enable and bootstrap, with an asynchronous
    bootout: a job booted out still shows in `print` for ``linger`` polls."""

    def __init__(self, linger: int = 0) -> None:
        self.loaded: dict[str, Path] = {}
        self.lingering: dict[str, int] = {}
        self.linger = linger
        self.fail: dict[str, tuple[int, str]] = {}
        self.runner = FakeRunner(self.handle)

    @property
    def calls(self) -> list[tuple[str, ...]]:
        return self.runner.calls

    def handle(self, argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        assert argv[0] == "launchctl"
        verb = argv[1]
        if verb in self.fail:
            rc, err = self.fail[verb]
            return rc, "", err
        if verb == "bootout":
            if argv[2] not in self.loaded:
                return 113, "", "Boot-out failed: 113: Could not find specified service\n"
            del self.loaded[argv[2]]
            self.lingering[argv[2]] = self.linger
            return 0, "", ""
        if verb == "print":
            if argv[2] in self.loaded:
                return 0, f"{argv[2]} = {{\n\tstate = not running\n}}\n", ""
            if self.lingering.get(argv[2], 0) > 0:
                self.lingering[argv[2]] -= 1
                return 0, f"{argv[2]} = {{\n\tstate = exiting\n}}\n", ""
            return 113, "", f'Could not find service "{argv[2]}" in domain for port\n'
        if verb == "enable":
            return 0, "", ""
        if verb == "bootstrap":
            domain, path = argv[2], Path(argv[3])
            label = plistlib.loads(path.read_bytes())["Label"]
            target = f"{domain}/{label}"
            if target in self.loaded or self.lingering.get(target, 0) > 0:
                return 5, "", "Bootstrap failed: 5: Input/output error\n"
            self.loaded[target] = path
            return 0, "", ""
        raise AssertionError(argv)


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "LaunchAgents", tmp_path / "LaunchDaemons"


def _backend(
    fake: FakeLaunchctl, dirs: tuple[Path, Path], sleeps: list[float] | None = None
) -> LaunchdBackend:
    return LaunchdBackend(
        fake.runner,
        agents_dir=dirs[0],
        daemons_dir=dirs[1],
        uid=501,
        sleep=(sleeps if sleeps is not None else []).append,
    )


LABEL = "io.github.bwdc-tray.corp"


@posix_only("file modes: a plist is 0644")
def test_install_update_remove_a_launchagent(dirs: tuple[Path, Path]) -> None:
    fake = FakeLaunchctl(linger=2)
    sleeps: list[float] = []
    backend = _backend(fake, dirs, sleeps)
    spec = _spec("30 2 * * *")
    assert backend.inspect("corp") is None
    warnings = backend.install(spec)
    path = dirs[0] / f"{LABEL}.plist"
    target = f"gui/501/{LABEL}"
    assert fake.calls == [
        ("launchctl", "bootout", target),
        ("launchctl", "print", target),
        ("launchctl", "enable", target),
        ("launchctl", "bootstrap", "gui/501", str(path)),
    ]
    assert sleeps == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not list(dirs[0].glob(".*"))  # no temp file left behind
    assert any("logged in" in w for w in warnings)
    plist = plistlib.loads(path.read_bytes())
    assert plist == {
        "Label": LABEL,
        "ProgramArguments": list(COMMAND),
        "StartCalendarInterval": [{"Hour": 2, "Minute": 30}],
        "ProcessType": "Background",
        "AssociatedBundleIdentifiers": ["io.github.bwdc-tray"],
    }
    assert backend.inspect("corp") == backend.render(spec)
    assert job_state(backend, spec, backend.inspect("corp")) == "in-sync"
    assert not dirs[1].exists()

    # Re-install: an update. bootout is asynchronous, so `print` is polled until it is gone.
    fake.calls.clear()
    new = _spec("0 */6 * * 1-5")
    backend.install(new)
    assert [c[1] for c in fake.calls] == [
        "bootout",
        "print",
        "print",
        "print",
        "enable",
        "bootstrap",
    ]
    assert sleeps == [launchd.POLL_SECONDS] * 2
    assert fake.loaded == {target: path}
    assert backend.inspect("corp") == backend.render(new) != backend.render(spec)
    assert job_state(backend, spec, backend.inspect("corp")) == "drifted"

    # Edited by hand: drifted; removed by hand: missing.
    path.write_text(backend.render(new).replace("<integer>6</integer>", "<integer>7</integer>"))
    assert job_state(backend, new, backend.inspect("corp")) == "drifted"

    fake.calls.clear()
    assert backend.remove("corp") is True
    assert fake.calls == [("launchctl", "bootout", target)]
    assert not path.exists() and fake.loaded == {}
    assert backend.inspect("corp") is None
    assert job_state(backend, new, backend.inspect("corp")) == "missing"
    fake.calls.clear()
    assert backend.remove("corp") is False
    assert fake.calls == []


@posix_only("file modes: a plist is 0644")
def test_a_launchdaemon_runs_as_the_dedicated_user(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(launchd, "_is_root", lambda: True)
    fake = FakeLaunchctl()
    backend = _backend(fake, dirs)
    spec = _spec("0 3 * * *", run_as="_bwdcsync", job_id="corp@1a2b3c4d")
    label = "io.github.bwdc-tray.corp_-1a2b3c4d"
    warnings = backend.install(spec)
    path = dirs[1] / f"{label}.plist"
    assert fake.calls == [
        ("launchctl", "bootout", f"system/{label}"),
        ("launchctl", "print", f"system/{label}"),
        ("launchctl", "enable", f"system/{label}"),
        ("launchctl", "bootstrap", "system", str(path)),
    ]
    plist = plistlib.loads(path.read_bytes())
    assert plist["UserName"] == "_bwdcsync" and "GroupName" not in plist
    assert plist["ProgramArguments"] == list(COMMAND)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert any("keychain" in w for w in warnings)
    assert not dirs[0].exists()
    assert backend.inspect("corp@1a2b3c4d", "_bwdcsync") == backend.render(spec)
    assert backend.inspect("corp@1a2b3c4d") is None  # the agent of the same job: none
    assert backend.remove("corp@1a2b3c4d", "_bwdcsync") is True
    assert fake.calls[-1] == ("launchctl", "bootout", f"system/{label}")
    assert not path.exists()


def test_a_launchdaemon_needs_root(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(launchd, "_is_root", lambda: False)
    fake = FakeLaunchctl()
    with pytest.raises(InvalidInput, match="only root"):
        _backend(fake, dirs).install(_spec(run_as="_bwdcsync"))
    assert fake.calls == [] and not dirs[1].exists()


def test_a_launchagent_for_root_is_refused(dirs: tuple[Path, Path]) -> None:
    fake = FakeLaunchctl()
    backend = LaunchdBackend(fake.runner, agents_dir=dirs[0], daemons_dir=dirs[1], uid=0)
    with pytest.raises(InvalidInput, match="LaunchAgent would belong to root"):
        backend.install(_spec())
    assert fake.calls == []


def test_the_wait_for_bootout_is_bounded(dirs: tuple[Path, Path]) -> None:
    fake = FakeLaunchctl(linger=10**6)
    sleeps: list[float] = []
    backend = _backend(fake, dirs, sleeps)
    backend.install(_spec())
    fake.calls.clear()
    with pytest.raises(EnvironmentProblem, match="bootstrap") as caught:
        backend.install(_spec("0 4 * * *"))
    verbs = [c[1] for c in fake.calls]
    assert verbs.count("print") == WAIT_POLLS
    assert verbs.count("bootstrap") == launchd.BOOTSTRAP_ATTEMPTS
    assert len(sleeps) == WAIT_POLLS - 1 + launchd.BOOTSTRAP_ATTEMPTS - 1
    assert "logged in" in caught.value.message  # EIO in gui/<uid>: the usual cause


def test_bootstrap_without_a_desktop_session_says_what_to_do(dirs: tuple[Path, Path]) -> None:
    fake = FakeLaunchctl()
    fake.fail["bootstrap"] = (5, "Bootstrap failed: 5: Input/output error\n")
    backend = _backend(fake, dirs)
    with pytest.raises(EnvironmentProblem) as caught:
        backend.install(_spec())
    assert "--run-as" in (caught.value.remedy or "")
    assert (dirs[0] / f"{LABEL}.plist").exists()  # launchd loads it at the next login


def test_a_failed_bootout_stops_the_install(dirs: tuple[Path, Path]) -> None:
    fake = FakeLaunchctl()
    fake.fail["bootout"] = (1, "Boot-out failed: 1: Operation not permitted\n")
    with pytest.raises(EnvironmentProblem, match="Operation not permitted"):
        _backend(fake, dirs).install(_spec())
    assert [c[1] for c in fake.calls] == ["bootout"]


def test_old_launchctl_answers_for_a_job_that_is_not_loaded(dirs: tuple[Path, Path]) -> None:
    fake = FakeLaunchctl()
    fake.fail["bootout"] = (3, "Boot-out failed: 3: No such process\n")
    _backend(fake, dirs).install(_spec())
    assert [c[1] for c in fake.calls] == ["bootout", "print", "enable", "bootstrap"]


def test_without_launchctl(dirs: tuple[Path, Path]) -> None:
    def missing(argv: Any, *, input_text: str | None = None) -> Completed:
        raise CommandNotFound("launchctl: command not found")

    backend = LaunchdBackend(missing, agents_dir=dirs[0], daemons_dir=dirs[1], uid=501)
    with pytest.raises(EnvironmentProblem, match="macOS only"):
        backend.install(_spec())


def test_render_is_pure_and_refuses_control_characters(dirs: tuple[Path, Path]) -> None:
    fake = FakeLaunchctl()
    backend = _backend(fake, dirs)
    backend.render(_spec(run_as="_bwdcsync"))
    assert fake.calls == [] and not dirs[0].exists() and not dirs[1].exists()
    bad = JobSpec(instance="corp", expr=cron.parse("0 3 * * *"), command=("/bin/x", "a\rb"))
    with pytest.raises(InvalidInput, match="control character"):
        backend.render(bad)


# --- secrets ------------------------------------------------------------------------------------


def test_no_secret_reaches_the_plist(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from bwdc_tray.config import ConfigStore
    from bwdc_tray.paths import resolve
    from bwdc_tray.schedule import jobs

    world.add("corp")  # its API key is CANARY, in the keyring
    assert world.cli("schedule", "set", "corp", "daily", "01:00", "--no-apply").code == 0
    monkeypatch.setenv("BW_CLIENTSECRET", CANARY)
    monkeypatch.setenv("BW_PASSWORD", CANARY)
    paths = resolve(world.home)
    spec = jobs.spec_for(paths, ConfigStore(paths).load().get("corp"))
    assert spec is not None
    for run_as in (None, "_bwdcsync"):
        text = LaunchdBackend().render(JobSpec(**{**spec.__dict__, "run_as": run_as}))
        assert CANARY not in text
        plist = plistlib.loads(text.encode("utf-8"))
        assert set(plist) <= {
            "Label",
            "ProgramArguments",
            "StartCalendarInterval",
            "ProcessType",
            "AssociatedBundleIdentifiers",
            "UserName",
        }
        assert plist["AssociatedBundleIdentifiers"] == [BUNDLE_ID]
        assert plist["ProgramArguments"] == list(spec.command)


def test_the_oracle_itself_knows_launchd_rules() -> None:
    # Weekday 7 is Sunday, a missing key is a wildcard, and Day+Weekday would fail the check.
    sundays = launchd_fire_times([{"Weekday": 7, "Hour": 0, "Minute": 0}])
    assert all(t.isoweekday() == 7 for t in sundays) and len(sundays) == 52
    assert sundays[0].date() == date(2026, 1, 4)
    with pytest.raises(AssertionError):
        launchd_fire_times([{"Day": 1, "Weekday": 1}])
    with pytest.raises(AssertionError):
        launchd_fire_times([{"Hour": 24}])


def test_a_job_booted_out_by_hand_shows_as_drift_and_sync_repairs_it(
    dirs: tuple[Path, Path],
) -> None:
    fake = FakeLaunchctl()
    backend = _backend(fake, dirs)
    spec = _spec("30 2 * * *")
    backend.install(spec)
    assert job_state(backend, spec, backend.inspect("corp")) == "in-sync"
    fake.loaded.clear()  # `launchctl bootout gui/501/…` typed by someone
    assert job_state(backend, spec, backend.inspect("corp")) == "drifted"
    backend.install(spec)
    assert job_state(backend, spec, backend.inspect("corp")) == "in-sync"


@pytest.mark.parametrize("run_as", [None, "_bwdcsync"])
def test_a_plist_from_before_associated_bundle_identifiers_is_drift_that_sync_repairs(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, run_as: str | None
) -> None:
    # macOS 13+ files the job under bwdc-tray in Login Items only with the key: a job written by
    # an older bwdc-tray shows as drifted once, and `schedule sync` (an install) rewrites it.
    monkeypatch.setattr(launchd, "_is_root", lambda: True)
    fake = FakeLaunchctl()
    backend = _backend(fake, dirs)
    spec = _spec("30 2 * * *", run_as=run_as)
    backend.install(spec)
    path = backend.path_for("corp", run_as)
    assert plistlib.loads(path.read_bytes())["AssociatedBundleIdentifiers"] == [BUNDLE_ID]
    old = plistlib.loads(path.read_bytes())
    del old["AssociatedBundleIdentifiers"]
    path.write_bytes(plistlib.dumps(old, sort_keys=True))  # as the previous version wrote it
    assert job_state(backend, spec, backend.inspect("corp", run_as)) == "drifted"
    backend.install(spec)
    assert plistlib.loads(path.read_bytes())["AssociatedBundleIdentifiers"] == [BUNDLE_ID]
    assert job_state(backend, spec, backend.inspect("corp", run_as)) == "in-sync"


def test_the_login_item_is_never_taken_for_a_job(tmp_path: Path) -> None:
    from bwdc_tray import autostart

    assert launchd.LOGIN_ITEM_LABEL == autostart.LABEL
    # An instance named "tray" would take the login item's label: refused, not overwritten.
    with pytest.raises(InvalidInput, match="login item"):
        launchd.label_for("tray")
    assert launchd.job_id_of_label(autostart.LABEL) is None
    agents = tmp_path / "LaunchAgents"
    agents.mkdir()
    (agents / f"{autostart.LABEL}.plist").write_text("<plist/>")
    (agents / f"{launchd.label_for('corp')}.plist").write_text("<plist/>")
    backend = launchd.LaunchdBackend(
        FakeRunner(lambda _args, _input: (0, "", "")), agents_dir=agents
    )
    assert launchd.installed_agent_ids(backend) == ["corp"]

"""The systemd backend: unit files, their OnCalendar lines against cronsim, systemctl calls."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bwdc_tray.errors import InvalidInput
from bwdc_tray.oscmd import CommandNotFound, Completed
from bwdc_tray.schedule import cron
from bwdc_tray.schedule.backends.base import JobSpec, job_state
from bwdc_tray.schedule.backends.systemd import (
    SystemdBackend,
    SystemdError,
    on_calendar,
    unit_names,
)
from tests.fakes.commands import FakeRunner
from tests.schedule.corpus import CORPUS, YEAR_END, YEAR_START, cronsim_year
from tests.support.platforms import posix_only

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(
    SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed (apt install systemd)"
)
RUNNER = (sys.executable, "-m", "bwdc_tray", "run", "corp", "--trigger", "schedule")
HOSTILE = (
    "/opt/bwdc tray/50% é€/python",
    "-m",
    "bwdc_tray",
    "--home",
    '/srv/it\'s "quoted" \\ back/50%/$HOME/${X}/$$/%n/é',
    "",
    ";",
    "\\;",
    "naïve 日本",
)


def _spec(expr: str = "30 2 * * *", command: tuple[str, ...] = RUNNER, **kw: object) -> JobSpec:
    return JobSpec(instance="corp", expr=cron.parse(expr), command=command, **kw)  # type: ignore[arg-type]


def _directive(text: str, key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{key}=")]


# --- names and rendering -----------------------------------------------------------------------


def test_unit_names_escape_the_at_sign_the_systemd_way() -> None:
    assert unit_names("corp") == ("bwdc-tray-corp.service", "bwdc-tray-corp.timer")
    service, timer = unit_names("my-corp.eu@1a2b3c4d")
    assert service == "bwdc-tray-my-corp.eu\\x401a2b3c4d.service"
    assert timer == "bwdc-tray-my-corp.eu\\x401a2b3c4d.timer"
    escape = shutil.which("systemd-escape")
    if escape:  # the same \xNN notation systemd-escape uses for "@"
        out = subprocess.run(
            [escape, "corp@1a2b3c4d"], capture_output=True, text=True, check=False
        ).stdout
        assert "bwdc-tray-" + out.strip() + ".timer" == unit_names("corp@1a2b3c4d")[1]


def test_render_holds_both_files_and_is_deterministic() -> None:
    spec = _spec("0 0 13 * 5", timeout=3600.5, job_id="corp@1a2b3c4d")
    text = SystemdBackend().render(spec)
    assert text == SystemdBackend().render(spec)
    headers = [line for line in text.splitlines() if line.startswith("# bwdc-tray-")]
    assert headers == [
        "# bwdc-tray-corp\\x401a2b3c4d.service",
        "# bwdc-tray-corp\\x401a2b3c4d.timer",
    ]
    assert _directive(text, "OnCalendar") == ["Fri *-*-* 00:00:00", "*-*-13 00:00:00"]
    assert _directive(text, "Type") == ["oneshot"]
    assert _directive(text, "Persistent") == ["true"]
    assert _directive(text, "AccuracySec") == ["1s"]
    assert _directive(text, "WantedBy") == ["timers.target"]
    assert _directive(text, "TimeoutStartSec") == [str(3601 + 300)]
    assert _directive(text, "User") == []
    assert "Environment" not in text and "SECRET" not in text.upper()
    assert text.endswith("\n")


def test_one_oncalendar_line_unless_both_day_fields_are_restricted() -> None:
    assert on_calendar(cron.parse("30 2 * * 1-5")) == ["Mon..Fri *-*-* 02:30:00"]
    assert on_calendar(cron.parse("0 0 1,15 * 1")) == ["Mon *-*-* 00:00:00", "*-*-01,15 00:00:00"]
    # Vixie: a day field starting with * does not count as restricted, so the fields AND.
    assert on_calendar(cron.parse("0 0 */2 * 1")) == ["Mon *-*-01..31/2 00:00:00"]
    # A repetition is always written with its end (systemd 252 skips 00:00 after `*:00/7`).
    assert on_calendar(cron.parse("*/7 * * * *")) == ["*-*-* *:00..56/7:00"]
    # OR with a full side is every day; a date that no chosen month has is left out.
    assert on_calendar(cron.parse("0 0 1-31 * 1")) == ["*-*-* 00:00:00"]
    assert on_calendar(cron.parse("0 0 30,31 2 1")) == ["Mon *-02-* 00:00:00"]


# --- the oracle: systemd-analyze calendar against cronsim ---------------------------------------

# From the last second of 2025, so that a run at 2026-01-01 00:00:00 counts; through the first
# week of 2027, so that the wrap from 31 December is checked too.
BASE_TIME = "2025-12-31 23:59:59 UTC"
ORACLE_END = YEAR_END + timedelta(days=7)
_ELAPSE_RE = re.compile(
    r"^\s*(?:Next elapse|Iter(?:\.|ation) #\d+): \w{3} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$"
)


def _analyze_calendar(line: str, iterations: int) -> tuple[str, list[datetime]]:
    assert SYSTEMD_ANALYZE is not None
    res = subprocess.run(
        [
            SYSTEMD_ANALYZE,
            "calendar",
            f"--iterations={iterations}",
            f"--base-time={BASE_TIME}",
            line,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "UTC", "LC_ALL": "C", "SYSTEMD_COLORS": "0"},
        timeout=60,
        check=False,
    )
    if "--base-time" in res.stderr:
        pytest.skip(f"this systemd-analyze has no --base-time: {res.stderr.strip()}")
    assert res.returncode == 0, f"systemd-analyze calendar {line!r}: {res.stderr}"
    normalized = ""
    times = []
    for out in res.stdout.splitlines():
        if out.strip().startswith("Normalized form:"):
            normalized = out.split(":", 1)[1].strip()
        m = _ELAPSE_RE.match(out)
        if m:
            times.append(datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S"))
    return normalized, times


@pytest.fixture(scope="module")
def oracle() -> dict[str, tuple[list[datetime], str | list[datetime], dict[str, str]]]:
    """For each expression: cronsim's runs, and systemd's (or the refusal), per line normalised."""
    expected = {expr: cronsim_year(expr, YEAR_START, ORACLE_END) for expr in CORPUS}
    jobs: list[tuple[str, str, int]] = []
    refused: dict[str, str] = {}
    for expr in CORPUS:
        try:
            text = SystemdBackend().render(_spec(expr))
        except InvalidInput as exc:
            refused[expr] = str(exc)
            continue
        # Enough iterations to pass the window's end: a line that ran more often than cron
        # would show at least one run too many inside it.
        jobs += [(expr, line, len(expected[expr]) + 2) for line in _directive(text, "OnCalendar")]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda job: _analyze_calendar(job[1], job[2]), jobs))
    results: dict[str, tuple[list[datetime], str | list[datetime], dict[str, str]]] = {}
    for expr in CORPUS:
        if expr in refused:
            results[expr] = (expected[expr], refused[expr], {})
            continue
        fired: set[datetime] = set()
        normal: dict[str, str] = {}
        for (job_expr, line, _), (normalized, times) in zip(jobs, answers, strict=True):
            if job_expr == expr:
                normal[line] = normalized
                fired.update(t for t in times if t < ORACLE_END.replace(tzinfo=None))
        results[expr] = (expected[expr], sorted(fired), normal)
    return results


@needs_analyze
@pytest.mark.parametrize("expr", CORPUS)
def test_timer_fires_when_cronsim_says(
    expr: str, oracle: dict[str, tuple[list[datetime], str | list[datetime], dict[str, str]]]
) -> None:
    expected, got, normal = oracle[expr]
    if isinstance(got, str):  # refused: the reason must say why
        assert len(got) > 20, got
        return
    # We write systemd's normalised form, so `systemctl cat` and our render read the same.
    assert all(line == normalized for line, normalized in normal.items()), normal
    if got != expected:
        missing = sorted(set(expected) - set(got))[:5]
        extra = sorted(set(got) - set(expected))[:5]
        pytest.fail(f"{expr!r} {list(normal)}: missing {missing}, extra {extra}")


def test_the_corpus_is_never_refused() -> None:
    for expr in CORPUS:
        SystemdBackend().render(_spec(expr))


# --- systemd-analyze verify ---------------------------------------------------------------------


def _verify(tmp_path: Path, spec: JobSpec, *, user: bool) -> subprocess.CompletedProcess[str]:
    assert SYSTEMD_ANALYZE is not None
    backend = SystemdBackend()
    units = tmp_path / "units"
    units.mkdir()
    service, timer = unit_names(spec.job_id)
    (units / service).write_text(backend.service_text(spec), encoding="utf-8")
    (units / timer).write_text(backend.timer_text(spec), encoding="utf-8")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    res = subprocess.run(
        [
            SYSTEMD_ANALYZE,
            "verify",
            *(["--user"] if user else []),
            str(units / timer),
            str(units / service),
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "XDG_RUNTIME_DIR": str(runtime),
            "LC_ALL": "C.UTF-8",
            "SYSTEMD_COLORS": "0",
        },
        timeout=60,
        check=False,
    )
    if "Failed to initialize manager" in res.stderr or "Failed to lookup" in res.stderr:
        pytest.skip(f"systemd-analyze verify cannot run here: {res.stderr.strip()}")
    return res


@needs_analyze
@pytest.mark.parametrize("user", [True, False], ids=["user-units", "system-units"])
def test_systemd_analyze_verify_accepts_the_units(tmp_path: Path, user: bool) -> None:
    command = (*RUNNER, "--home", HOSTILE[4], "", ";", "naïve 日本")
    spec = _spec("0 0 1,15 * 1", command, job_id="corp@1a2b3c4d", run_as=None if user else "daemon")
    res = _verify(tmp_path, spec, user=user)
    assert res.returncode == 0 and not res.stderr.strip() and not res.stdout.strip(), res


@needs_analyze
def test_systemd_reads_back_the_quoted_program_path(tmp_path: Path) -> None:
    """systemd's own reading of our ExecStart= word: verify names the path it failed to find."""
    spec = _spec(command=HOSTILE, job_id="corp@1a2b3c4d")
    res = _verify(tmp_path, spec, user=True)
    assert f"Command {HOSTILE[0]} is not executable" in res.stderr, res.stderr


# --- install / inspect / remove with a fake systemctl -------------------------------------------


class FakeSystemctl:
    """`systemctl [--user] …` as far as the backend uses it: enable links, disable unlinks."""

    def __init__(self, unit_dir: Path) -> None:
        self.unit_dir = unit_dir
        self.fail: dict[str, tuple[int, str]] = {}
        self.runner = FakeRunner(self.handle)

    def handle(self, argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        args = [a for a in argv[1:] if a != "--user"]
        verb = args[0]
        if verb in self.fail:
            rc, err = self.fail[verb]
            return rc, "", err
        wants = self.unit_dir / "timers.target.wants"
        if verb == "enable":
            wants.mkdir(parents=True, exist_ok=True)
            link = wants / args[-1]
            if not link.is_symlink():
                link.symlink_to(self.unit_dir / args[-1])
        elif verb == "disable":
            (wants / args[-1]).unlink(missing_ok=True)
        return 0, "", ""


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[tuple[SystemdBackend, FakeSystemctl]]:
    units = tmp_path / "systemd" / "user"
    fake = FakeSystemctl(units)
    backend = SystemdBackend(fake.runner, unit_dir=units)
    backend.linger_dir = tmp_path / "linger"
    yield backend, fake


@posix_only("POSIX file modes: unit files are 0644")
def test_install_inspect_remove(fake: tuple[SystemdBackend, FakeSystemctl]) -> None:
    backend, sc = fake
    spec = _spec("0 8 * * 1-5", job_id="corp@1a2b3c4d")
    service, timer = unit_names(spec.job_id)
    assert backend.inspect(spec.job_id) is None
    assert job_state(backend, spec, backend.inspect(spec.job_id)) == "missing"

    backend.install(spec)
    assert sc.runner.calls == [
        ("systemctl", "--user", "daemon-reload"),
        ("systemctl", "--user", "enable", "--now", timer),
    ]
    for name in (service, timer):
        path = sc.unit_dir / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert backend.inspect(spec.job_id) == backend.render(spec)
    assert job_state(backend, spec, backend.inspect(spec.job_id)) == "in-sync"

    # Updating rewrites the timer in place.
    newer = _spec("30 9 * * *", job_id="corp@1a2b3c4d")
    backend.install(newer)
    assert backend.inspect(spec.job_id) == backend.render(newer)
    assert "OnCalendar=*-*-* 09:30:00" in (sc.unit_dir / timer).read_text(encoding="utf-8")

    sc.runner.calls.clear()
    assert backend.remove(spec.job_id) is True
    assert sc.runner.calls == [
        ("systemctl", "--user", "disable", "--now", timer),
        ("systemctl", "--user", "daemon-reload"),
    ]
    assert not (sc.unit_dir / service).exists() and not (sc.unit_dir / timer).exists()
    assert backend.inspect(spec.job_id) is None
    sc.runner.calls.clear()
    assert backend.remove(spec.job_id) is False and sc.runner.calls == []


def test_edits_and_a_disabled_timer_show_as_drift(
    fake: tuple[SystemdBackend, FakeSystemctl],
) -> None:
    backend, sc = fake
    spec = _spec("0 8 * * *")
    service, timer = unit_names(spec.job_id)
    backend.install(spec)
    path = sc.unit_dir / timer
    path.write_text(path.read_text(encoding="utf-8").replace("08:00", "09:00"), encoding="utf-8")
    assert job_state(backend, spec, backend.inspect(spec.job_id)) == "drifted"
    backend.install(spec)  # `schedule sync` repairs it
    assert job_state(backend, spec, backend.inspect(spec.job_id)) == "in-sync"

    (sc.unit_dir / "timers.target.wants" / timer).unlink()  # systemctl --user disable
    found = backend.inspect(spec.job_id)
    assert found is not None and found.endswith(f"# {timer} is not enabled\n")
    assert job_state(backend, spec, found) == "drifted"
    backend.install(spec)
    assert job_state(backend, spec, backend.inspect(spec.job_id)) == "in-sync"

    (sc.unit_dir / service).unlink()
    found = backend.inspect(spec.job_id)
    assert found is not None and f"# {service}\n# (missing)\n" in found
    assert backend.remove(spec.job_id) is True
    assert not path.exists()


def _systemd_words(value: str) -> list[str]:
    """ExecStart= read as systemd does: unquote and C-unescape, then `%%`, then `$$`."""
    escapes = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", " ": " "}
    words: list[str] = []
    i = 0
    while True:
        while i < len(value) and value[i] in " \t":
            i += 1
        if i >= len(value):
            return words
        if value[i] == ";" and (i + 1 == len(value) or value[i + 1] in " \t"):
            raise AssertionError(f"a bare ; would end the command: {value!r}")
        word: list[str] = []
        quote: str | None = None
        while i < len(value) and (quote or value[i] not in " \t"):
            ch = value[i]
            if ch == "\\":
                assert value[i + 1] in escapes, f"unknown escape in {value!r}"
                word.append(escapes[value[i + 1]])
                i += 2
                continue
            if quote is None and ch in "\"'":
                quote = ch
            elif ch == quote:
                quote = None
            else:
                word.append(ch)
            i += 1
        assert quote is None, f"unbalanced quotes in {value!r}"
        text = "".join(word)
        assert re.fullmatch(r"(?:[^%]|%%)*", text), f"a specifier in {text!r}"
        text = text.replace("%%", "%")
        if words:  # `$` is expanded in the arguments, not in the program path
            assert re.fullmatch(r"(?:[^$]|\$\$)*", text), f"a variable in {text!r}"
            text = text.replace("$$", "$")
        words.append(text)


def test_execstart_round_trip(fake: tuple[SystemdBackend, FakeSystemctl]) -> None:
    backend, sc = fake
    spec = _spec(command=HOSTILE)
    backend.install(spec)
    service, _ = unit_names(spec.job_id)
    written = (sc.unit_dir / service).read_text(encoding="utf-8")
    [line] = _directive(written, "ExecStart")
    assert _systemd_words(line) == list(HOSTILE)
    assert '"/opt/bwdc tray/50%% é€/python" -m bwdc_tray --home ' in line
    assert '"$$HOME' not in line and "$$HOME" in line and '"" ";" "\\\\;"' in line


@pytest.mark.parametrize(
    ("command", "why"),
    [
        (("bwdc-tray", "run"), "absolute"),
        (("/home/o'brien/py", "-m"), "path holds '"),
        (('/opt/q"x/py',), 'path holds "'),
        (("/opt/back\\slash/py",), "path holds \\\\"),
        (("/opt/$HOME/py",), r"path holds \$"),
        ((sys.executable, "new\nline"), "control character"),
        ((sys.executable, "tab\there"), "control character"),
        ((sys.executable, "bad\udcffbyte"), "UTF-8"),
        ((), "no command"),
    ],
)
def test_what_a_unit_cannot_carry_is_refused(command: tuple[str, ...], why: str) -> None:
    with pytest.raises(InvalidInput, match=why) as info:
        SystemdBackend().render(_spec(command=command))
    assert info.value.message


@pytest.mark.parametrize("user", ["CORP\\svc-bwdc", "1001", "a b"])
def test_a_run_as_name_systemd_cannot_take_is_refused(user: str) -> None:
    with pytest.raises(InvalidInput, match="User="):
        SystemdBackend().render(_spec(run_as=user))


def test_dedicated_user_gets_system_units(tmp_path: Path) -> None:
    system = tmp_path / "etc-systemd-system"
    sc = FakeSystemctl(system)
    backend = SystemdBackend(sc.runner, unit_dir=tmp_path / "user", system_unit_dir=system)
    spec = _spec(run_as="bwdc-sync", job_id="corp@1a2b3c4d")
    service, timer = unit_names(spec.job_id)
    warnings = backend.install(spec)
    assert warnings and not any("loginctl" in w for w in warnings)  # no linger for system units
    assert sc.runner.calls == [
        ("systemctl", "daemon-reload"),
        ("systemctl", "enable", "--now", timer),
    ]
    assert _directive((system / service).read_text(encoding="utf-8"), "User") == ["bwdc-sync"]
    assert backend.inspect(spec.job_id, "bwdc-sync") == backend.render(spec)
    assert backend.inspect(spec.job_id) is None  # not among the user units
    assert backend.remove(spec.job_id, "bwdc-sync") is True
    assert not (system / timer).exists()


@posix_only("os.geteuid: root and other users")
def test_only_root_writes_system_units(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    runner = FakeRunner(lambda argv, _i: (0, "", ""))
    with pytest.raises(InvalidInput, match="only root") as info:
        SystemdBackend(runner, unit_dir=tmp_path).install(_spec(run_as="bwdc-sync"))
    assert info.value.remedy and runner.calls == []


def test_warnings_linger_and_dst(fake: tuple[SystemdBackend, FakeSystemctl]) -> None:
    backend, _ = fake
    import getpass

    warnings = backend.install(_spec("30 2 * * *"))
    assert any(f"loginctl enable-linger {getpass.getuser()}" in w for w in warnings)
    assert any("daylight saving" in w for w in warnings)
    backend.linger_dir.mkdir()
    (backend.linger_dir / getpass.getuser()).touch()
    assert backend.install(_spec("0 8 * * *")) == []


def test_no_user_manager_is_an_environment_problem(
    fake: tuple[SystemdBackend, FakeSystemctl],
) -> None:
    backend, sc = fake
    sc.fail["daemon-reload"] = (1, "Failed to connect to bus: No medium found\n")
    with pytest.raises(SystemdError, match="Failed to connect to bus") as info:
        backend.install(_spec())
    assert info.value.remedy and "--backend cron" in info.value.remedy
    # The files are there but the timer is not enabled: the job shows as drifted, not in sync.
    found = backend.inspect(_spec().job_id)
    assert found is not None and job_state(backend, _spec(), found) == "drifted"


def test_no_systemctl_at_all(tmp_path: Path) -> None:
    def missing(argv: object, *, input_text: str | None = None) -> Completed:
        raise CommandNotFound("systemctl: command not found")

    backend = SystemdBackend(missing, unit_dir=tmp_path)
    with pytest.raises(SystemdError, match="does not run systemd"):
        backend.install(_spec())

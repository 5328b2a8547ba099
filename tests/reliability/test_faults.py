"""Faults, each one a test: what a user sees when something breaks under a run (DESIGN §8).

Each test breaks one thing for real where this machine allows it (kill -9, a full tmpfs, a
locked keyring, a broken `crontab`, two processes writing the config) and checks the promises: the
run is reported in `status`, the log stays readable, the lock is free again, secrets leave the
data folder, the user's data is kept, and the next run works.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from bwdc_tray import logs
from tests.conftest import CANARY, DIR_CANARY, World
from tests.support.platforms import linux_only, posix_only

pytestmark = pytest.mark.slow


# --- helpers ---------------------------------------------------------------------------------


def _status(world: World, name: str = "corp") -> dict[str, Any]:
    res = world.cli("status", name, "--json")
    assert res.code == 0, res.err
    [item] = json.loads(res.out)
    return item


def _wait_for(predicate: Any, timeout: float = 30.0, what: str = "condition") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"{what} not reached in {timeout} s")


def _scenario(appdata: Path, scenario: str, **extra: Any) -> None:
    (appdata / "simulator.json").write_text(json.dumps({"scenario": scenario, **extra}))


# A line of ours: a timestamp, then a stream tag (logs.format_output_lines / the markers).
_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.,0-9]*[+-]\d\d:?\d\d [|=#a-z]")


def _assert_log_whole(path: Path) -> list[logs.Run]:
    """Every byte of the log belongs to a whole line of ours; returns its runs."""
    data = path.read_bytes()
    assert data.endswith(b"\n"), f"{path} ends in the middle of a line: {data[-80:]!r}"
    for line in data.decode("utf-8").splitlines():
        assert _LINE.match(line), f"not a whole line of ours in {path}: {line!r}"
    runs = logs.read_runs(path, 1000)
    assert all(r.source == "runner" for r in runs)
    return runs


def _no_secret_left(appdata: Path) -> None:
    data = (appdata / "data.json").read_bytes()
    assert CANARY.encode() not in data and DIR_CANARY.encode() not in data


def _bwdc_gone(world: World) -> None:
    _wait_for(
        lambda: all(not psutil.pid_exists(c["pid"]) for c in world.calls()),
        what="every bwdc process ended",
    )


def _next_run_is_ok(world: World, appdata: Path) -> None:
    _scenario(appdata, "ok")
    res = world.cli("run", "corp")
    assert res.code == 0, res.err
    status = _status(world)
    assert status["state"] == "ok", status
    assert status["last_run"]["result"] == "ok"
    runs = _assert_log_whole(appdata / "bwdc.log")
    assert runs[-1].result == "ok"
    _no_secret_left(appdata)


# --- kill -9 ---------------------------------------------------------------------------------


@posix_only("kill -9: SIGKILL")
@pytest.mark.parametrize("verb", ["login", "sync", "logout"])
def test_kill_9_of_the_runner_at_any_step_leaves_a_consistent_state(
    world: World, verb: str
) -> None:
    appdata = world.add("corp", delay=0.8)
    runner = world.proc("run", "corp", background=True)
    _wait_for(lambda: verb in world.verbs(), what=f"bwdc {verb}")
    os.kill(runner.pid, signal.SIGKILL)
    runner.communicate(timeout=10)

    # Status: no longer running, the run shown as interrupted; nothing claims the lock.
    status = _status(world)
    assert status["state"] == "failed"
    assert "interrupted" in status["last_run"]["message"]
    # The log: the killed run is an open block after whole lines, readable as such.
    runs = _assert_log_whole(appdata / "bwdc.log")
    assert runs[-1].result is None
    # The next run clears the stale lock, stops the orphaned bwdc and takes the key back out.
    _next_run_is_ok(world, appdata)
    log = (appdata / "bwdc.log").read_text()
    assert "cleared a stale lock" in log
    _bwdc_gone(world)


_KILL_AT_CHILD_START = textwrap.dedent(
    """
    import os, runpy, signal, sys
    from bwdc_tray import locking

    def set_child(self, pid):
        if pid is not None:  # bwdc is running; the holder file does not name it yet
            os.kill(os.getpid(), signal.SIGKILL)

    locking.InstanceLock.set_child = set_child
    sys.argv = ["bwdc-tray", "run", "corp"]
    runpy.run_module("bwdc_tray", run_name="__main__")
    """
)


@posix_only("kill -9: SIGKILL")
def test_a_runner_killed_before_it_records_its_bwdc_still_has_that_bwdc_stopped(
    world: World,
) -> None:
    """The window between `Popen` and the holder write: the next run finds the orphan by its
    data folder, stops it by PID, and removes the API key it wrote."""
    appdata = world.add("corp", delay=0.2)
    world.cli("run", "corp", "--dry-run")  # the version probe is not a bwdc we want to kill at
    calls_before = len(world.calls())
    # The orphan must still be running when the next run looks for it, also on a loaded machine:
    # a long delay for it alone (it inherits the killed runner's environment), while the next
    # run's own calls keep the instance's short one.
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AT_CHILD_START],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "SIMBWDC_DELAY": "30"},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _wait_for(lambda: len(world.calls()) > calls_before, what="the orphaned bwdc started")
    orphan = world.calls()[calls_before]
    assert psutil.pid_exists(orphan["pid"])
    _next_run_is_ok(world, appdata)
    assert not psutil.pid_exists(orphan["pid"]) or (
        psutil.Process(orphan["pid"]).status() == psutil.STATUS_ZOMBIE
    )
    assert f"pid {orphan['pid']}" in (appdata / "bwdc.log").read_text()


@posix_only("kill -9: SIGKILL")
def test_kill_9_of_bwdc_mid_sync_fails_the_run_and_still_logs_out(world: World) -> None:
    appdata = world.add("corp", delay=1.0)
    runner = world.proc("run", "corp", background=True)
    _wait_for(lambda: "sync" in world.verbs(), what="bwdc sync")
    sync = next(c for c in world.calls() if "sync" in c["argv"])
    os.kill(sync["pid"], signal.SIGKILL)
    _, err = runner.communicate(timeout=60)

    assert runner.returncode == 1, err
    status = _status(world)
    assert status["state"] == "failed"
    assert "killed" in status["last_run"]["message"] or "signal" in status["last_run"]["message"]
    assert "Traceback" not in err
    assert world.verbs()[-1] == "logout"
    _no_secret_left(appdata)
    runs = _assert_log_whole(appdata / "bwdc.log")
    assert runs[-1].result == "failed"
    _next_run_is_ok(world, appdata)


# --- the disk full ---------------------------------------------------------------------------


class _DiskFullAfter:
    """Stands for `os` in bwdc_tray.logs: the log's disk fills up after ``room`` more bytes."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, fd: int, data: Any) -> int:
        if self.room <= 0:
            self.refused += 1
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = os.write(fd, bytes(data[: self.room]))
        self.room -= written
        return written


def test_the_disk_filling_up_mid_run_is_reported_and_the_log_stays_whole(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    appdata = world.add("corp")
    assert world.cli("run", "corp").code == 0
    before = (appdata / "bwdc.log").read_bytes()

    # Room for the start marker and part of the next line: a write is cut in the middle.
    full = _DiskFullAfter(room=len(before.splitlines()[0]) + 40)
    with monkeypatch.context() as patch:
        patch.setattr(logs, "os", full)
        res = world.cli("run", "corp")

    assert full.refused > 0
    assert res.code == 0, res.err  # the sync itself went through
    assert "No space left on device" in res.out + res.err
    assert "Traceback" not in res.err
    status = _status(world)
    assert status["state"] == "ok"
    assert "is incomplete: No space left on device" in status["last_run"]["message"]
    # No half line: the earlier run is as it was, the new one an open block of whole lines.
    after = (appdata / "bwdc.log").read_bytes()
    assert after.startswith(before)
    runs = _assert_log_whole(appdata / "bwdc.log")
    assert [r.result for r in runs] == ["ok", None]
    _no_secret_left(appdata)
    # Space is back: the next run is logged in full, and status follows the log again.
    _next_run_is_ok(world, appdata)
    assert "incomplete" not in _status(world)["last_run"]["message"]


@contextlib.contextmanager
def _mounted_tmpfs(where: Path, size: str) -> Iterator[Path]:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("a real full disk needs a tmpfs, mounted as root on Linux")
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "bwdc-tray-test", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()})")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    return filler


def test_a_real_full_disk_under_the_log_is_reported_and_nothing_is_lost(world: World) -> None:
    """A tmpfs filled to the last byte before the run: not one line fits, bwdc is not
    started, and the status file carries the outcome the log could not take."""
    with _mounted_tmpfs(world.tmp / "small-disk", "64k") as disk:
        appdata = world.add("corp")
        log = disk / "corp.log"
        assert world.cli("instance", "set", "corp", "--log", str(log)).code == 0
        filler = _fill(disk)

        res = world.proc("run", "corp")
        assert res.returncode == 5, res.stderr
        assert f"cannot write the log {log}: No space left on device" in res.stderr
        assert "free space" in res.stderr and "Traceback" not in res.stderr
        status = _status(world)
        assert status["state"] == "failed"
        assert "No space left on device" in status["last_run"]["message"]
        assert status["last_run"]["started"] is not None
        assert log.read_bytes() == b""  # not a partial line
        assert "login" not in world.verbs()
        _no_secret_left(appdata)

        filler.unlink()
        res = world.proc("run", "corp")
        assert res.returncode == 0, res.stderr
        status = _status(world)
        assert status["last_run"]["result"] == "ok"
        assert "No space" not in status["last_run"]["message"]
        assert [r.result for r in _assert_log_whole(log)] == ["ok"]


def test_a_log_that_cannot_be_opened_is_reported_in_status(world: World) -> None:
    world.add("corp")
    blocked = world.tmp / "not-a-folder"
    blocked.write_text("a file where the log's folder should be")
    assert world.cli("instance", "set", "corp", "--log", str(blocked / "bwdc.log")).code == 0
    res = world.cli("run", "corp")
    assert res.code == 5
    assert "cannot write the log" in res.err and "instance set corp --log" in res.err
    status = _status(world)
    assert status["state"] == "failed"
    assert "cannot write the log" in status["last_run"]["message"]
    assert "login" not in world.verbs()  # no sync without a log to follow it


# --- the keyring -----------------------------------------------------------------------------


def _keyring_flag(world: World) -> Path:
    return (world.tmp / "keyring.json").with_suffix(".locked")


def test_the_keyring_locking_or_vanishing_mid_run_does_not_break_the_run(world: World) -> None:
    """The secrets are read once, before bwdc starts: a screen lock mid-sync changes nothing,
    and the key still leaves data.json at the end."""
    appdata = world.add("corp", delay=1.0)
    runner = world.proc("run", "corp", background=True)
    _wait_for(lambda: "sync" in world.verbs(), what="bwdc sync")
    _keyring_flag(world).touch()
    kept = (world.tmp / "keyring.json").read_bytes()
    (world.tmp / "keyring.json").unlink()
    _, err = runner.communicate(timeout=60)
    assert runner.returncode == 0, err
    assert _status(world)["state"] == "ok"
    _no_secret_left(appdata)

    # Locked at the start of the next run: a clear error with the remedy, and no bwdc call.
    (world.tmp / "keyring.json").write_bytes(kept)
    calls = len(world.calls())
    res = world.cli("run", "corp")
    assert res.code == 5
    assert "locked" in res.err and "Traceback" not in res.err
    status = _status(world)
    assert status["state"] == "failed" and "locked" in status["last_run"]["message"]
    assert len(world.calls()) == calls
    # Unlocked again: the run works.
    _keyring_flag(world).unlink()
    _next_run_is_ok(world, appdata)


def test_no_keyring_at_all_is_a_clear_error_for_a_run(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.add("corp")
    res = world.proc("run", "corp", env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert res.returncode == 5
    assert "no usable keyring" in res.stderr and "Traceback" not in res.stderr
    assert _status(world)["last_run"]["result"] == "error"


# --- bwdc itself -----------------------------------------------------------------------------


def _garbage(path: Path) -> str:
    path.write_bytes(b"\x7fELF\x02\x01\x01garbage-not-a-program")
    path.chmod(0o755)
    return "cannot start"


def _bad_interpreter(path: Path) -> str:
    path.write_text("#!/nonexistent/node\nconsole.log('hi')\n")
    path.chmod(0o755)
    return "cannot start"


def _not_executable(path: Path) -> str:
    path.chmod(0o644)
    return "not executable"


def _folder(path: Path) -> str:
    path.unlink()
    path.mkdir()
    return "is a folder"


def _missing(path: Path) -> str:
    path.unlink()
    return "not found"


@pytest.mark.parametrize(
    "breakage", [_missing, _not_executable, _folder, _garbage, _bad_interpreter]
)
@posix_only("#! interpreters and execute permission bits")
def test_a_broken_bwdc_is_a_clear_status_never_a_traceback(world: World, breakage: Any) -> None:
    appdata = world.add("corp")
    assert world.cli("run", "corp").code == 0  # the version is cached: no probe hides it
    said = breakage(world.bwdc)
    res = world.cli("run", "corp")
    assert res.code == 5, res.err
    assert said in res.err and str(world.bwdc) in res.err
    assert "Traceback" not in res.err and "Error(" not in res.err
    status = _status(world)
    assert status["state"] == "failed"
    assert said in status["last_run"]["message"]
    assert [r.result for r in _assert_log_whole(appdata / "bwdc.log")] == ["ok", "error"]


# --- the crontab command ---------------------------------------------------------------------


def _broken_crontab(bindir: Path, body: str) -> None:
    script = bindir / "crontab"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            '[ "$1" = -l ] && { echo "no crontab for $(id -un)" >&2; exit 1; }\n'
            'echo "crontab: installing new crontab failed: No space left on device" >&2; exit 1',
            "No space left on device",
        ),
        (
            'echo "crontab: cannot open your crontab: Permission denied" >&2; exit 1',
            "Permission denied",
        ),
        ("kill -9 $$", "crontab"),
    ],
    ids=["install-fails", "list-fails", "crontab-crashes"],
)
def test_a_failing_crontab_command_changes_nothing_and_says_why(
    world: World,
    fake_crontab: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    body: str,
    said: str,
) -> None:
    world.add("corp")
    assert world.cli("schedule", "set", "corp", "0 3 * * *").code == 0
    tables_before = {p.name: p.read_bytes() for p in fake_crontab.iterdir() if p.is_file()}
    config_before = (world.home / "instances.json").read_bytes()

    broken = tmp_path / "broken-bin"
    broken.mkdir()
    _broken_crontab(broken, body)
    monkeypatch.setenv("PATH", f"{broken}{os.pathsep}{os.environ['PATH']}")
    res = world.cli("schedule", "set", "corp", "*/15 * * * *")
    assert res.code != 0
    assert said in res.err and "Traceback" not in res.err
    # The old job and the config are as they were.
    assert (world.home / "instances.json").read_bytes() == config_before
    tables_after = {p.name: p.read_bytes() for p in fake_crontab.iterdir() if p.is_file()}
    tables_before.pop("calls.log", None)
    tables_after.pop("calls.log", None)
    assert tables_after == tables_before


@linux_only("cron as the default scheduler, taken off PATH")
def test_no_crontab_command_at_all_is_a_clear_error(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.add("corp")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    res = world.cli("schedule", "set", "corp", "0 3 * * *")
    assert res.code != 0
    assert "crontab" in res.err and "Traceback" not in res.err
    assert world.cli("schedule", "show", "corp", "--json").code in (0, 5)


# --- the config ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [b'{"instances": {"corp": ', b"\xff\xfe\x00garbage", b"[]", b'{"instances": {"corp": 3}}'],
    ids=["cut", "binary", "wrong-shape", "wrong-type"],
)
def test_a_corrupt_config_stops_runs_and_status_with_the_remedy(
    world: World, damage: bytes
) -> None:
    world.add("corp")
    (world.home / "instances.json").write_bytes(damage)
    for args in (("run", "corp"), ("status", "--json"), ("schedule", "sync")):
        res = world.proc(*args)
        assert res.returncode == 5, (args, res.stderr)
        assert "instances.json" in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert (world.home / "instances.json").read_bytes() == damage
    kept = list(world.home.glob("instances.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damage
    assert world.verbs() == []


def test_the_tray_shows_a_corrupt_config_instead_of_crashing(world: World, qtbot: Any) -> None:
    from bwdc_tray.gui.controller import Controller
    from bwdc_tray.paths import resolve

    world.add("corp")
    (world.home / "instances.json").write_text("{ not json")
    controller = Controller(resolve(world.home))
    said: list[str] = []
    controller.error.connect(said.append)
    controller.refresh()
    qtbot.waitUntil(lambda: bool(said), timeout=15_000)
    assert "instances.json" in said[0] and "repair" in said[0]


# --- two writers -----------------------------------------------------------------------------


def test_the_gui_and_the_cli_changing_the_config_at_once_lose_no_update(world: World) -> None:
    """Four CLI processes add instances while this process (as the GUI does) relabels one
    over and over: every instance and the last label are there at the end."""
    from bwdc_tray import instances
    from bwdc_tray.paths import resolve

    world.add("corp", secrets=False)
    names = [f"site{i}" for i in range(12)]
    script = textwrap.dedent(
        """
        import io, sys
        from bwdc_tray import cli
        for name in sys.argv[2:]:
            code = cli.main(["instance", "add", name, "--appdata", sys.argv[1] + "/" + name,
                             "--bwdc", sys.argv[1] + "/../bin/bwdc"], out=io.StringIO(),
                            err=sys.stderr, stdin=io.StringIO())
            if code:
                sys.exit(code)
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(world.tmp / "data"), *names[i::4]],
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    paths = resolve()
    labels = 0
    while any(p.poll() is None for p in procs) or labels < 10:
        labels += 1
        instances.update_instance(paths, "corp", label=f"label {labels}")
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    cfg = json.loads((world.home / "instances.json").read_text())
    assert sorted(cfg["instances"]) == sorted(["corp", *names])
    assert cfg["instances"]["corp"]["label"] == f"label {labels}"


# --- the clock -------------------------------------------------------------------------------


def _shift_log_times(path: Path, hours: int) -> None:
    from datetime import datetime, timedelta

    def shift(m: re.Match[str]) -> str:
        moment = datetime.fromisoformat(m.group(0)) + timedelta(hours=hours)
        return moment.isoformat(timespec="milliseconds")

    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"
    path.write_text(re.sub(stamp, shift, path.read_text()))


def test_the_clock_set_back_still_shows_the_newest_run(world: World) -> None:
    """A run logged while the clock was a day ahead (then corrected): the run after it is the
    last run, though its times are earlier."""
    appdata = world.add("corp")
    assert world.cli("run", "corp").code == 0
    _shift_log_times(appdata / "bwdc.log", hours=24)
    _scenario(appdata, "ldap-unreachable")
    assert world.cli("run", "corp").code == 1
    status = _status(world)
    assert status["state"] == "failed" and status["last_run"]["result"] == "failed"
    _next_run_is_ok(world, appdata)


def test_a_clock_step_during_a_run_neither_frees_its_lock_nor_hides_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linux derives start times from the boot time, which moves when the clock is stepped
    (NTP, a user, a VM resumed): a running run must still be seen as running, and a second
    run still refused."""
    import psutil as real_psutil

    if not sys.platform.startswith("linux"):
        pytest.skip("boot-time arithmetic is Linux's (/proc/stat)")
    world.add("corp", delay=1.5)
    runner = world.proc("run", "corp", background=True)
    try:
        _wait_for(lambda: _status(world)["state"] == "running", what="the run started")
        # What the kernel reports after the clock was stepped an hour ahead: /proc/stat's
        # boot time moves with it, and so do psutil's epoch start times.
        boot = real_psutil.boot_time()
        monkeypatch.setattr(real_psutil._pslinux, "boot_time", lambda: boot + 3600.0)
        assert abs(real_psutil.Process(runner.pid).create_time() - time.time()) > 3000
        assert _status(world)["state"] == "running"
        second = world.cli("run", "corp")
        assert second.code == 3 and "already running" in second.err
    finally:
        runner.communicate(timeout=60)
    assert runner.returncode == 0


def test_wall_clock_jumps_do_not_fire_the_timeout(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timeouts count elapsed time (monotonic): the wall clock jumping a day ahead mid-sync
    is not a hang."""
    from datetime import datetime, timedelta

    from bwdc_tray import runner

    world.add("corp", delay=0.5, timeout=30)
    jumped = threading.Event()
    real_now = runner.now

    def now() -> datetime:
        return real_now() + (timedelta(days=1) if jumped.is_set() else timedelta(0))

    monkeypatch.setattr(runner, "now", now)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + (86400 if jumped.is_set() else 0))
    threading.Timer(0.3, jumped.set).start()
    res = world.cli("run", "corp")
    assert res.code == 0, res.err
    assert _status(world)["last_run"]["result"] == "ok"

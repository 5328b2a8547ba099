"""Soak: a thousand runs of one instance back to back, with random failures and hangs, while the
real tray app watches the same home from a process of its own.

Each run goes through the product's one runner (``runner.execute``, in-process) against the fast
fake bwdc (tests/fakes/fast_bwdc.py: a /bin/sh script answering with real bwdc 2026.4.0 bytes),
whose scenario is drawn before the run from a seeded RNG: successes, eight kinds of failure (the
captured ones, an unhandled-exception stack trace, a SIGABRT), and hangs in sync or login that
the runner must stop at the instance's 1 s timeout and record as ``timeout``.

Checked:
(a) rotation: the log is rotated at a small size (``runner.LOG_ROTATE_BYTES``, patched for this
    test) exactly when it is over it, many times; at the end the folder holds log, log.1..log.3
    and nothing else of ours, every file is whole (each block has its start and its end marker,
    every line is ours), and ``logs.read_runs`` gives exactly the runs the kept files hold: the
    last ones, in order, with their results.
(b) status after every run: the status file, and ``status.instance_status`` (what ``bwdc-tray
    status --json`` prints for an instance), say that run's state, result, exit code, counts,
    message and trigger; ``execute``'s own outcome too.
(c) the tray: started as ``bwdc-tray tray`` under Xvfb + trayer when they are installed (else
    with QT_QPA_PLATFORM=offscreen, where it runs as a window), warmed up over the first runs
    (the first failure balloon loads fontconfig/FreeType, ~5 MB), then its RSS, open files and
    threads, read while it is quiet, must not grow over the rest of the soak.
Also: no bwdc (or the sleep it started) outlives its run, no thread of the runner dies, and the
test process itself (which ran the runner a thousand times) has as many files and threads open at
the end as after the warm-up.

What the soak found is reproduced deterministically at the end of this file: bwdc.call closed the
pipes under its reader threads at a timeout, and waited there for processes that had escaped
bwdc's tree.

    .venv/bin/python -m pytest tests/reliability/test_soak.py -q   (about 80 s; the report is
    printed whatever -s says)
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
import pytest

from bwdc_tray import logs, runner, status
from bwdc_tray.config import ConfigStore
from bwdc_tray.paths import resolve
from tests.conftest import World
from tests.fakes.fast_bwdc import SCENARIO_FILE, make_fast_bwdc, set_scenario
from tests.support.platforms import posix_only
from tests.support.xdesktop import Started, spawn, start_desktop, wait_until, xdotool

pytestmark = [
    pytest.mark.slow,
    pytest.mark.realservice,
    posix_only("the fast fake bwdc is a #!/bin/sh script"),
]

RUNS = 1000
WARMUP_RUNS = 100  # the tray's memory is read after these, then in the middle and at the end
SEED = 20261130
# The instance's timeout. A run of the fast fake takes ~20 ms, up to ~0.3 s seen on a busy
# machine: the deadline also covers the runner's own fsyncs between the calls.
TIMEOUT_S = 1.0
ROTATE_BYTES = 8 * 1024  # ~1 KB a run: a rotation every ~8 runs
KEEP = 3  # runner: logs.rotate_if_needed(path, LOG_ROTATE_BYTES) keeps log.1..log.3
NAME = "soak"
# After the warm-up the tray has loaded everything it will ever load (engine, psutil, fonts of
# the balloon); what is left is the allocator's noise: glibc keeps freed memory in per-thread
# arenas, and each read of the rows runs on a fresh thread. bench/tray_weight.py measured
# +0.1 MB over 200 runs once flat; 3 MB is 30x that, and under the ~5 MB a font load costs,
# so it catches a leak of ~3 KB a run over the 900 measured runs.
RSS_GROWTH_MB = 3.0
MB = 1024 * 1024

# Relative weights of the scenarios of the fast fake; a hang costs TIMEOUT_S: keep them rare.
WEIGHTS: dict[str, float] = {
    "ok": 45,
    "unchanged": 12,
    "invalid-client": 5,
    "server-unreachable": 4,
    "ldap-unreachable": 6,
    "sync-server-unreachable": 4,
    "crash-401": 5,
    "no-organization": 3,
    "crash-trace": 4,
    "abort": 3,
    "hang": 1.5,
    "hang-login": 0.6,
}


@dataclass(frozen=True)
class Expect:
    result: str
    bwdc_exit: int | None
    message: str
    groups: int | None = None
    users: int | None = None

    @property
    def state(self) -> str:
        return {"ok": "ok", "timeout": "timeout"}.get(self.result, "failed")

    @property
    def exit_code(self) -> int:  # bwdc-tray's own (DESIGN §4)
        return {"ok": 0, "failed": 1, "timeout": 4}[self.result]


# What each scenario must come out as: written here from the captures (DESIGN §6, reference/
# bwdc.md §5), not taken from the fake, so the fake and the runner are checked against them.
EXPECTED = {
    "ok": Expect("ok", 0, "Synced 5 group(s) and 20 user(s).", 5, 20),
    "unchanged": Expect("ok", 0, "Synced 0 group(s) and 0 user(s).", 0, 0),
    "invalid-client": Expect(
        "failed",
        1,
        '{"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}',
    ),
    "server-unreachable": Expect(
        "failed",
        1,
        "request to http://127.0.0.1:8087/identity/connect/token failed, "
        "reason: connect ECONNREFUSED 127.0.0.1:8087",
    ),
    "ldap-unreachable": Expect("failed", 1, "connect ECONNREFUSED 127.0.0.1:1389"),
    "sync-server-unreachable": Expect(
        "failed",
        1,
        "request to http://127.0.0.1:8087/api/public/organization/import failed, "
        "reason: connect ECONNREFUSED 127.0.0.1:8087",
    ),
    "crash-401": Expect(
        "failed", 1, "Cannot read properties of null (reading 'directorySettings')"
    ),
    "no-organization": Expect("failed", 1, "Organization not set."),
    "crash-trace": Expect(
        "failed", 1, "TypeError: Cannot read properties of null (reading 'message')"
    ),
    # Killed by a signal: what it printed last is not its outcome (bwdc.failure_message).
    "abort": Expect("failed", -6, "bwdc was killed (SIGABRT) before it finished"),
    "hang": Expect("timeout", None, "sync timed out"),
    "hang-login": Expect("timeout", None, "login timed out"),
}


@contextlib.contextmanager
def thread_exceptions() -> Iterator[list[tuple[str, BaseException | None]]]:
    """Exceptions that ended a thread meanwhile: (thread name, exception)."""
    seen: list[tuple[str, BaseException | None]] = []
    before = threading.excepthook

    def hook(args: Any) -> None:
        seen.append((args.thread.name if args.thread else "?", args.exc_value))

    threading.excepthook = hook
    try:
        yield seen
    finally:
        threading.excepthook = before


_LINE = re.compile(r"(\S+) (?:(?:out|err|app)\| .*|==== bwdc-tray (start|end) (\{.*\}))")


def start_tray(started: Started, tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`bwdc-tray tray` for $BWDC_TRAY_HOME; returns it and how it runs (for the report)."""
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": "disabled:", "QT_ENABLE_HIGHDPI_SCALING": "0"}
    (tmp / "tray-tmp").mkdir()
    env["TMPDIR"] = str(tmp / "tray-tmp")  # its single-instance socket: not shared with others
    argv = [sys.executable, "-m", "bwdc_tray", "tray"]
    missing = [t for t in ("Xvfb", "trayer", "xdotool") if shutil.which(t) is None]
    why = f"no {', '.join(missing)}" if missing else "not Linux"
    if sys.platform.startswith("linux") and not missing:
        try:
            xenv = start_desktop(started, tmp, env)
        except RuntimeError as exc:
            why = f"Xvfb + trayer did not come up: {exc}"
        else:
            app = spawn(started, argv, {**xenv, "QT_QPA_PLATFORM": "xcb"}, tmp / "tray.log")

            def windows() -> list[tuple[int, int]]:
                sizes = []
                for window in xdotool(xenv, "search", "--onlyvisible", "--pid", str(app.pid)):
                    words = xdotool(xenv, "getwindowgeometry", window)
                    if "Geometry:" in words:
                        w, h = words[words.index("Geometry:") + 1].split("x")
                        sizes.append((int(w), int(h)))
                return sizes

            wait_until("the tray's icon or window", windows)
            if all(w <= 64 and h <= 64 for w, h in windows()):
                return app, "Xvfb + trayer: icon in the system tray"
            return app, "Xvfb + trayer, but the app found no tray: window only"
    env["QT_QPA_PLATFORM"] = "offscreen"
    app = spawn(started, argv, env, tmp / "tray.log")
    return app, f"QT_QPA_PLATFORM=offscreen ({why}): window only, no tray icon"


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


def wait_quiet(pid: int, slices: int = 5, slice_s: float = 0.3, limit_s: float = 30.0) -> float:
    """Until the tray has used no CPU and run no child (`crontab -l`) for slices x slice_s:
    its last read is over (debounce 250 ms, 1 s at most in a stream of changes)."""
    proc = psutil.Process(pid)
    t0 = time.monotonic()
    calm = 0
    while calm < slices:
        if time.monotonic() - t0 > limit_s:
            pytest.fail(f"the tray did not settle within {limit_s:g} s")
        before = _cpu(proc)
        time.sleep(slice_s)
        calm = calm + 1 if _cpu(proc) - before < 0.015 and not proc.children() else 0
    return time.monotonic() - t0


@dataclass(frozen=True)
class Sample:
    rss_mb: float
    fds: int
    threads: int
    own_fds: int
    own_threads: int
    cpu_s: float

    def brief(self) -> str:
        return f"RSS {self.rss_mb:.1f} MB, {self.fds} fds, {self.threads} threads"


def sample(pid: int) -> Sample:
    wait_quiet(pid)
    tray, me = psutil.Process(pid), psutil.Process()
    return Sample(
        round(tray.memory_info().rss / MB, 2),
        tray.num_fds(),
        tray.num_threads(),
        me.num_fds(),
        me.num_threads(),
        round(_cpu(tray), 2),
    )


# --- the log files ------------------------------------------------------------------------------


def block_ids(path: Path) -> list[str]:
    """The run ids of ``path``'s blocks, in order; fails on anything but whole blocks of ours."""
    text = path.read_bytes().decode("utf-8")  # strict: no invalid byte either
    assert text.endswith("\n"), f"{path.name}: last line cut"
    ids: list[str] = []
    open_id: str | None = None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        where = f"{path.name}:{number}"
        m = _LINE.fullmatch(line)
        assert m is not None, f"{where}: not a line of ours: {line!r}"
        assert datetime.fromisoformat(m.group(1)).tzinfo is not None, where
        if m.group(2) == "start":
            assert open_id is None, f"{where}: a start inside run {open_id}"
            open_id = json.loads(m.group(3))["run"]
        elif m.group(2) == "end":
            assert json.loads(m.group(3))["run"] == open_id, f"{where}: end of another run"
            ids.append(open_id)
            open_id = None
        else:
            assert open_id is not None, f"{where}: a line outside any run"
    assert open_id is None, f"{path.name}: run {open_id} has no end marker"
    return ids


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _leftover_bwdc(appdata: Path) -> list[str]:
    """Processes still running on the instance's data folder (a bwdc, the sleep it started)."""
    found = []
    for proc in psutil.process_iter(["pid", "name"]):
        with contextlib.suppress(psutil.Error):
            if proc.environ().get("BITWARDENCLI_CONNECTOR_APPDATA_DIR") == str(appdata):
                found.append(f"{proc.info['name']} (pid {proc.info['pid']})")
    return found


# --- the soak ----------------------------------------------------------------------------------


def test_soak_thousand_runs_with_failures_hangs_and_a_watching_tray(
    world: World,
    fake_crontab: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    record_property: Any,
) -> None:
    t_start = time.monotonic()
    world.bwdc = make_fast_bwdc(tmp_path / "fast-bin")
    appdata = world.add(NAME, timeout=TIMEOUT_S).absolute()
    set_scenario(appdata, "ok")
    monkeypatch.setattr(runner, "LOG_ROTATE_BYTES", ROTATE_BYTES)
    paths = resolve(None)
    inst = ConfigStore(paths).load().get(NAME)
    log = inst.log_path
    assert log == appdata / "bwdc.log"

    rng = random.Random(SEED)
    plan = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=RUNS)
    triggers = [rng.choice(("manual", "schedule")) for _ in range(RUNS)]
    warm = Counter(EXPECTED[s].result for s in plan[:WARMUP_RUNS])
    assert warm["failed"] and warm["timeout"], "the warm-up must show the tray every state"

    started = Started()
    history: list[tuple[str, str, str]] = []  # (run id, scenario, trigger) of every run
    files = [0] * (KEEP + 1)  # runs in log, log.1 .. log.3, as the rotation rule says
    rotations = 0
    samples: dict[str, Sample] = {}
    took: dict[str, list[float]] = {"ok": [], "failed": [], "timeout": []}
    tray_state = "never"  # the state the tray was last given time to read
    shown: set[tuple[str, str]] = set()
    with thread_exceptions() as died:
        try:
            tray, how = start_tray(started, tmp_path)
            wait_quiet(tray.pid)
            t_runs = time.monotonic()
            for index, (scenario, trigger) in enumerate(zip(plan, triggers, strict=True)):
                run_no = index + 1
                expect = EXPECTED[scenario]
                set_scenario(appdata, scenario)
                size_before = log.stat().st_size if log.exists() else 0
                inode_before = _inode(log)

                t_run = time.monotonic()
                outcome = runner.execute(paths, NAME, trigger=trigger)
                took[expect.result].append(time.monotonic() - t_run)

                where = f"run {run_no} ({scenario}, {trigger})"
                got = (outcome.result, outcome.bwdc_exit, outcome.message)
                assert got == (expect.result, expect.bwdc_exit, expect.message), where
                assert (outcome.groups, outcome.users) == (expect.groups, expect.users), where
                assert int(outcome.exit_code) == expect.exit_code, where
                assert outcome.run_id is not None
                history.append((outcome.run_id, scenario, trigger))

                # (a) rotated exactly when the log was over the size before this run
                rotated = inode_before is not None and _inode(log) != inode_before
                assert rotated == (size_before > ROTATE_BYTES), (
                    f"{where}: {size_before} bytes before"
                )
                if rotated:
                    rotations += 1
                    files = [0, *files[:-1]]
                files[0] += 1

                # (b) the status file and the status API say this run
                cached = json.loads(paths.status_file(NAME).read_text(encoding="utf-8"))
                want = {
                    "name": NAME,
                    "state": expect.state,
                    "run": outcome.run_id,
                    "trigger": trigger,
                    "mode": "sync",
                    "result": expect.result,
                    "exit_code": expect.bwdc_exit,
                    "groups": expect.groups,
                    "users": expect.users,
                    "message": expect.message,
                }
                assert {k: cached.get(k) for k in want} == want, f"{where}: status file {cached}"
                assert "pid" not in cached, f"{where}: status file {cached}"
                item = status.instance_status(paths, inst)
                last = item["last_run"] or {}
                assert item["state"] == expect.state, f"{where}: {item}"
                assert {k: last.get(k) for k in ("result", "exit_code", "groups", "users")} == {
                    "result": expect.result,
                    "exit_code": expect.bwdc_exit,
                    "groups": expect.groups,
                    "users": expect.users,
                }, f"{where}: {item}"
                assert last["message"] == expect.message, f"{where}: {item}"
                assert (last["trigger"], last["source"]) == (trigger, "runner"), f"{where}: {item}"
                # The status file's start is taken before the log's start marker is written.
                begun = datetime.fromisoformat(last["started"])
                skew = (begun - datetime.fromisoformat(cached["started"])).total_seconds()
                assert 0 <= skew < 1, f"{where}: {item} / {cached}"
                assert datetime.fromisoformat(last["finished"]) >= begun, f"{where}: {item}"

                # Warm-up: the tray is given time to read each kind of change of state once, so it
                # shows every notification balloon (fonts) and icon before its memory is read.
                change = (tray_state, expect.state)
                if run_no < WARMUP_RUNS and change[0] != change[1] and change not in shown:
                    wait_quiet(tray.pid, slices=4, slice_s=0.25)
                    shown.add(change)
                    tray_state = expect.state
                if run_no in (WARMUP_RUNS, (RUNS + WARMUP_RUNS) // 2, RUNS):
                    assert tray.poll() is None, f"the tray exited ({tray.returncode}) by {where}"
                    samples[str(run_no)] = sample(tray.pid)
            t_runs = time.monotonic() - t_runs
            assert tray.poll() is None, f"the tray exited with {tray.returncode}"
        finally:
            started.stop_all()
    died_text = [f"{name}: {exc!r}" for name, exc in died]
    assert died_text == [], f"threads died during the soak: {died_text}"

    # The tray said nothing alarming (PySide prints a slot's exception and carries on).
    tray_log = (tmp_path / "tray.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in tray_log and "Error" not in tray_log, tray_log[-3000:]

    # (a) what the log holds at the end: the kept files only, whole, with the last runs
    ours = sorted(p.name for p in appdata.iterdir())
    expected_files = ["bwdc.log", *(f"bwdc.log.{i}" for i in range(1, KEEP + 1))]
    assert ours == sorted(["data.json", "simulator.json", SCENARIO_FILE, *expected_files])
    in_files = [block_ids(appdata / name) for name in expected_files]
    assert [len(ids) for ids in in_files] == files
    kept = sum(files)
    runs = logs.read_runs(log, RUNS)
    assert [r.run_id for r in runs] == [h[0] for h in history[-kept:]]
    assert [r.run_id for r in runs] == [i for ids in reversed(in_files) for i in ids]
    for run, (run_id, scenario, trigger) in zip(runs, history[-kept:], strict=True):
        expect = EXPECTED[scenario]
        assert (run.result, run.exit_code, run.message) == (
            expect.result,
            expect.bwdc_exit,
            expect.message,
        ), run_id
        assert (run.groups, run.users, run.trigger) == (expect.groups, expect.users, trigger)
        if expect.result == "timeout":
            stopped = f"stopped bwdc {'login' if scenario == 'hang-login' else 'sync'} at the"
            assert any(stopped in line for line in run.lines), run.lines
    assert _leftover_bwdc(appdata) == [], "a bwdc outlived its run"

    # (c) the tray, and this process, after the soak against after the warm-up
    first, last_sample = samples[str(WARMUP_RUNS)], samples[str(RUNS)]
    results = Counter(EXPECTED[s].result for s in plan)
    summary = {
        "runs": RUNS,
        "seconds": round(time.monotonic() - t_start, 1),
        "runs_seconds": round(t_runs, 1),
        "tray": how,
        "results": dict(results),
        "scenarios": dict(Counter(plan)),
        "warm_up_changes_shown": sorted(shown),
        "rotations": rotations,
        "kept_runs": kept,
        "samples": {k: v.__dict__ for k, v in samples.items()},
    }
    record_property("soak", json.dumps(summary))
    timing = ", ".join(
        f"{k} {statistics.median(v):.3f} / {max(v):.3f}" for k, v in took.items() if v
    )
    lines = [
        f"soak: {RUNS} runs in {t_runs:.1f} s ({summary['seconds']} s in all); tray: {how}",
        f"  results {dict(results)}",
        f"  scenarios {dict(Counter(plan))}",
        f"  seconds a run, median / max: {timing}",
        f"  warm-up ({WARMUP_RUNS} runs): the tray read {len(shown)} changes of state: "
        + ", ".join(f"{a}->{b}" for a, b in sorted(shown)),
        f"  log rotated {rotations} times at {ROTATE_BYTES} bytes; log, log.1..log.{KEEP} "
        f"keep the last {kept} runs {files}",
        *(f"  tray after run {k}: {v.brief()}" for k, v in samples.items()),
        f"  tray CPU over the measured runs: {last_sample.cpu_s - first.cpu_s:.2f} s",
        f"  this process: fds {first.own_fds} -> {last_sample.own_fds}, "
        f"threads {first.own_threads} -> {last_sample.own_threads}",
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    growth = last_sample.rss_mb - first.rss_mb
    assert growth <= RSS_GROWTH_MB, f"tray RSS grew {growth:.2f} MB: {samples}"
    assert last_sample.fds == first.fds, f"tray file descriptors: {samples}"
    assert last_sample.threads == first.threads, f"tray threads: {samples}"
    assert last_sample.cpu_s > first.cpu_s, "the tray never read the runs it was shown"
    assert (last_sample.own_fds, last_sample.own_threads) == (first.own_fds, first.own_threads)


def test_soak_expectations_cover_the_fast_fake() -> None:
    """Every scenario the soak draws has an expectation, and the fake knows every one."""
    from tests.fakes.fast_bwdc import SCENARIOS

    assert set(WEIGHTS) == set(EXPECTED) <= set(SCENARIOS)


# --- what the soak found in the runner: deterministic reproductions -----------------------------


def _one_instance(world: World, tmp_path: Path, scenario: str) -> Any:
    world.bwdc = make_fast_bwdc(tmp_path / "fast-bin")
    appdata = world.add(NAME, timeout=0.5)
    set_scenario(appdata, scenario)
    return resolve(None)


def test_timeout_leaves_no_reader_on_a_closed_pipe(world: World, tmp_path: Path) -> None:
    """Deterministic form: bwdc hangs after starting a helper that left its tree (double fork +
    setsid) and keeps writing to bwdc's stdout, so output is still coming when the timeout
    stops bwdc and the runner closes the pipes."""
    paths = _one_instance(world, tmp_path, "hang-detached")
    with thread_exceptions() as died:
        outcome = runner.execute(paths, NAME)
        time.sleep(0.5)  # the helper's next line, 0.1 s away
    assert (outcome.result, outcome.message) == ("timeout", "sync timed out")
    assert [f"{name}: {exc!r}" for name, exc in died] == []


def test_timeout_bounds_the_run_even_with_an_escaped_helper(world: World, tmp_path: Path) -> None:
    """bwdc (0.5 s timeout) hangs after starting a silent helper that left its tree and holds
    bwdc's stdout for 4 s: the run should end near its timeout, not when the helper does."""
    paths = _one_instance(world, tmp_path, "hang-detached-silent")
    t0 = time.monotonic()
    outcome = runner.execute(paths, NAME)
    took = time.monotonic() - t0
    assert (outcome.result, outcome.message) == ("timeout", "sync timed out")
    assert took < 0.5 + 2.0, f"the run took {took:.1f} s with a 0.5 s timeout"

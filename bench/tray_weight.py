"""Tray weight (issue 5, point 4): the tray with 20 instances against a minimal PySide6 tray.

On a real X display (Xvfb) with a real tray host (trayer), both started once for the whole
benchmark and stopped by PID at the end:

- tray.start: spawn to the icon visible in the tray, seen from outside the same way for both
  apps: a new window embedded under trayer's panel (`xwininfo -root -tree`), mapped
  (`Map State: IsViewable`) and painted (its pixels on screen, read with ImageMagick's `import`,
  hold a drawing, not one flat colour). Neither app prints anything for it.
  The tray shows "unknown" until its first read of the rows: when its icon took its final look
  (screenshots of it) is in extra as true_icon_s.
- tray.rss: RSS (psutil) a few seconds after the icon showed (USS in extra).
- tray.rss_after_hour: RSS after "an hour of simulated runs": 20 instances every 5 minutes is
  240 runs, replayed compressed as real `bwdc-tray --home H run NAME --trigger schedule`
  processes against the simulator (delay 0), a few at a time; against the minimal tray that ran
  alongside and did nothing. In two halves, RSS read between them: runs only, then runs where one
  instance fails every other time (its state changes: the icon, notification balloons).
- tray.idle_cpu / tray.idle_cpu_after_hour: CPU % of one core (process + reaped children,
  cpu_times delta / wall) over an idle window after start and after that hour, both apps
  measured over the same window.

The apps run from compiled bytecode, as installed (PYTHONDONTWRITEBYTECODE is cleared for them),
with XDG and temp folders of the benchmark's own. What profiling found is in NOTES (below),
which go into each Result's notes.

    .venv/bin/python -m bench.tray_weight [--quick] [--json FILE]
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
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.common import PY, REPO, Result, Series, bench_env, interleave, module_main
from bench.common import run as run_cmd
from tests.support.xdesktop import Started, start_desktop, stop_process

INSTANCES = 20
RUNS_PER_HOUR = INSTANCES * 12  # every 5 minutes
MINIMAL = REPO / "bench" / "minimal_tray.py"
STEP_S = 30.0  # for any one thing to show up
POLL_S = 0.02
MB = 1024 * 1024
_CLOCK = {"t0": time.monotonic()}


def _say(text: str) -> None:
    """Progress on stderr (a full run takes minutes)."""
    print(f"   [{time.monotonic() - _CLOCK['t0']:6.1f} s] {text}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Plan:
    """How much of everything: the full benchmark or the quick one (< 40 s)."""

    starts: int  # start samples of each app, taken in turn
    settle_s: float  # after the icon shows, before memory is read
    idle_s: float  # each idle CPU window
    slices: int  # samples per idle window
    runs: int  # the simulated hour's runs
    hour_s: float  # ... replayed over this long
    lanes: int  # runs going at once, at most
    setup_runs: int  # runs of each instance before anything is measured
    warmup: int  # starts of each app before the samples (the bytecode is compiled beforehand)
    calm: int  # slices under 1 % CPU in a row that say the tray has settled after runs
    calm_s: float  # ... of this long


FULL = Plan(
    starts=7, settle_s=5.0, idle_s=60.0, slices=6, runs=RUNS_PER_HOUR, hour_s=90.0, lanes=3,
    setup_runs=2, warmup=1, calm=2, calm_s=1.0,
)  # fmt: skip
QUICK = Plan(
    starts=3, settle_s=0.6, idle_s=10.0, slices=5, runs=12, hour_s=2.0, lanes=3, setup_runs=1,
    warmup=0, calm=1, calm_s=0.5,
)  # fmt: skip


# --- the X display and the tray host --------------------------------------------------------------

_WINDOW = re.compile(
    r"^(\s*)(0x[0-9a-f]+) .*?(\d+)x(\d+)[+-]-?\d+[+-]-?\d+\s+[+-]-?\d+[+-]-?\d+\s*$"
)


class Desktop:
    """What is embedded in trayer's panel on a desktop of xdesktop.start_desktop (xwininfo)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    @classmethod
    def start(cls, tmp: Path, started: Started) -> Desktop:
        """Xvfb + trayer, once trayer's panel is up: seen with xwininfo, as the icons are (this
        benchmark needs no xdotool)."""
        env = start_desktop(
            started,
            tmp,
            panel_up=lambda env: cls(env).panel() is not None,
            timeout=STEP_S,
            on_retry=lambda problem: _say(
                f"the X display did not work ({problem}); starting another"
            ),
        )
        return cls(env)

    def _tree(self) -> str:
        return run_cmd(["xwininfo", "-root", "-tree"], env=self.env)

    def panel(self) -> dict[str, tuple[int, int, int]] | None:
        """The windows under trayer's panel: id -> (depth below the panel, width, height)."""
        lines = self._tree().splitlines()
        start = next((i for i, t in enumerate(lines) if '("panel" "trayer")' in t), None)
        if start is None:
            return None
        base = len(lines[start]) - len(lines[start].lstrip())
        out: dict[str, tuple[int, int, int]] = {}
        for line in lines[start + 1 :]:
            match = _WINDOW.match(line)
            if match is None:
                continue  # "N children:"
            indent = len(match.group(1))
            if indent <= base:
                break
            out[match.group(2)] = ((indent - base) // 3, int(match.group(3)), int(match.group(4)))
        return out

    def icons(self) -> set[str]:
        """Embedded icon windows (the client's own window inside trayer's socket)."""
        return {w for w, (depth, wd, ht) in (self.panel() or {}).items() if depth >= 2}

    def viewable(self, window: str) -> bool:
        try:
            out = run_cmd(["xwininfo", "-id", window], env=self.env)
        except RuntimeError:
            return False  # gone meanwhile
        return "Map State: IsViewable" in out

    def pixels(self, window: str) -> bytes:
        """The window's pixels as on screen (RGB), b"" if it cannot be read."""
        done = subprocess.run(
            ["import", "-window", window, "-depth", "8", "rgb:-"],
            env=self.env,
            capture_output=True,
            check=False,
        )
        return done.stdout if done.returncode == 0 else b""

    def drawn(self, window: str) -> bool:
        """The window shows a drawing on screen, not an empty slot: more than 3 colours in its
        pixels (an antialiased icon has dozens; a slot not painted yet is one flat colour)."""
        pixels = self.pixels(window)
        return len({pixels[i : i + 3] for i in range(0, len(pixels) - 2, 3)}) > 3

    def settle(self, window: str, t0: float, seconds: float, watch: float) -> float:
        """Waits `seconds`; returns when (since t0) the icon took the look it has at the end,
        from screenshots during the first `watch` seconds: the tray shows "unknown" until its
        first read of the rows, then the true state."""
        end = time.perf_counter() + seconds
        stop_watching = time.perf_counter() + min(watch, seconds)
        shots: list[tuple[float, bytes]] = []
        while time.perf_counter() < stop_watching:
            shots.append((time.perf_counter() - t0, self.pixels(window)))
            time.sleep(POLL_S)
        time.sleep(max(0.0, end - time.perf_counter()))
        final = self.pixels(window)
        when = time.perf_counter() - t0
        for at, shot in reversed(shots):
            if shot != final:
                break
            when = at
        return when

    def wait_icon(self, proc: subprocess.Popen[Any], before: set[str]) -> str:
        """The new icon window, once embedded in the panel, mapped, and painted."""
        deadline = time.monotonic() + STEP_S
        window = ""
        while time.monotonic() < deadline:
            if not window:
                panel = self.panel() or {}
                for each, (depth, wd, ht) in panel.items():
                    fresh = depth >= 2 and wd > 1 and ht > 1 and each not in before
                    if fresh and self.viewable(each):
                        window = each
                        break
            if window and self.drawn(window):
                return window
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args} exited {proc.returncode} before its icon showed")
            time.sleep(POLL_S)
        raise RuntimeError(f"{proc.args}: no icon drawn in the tray within {STEP_S}s")

    def wait_gone(self, window: str) -> None:
        deadline = time.monotonic() + STEP_S
        while window in self.icons() and time.monotonic() < deadline:
            time.sleep(0.05)


# --- the home: 20 instances with real logs and status ---------------------------------------------

_SETUP = r"""
import io, json, sys
from pathlib import Path
from bwdc_tray import cli
from bwdc_tray.demo import simbwdc
from bwdc_tray.demo.setup import _seed_data_json

home, data, names = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
sim = str(Path(simbwdc.__file__).resolve())
client = "organization.3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d"

def cli_ok(*args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--home", home, *args], out=out, err=err, stdin=io.StringIO(stdin))
    if code != 0:
        sys.exit(f"bwdc-tray {' '.join(args)}: exit {code}: {err.getvalue()}")

for i, name in enumerate(names):
    appdata = data / name
    appdata.mkdir(parents=True, mode=0o700)
    _seed_data_json(appdata, i % 4, "https://vault.example.com")
    scenario = "unchanged" if i % 5 == 4 else "ok"
    sim_conf = {"scenario": scenario, "delay": 0, "cpu": 0}
    (appdata / "simulator.json").write_text(json.dumps(sim_conf))
    cli_ok("instance", "add", name, "--appdata", str(appdata), "--bwdc", sim,
           "--login", "isolated", "--label", f"Site {i + 1:02d} directory")
    cli_ok("secret", "set", name, "--stdin", stdin=f"{client}\nsecret-{i}\n\n")
    cli_ok("schedule", "set", name, "every", "5m", "--no-apply")
"""


def _runner_env(home: Path, tmp: Path) -> dict[str, str]:
    """bench_env, XDG and temp folders of the benchmark's own ("Start at login", the tray's
    single-instance socket), and bytecode caching on: an installed app runs from its .pyc (a
    sandbox may set PYTHONDONTWRITEBYTECODE; __pycache__ is ignored by git)."""
    xdg = {k: str(tmp / "xdg" / k.lower()) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    (tmp / "tmp").mkdir(exist_ok=True)
    return {
        **bench_env(home),
        **xdg,
        "XDG_STATE_HOME": str(tmp / "xdg" / "state"),
        "TMPDIR": str(tmp / "tmp"),  # the tray's single-instance socket: removed with tmp
        "PYTHONDONTWRITEBYTECODE": "",
    }


def make_home(tmp: Path, plan: Plan) -> tuple[Path, list[str]]:
    home = tmp / "home"
    names = [f"site-{i + 1:02d}" for i in range(INSTANCES)]
    env = _runner_env(home, tmp)
    run_cmd([PY, "-m", "compileall", "-q", str(REPO / "bwdc_tray")], env=env)
    run_cmd([PY, "-c", _SETUP, str(home), str(tmp / "data"), json.dumps(names)], env=env, cwd=REPO)
    # Real logs and status: each instance synced by the runner, a few at a time.
    order = [n for _ in range(plan.setup_runs) for n in names]
    replay(home, env, order, spacing=0.0, lanes=2, flaky=None)
    return home, names


def hour_order(names: list[str], runs: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """The instances to run in the simulated hour, in two halves: each instance in turn (every
    round in a random order); with fewer runs than two rounds (quick), a random few, and the
    last instance (the one that flips in the second half) twice in the second half."""
    half = runs // 2
    if half >= len(names):
        order: list[str] = []
        while len(order) < runs:
            order += rng.sample(names, len(names))
        return order[:half], order[half:runs]
    flaky, others = names[-1], names[:-1]
    return rng.sample(names, half), [flaky, *rng.sample(others, max(0, runs - half - 2)), flaky]


def _run_argv(home: Path, name: str) -> list[str]:
    return [PY, "-m", "bwdc_tray", "--home", str(home), "run", name, "--trigger", "schedule"]


def replay(
    home: Path,
    env: dict[str, str],
    order: list[str],
    spacing: float,
    lanes: int,
    flaky: Path | None,
) -> dict[str, Any]:
    """Runs the runner for each name in turn, one every `spacing` s, at most `lanes` at once.
    ``flaky``: a simulator.json to flip between ok and an unreachable LDAP at each of its runs
    (state changes: icon, notifications)."""
    going: list[subprocess.Popen[Any]] = []
    codes: list[int] = []
    t0 = time.monotonic()
    flips = 0
    try:
        for index, name in enumerate(order):
            due = t0 + index * spacing
            while True:
                codes += [p.returncode for p in going if p.poll() is not None]
                going = [p for p in going if p.returncode is None]
                if len(going) < lanes and time.monotonic() >= due:
                    break
                time.sleep(0.01)
            if flaky is not None and flaky.parent.name == name:
                flips += 1
                scenario = "ldap-unreachable" if flips % 2 else "ok"
                flaky.write_text(json.dumps({"scenario": scenario, "delay": 0, "cpu": 0}))
            going.append(
                subprocess.Popen(
                    _run_argv(home, name),
                    env={**os.environ, **env},
                    cwd=REPO,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for proc in going:
            codes.append(proc.wait(120))
    finally:
        for proc in going:
            stop_process(proc)
    return {
        "runs": len(order),
        "seconds": round(time.monotonic() - t0, 1),
        "exit_codes": {str(c): codes.count(c) for c in sorted(set(codes))},
    }


# --- measuring ------------------------------------------------------------------------------------


def cpu_seconds(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system + t.children_user + t.children_system


def memory(pid: int) -> tuple[float, float | None]:
    """RSS and USS in MB."""
    proc = psutil.Process(pid)
    try:
        full = proc.memory_full_info()
        return full.rss / MB, full.uss / MB
    except psutil.AccessDenied:
        return proc.memory_info().rss / MB, None


def idle_window(
    pids: dict[str, int], seconds: float, slices: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, float]]:
    """CPU % (of one core) of each process in `slices` consecutive slices of the window, and
    its RSS at the end of each slice; and the CPU % over the whole window."""
    procs = {k: psutil.Process(p) for k, p in pids.items()}
    cpu: dict[str, list[float]] = {k: [] for k in pids}
    rss: dict[str, list[float]] = {k: [] for k in pids}
    first = {k: cpu_seconds(p) for k, p in procs.items()}
    start = last_t = time.monotonic()
    last = dict(first)
    for i in range(1, slices + 1):
        time.sleep(max(0.0, start + seconds * i / slices - time.monotonic()))
        now = time.monotonic()
        for k, p in procs.items():
            c = cpu_seconds(p)
            cpu[k].append(100.0 * (c - last[k]) / (now - last_t))
            last[k] = c
            rss[k].append(memory(p.pid)[0])
        last_t = now
    whole = {k: 100.0 * (last[k] - first[k]) / (last_t - start) for k in pids}
    return cpu, rss, whole


def wait_quiet(
    pid: int, slices: int, slice_s: float, limit_s: float = 30.0, below_pct: float = 1.0
) -> float:
    """Until the process has used under `below_pct` % CPU for `slices` slices of `slice_s` in a
    row; the seconds that took."""
    proc = psutil.Process(pid)
    t0 = time.monotonic()
    calm = 0
    while calm < slices and time.monotonic() - t0 < limit_s:
        c0 = cpu_seconds(proc)
        time.sleep(slice_s)
        used_pct = 100.0 * (cpu_seconds(proc) - c0) / slice_s
        calm = calm + 1 if used_pct < below_pct else 0
    return time.monotonic() - t0


@dataclass
class Launch:
    proc: subprocess.Popen[Any]
    seconds: float  # from spawn to the icon visible in the tray
    window: str  # the icon's X window
    t0: float  # perf_counter() at spawn


@dataclass
class App:
    label: str
    argv: list[str]
    env: dict[str, str]
    log: Path

    @contextlib.contextmanager
    def started(self, desk: Desktop, started: Started) -> Iterator[Launch]:
        """The app, once its icon is visible in the tray; stopped (by PID) at the end."""
        before = desk.icons()
        with self.log.open("ab") as err:
            t0 = time.perf_counter()
            proc = started.add(
                subprocess.Popen(
                    self.argv,
                    env=self.env,
                    cwd=REPO,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                )
            )
        window = ""
        try:
            window = desk.wait_icon(proc, before)
            yield Launch(proc, time.perf_counter() - t0, window, t0)
        finally:
            started.stop(proc)
            if window:
                desk.wait_gone(window)


def _series(label: str, unit: str, values: list[float]) -> Series:
    return Series(label, unit, [round(v, 4) for v in values])


def measure(plan: Plan, tmp: Path, started: Started, notes: dict[str, list[str]]) -> list[Result]:
    desk = Desktop.start(tmp / "x", started)
    home, names = make_home(tmp, plan)
    _say(f"home with {INSTANCES} instances ready")
    env = {**desk.env, **_runner_env(home, tmp), "QT_QPA_PLATFORM": "xcb"}
    minimal = App("minimal PySide6 tray", [PY, str(MINIMAL)], env, tmp / "minimal.log")
    tray = App(
        f"bwdc-tray tray, {INSTANCES} instances",
        [PY, "-m", "bwdc_tray", "--home", str(home), "tray"],
        env,
        tmp / "tray.log",
    )

    # 1 + 2: start to visible icon, and memory once settled; baseline and subject in turn.
    # Each start returns its seconds to interleave(); what else it measured (RSS, USS, when
    # the icon took its final look) goes to `seen`, warm-ups included (dropped below).
    seen: dict[str, list[tuple[float, float, float | None, float]]] = {"b": [], "s": []}

    def sample(app: App, key: str) -> Callable[[], float]:
        def once() -> float:
            with app.started(desk, started) as run:
                true_icon = desk.settle(run.window, run.t0, plan.settle_s, watch=1.0)
                rss, uss = memory(run.proc.pid)
            seen[key].append((run.seconds, rss, uss, true_icon))
            return run.seconds

        return once

    interleave(
        [sample(minimal, "b"), sample(tray, "s")],
        plan.starts,
        warmup=plan.warmup,
        self_timed=True,
    )
    b, s = seen["b"][plan.warmup :], seen["s"][plan.warmup :]
    _say(f"{plan.starts} start samples of each app taken")
    start_b = _series(minimal.label, "s", [x[0] for x in b])
    start_s = _series(tray.label, "s", [x[0] for x in s])
    rss_b = _series(minimal.label, "MB", [x[1] for x in b])
    rss_s = _series(tray.label, "MB", [x[1] for x in s])
    uss = {
        "uss_mb_median": {
            "baseline": statistics.median(x[2] for x in b) if b[0][2] is not None else None,
            "subject": statistics.median(x[2] for x in s) if s[0][2] is not None else None,
        }
    }

    # 3 + 4: both apps up together; idle, then an hour of runs, then idle again.
    with (
        minimal.started(desk, started) as base_run,
        tray.started(desk, started) as tray_run,
    ):
        base_proc, tray_proc = base_run.proc, tray_run.proc
        time.sleep(plan.settle_s)
        rss_at_start = memory(tray_proc.pid)[0]
        base_at_start = memory(base_proc.pid)[0]
        pids = {"baseline": base_proc.pid, "subject": tray_proc.pid}
        cpu1, _rss1, whole1 = idle_window(pids, plan.idle_s, plan.slices)
        _say("idle window after start measured")

        # The hour in two halves: runs only, then runs where one instance fails every other
        # time (a state change each run: the icon, and a notification balloon).
        first, second = hour_order(names, plan.runs, random.Random(5))
        flaky = tmp / "data" / names[-1] / "simulator.json"
        spacing = plan.hour_s / plan.runs
        renv = _runner_env(home, tmp)
        cpu_before = {k: cpu_seconds(psutil.Process(p)) for k, p in pids.items()}
        half1 = replay(home, renv, first, spacing, plan.lanes, None)
        half1["settle_s"] = round(wait_quiet(tray_proc.pid, plan.calm, plan.calm_s), 1)
        rss_mid = memory(tray_proc.pid)[0]
        half2 = replay(home, renv, second, spacing, plan.lanes, flaky)
        half2["settle_s"] = round(wait_quiet(tray_proc.pid, plan.calm, plan.calm_s), 1)
        codes = [*half1["exit_codes"].items(), *half2["exit_codes"].items()]
        hour = {
            "runs": half1["runs"] + half2["runs"],
            "seconds": round(half1["seconds"] + half2["seconds"], 1),
            "exit_codes": {c: sum(n for k, n in codes if k == c) for c in sorted(dict(codes))},
            "halves": [half1, half2],
            "cpu_s": {
                k: round(cpu_seconds(psutil.Process(p)) - cpu_before[k], 2) for k, p in pids.items()
            },
        }
        _say(f"simulated hour: {hour}")
        cpu2, rss2, whole2 = idle_window(pids, plan.idle_s, plan.slices)
        tray_rss_after = rss2["subject"]
        base_rss_after = rss2["baseline"]

    return [
        Result(
            "tray.start",
            "Start to visible icon in the tray (Xvfb + trayer)",
            start_b,
            start_s,
            "ratio",
            1.5,
            "start to visible icon under 1.5x the minimal tray",
            notes.get("tray.start", []),
            {
                "visible": "embedded under trayer's panel, mapped (xwininfo), painted (import)",
                "true_icon_s_median": {
                    "baseline": round(statistics.median(x[3] for x in b), 4),
                    "subject": round(statistics.median(x[3] for x in s), 4),
                },
                "true_icon_s_max": {
                    "baseline": round(max(x[3] for x in b), 4),
                    "subject": round(max(x[3] for x in s), 4),
                },
            },
        ),
        Result(
            "tray.rss",
            f"RSS {plan.settle_s:g} s after the icon showed",
            rss_b,
            rss_s,
            "ratio",
            1.3,
            "RSS under 1.3x the minimal tray",
            notes.get("tray.rss", []),
            uss,
        ),
        Result(
            "tray.rss_after_hour",
            f"RSS after an hour of simulated runs ({hour['runs']} runs in {hour['seconds']} s)",
            _series(minimal.label, "MB", base_rss_after),
            _series(tray.label, "MB", tray_rss_after),
            "ratio",
            1.3,
            "RSS under 1.3x the minimal tray, after an hour of runs",
            notes.get("tray.rss_after_hour", []),
            {
                "hour": hour,
                "rss_growth_mb": round(statistics.median(tray_rss_after) - rss_at_start, 2),
                "rss_growth_first_half_mb": round(rss_mid - rss_at_start, 2),
                "rss_growth_second_half_mb": round(statistics.median(tray_rss_after) - rss_mid, 2),
                "baseline_rss_growth_mb": round(
                    statistics.median(base_rss_after) - base_at_start, 2
                ),
                "rss_at_start_mb": round(rss_at_start, 2),
            },
        ),
        Result(
            "tray.idle_cpu",
            f"Idle CPU after start ({plan.idle_s:g} s, {plan.slices} slices)",
            _series(minimal.label, "%", cpu1["baseline"]),
            _series(tray.label, "%", cpu1["subject"]),
            "value",
            0.5,
            "idle CPU under 0.5 % (of one core)",
            notes.get("tray.idle_cpu", []),
            {"whole_window_pct": {k: round(v, 4) for k, v in whole1.items()}},
        ),
        Result(
            "tray.idle_cpu_after_hour",
            f"Idle CPU after the simulated hour ({plan.idle_s:g} s, {plan.slices} slices)",
            _series(minimal.label, "%", cpu2["baseline"]),
            _series(tray.label, "%", cpu2["subject"]),
            "value",
            0.5,
            "idle CPU under 0.5 % (of one core), after an hour of runs",
            notes.get("tray.idle_cpu_after_hour", notes.get("tray.idle_cpu", [])),
            {"whole_window_pct": {k: round(v, 4) for k, v in whole2.items()}},
        ),
    ]


# What profiling found (pyinstrument, -X importtime, RSS per step and per mapping from
# /proc/PID/smaps, tracemalloc), before -> after; the figures are from this machine.
NOTES: dict[str, list[str]] = {
    "tray.start": [
        "Before: 0.43 s to the icon against 0.14 s (3.0x, quick run); main() spent 0.32 s "
        "before its event loop.",
        "Controller() read the 20 rows before the icon existed: 76 ms (cron descriptions 18 ms, "
        "next runs 9 ms, crontab -l), after 47 ms of engine imports (filelock 16 ms, logs "
        "11 ms). Now the icon comes first, showing 'unknown', and the first read runs on the "
        "worker thread: the true icon follows about 0.2 s after spawn (true_icon_s in extra).",
        "The main window was built at start though hidden (39 ms with its import), and "
        "theme.follow() put an application-wide Python event filter in place whose first call "
        "makes shiboken build ~190 Qt enums (35 ms): both now come with the first use of the "
        "window.",
        "Every menu rebuild drew two 9-size icons per instance (21 ms): drawn once per state now.",
        "QtNetwork (5 ms) replaced by a Unix socket and a QSocketNotifier on Linux and macOS "
        "(Windows keeps QLocalServer); hashlib by QCryptographicHash.",
        "Left: ~25 ms of our own start before the event loop, `python -m bwdc_tray ... tray` "
        "going through cli.py (~7 ms more than bwdc-tray-gui), and the first read's thread "
        "holding the GIL while the icon is painted (10-20 ms, noisy).",
    ],
    "tray.rss": [
        "Before: 87.0 MB against 51.4 MB (1.69x). The hidden main window cost 9.8 MB, the Qt "
        "enums made by the theme's event filter 6 MB, QtNetwork 2.9 MB: all gone at start.",
        "Of what is left over the minimal tray, the engine read in-process (overview, status, "
        "logs, schedule, cronsim, cron_descriptor, hashlib/OpenSSL) is ~8 MB, and PySide6's "
        "__feature__ import hook ~4.5 MB: it reads the source of every module imported after "
        "PySide6 (inspect.getsource) and linecache keeps it, 87 files and 2 MB of text here; "
        "with that hook off RSS was 61.4 MB (1.19x).",
        "locking.py stopped importing filelock meanwhile (another change): -1.7 MB here.",
    ],
    "tray.rss_after_hour": [
        "Before: +3.9 MB over 12 runs (quick), each menu rebuild drawing ~30 new icons; icons "
        "are drawn once per state now.",
        "First half (runs, no state change): psutil comes in (locking.Holder.alive) the first "
        "time the tray sees a run going; +2.1 MB before linecache was let go, +0.3 MB since "
        "(see below).",
        "Second half (one instance failing every other run): the first notification balloon, "
        "which Qt draws itself on an XEmbed tray, loads fontconfig and FreeType; the minimal "
        "tray grows by 4.7 MB too when it shows one balloon. A tray whose menu or tooltip has "
        "been opened once pays the fonts anyway.",
        "linecache (filled by PySide6's import hook, see tray.rss) is emptied after each read: "
        "it cannot lower the peak at start, but later allocations reuse it: -1.6 to -1.8 MB.",
        "Found here: each write restarted the 250 ms debounce, so writes closer than that (runs "
        "back to back) held every read back until they stopped; a failure between two runs "
        "could go unseen, and its notification with it (this figure came out 1.29x or 1.38x "
        "from run to run). A stream of writes now gets a read at least every second.",
        "A read costs ~25 ms of CPU (rows 21 ms, menu rebuild 4 ms, 21 ms before the icons were "
        "cached) plus `crontab -l`; a real hour, about two reads per run, is ~12 s of CPU "
        "(0.3 % on average); cpu_s in extra is the compressed hour's.",
        "No leak seen: flat after the first ~40 runs (+0.1 MB over the next 200).",
    ],
    "tray.idle_cpu": [
        "Idle means no timer but the tooltip's 60 s clock (texts only, no file read) and "
        "inotify watches (no polling): 0 or 1 clock tick (10 ms) per 10 s slice.",
    ],
}


def run(quick: bool = False) -> list[Result]:
    for tool in ("Xvfb", "trayer", "xwininfo"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed (apt install xvfb trayer x11-utils)")
    plan = QUICK if quick else FULL
    _CLOCK["t0"] = time.monotonic()
    started = Started()
    tmp = Path(tempfile.mkdtemp(prefix="bwdc-tray-weight-"))
    try:
        return measure(plan, tmp, started, NOTES)
    finally:
        started.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(module_main("python -m bench.tray_weight", run))

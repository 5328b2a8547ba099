"""Issue 5, point 5: 200 instances against 1: `schedule sync` on a real crontab, `status --json`,
and the window opening; the cost must grow no faster than linearly.

One home per size (1, 50 and 200 instances; quick: 1, 10 and 20). Every instance has a simulated
bwdc, a log of two genuine runs (the real runner against the simulator, copied to each instance)
and a daily schedule at its own time, saved with `schedule set … --no-apply` so setting up never
touches the crontab. Each sample is a process of its own, sizes taken in turn.

`schedule sync` runs against root's real crontab (the `crontab` on PATH). Before every sample our
blocks of that home are taken out of the table (untimed), so each sample is the same "install
every missing job" pass. The table is read first and compared byte for byte at the end; only
blocks whose job id carries one of our homes' tags are ever removed, and if the table still
differs the copy is put back (said in the notes). Other users' tables are never touched.

The window: bench/window_open.py, offscreen, timed from the process start until the window is
exposed with its table filled; the in-process part (imports, QApplication, Controller, window) is
reported beside it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import PY, REPO, Result, Series, bench_env, cli, interleave, module_main
from bench.common import run as run_cmd

CLIENT_ID = "organization.3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d"
SIZES = (1, 50, 200)
QUICK_SIZES = (1, 10, 20)
DRIVER = REPO / "bench" / "window_open.py"


@dataclass
class Home:
    n: int
    path: Path
    env: dict[str, str]
    tag: str  # the job ids' suffix: name@tag
    names: list[str] = field(default_factory=list)


@dataclass
class Crontab:
    """`crontab -l` as it answered: what must be there again at the end."""

    returncode: int
    stdout: str
    stderr: str

    @classmethod
    def read(cls) -> Crontab:
        done = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
        return cls(done.returncode, done.stdout, done.stderr)


def _install_table(text: str) -> None:
    if not text:
        subprocess.run(["crontab", "-r"], capture_output=True, check=False)
        return
    with tempfile.NamedTemporaryFile("w", prefix="bench-crontab-", delete=False) as fh:
        fh.write(text)
    try:
        run_cmd(["crontab", fh.name])
    finally:
        os.unlink(fh.name)


def strip_ours(tags: set[str]) -> int:
    """Remove from root's crontab the bwdc-tray blocks of our homes (job id NAME@TAG); the rest
    of the table is written back as it was. Returns how many blocks were removed."""
    from bwdc_tray.schedule.backends.crontab import split_blocks

    table = Crontab.read()
    if table.returncode != 0:
        return 0
    lines, blocks = split_blocks(table.stdout)
    drop = {
        i
        for name, (start, stop) in blocks.items()
        if name.rpartition("@")[2] in tags
        for i in range(start, stop)
    }
    if not drop:
        return 0
    _install_table("".join(line for i, line in enumerate(lines) if i not in drop))
    return sum(1 for name in blocks if name.rpartition("@")[2] in tags)


def _count_ours(tag: str) -> int:
    from bwdc_tray.schedule.backends.crontab import split_blocks

    table = Crontab.read()
    if table.returncode != 0:
        return 0
    return sum(1 for name in split_blocks(table.stdout)[1] if name.endswith("@" + tag))


def _in_process(home: Path, *args: str) -> str:
    from bwdc_tray import cli as engine_cli

    out, err = io.StringIO(), io.StringIO()
    code = engine_cli.main(["--home", str(home), *args], out=out, err=err)
    if code != 0:
        raise RuntimeError(f"bwdc-tray {' '.join(args)} exited {code}: {err.getvalue()}")
    return out.getvalue()


def _genuine_log(root: Path) -> str:
    """Two runs of the real runner against the simulator (an ok sync, then an unchanged one)."""
    from bwdc_tray.demo.setup import _seed_data_json

    home = root / "proto-home"
    env = {**bench_env(home), "FAKE_KEYRING_FILE": str(root / "keyring.json")}
    appdata = root / "data-proto" / "proto"
    appdata.mkdir(parents=True, mode=0o700)
    _seed_data_json(appdata, 0, "http://127.0.0.1:8087")
    (appdata / "simulator.json").write_text(json.dumps({"scenario": "ok"}))
    cli(home, "instance", "add", "proto", "--appdata", str(appdata), "--bwdc", _sim(), env=env)
    run_cmd(
        [PY, "-m", "bwdc_tray", "--home", str(home), "secret", "set", "proto", "--stdin"],
        env=env,
        input=f"{CLIENT_ID}\nbench-secret\n\n",
    )
    cli(home, "run", "proto", env=env)  # the first run also notes that it tightened the folder
    keep_from = (appdata / "bwdc.log").stat().st_size
    cli(home, "run", "proto", env=env)
    cli(home, "run", "proto", env=env)
    return (appdata / "bwdc.log").read_bytes()[keep_from:].decode("utf-8")


def _sim() -> str:
    from bwdc_tray.demo import simbwdc

    return str(Path(simbwdc.__file__).resolve())


def make_home(root: Path, n: int, log_text: str) -> Home:
    from bwdc_tray.demo.setup import _seed_data_json
    from bwdc_tray.paths import resolve
    from bwdc_tray.schedule.jobs import job_id

    path = root / f"home-{n}"
    env = {**bench_env(path), "FAKE_KEYRING_FILE": str(root / "keyring.json")}
    home = Home(n, path, env, job_id(resolve(path), "x").partition("@")[2])
    sim = _sim()
    for i in range(n):
        name = f"site-{i:03d}"
        appdata = root / f"data-{n}" / name
        appdata.mkdir(parents=True, mode=0o700)
        _seed_data_json(appdata, i % 4, "https://vault.example.com")
        (appdata / "simulator.json").write_text(json.dumps({"scenario": "ok"}))
        (appdata / "bwdc.log").write_text(
            log_text.replace('"instance":"proto"', f'"instance":"{name}"'), encoding="utf-8"
        )
        _in_process(path, "instance", "add", name, "--appdata", str(appdata), "--bwdc", sim)
        hour, minute = (i * 7) % 24, (i * 13) % 60
        _in_process(path, "schedule", "set", name, f"daily {hour:02d}:{minute:02d}", "--no-apply")
        home.names.append(name)
    return home


def _window_sample(
    home: Home, inner: dict[int, list[float]], part: dict[int, list[float]]
) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PY, str(DRIVER), str(home.path), str(home.n)],
        env={**os.environ, **home.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    try:
        data = json.loads(line)
    except ValueError:
        data = {}
    if proc.returncode != 0 or data.get("rows") != home.n:
        raise RuntimeError(f"the window driver failed ({proc.returncode}): {line}\n{err}")
    inner[home.n].append(float(data["in_process"]))
    part[home.n].append(float(data["window"]))
    return elapsed


def _linear(
    key: str,
    title: str,
    homes: list[Home],
    samples: list[list[float]],
    extra: dict[str, Any] | None = None,
    notes: list[str] | None = None,
) -> Result:
    """cost(N)/cost(1) against the limit N; marginal costs per instance between the sizes."""
    first, mid, last = homes
    med = [Series("", "s", s).median for s in samples]
    margin_low = (med[1] - med[0]) / (mid.n - first.n)
    margin_high = (med[2] - med[1]) / (last.n - mid.n)
    overall = (med[2] - med[0]) / (last.n - first.n)
    grows = margin_high > 1.5 * margin_low and margin_high - margin_low > 0.001
    verdict = (
        "the marginal cost grows: superlinear"
        if grows
        else "the marginal cost does not grow: linear (or better)"
    )
    return Result(
        key=key,
        title=title,
        baseline=Series(f"{first.n} instance", "s", samples[0]),
        subject=Series(f"{last.n} instances", "s", samples[2]),
        measure="ratio",
        limit=float(last.n),
        target=f"grows no faster than linearly (ratio under {last.n})",
        notes=[
            f"Medians: {_ms(med[0])} at {first.n}, {_ms(med[1])} at {mid.n}, {_ms(med[2])} at "
            f"{last.n}; marginal cost per instance {_ms(margin_low)} ({first.n}→{mid.n}) and "
            f"{_ms(margin_high)} ({mid.n}→{last.n}): {verdict}.",
            *(notes or []),
        ],
        extra={
            f"median at {mid.n} (min–max)": _spread(samples[1]),
            f"ratio {mid.n}/{first.n}": med[1] / med[0],
            f"marginal s per instance {first.n}→{mid.n}": margin_low,
            f"marginal s per instance {mid.n}→{last.n}": margin_high,
            f"marginal s per instance {first.n}→{last.n}": overall,
            **(extra or {}),
        },
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if abs(seconds) < 1 else f"{seconds:.2f} s"


def _spread(samples: list[float]) -> str:
    s = Series("", "s", samples)
    return f"{_ms(s.median)} ({_ms(s.low)}–{_ms(s.high)})"


def run(quick: bool = False) -> list[Result]:
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    homes: list[Home] = []
    has_crontab = shutil.which("crontab") is not None
    before = Crontab.read() if has_crontab else None
    try:
        log_text = _genuine_log(root)
        homes = [make_home(root, n, log_text) for n in (QUICK_SIZES if quick else SIZES)]
        repeat = 3 if quick else 5
        results = []
        if before is not None:
            results.append(_bench_sync(homes, repeat, before))
        results.append(_bench_status(homes, repeat))
        results.append(_bench_window(homes, repeat))
        return results
    finally:
        if before is not None:
            restored = _restore(homes, before)
            if restored:
                print(f"scale: {restored}", file=sys.stderr)
        shutil.rmtree(root, ignore_errors=True)


def _restore(homes: list[Home], before: Crontab) -> str | None:
    strip_ours({h.tag for h in homes})
    after = Crontab.read()
    if after == before:
        return None
    _install_table(before.stdout if before.returncode == 0 else "")
    again = Crontab.read()
    state = "now identical" if again == before else "STILL DIFFERENT"
    return f"root's crontab differed after removing our blocks; the backup was put back ({state})"


def _bench_sync(homes: list[Home], repeat: int, before: Crontab) -> Result:
    if before.returncode != 0 and "no crontab for" not in before.stderr:
        raise RuntimeError(f"crontab -l failed: {before.stderr}")
    tags = {h.tag for h in homes}
    if strip_ours(tags):
        raise RuntimeError("root's crontab already held blocks of our fresh homes")
    subjects: list[Callable[[], object]] = []
    prepare: list[Callable[[], object] | None] = []
    for home in homes:
        subjects.append(lambda h=home: cli(h.path, "schedule", "sync", env=h.env))
        prepare.append(lambda h=home: strip_ours({h.tag}))
    # The install pass, checked once: every instance got its block.
    for home, subject, chore in zip(homes, subjects, prepare, strict=True):
        assert chore is not None
        chore()
        subject()
        if _count_ours(home.tag) != home.n:
            raise RuntimeError(f"schedule sync installed {_count_ours(home.tag)} of {home.n} jobs")
    samples = interleave(subjects, repeat, warmup=0, prepare=prepare)
    # The same pass when every job is already in place (nothing is written): reported only.
    in_sync = interleave(subjects, max(3, repeat // 2), warmup=0)
    strip_ours(tags)
    restored = _restore(homes, before)
    notes = [
        "Each sample starts with no job of that home in root's crontab: every job is installed "
        "(one `crontab -l` to inspect, then read, write and read back per instance)."
    ]
    if restored:
        notes.append(restored)
    else:
        notes.append("root's crontab was byte for byte as before at the end.")
    notes += [
        "Profile (pyinstrument, 200 instances), before: `schedule sync` reloaded instances.json "
        "for every instance (manage.repair_job), and each load parses all 200 schedules: "
        "quadratic, 2.8 s of a 5.4 s profiled install pass and 2.8 s of 3.6 s when all was in "
        "sync. Fixed: cmd_sync hands repair_job the config it loaded. This benchmark run just "
        "before and just after the fix (same machine, same hour), 200 instances: install pass "
        "3.28 s → 2.16 s (marginal cost per instance 12.5 ms (1→50) and 17.2 ms (50→200) "
        "before, 11.5 and 10.0 ms after), in-sync pass 1.71 s → 0.58 s.",
        "What is left per installed job (~10 ms, constant): four `crontab` processes (the "
        "inspection's -l, install's -l, the write, the read-back -l), ~6 ms, and "
        "cron_daemon_running() scanning every process with psutil, ~3 ms. Left as they are: "
        "they are the backend's safety checks (never write on a failed read, verify what was "
        "written, warn when no daemon runs).",
    ]
    return _linear(
        "scale.schedule_sync",
        f"`schedule sync` (real crontab), {homes[-1].n} instances vs 1",
        homes,
        samples,
        extra={
            f"already in sync, median at {h.n} (min–max)": _spread(s)
            for h, s in zip(homes, in_sync, strict=True)
        },
        notes=notes,
    )


def _bench_status(homes: list[Home], repeat: int) -> Result:
    for home in homes:
        items = json.loads(cli(home.path, "status", "--json", env=home.env))
        if len(items) != home.n or any(i["state"] != "ok" for i in items):
            raise RuntimeError(f"unexpected status of {home.path}: {items[:2]}")
    samples = interleave(
        [lambda h=home: cli(h.path, "status", "--json", env=h.env) for home in homes], repeat
    )
    return _linear(
        "scale.status",
        f"`status --json`, {homes[-1].n} instances vs 1",
        homes,
        samples,
        notes=[
            "Profile (pyinstrument, 200 instances): ~0.55 ms per instance in-process, linear, "
            "nothing to fix; under the profiler (which roughly doubles them) the schedule's "
            "words (cron-descriptor) ~0.4 ms, the next 5 runs (cronsim) ~0.35 ms and the log's "
            "tail ~0.3 ms per instance; one `crontab -l` for all (ReadCache). The fixed part is "
            "Python's start-up and imports (~90 ms).",
        ],
    )


def _bench_window(homes: list[Home], repeat: int) -> Result:
    inner: dict[int, list[float]] = {h.n: [] for h in homes}
    part: dict[int, list[float]] = {h.n: [] for h in homes}
    samples = interleave(
        [lambda h=home: _window_sample(h, inner, part) for home in homes],
        repeat,
        self_timed=True,
    )
    # The warm-up's figures are not samples.
    for n, values in inner.items():
        del values[0], part[n][0]
    return _linear(
        "scale.window",
        f"window opening (offscreen, rows filled), {homes[-1].n} instances vs 1",
        homes,
        samples,
        extra={
            **{f"in-process part at {n} (min–max)": _spread(v) for n, v in inner.items()},
            **{f"Controller + window part at {n} (min–max)": _spread(v) for n, v in part.items()},
        },
        notes=[
            "Timed from the process start until the window is exposed with all rows filled; "
            "the in-process part starts at the driver's first line (imports included), the "
            "Controller + window part at the Controller's creation.",
            "Profile (pyinstrument, 200 instances): the Controller's first snapshot is 0.28 s "
            "of 0.53 s profiled; per row, jobs.inspect 75 % (the schedule's words and next "
            "runs), the status from the log 15 %, data.json 7 %; the table itself (model data, "
            "icons) ~10 ms. The fixed part is PySide6's import and the QApplication (~200 ms).",
        ],
    )


if __name__ == "__main__":
    sys.exit(module_main("python -m bench.scale", run))

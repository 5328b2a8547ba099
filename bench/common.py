"""What every benchmark shares: timing, repeated samples, and the result format.

A figure is always a ratio against a baseline measured in the same run, from the median of
several samples (these machines are shared and noisy); min and max are kept to show the spread.
Baseline and subject samples are taken alternately, so a burst of noise hits both.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


@dataclass
class Series:
    """Samples of one measured thing, in ``unit``."""

    label: str
    unit: str
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "median": self.median, "min": self.low, "max": self.high}


@dataclass
class Result:
    """One comparison: ``subject`` against ``baseline``, and the target it must meet.

    ``measure`` names the figure the target is about: "ratio" (subject / baseline medians),
    "overhead" (subject - baseline, in the series' unit), "overhead_pct" (100 * (s - b) / b),
    or "value" (the subject's median alone, e.g. idle CPU in %).
    """

    key: str  # stable id, e.g. "runner.instant"
    title: str
    baseline: Series | None
    subject: Series
    measure: str
    limit: float | None  # the target: the figure must be below it (None: reported only)
    target: str  # the target in words, as the issue states it
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def figure(self) -> float:
        s = self.subject.median
        b = self.baseline.median if self.baseline else 0.0
        if self.measure == "ratio":
            return s / b if b else float("inf")
        if self.measure == "overhead":
            return s - b
        if self.measure == "overhead_pct":
            return 100.0 * (s - b) / b if b else float("inf")
        return s

    @property
    def met(self) -> bool | None:
        return None if self.limit is None else self.figure < self.limit

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "baseline": self.baseline.to_json() if self.baseline else None,
            "subject": self.subject.to_json(),
            "measure": self.measure,
            "figure": self.figure,
            "limit": self.limit,
            "met": self.met,
            "target": self.target,
            "notes": self.notes,
            "extra": self.extra,
        }


def series_from_json(raw: dict[str, Any] | None) -> Series | None:
    if raw is None:
        return None
    return Series(raw["label"], raw["unit"], [float(x) for x in raw["samples"]])


def result_from_json(raw: dict[str, Any]) -> Result:
    """A Result written by `Result.to_json` (e.g. `python -m bench.tray_weight --json FILE`)."""
    subject = series_from_json(raw["subject"])
    assert subject is not None
    return Result(
        raw["key"],
        raw["title"],
        series_from_json(raw["baseline"]),
        subject,
        raw["measure"],
        raw["limit"],
        raw["target"],
        list(raw.get("notes", [])),
        dict(raw.get("extra", {})),
    )


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternate(
    baseline: Callable[[], object],
    subject: Callable[[], object],
    repeat: int,
    warmup: int = 1,
) -> tuple[list[float], list[float]]:
    """Wall-clock seconds of ``repeat`` runs of each, taken in turn (B, S, B, S, ...)."""
    for _ in range(warmup):
        baseline()
        subject()
    b: list[float] = []
    s: list[float] = []
    for _ in range(repeat):
        b.append(timed(baseline))
        s.append(timed(subject))
    return b, s


def interleave(
    subjects: Sequence[Callable[[], object]],
    repeat: int,
    warmup: int = 1,
    prepare: Sequence[Callable[[], object] | None] | None = None,
    self_timed: bool = False,
) -> list[list[float]]:
    """Like ``alternate`` for any number of subjects: ``repeat`` runs of each, in turn
    (A, B, C, A, B, C, ...). ``prepare[i]`` (untimed) runs before every run of ``subjects[i]``,
    warm-ups included, so each sample starts from the same state. ``self_timed``: the subjects
    return their own figure (a float) instead of being timed here."""
    chores = list(prepare) if prepare is not None else [None] * len(subjects)

    def one(i: int) -> float:
        chore = chores[i]
        if chore is not None:
            chore()
        if self_timed:
            return float(subjects[i]())  # type: ignore[arg-type]
        return timed(subjects[i])

    for _ in range(warmup):
        for i in range(len(subjects)):
            one(i)
    samples: list[list[float]] = [[] for _ in subjects]
    for _ in range(repeat):
        for i in range(len(subjects)):
            samples[i].append(one(i))
    return samples


def run(argv: Sequence[str], env: dict[str, str] | None = None, **kw: Any) -> str:
    """Run a command that must succeed; its stdout."""
    done = subprocess.run(
        list(argv),
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        **kw,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def cli(home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """`bwdc-tray --home HOME ARGS...` as a user runs it (a process of its own)."""
    return run([PY, "-m", "bwdc_tray", "--home", str(home), *args], env=env)


def bench_env(home: Path) -> dict[str, str]:
    """The environment of a benchmark: its own home, a file keyring, no GUI, no colour."""
    return {
        "BWDC_TRAY_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "tests.fakes.keyring_backend.FileKeyring",
        "FAKE_KEYRING_FILE": str(home / "keyring.json"),
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
    }


def module_main(prog: str, bench: Callable[[bool], list[Result]]) -> int:
    """`python -m bench.MODULE [--quick] [--json FILE]`: one module alone, its results printed
    (and written as JSON for `python -m bench --include FILE`)."""
    import argparse
    import json

    from bench.report import one_line

    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--quick", action="store_true", help="few samples, small sizes")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args()
    t0 = time.monotonic()
    found = bench(args.quick)
    for result in found:
        print(one_line(result))
        print(json.dumps(result.to_json(), indent=2))
    print(f"({time.monotonic() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps([r.to_json() for r in found], indent=1) + "\n")
    return 0

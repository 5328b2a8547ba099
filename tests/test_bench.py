"""The benchmarks run and report; their figures are never asserted here (noisy machines)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import report
from bench.common import Result, Series

REPO = Path(__file__).resolve().parents[1]


def _results() -> list[Result]:
    return [
        Result(
            "runner.instant",
            "Runner overhead, instant bwdc",
            Series("recipe", "s", [0.080, 0.070, 0.090]),
            Series("bwdc-tray run", "s", [0.200, 0.220, 0.210]),
            "overhead",
            0.150,
            "< 150 ms",
            notes=["keyring discovery: 74 ms"],
        ),
        Result(
            "tray.idle_cpu",
            "Tray idle CPU",
            Series("minimal tray", "%", [0.01, 0.02]),
            Series("bwdc-tray", "%", [0.7, 0.8]),
            "value",
            0.5,
            "< 0.5 %",
        ),
    ]


def test_results_md_shows_medians_spread_figures_and_verdicts(tmp_path: Path) -> None:
    results = _results()
    assert results[0].figure == pytest.approx(0.130)
    assert results[0].met is True and results[1].met is False
    machine = report.machine_facts()
    assert machine["cores"] and machine["python"]
    text = report.markdown(results, {"scale": "no crontab here"}, machine, quick=False, plot=None)
    dash = "\N{EN DASH}"
    assert (
        f"| Runner overhead, instant bwdc | recipe: 80.0 ms (70.0 ms{dash}90.0 ms, n=3) |" in text
    )
    assert "+130.0 ms" in text and "**met**" in text
    assert "0.75 %" in text and "**missed**" in text
    assert "**scale could not run here:** no crontab here" in text
    assert "- keyring discovery: 74 ms" in text
    assert "- tray.idle_cpu: 0.75 % (target: < 0.5 %) **missed**" in text


def test_the_chart_is_drawn(tmp_path: Path) -> None:
    path = tmp_path / "targets.png"
    assert report.plot_targets(_results(), path)
    assert path.read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_a_quick_run_of_the_cli_benchmarks_writes_results(tmp_path: Path) -> None:
    if shutil.which("crontab") is None:
        pytest.skip("needs cron's crontab (apt install cron)")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--only",
            "runner_overhead",
            "status_cost",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    keys = {r["key"] for r in data["results"]}
    assert {"runner.instant", "runner.slow", "runner.calls", "status.log_size"} <= keys
    assert data["quick"] is True and not data["problems"]
    assert "# Benchmark results" in (tmp_path / "RESULTS.md").read_text(encoding="utf-8")

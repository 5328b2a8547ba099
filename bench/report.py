"""RESULTS.md, results.json and the targets chart, from the benchmarks' Results."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, Result, Series

MEASURE_WORDS = {
    "ratio": "ratio",
    "overhead": "overhead",
    "overhead_pct": "overhead",
    "value": "value",
}


def machine_facts() -> dict[str, Any]:
    import psutil

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    try:
        from PySide6 import __version__ as pyside
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {pyside}, Qt {qVersion()}"
    except ImportError:
        qt = "PySide6 not installed"
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit, dirty = "", ""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "os": f"{platform.system()} {platform.release()} ({platform.platform()})",
        "python": sys.version.split()[0],
        "qt": qt,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "commit": commit + (" (with local changes)" if dirty else ""),
    }


def amount(value: float, unit: str) -> str:
    """A value in its unit, scaled for reading: 0.0123 s -> 12.3 ms, 2**20 B -> 1.0 MB."""
    if unit == "s":
        if abs(value) < 1:
            return f"{value * 1000:.1f} ms"
        return f"{value:.2f} s"
    if unit == "B":
        for size, name in ((2**30, "GB"), (2**20, "MB"), (2**10, "KB")):
            if abs(value) >= size:
                return f"{value / size:.1f} {name}"
        return f"{value:.0f} B"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "calls":
        return f"{value:g} calls"
    return f"{value:.3g} {unit}"


def spread(series: Series | None) -> str:
    if series is None:
        return "—"
    return (
        f"{amount(series.median, series.unit)} "
        f"({amount(series.low, series.unit)}–{amount(series.high, series.unit)}, "
        f"n={len(series.samples)})"
    )


def figure_text(result: Result) -> str:
    if result.measure == "ratio":
        return f"{result.figure:.2f}×"
    if result.measure == "overhead":
        return f"+{amount(result.figure, result.subject.unit)}"
    if result.measure == "overhead_pct":
        return f"{result.figure:+.1f} %"
    return amount(result.figure, result.subject.unit)


def verdict(result: Result) -> str:
    if result.met is None:
        return "reported"
    return "**met**" if result.met else "**missed**"


def one_line(result: Result) -> str:
    return f"{result.key}: {figure_text(result)} (target: {result.target}) {verdict(result)}"


def markdown(
    results: list[Result],
    problems: dict[str, str],
    machine: dict[str, Any],
    *,
    quick: bool,
    plot: Path | None,
) -> str:
    out = [
        "# Benchmark results",
        "",
        "Written by `python -m bench`"
        + (
            " **--quick** (a smoke run: few samples, small sizes; not the figures to quote)"
            if quick
            else ""
        )
        + ". Every figure compares bwdc-tray with a baseline measured in the same run, from the "
        "median of several samples taken in turn; min–max show the spread. See bench/README.md "
        "for what each benchmark does.",
        "",
        "| machine | |",
        "|---|---|",
    ]
    for key in ("date", "os", "cpu", "cores", "memory_gb", "load_1min", "python", "qt", "commit"):
        out.append(f"| {key.replace('_', ' ')} | {machine.get(key, '')} |")
    out += [
        "",
        "| benchmark | baseline: median (min–max) | bwdc-tray: median (min–max) | figure | target "
        "| |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        base = f"{r.baseline.label}: {spread(r.baseline)}" if r.baseline else "—"
        out.append(
            f"| {r.title} | {base} | {spread(r.subject)} | {figure_text(r)} | {r.target} "
            f"| {verdict(r)} |"
        )
    if plot is not None:
        out += ["", f"![Each figure as a share of its target (below 1 meets it)]({plot.name})"]
    for name, problem in problems.items():
        out += ["", f"**{name} could not run here:** {problem}"]
    noted = [r for r in results if r.notes or r.extra]
    if noted:
        out += ["", "## Notes and findings"]
    for r in noted:
        out += ["", f"### {r.title} (`{r.key}`)", ""]
        out += [f"- {note}" for note in r.notes]
        for key, value in r.extra.items():
            out.append(f"- {key}: {_plain(value)}")
    missed = [r for r in results if r.met is False]
    out += ["", "## Targets missed", ""]
    if missed:
        out += [f"- {one_line(r)}: see its notes above for the cause." for r in missed]
    else:
        out.append("None." if results else "No benchmark ran.")
    return "\n".join(out) + "\n"


def _plain(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def plot_targets(results: list[Result], path: Path) -> bool:
    """A bar per target: the figure as a share of its limit (the line at 1 is the target).

    Drawn with QPainter on an image, so it needs no plotting library; False when there is
    nothing to draw or Qt cannot load.
    """
    rows = [r for r in results if r.limit]
    if not rows:
        return False
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen
    except ImportError:
        return False
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    bar_h, gap, left, right, top = 26, 10, 330, 260, 50
    width = 1100
    height = top + len(rows) * (bar_h + gap) + 50
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(14)
    p.setFont(font)
    p.setPen(QColor("#202020"))
    p.drawText(
        QRectF(10, 8, width - 20, 30), "Each figure as a share of its target (below 1 meets it)"
    )
    span = max(1.5, max(min(r.figure / r.limit, 3.0) for r in rows if r.limit) * 1.1)
    plot_w = width - left - right

    def x_of(share: float) -> float:
        return left + plot_w * min(share, span) / span

    for i, r in enumerate(rows):
        assert r.limit is not None
        y = top + i * (bar_h + gap)
        share = max(r.figure, 0.0) / r.limit
        p.setPen(QColor("#202020"))
        p.drawText(
            QRectF(10, y, left - 20, bar_h),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            r.title,
        )
        colour = QColor("#2e7d32" if r.met else "#c62828")
        p.fillRect(QRectF(left, y, max(2.0, x_of(share) - left), bar_h), colour)
        p.drawText(
            QRectF(left + plot_w + 12, y, right - 12, bar_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            f"{figure_text(r)}  (target {r.target})",
        )
    p.setPen(QPen(QColor("#000000"), 2, Qt.PenStyle.DashLine))
    p.drawLine(int(x_of(1.0)), top - 6, int(x_of(1.0)), height - 40)
    p.setPen(QColor("#202020"))
    p.drawText(
        QRectF(x_of(1.0) - 40, height - 36, 80, 20), int(Qt.AlignmentFlag.AlignCenter), "target"
    )
    p.end()
    return image.save(str(path))

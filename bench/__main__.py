"""`python -m bench [--quick] [--only NAME ...]`: run the benchmarks, write bench/RESULTS.md."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path

from bench import report
from bench.common import REPO, Result, result_from_json

# In the order they run: the cheap ones first, so a failure shows early.
MODULES = ("runner_overhead", "status_cost", "scale", "tray_weight")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="few samples and small sizes: a smoke run"
    )
    parser.add_argument("--only", nargs="+", choices=MODULES, metavar="NAME", help="run only these")
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "bench",
        help="where RESULTS.md, results.json and targets.png go (default: bench/)",
    )
    parser.add_argument(
        "--include",
        type=Path,
        nargs="+",
        default=[],
        metavar="JSON",
        help="add results measured by a separate run of one module (`python -m bench.MODULE "
        "--json FILE`) on this machine",
    )
    args = parser.parse_args(argv)
    started = time.time()
    results: list[Result] = []
    problems: dict[str, str] = {}
    for name in args.only or MODULES:
        print(f"== {name}", flush=True)
        t0 = time.monotonic()
        try:
            module = importlib.import_module(f"bench.{name}")
            got = module.run(quick=args.quick)
        except Exception as exc:  # one benchmark that cannot run must not hide the others
            problems[name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
            continue
        for result in got:
            print(f"   {report.one_line(result)}", flush=True)
        results.extend(got)
        print(f"   ({time.monotonic() - t0:.0f} s)", flush=True)
    for path in args.include:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for item in raw if isinstance(raw, list) else raw["results"]:
            result = result_from_json(item)
            result.notes.append("Measured in a separate run of its module on the same machine.")
            results.append(result)
    args.out.mkdir(parents=True, exist_ok=True)
    machine = report.machine_facts()
    (args.out / "results.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "quick": args.quick,
                "started": started,
                "results": [r.to_json() for r in results],
                "problems": problems,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    plot = args.out / "targets.png"
    drawn = report.plot_targets(results, plot)
    (args.out / "RESULTS.md").write_text(
        report.markdown(results, problems, machine, quick=args.quick, plot=plot if drawn else None),
        encoding="utf-8",
    )
    print(f"wrote {args.out / 'RESULTS.md'}")
    missed = [r.key for r in results if r.met is False]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the frozen app with PyInstaller, report its size, and optionally smoke-test and pack it.

    python installer/build.py [--smoke] [--archive] [--dist DIR] [--work DIR]

Makes DIST/bwdc-tray/ (and DIST/bwdc-tray.app on macOS) from installer/bwdc-tray.spec. The same
script runs on Linux, Windows and macOS; the installers start from its output
(installer/windows/bwdc-tray.iss, installer/macos/make_dmg.sh).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "bwdc-tray.spec"
sys.path.insert(0, str(ROOT))

from bwdc_tray import __version__  # noqa: E402


def tree_size(path: Path) -> tuple[int, int]:
    """Bytes and files under path; links are counted as links, not as what they point at."""
    total = count = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            count += 1
    return total, count


def mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def size_report(bundle: Path) -> list[str]:
    total, count = tree_size(bundle)
    lines = [f"bundle: {bundle} {mb(total)} in {count} files"]
    internal = bundle / "_internal"
    if not internal.is_dir():  # an .app keeps it under Contents/
        internal = bundle / "Contents" / "Frameworks"
    parts = []
    if internal.is_dir():
        for child in internal.iterdir():
            size = tree_size(child)[0] if child.is_dir() else child.lstat().st_size
            parts.append((size, child.name))
    for size, name in sorted(parts, reverse=True)[:6]:
        lines.append(f"  {mb(size):>9}  {name}")
    return lines


def archive(bundle: Path, dist: Path) -> Path:
    """The bundle as one file for a release: .zip on Windows, .tar.gz elsewhere (keeps modes
    and links). macOS ships a .dmg instead (installer/macos/make_dmg.sh)."""
    machine = platform.machine().lower().replace("amd64", "x86_64")
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    stem = dist / f"bwdc-tray-{__version__}-{system}-{machine}"
    if sys.platform == "win32":
        target = stem.with_suffix(".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(bundle.rglob("*")):
                zf.write(path, Path("bwdc-tray") / path.relative_to(bundle))
        return target
    target = Path(f"{stem}.tar.gz")
    with tarfile.open(target, "w:gz", compresslevel=6) as tf:
        tf.add(bundle, arcname="bwdc-tray")
    return target


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit("build.py: PyInstaller is not installed here: pip install pyinstaller")
    argv = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(dist), "--workpath", str(work), str(SPEC)]  # fmt: skip
    started = time.monotonic()
    subprocess.run(argv, check=True, cwd=ROOT)
    print(f"built bwdc-tray {__version__} in {time.monotonic() - started:.0f} s")
    return dist / "bwdc-tray"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--smoke", action="store_true", help="run installer/smoke.py on it")
    parser.add_argument("--archive", action="store_true", help="pack it as .tar.gz or .zip")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    shutil.rmtree(dist / "bwdc-tray", ignore_errors=True)  # never a mix of two builds
    bundle = build(dist, work)
    app = dist / "bwdc-tray.app"
    shipped = app if sys.platform == "darwin" and app.is_dir() else bundle
    for line in size_report(shipped):
        print(line)
    if args.archive and shipped is bundle:
        packed = archive(bundle, dist)
        print(f"archive: {packed} {mb(packed.stat().st_size)}")
    if args.smoke:
        from installer import smoke

        failed = smoke.main([str(shipped)])
        if failed:
            print(f"smoke test: {failed} check(s) failed", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

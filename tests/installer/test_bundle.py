"""The frozen app, built here with installer/build.py and smoke-tested like a new user would."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from bwdc_tray import __version__

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from installer import smoke  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason="needs PyInstaller (pip install -e '.[test]' brings it)",
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One build for the module: ~15 s, then each check runs against it."""
    root = tmp_path_factory.mktemp("build")
    done = subprocess.run(
        [sys.executable, str(REPO / "installer" / "build.py"), "--archive",
         "--dist", str(root / "dist"), "--work", str(root / "work")],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    bundle = root / "dist" / ("bwdc-tray.app" if sys.platform == "darwin" else "bwdc-tray")
    return bundle, done.stdout


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("smoke") / "home"


# In smoke.CHECKS' order, on one home, as installer/smoke.py runs them: the demo makes the home
# the later checks use.
@pytest.mark.parametrize(("name", "check"), smoke.CHECKS, ids=[n for n, _ in smoke.CHECKS])
def test_the_built_app_passes_the_smoke_check(
    built: tuple[Path, str], home: Path, name: str, check: smoke.Check
) -> None:
    bundle, _ = built
    if name not in ("--version", "demo") and not home.exists():
        smoke.check_demo(bundle, home)  # run on its own (-k): make the home first
    assert check(bundle, home)


def test_one_bundle_holds_the_gui_the_cli_and_the_runner(built: tuple[Path, str]) -> None:
    bundle, _ = built
    for name in ("bwdc-tray", "bwdc-tray-gui", "bwdc-tray-runner"):
        assert smoke.program(bundle, name).is_file(), name
    # ...sharing one copy of Python and Qt.
    assert len(list(bundle.rglob("libpython3*"))) <= 2  # the library and, on Linux, its link


def test_the_build_reports_its_size_and_packs_an_archive(built: tuple[Path, str]) -> None:
    bundle, output = built
    line = next(x for x in output.splitlines() if x.startswith("bundle: "))
    assert " MB in " in line and " files" in line
    archive = bundle.parent / f"bwdc-tray-{__version__}-linux-x86_64.tar.gz"
    if sys.platform.startswith("linux") and archive.exists():
        with tarfile.open(archive) as tf:
            names = tf.getnames()
        assert "bwdc-tray/bwdc-tray-runner" in names
        assert f"archive: {archive}" in output


def test_nothing_in_the_bundle_is_a_dangling_link(built: tuple[Path, str]) -> None:
    bundle, _ = built
    dangling = [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []

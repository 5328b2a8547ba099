"""`pipx install` of this checkout, as a Linux user installs it: the commands, the translations,
and scheduled jobs that start the pipx environment's own Python."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bwdc_tray import __version__
from tests.support.platforms import linux_only

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    linux_only("pipx as Linux users run it: bin/ scripts and a cron job line"),
    pytest.mark.skipif(
        importlib.util.find_spec("pipx") is None,
        reason="needs pipx (pip install -e '.[test]' brings it)",
    ),
]


@pytest.fixture(scope="module")
def pipx_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pipx")
    env = {**os.environ, "PIPX_HOME": str(root / "home"), "PIPX_BIN_DIR": str(root / "bin")}
    env.pop("PIP_REQUIRE_VIRTUALENV", None)
    done = subprocess.run(
        [sys.executable, "-m", "pipx", "install", str(REPO)],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "bin"


def _run(program: Path, *args: str) -> str:
    done = subprocess.run(
        [str(program), *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_pipx_install_gives_the_cli_and_the_gui(pipx_bin: Path) -> None:
    assert _run(pipx_bin / "bwdc-tray", "--version").strip() == f"bwdc-tray {__version__}"
    assert (pipx_bin / "bwdc-tray-gui").is_file()


def test_the_pipx_install_runs_the_demo_and_schedules_its_own_python(
    pipx_bin: Path, tmp_path: Path
) -> None:
    cli = pipx_bin / "bwdc-tray"
    home = str(tmp_path / "demo")
    out = _run(cli, "--home", home, "demo", "--no-gui")
    assert "ok: Synced 5 group(s) and 20 user(s)." in out
    assert f"{cli} --home {home} status --json" in out  # not on PATH: the full path to type
    _run(cli, "--home", home, "schedule", "set", "corp-ad", "daily 03:00", "--no-apply")
    artifact = _run(cli, "--home", home, "schedule", "render", "corp-ad", "--backend", "cron")
    job = next(line for line in artifact.splitlines() if not line.startswith("#"))
    python = job.split()[5]
    assert "/venvs/bwdc-tray/bin/python" in python  # pipx's environment, which pipx upgrade keeps
    assert job.split()[6:9] == ["-P", "-m", "bwdc_tray"]


def test_the_pipx_install_ships_the_french_translation(pipx_bin: Path) -> None:
    # Found through the installed package, not this checkout.
    python = next((pipx_bin.parent / "home" / "venvs" / "bwdc-tray" / "bin").glob("python3*"))
    found = subprocess.run(
        [str(python), "-c", "import bwdc_tray.gui, json, pathlib; "
         "print(json.dumps(sorted(p.name for p in "
         "(pathlib.Path(bwdc_tray.gui.__file__).parent / 'i18n').glob('*.qm'))))"],
        capture_output=True, text=True, timeout=60, check=True, cwd="/",
    )  # fmt: skip
    assert json.loads(found.stdout) == ["bwdc_tray_fr.qm"]

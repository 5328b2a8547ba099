"""What the frozen app's programs start, checked without building it (tests/installer builds it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bwdc_tray import autostart, bundle
from bwdc_tray import bwdc as bwdc_mod
from bwdc_tray.config import Instance
from bwdc_tray.paths import Paths, cli_program, resolve
from bwdc_tray.schedule.jobs import spec_for

APP = Path("/opt/bwdc tray")  # a space: the paths must come out quoted where quoting applies


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Path:
    """As if running from the bundle, started as its GUI program."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(APP / "bwdc-tray-gui"))
    monkeypatch.setattr(sys, "platform", "linux")
    return APP


@pytest.mark.parametrize(
    ("executable", "argv", "expected"),
    [
        ("/opt/app/bwdc-tray-gui", ["bwdc-tray-gui"], "gui"),
        (r"C:\Program Files\bwdc-tray\bwdc-tray-gui.exe", ["x"], "gui"),
        ("/Applications/bwdc-tray.app/Contents/MacOS/bwdc-tray-gui", ["x", "--window"], "gui"),
        ("/opt/app/bwdc-tray", ["bwdc-tray", "status"], "cli"),
        ("/opt/app/bwdc-tray-runner", ["bwdc-tray-runner", "run", "corp"], "cli"),
        (
            "/opt/app/bwdc-tray",
            ["bwdc-tray", "--run-python-file", "/x/sim.py", "login"],
            "python-file",
        ),
    ],
)
def test_each_program_of_the_bundle_knows_its_role(
    executable: str, argv: list[str], expected: str
) -> None:
    assert bundle.role(executable.replace("\\", "/"), argv) == expected


def test_jobs_start_the_windowless_runner_of_the_bundle(frozen: Path, tmp_path: Path) -> None:
    paths = resolve(tmp_path / "home")
    inst = Instance(name="corp", appdata=tmp_path / "corp", schedule="0 3 * * *")
    spec = spec_for(paths, inst)
    assert spec is not None
    # Whichever program asks (here the GUI), the job starts the runner, with no Python and no -P.
    assert spec.command[0] == str(frozen / "bwdc-tray-runner")
    assert spec.command[1:] == ("--home", str(paths.home), "run", "corp", "--trigger", "schedule")


def test_the_login_item_starts_the_tray_through_the_runner(frozen: Path, tmp_path: Path) -> None:
    assert autostart.tray_command(Paths(tmp_path, tmp_path)) == [
        str(frozen / "bwdc-tray-runner"),
        "tray",
    ]


def test_a_python_bwdc_runs_with_the_bundles_own_interpreter(frozen: Path) -> None:
    assert bwdc_mod.command("/x/simbwdc.py") == [
        str(frozen / "bwdc-tray"),
        "--run-python-file",
        "/x/simbwdc.py",
    ]
    assert bwdc_mod.command("/usr/local/bin/bwdc") == ["/usr/local/bin/bwdc"]


def test_suggested_commands_name_the_bundles_cli_when_path_does_not(
    frozen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli_program() == "'/opt/bwdc tray/bwdc-tray'"
    home = Paths(Path("/h"), Path("/h/state"), home=Path("/h"))
    assert home.cli() == "'/opt/bwdc tray/bwdc-tray' --home /h"


def test_outside_the_bundle_suggested_commands_say_bwdc_tray() -> None:
    assert cli_program() == "bwdc-tray"  # run by pytest: not a program called bwdc-tray


def test_run_python_file_runs_the_file_with_its_arguments_and_exit_code(tmp_path: Path) -> None:
    script = tmp_path / "sim.py"
    script.write_text("import sys\nprint(sys.argv)\nsys.exit(3)\n")
    code = (
        "import sys; sys.frozen = True; "
        f"sys.argv = ['bwdc-tray', '--run-python-file', {str(script)!r}, 'login', '--response']; "
        "from bwdc_tray.bundle import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 3
    assert done.stdout.strip() == repr([str(script), "login", "--response"])


def test_the_demo_points_at_the_simulators_source_file() -> None:
    from bwdc_tray.demo.setup import _simulator

    # In the bundle the module's __file__ is a .pyc in the archive; the spec ships the .py.
    assert _simulator("/b/_internal/bwdc_tray/demo/simbwdc.pyc").name == "simbwdc.py"


@pytest.mark.parametrize(
    "executable",
    [
        "/Volumes/bwdc-tray 0.1.0/bwdc-tray.app/Contents/MacOS/bwdc-tray-gui",
        "/private/var/folders/x/AppTranslocation/1F2E/d/bwdc-tray.app/Contents/MacOS/bwdc-tray-gui",
    ],
)
def test_no_job_or_login_item_names_an_app_run_from_its_dmg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, executable: str
) -> None:
    from bwdc_tray.errors import EnvironmentProblem

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", executable)
    monkeypatch.setattr(sys, "platform", "darwin")
    inst = Instance(name="corp", appdata=tmp_path / "corp", schedule="0 3 * * *")
    with pytest.raises(EnvironmentProblem, match="Applications"):
        spec_for(resolve(tmp_path / "home"), inst)
    with pytest.raises(EnvironmentProblem, match="Applications"):
        autostart.set_enabled(resolve(tmp_path / "home"), True, folder=tmp_path / "agents")
    assert not (tmp_path / "agents").exists()
    # From /Applications (or from a venv) it is fine.
    monkeypatch.setattr(sys, "executable", "/Applications/bwdc-tray.app/Contents/MacOS/x")
    assert spec_for(resolve(tmp_path / "home"), inst) is not None


def test_a_crash_of_the_windowless_runner_is_logged_not_shown(tmp_path: Path) -> None:
    # No console (stderr is None): a traceback must not become a message box nobody sees.
    code = (
        "import sys, tempfile; sys.frozen = True; sys.stderr = None; "
        f"tempfile.tempdir = {str(tmp_path)!r}; "
        "sys.argv = ['bwdc-tray-runner', '--version']; "
        "import bwdc_tray.cli as cli; cli.run_program = lambda: 1 / 0; "
        "from bwdc_tray.bundle import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == bundle.CRASH_EXIT
    log = (tmp_path / "bwdc-tray-runner-crash.log").read_text()
    assert "ZeroDivisionError" in log and "'--version'" in log

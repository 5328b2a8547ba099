"""The project's own promises: lint, types, and a CI that runs the README's test command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.platforms import linux_only

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    which = shutil.which(name)
    if which is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return which


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```(?:sh|bash)\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_two_commands_and_ci_runs_the_test_one() -> None:
    demo, tests = _readme_commands()
    assert "bwdc-tray demo" in demo
    assert "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert tests.strip() in ci.splitlines()


def test_ruff_lint_and_format() -> None:
    ruff = _tool("ruff")
    lint = subprocess.run(
        [ruff, "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [ruff, "format", "--no-cache", "--check", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


# mypy checks the platform it runs on, and the config is Linux's: on Windows and macOS,
# warn_unreachable flags the code after each `if sys.platform …: return`. CI's lint job runs it.
@linux_only("mypy --strict, configured for Linux's view of the sys.platform branches")
@pytest.mark.slow
def test_mypy_strict_on_the_engine() -> None:
    mypy = _tool("mypy")
    res = subprocess.run([mypy], cwd=REPO, capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_version_is_written_once_and_everything_reports_it() -> None:
    """`bwdc_tray.__version__` is the one place: the package metadata and `--version` read it,
    and the CHANGELOG's newest release is it (or it is still unreleased)."""
    import tomllib
    from importlib.metadata import version

    from bwdc_tray import __version__

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert version("bwdc-tray") == __version__
    shown = subprocess.run(
        [sys.executable, "-m", "bwdc_tray", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    assert shown.strip() == f"bwdc-tray {__version__}"
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.M)
    assert released and released[0] == __version__

"""Shared fixtures: every test gets its own home, keyring file and fake bwdc."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CANARY = "canary-Zq9x-7f3e-SECRET"
DIR_CANARY = "dircanary-Lk2p-9w1v"
CLIENT_ID = "organization.3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d"


def shared_or_skip(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: these checks need the workplace's shared/ folder "
            "beside the repository"
        )
    return path


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@dataclass
class World:
    tmp: Path
    home: Path
    bwdc: Path
    record: Path

    def cli(self, *args: str, stdin: str = "") -> CliResult:
        from bwdc_tray import cli

        out, err = io.StringIO(), io.StringIO()
        code = cli.main(list(args), out=out, err=err, stdin=io.StringIO(stdin))
        return CliResult(code, out.getvalue(), err.getvalue())

    def proc(
        self,
        *args: str,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
        background: bool = False,
    ) -> Any:
        cmd = [sys.executable, "-m", "bwdc_tray", *args]
        full_env = {**os.environ, **(env or {})}
        if background:
            return subprocess.Popen(
                cmd,
                env=full_env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        return subprocess.run(
            cmd,
            env=full_env,
            input=stdin or "",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def add(
        self,
        name: str,
        scenario: str = "ok",
        *,
        login: str = "isolated",
        timeout: float = 60,
        directory_type: int = 0,
        delay: float | None = None,
        extra_sim: dict[str, Any] | None = None,
        secrets: bool = True,
    ) -> Path:
        from bwdc_tray.demo.setup import _seed_data_json

        appdata = self.tmp / "data" / name
        appdata.mkdir(parents=True, mode=0o700)
        _seed_data_json(appdata, directory_type, "http://127.0.0.1:8087")
        sim: dict[str, Any] = {"scenario": scenario, **(extra_sim or {})}
        if delay is not None:
            sim["delay"] = delay
            sim["cpu"] = 0
        (appdata / "simulator.json").write_text(json.dumps(sim))
        res = self.cli(
            "instance",
            "add",
            name,
            "--appdata",
            str(appdata),
            "--bwdc",
            str(self.bwdc),
            "--timeout",
            str(timeout),
            "--login",
            login,
        )
        assert res.code == 0, res.err
        if secrets:
            self.set_secrets(name)
        return appdata

    def set_secrets(self, name: str, secret: str = CANARY, directory: str = "") -> None:
        lines = f"{CLIENT_ID}\n{secret}\n{directory}\n"
        res = self.cli("secret", "set", name, "--stdin", stdin=lines)
        assert res.code == 0, res.err

    def calls(self) -> list[dict[str, Any]]:
        from tests.fakes.fake_bwdc import read_records

        return read_records(self.record) if self.record.exists() else []

    def verbs(self) -> list[str]:
        out = []
        for call in self.calls():
            words = [a for a in call["argv"] if not a.startswith("-")]
            out.append(words[0] if words else call["argv"][0])
        return out


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(("BW_", "BITWARDEN", "SIMBWDC_", "FAKE_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.keyring_backend.FileKeyring")
    monkeypatch.setenv("FAKE_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("BWDC_TRAY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FAKE_BWDC_RECORD", str(tmp_path / "bwdc-calls.jsonl"))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


@pytest.fixture
def world(tmp_path: Path) -> World:
    from tests.fakes.fake_bwdc import make_fake_bwdc

    bindir = tmp_path / "bin"
    bindir.mkdir()
    return World(
        tmp=tmp_path,
        home=tmp_path / "home",
        bwdc=make_fake_bwdc(bindir),
        record=tmp_path / "bwdc-calls.jsonl",
    )


@pytest.fixture
def fake_crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `crontab` on PATH that keeps tables in a folder; returns that folder."""
    if not sys.platform.startswith("linux"):
        # A `#!` script found on PATH, standing in for cron, the default scheduler on Linux only
        # (launchd and Task Scheduler are the defaults of macOS and Windows).
        pytest.skip("needs Linux (cron as the default scheduler, faked by a #! `crontab` on PATH)")
    bindir = tmp_path / "cron-bin"
    bindir.mkdir()
    script = bindir / "crontab"
    script.write_text(
        f"#!{sys.executable}\n"
        + (REPO / "tests" / "fakes" / "crontab.py").read_text(encoding="utf-8").split("\n", 1)[1]
    )
    script.chmod(0o755)
    store = tmp_path / "crontabs"
    monkeypatch.setenv("FAKE_CRONTAB_DIR", str(store))
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return store


@pytest.fixture(scope="session")
def task_schema() -> Any:
    """Microsoft's Task Scheduler schema (shared/oracles), the oracle for every task XML."""
    xsd = shared_or_skip("oracles", "task-scheduler.xsd")
    import xmlschema

    return xmlschema.XMLSchema(str(xsd))

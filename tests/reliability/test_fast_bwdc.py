"""The soak's fast fake bwdc (tests/fakes/fast_bwdc.py): where a reply names a real bwdc 2026.4.0
capture it prints that capture's bytes exactly, and every scenario answers every command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.fakes.captures import captures_available, load_capture
from tests.fakes.fast_bwdc import (
    HANG_SECONDS,
    SCENARIO_FILE,
    SCENARIOS,
    VERBS,
    make_fast_bwdc,
    reply,
    set_scenario,
)

if sys.platform == "win32":
    pytest.skip("the fast fake is a /bin/sh script", allow_module_level=True)


def _claims() -> list[tuple[str, str, bool, str]]:
    """(scenario, verb, --response, capture) of every reply that names a capture."""
    seen = set()
    out = []
    for scenario in SCENARIOS:
        for verb in VERBS:
            for response in (True, False):
                capture = reply(scenario, verb, response).capture
                if capture is not None and (scenario, verb, response) not in seen:
                    seen.add((scenario, verb, response))
                    out.append((scenario, verb, response, capture))
    return out


def run(bwdc: Path, appdata: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.environ["PATH"], "BITWARDENCLI_CONNECTOR_APPDATA_DIR": str(appdata)}
    return subprocess.run(
        [str(bwdc), *args],
        env=env,
        cwd=appdata,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=10,
        check=False,
    )


@pytest.fixture
def fake(tmp_path: Path) -> tuple[Path, Path]:
    appdata = tmp_path / "appdata"
    appdata.mkdir()
    return make_fast_bwdc(tmp_path / "bin"), appdata


def _need_captures() -> None:
    if not captures_available():
        pytest.skip(
            "shared/fixtures/bwdc-captures is absent: the byte-for-byte checks need the "
            "workplace's shared/ folder beside the repository"
        )


@pytest.mark.parametrize(
    ("scenario", "verb", "response", "capture"),
    _claims(),
    ids=[f"{s}-{v}-{'response' if r else 'plain'}" for s, v, r, _ in _claims()],
)
def test_reply_is_the_capture_byte_for_byte(
    fake: tuple[Path, Path], scenario: str, verb: str, response: bool, capture: str
) -> None:
    _need_captures()
    bwdc, appdata = fake
    cap = load_capture(capture)
    # The capture is of this very command: same verb, same --response.
    words = [a for a in cap.command if not a.startswith("-")]
    assert words[0] == verb and ("--response" in cap.command) == response, cap.command
    set_scenario(appdata, scenario)
    done = run(bwdc, appdata, *cap.command)
    assert (done.returncode, done.stdout, done.stderr) == cap.expected(appdata)


@pytest.mark.parametrize(
    ("capture", "scenario"),
    [("version", "ok"), ("version-short", "hang"), ("invalid-command", "ok")],
)
def test_version_and_invalid_command_are_the_captures(
    fake: tuple[Path, Path], capture: str, scenario: str
) -> None:
    _need_captures()
    bwdc, appdata = fake
    cap = load_capture(capture)
    set_scenario(appdata, scenario)
    done = run(bwdc, appdata, *cap.command)
    assert (done.returncode, done.stdout, done.stderr) == cap.expected(appdata)


def test_every_scenario_answers_every_command_as_its_table_says(fake: tuple[Path, Path]) -> None:
    bwdc, appdata = fake
    checked = 0
    for scenario in SCENARIOS:
        set_scenario(appdata, scenario)
        for verb in VERBS:
            for response in (True, False):
                want = reply(scenario, verb, response)
                if want.hang:
                    continue  # test_hangs_until_stopped
                args = [verb, "server", "http://127.0.0.1:8087"] if verb == "config" else [verb]
                done = run(bwdc, appdata, *(["--response"] if response else []), *args)
                code = -getattr(signal, f"SIG{want.signal}") if want.signal else want.exit_code
                expected = (want.stdout.replace("$setting", "server"), want.stderr)
                where = f"{scenario} {verb} response={response}"
                assert done.returncode == code, where
                assert (done.stdout.decode(), done.stderr.decode()) == expected, where
                checked += 1
    assert checked > 100


def test_no_scenario_file_is_ok_and_an_unknown_one_is_refused(fake: tuple[Path, Path]) -> None:
    bwdc, appdata = fake
    done = run(bwdc, appdata, "--response", "sync")
    assert done.returncode == 0 and b"Synced 5 group(s) and 20 user(s)." in done.stdout
    (appdata / SCENARIO_FILE).write_text("no-such-scenario\n")
    done = run(bwdc, appdata, "--response", "sync")
    assert done.returncode == 97 and b"unknown scenario no-such-scenario" in done.stderr
    with pytest.raises(ValueError, match="unknown scenario"):
        set_scenario(appdata, "no-such-scenario")


@pytest.mark.parametrize(
    ("scenario", "verb", "tree"), [("hang", "sync", True), ("hang-login", "login", False)]
)
def test_hangs_until_stopped(fake: tuple[Path, Path], scenario: str, verb: str, tree: bool) -> None:
    """ "hang" leaves a sleeping child under the script (a tree to stop), "hang-login" is one
    process; both sleep far longer than the soak's timeout."""
    bwdc, appdata = fake
    set_scenario(appdata, scenario)
    env = {"PATH": os.environ["PATH"], "BITWARDENCLI_CONNECTOR_APPDATA_DIR": str(appdata)}
    proc = subprocess.Popen(
        [str(bwdc), "--response", verb],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 5
        while True:
            me = psutil.Process(proc.pid)
            kids = me.children(recursive=True)
            shape = [p.name() for p in kids] if tree else [me.name()]
            if shape == ["sleep"] or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert shape == ["sleep"], shape
        assert proc.poll() is None and HANG_SECONDS >= 30
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the session this test gave it, by its PID
        proc.wait(5)

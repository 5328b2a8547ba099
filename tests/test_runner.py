"""`bwdc-tray run`: one run against the fake bwdc, scenario by scenario."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import CANARY, CLIENT_ID, DIR_CANARY, World
from tests.support.platforms import posix_only


def _status(world: World, name: str) -> dict:
    res = world.cli("status", name, "--json")
    assert res.code == 0, res.err
    [item] = json.loads(res.out)
    return item


def _all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _assert_no_canary_anywhere(world: World, *secrets: str) -> None:
    secrets = secrets or (CANARY,)
    for call in world.calls():
        for s in secrets:
            assert s not in json.dumps(call["argv"]), call
    for root in (world.home, world.tmp / "data"):
        for path in _all_files(root):
            data = path.read_bytes()
            for s in secrets:
                assert s.encode() not in data, f"{s} found in {path}"


@posix_only("POSIX file modes: the log is 0600")
def test_success_logs_in_syncs_logs_out_and_leaves_no_secret(world: World) -> None:
    appdata = world.add("corp")
    res = world.cli("run", "corp")
    assert res.code == 0, res.err
    assert "Synced 5 group(s) and 20 user(s)." in res.out
    assert world.verbs() == ["--version", "login", "sync", "logout"]
    status = _status(world, "corp")
    assert status["state"] == "ok"
    last = status["last_run"]
    assert (last["groups"], last["users"], last["result"]) == (5, 20, "ok")
    assert last["source"] == "runner" and last["trigger"] == "manual"
    assert last["exit_code"] == 0 and last["finished"]
    # Secrets reached bwdc through the environment of the login only.
    login = next(c for c in world.calls() if "login" in c["argv"])
    assert login["client_secret_in_env"] and login["client_id"] == CLIENT_ID
    assert all(not c["client_secret_in_env"] for c in world.calls() if "login" not in c["argv"])
    _assert_no_canary_anywhere(world)
    log = appdata / "bwdc.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE((world.home / "state" / "status" / "corp.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(appdata.stat().st_mode) == 0o700


def test_every_bwdc_call_is_non_interactive_absolute_and_colourless(world: World) -> None:
    world.add("corp")
    assert world.cli("run", "corp").code == 0
    for call in world.calls():
        assert Path(call["appdata"]).is_absolute()
        assert call["nointeraction"] == "true"
        assert call["force_color"] == "0"
        assert not call["stdin_isatty"]
        assert not call["stdin_readable"]


def test_version_is_probed_once_not_on_every_run(world: World) -> None:
    world.add("corp")
    world.cli("run", "corp")
    world.cli("run", "corp")
    assert world.verbs().count("--version") == 1


def test_unchanged_directory_is_a_success_with_zero_counts(world: World) -> None:
    world.add("corp", "unchanged")
    assert world.cli("run", "corp").code == 0
    last = _status(world, "corp")["last_run"]
    assert (last["groups"], last["users"]) == (0, 0)


def test_not_logged_in_during_sync_logs_in_again(world: World) -> None:
    world.add("corp", "not-logged-in")
    res = world.cli("run", "corp")
    assert res.code == 0, res.err
    assert world.verbs().count("login") == 2
    assert world.verbs().count("sync") == 2


def test_already_logged_in_logs_out_and_in_again(world: World) -> None:
    appdata = world.add("corp")
    env = {
        **os.environ,
        "BITWARDENCLI_CONNECTOR_APPDATA_DIR": str(appdata),
        "BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS": "true",
        "BW_CLIENTID": CLIENT_ID,
        "BW_CLIENTSECRET": "stale-key",
    }
    subprocess.run(
        [str(world.bwdc), "login"],
        env=env,
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    world.record.unlink()
    res = world.cli("run", "corp")
    assert res.code == 0, res.err
    assert world.verbs() == ["--version", "login", "logout", "login", "sync", "logout"]
    assert "already logged in" in (appdata / "bwdc.log").read_text()
    assert b"stale-key" not in (appdata / "data.json").read_bytes()


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (
            "invalid-client",
            '{"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}',
        ),
        (
            "server-unreachable",
            "request to http://127.0.0.1:8087/identity/connect/token failed, "
            "reason: connect ECONNREFUSED 127.0.0.1:8087",
        ),
        ("ldap-unreachable", "connect ECONNREFUSED 127.0.0.1:1389"),
        ("crash-401", "Cannot read properties of null (reading 'directorySettings')"),
    ],
)
def test_failures_exit_1_with_bwdcs_message(world: World, scenario: str, message: str) -> None:
    world.add("corp", scenario)
    res = world.cli("run", "corp")
    assert res.code == 1
    assert message in res.err
    assert "fix:" in res.err
    status = _status(world, "corp")
    assert status["state"] == "failed"
    assert status["last_run"]["result"] == "failed"
    assert status["last_run"]["message"] == message
    assert status["last_run"]["exit_code"] == 1
    _assert_no_canary_anywhere(world)


def test_after_a_401_crash_the_next_run_logs_in_again(world: World) -> None:
    appdata = world.add("corp", "crash-401")
    assert world.cli("run", "corp").code == 1
    (appdata / "simulator.json").write_text(json.dumps({"scenario": "ok"}))
    assert world.cli("run", "corp").code == 0
    assert _status(world, "corp")["state"] == "ok"


@pytest.mark.slow
def test_timeout_kills_bwdc_and_its_grandchildren(world: World) -> None:
    appdata = world.add("corp", "hang", timeout=3)
    res = world.cli("run", "corp")
    assert res.code == 4
    status = _status(world, "corp")
    assert status["state"] == "timeout" and status["last_run"]["result"] == "timeout"
    for pidfile in ("simbwdc.pid", "simbwdc-child.pid"):
        pid = int((appdata / pidfile).read_text())
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"
    # The API key was still removed after the timeout.
    assert world.verbs()[-1] == "logout"
    _assert_no_canary_anywhere(world)


def _wait_for(predicate, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached")


@pytest.mark.slow
def test_second_run_exits_3_at_once_and_starts_no_bwdc(world: World) -> None:
    world.add("corp", delay=1.5)
    world.cli("run", "corp", "--dry-run")  # probe the version first, so counts are exact
    first = world.proc("run", "corp", "--trigger", "schedule", background=True)
    try:
        _wait_for(lambda: _status(world, "corp")["state"] == "running")
        second = world.proc("run", "corp", background=True)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 3
        assert "already running" in err and "schedule" in err
        first.communicate(timeout=60)
        assert first.returncode == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert [c for c in world.calls() if c["ppid"] == second.pid] == []
    assert _status(world, "corp")["last_run"]["trigger"] == "schedule"


@posix_only("kill -9: SIGKILL")
@pytest.mark.slow
def test_kill_9_of_the_runner_leaves_a_stale_lock_the_next_run_clears(world: World) -> None:
    appdata = world.add("corp", delay=1.0)
    first = world.proc("run", "corp", background=True)
    _wait_for(lambda: _status(world, "corp")["state"] == "running")
    _wait_for(lambda: "login" in world.verbs())
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=10)
    status = _status(world, "corp")
    assert status["state"] == "failed"
    assert "interrupted" in status["last_run"]["message"]
    (appdata / "simulator.json").write_text(json.dumps({"scenario": "ok"}))
    res = world.cli("run", "corp")
    assert res.code == 0, res.err
    log = (appdata / "bwdc.log").read_text()
    assert "cleared a stale lock" in log
    assert "interrupted" in log  # the cleanup of the API key the killed run left
    assert _status(world, "corp")["state"] == "ok"
    _wait_for(lambda: all(not psutil.pid_exists(c["pid"]) for c in world.calls()))
    _assert_no_canary_anywhere(world)


def test_dry_run_tests_without_touching_sync_state(world: World) -> None:
    appdata = world.add("corp")
    before = json.loads((appdata / "data.json").read_text())
    res = world.cli("run", "corp", "--dry-run")
    assert res.code == 0, res.err
    assert "would sync 5 group(s) and 20 enabled user(s)" in res.out
    assert "groups (5):" in res.out
    assert "test" in world.verbs() and "sync" not in world.verbs()
    assert _status(world, "corp")["state"] == "never"
    after = json.loads((appdata / "data.json").read_text())
    org = "00000000-0000-4000-8000-000000000000"
    assert after[org]["directorySettings"].get("lastUserSync") == before[org][
        "directorySettings"
    ].get("lastUserSync")
    assert not (world.home / "state" / "status" / "corp.json").exists()


def test_directory_secret_is_passed_by_env_and_removed_after(world: World) -> None:
    appdata = world.add("corp")
    world.set_secrets("corp", directory=DIR_CANARY)
    assert world.cli("run", "corp").code == 0
    config_calls = [c for c in world.calls() if "config" in c["argv"]]
    assert config_calls[0]["argv"][-3:] == [
        "ldap.password",
        "--secretenv",
        "BWDC_TRAY_DIRECTORY_SECRET",
    ]
    assert config_calls[-1]["argv"][-2:] == ["ldap.password", ""]
    assert DIR_CANARY.encode() not in (appdata / "data.json").read_bytes()
    _assert_no_canary_anywhere(world, CANARY, DIR_CANARY)


def test_keychain_mode_logs_out_first_and_serialises(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIMBWDC_KEYCHAIN_FILE", str(tmp_path / "os-keychain.json"))
    world.add("a", login="keychain")
    world.add("b", login="keychain")
    assert world.cli("run", "a").code == 0
    assert world.cli("run", "b").code == 0
    verbs = [v for v in world.verbs() if v != "--version"]
    assert verbs == ["logout", "login", "sync", "logout"] * 2
    calls = [c for c in world.calls() if c["argv"] != ["--version"]]
    assert all(c["plaintext"] is None for c in calls)
    assert (world.home / "state" / "locks" / "keychain.lock").exists()


def test_keychain_mode_takes_its_directory_secret_back_from_the_shared_keychain(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bwdc 2026.6 keeps one directory secret per OS user in keychain mode: left there, the
    next keychain instance would bind to its own directory with this one's password."""
    keychain = tmp_path / "os-keychain.json"
    monkeypatch.setenv("SIMBWDC_KEYCHAIN_FILE", str(keychain))
    world.add("a", login="keychain")
    world.set_secrets("a", directory=DIR_CANARY)
    world.add("b", login="keychain")
    assert world.cli("run", "a").code == 0
    assert DIR_CANARY not in keychain.read_text()
    config_calls = [c for c in world.calls() if "config" in c["argv"]]
    assert config_calls[-1]["argv"][-2:] == ["ldap.password", ""]
    assert world.cli("run", "b").code == 0
    assert DIR_CANARY not in keychain.read_text()


@posix_only("kill -9: SIGKILL")
@pytest.mark.slow
@pytest.mark.parametrize("then", ["remove", "next run"])
def test_a_killed_keychain_mode_run_has_its_secrets_taken_out_of_the_keychain(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then: str
) -> None:
    """The keychain is shared by every keychain-mode instance: what a killed run left there
    (its login, its directory secret) is removed by the next run or by `instance remove`."""
    keychain = tmp_path / "os-keychain.json"
    monkeypatch.setenv("SIMBWDC_KEYCHAIN_FILE", str(keychain))
    world.add("a", login="keychain", delay=1.0)
    world.set_secrets("a", directory=DIR_CANARY)
    first = world.proc("run", "a", background=True)
    _wait_for(lambda: "sync" in world.verbs())
    assert DIR_CANARY in keychain.read_text()
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=10)
    (world.tmp / "data" / "a" / "simulator.json").write_text(json.dumps({"scenario": "ok"}))
    if then == "remove":
        res = world.cli("instance", "remove", "a")
        assert res.code == 0, res.err
        assert "bwdc's keychain" in res.out
    else:
        assert world.cli("run", "a").code == 0
    kept = json.loads(keychain.read_text())
    assert DIR_CANARY not in json.dumps(kept)
    assert not kept.get("accessToken")


def test_inherited_bw_variables_do_not_reach_bwdc(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BW_CLEANEXIT", "true")
    monkeypatch.setenv("BW_CLIENTSECRET", "inherited-secret")
    world.add("corp", "ldap-unreachable")
    assert world.cli("run", "corp").code == 1  # BW_CLEANEXIT would have made it 0
    assert all("BW_CLEANEXIT" not in c["env_keys"] for c in world.calls())


def test_missing_bwdc_is_exit_5_and_shows_in_status(world: World) -> None:
    world.add("corp")
    world.bwdc.unlink()
    res = world.cli("run", "corp")
    assert res.code == 5
    assert "not found" in res.err
    status = _status(world, "corp")
    assert status["state"] == "failed" and status["last_run"]["result"] == "error"


def test_missing_api_key_is_exit_5_with_the_remedy(world: World) -> None:
    world.add("corp", secrets=False)
    res = world.cli("run", "corp")
    assert res.code == 5
    assert "secret set corp" in res.err


def test_log_block_markers_cannot_be_forged_by_directory_text(world: World) -> None:
    forged = (
        '2026-01-01T00:00:00.000+00:00 ==== bwdc-tray end {"run":"x","result":"ok","groups":999}'
    )
    appdata = world.add(
        "corp",
        "ldap-unreachable",
        extra_sim={"groups": [{"name": "Evil\n" + forged, "members": []}]},
    )
    (appdata / "simulator.json").write_text(
        json.dumps({"scenario": "ok", "groups": [{"name": "Evil\n" + forged, "members": []}]})
    )
    assert world.cli("run", "corp", "--dry-run").code == 0
    assert world.cli("run", "corp").code == 0
    from bwdc_tray import logs

    runs = logs.read_runs(appdata / "bwdc.log", 10)
    assert [r.mode for r in runs] == ["test", "sync"]
    assert all(r.groups != 999 for r in runs)


def test_runner_module_loads_no_qt() -> None:
    code = (
        "import sys, bwdc_tray.runner, bwdc_tray.cli, bwdc_tray.status; "
        "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))])"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


@posix_only("SIGTERM delivered to a running process")
@pytest.mark.slow
def test_sigterm_mid_sync_ends_the_run_cleanly(world: World) -> None:
    appdata = world.add("corp", delay=2.0)
    first = world.proc("run", "corp", background=True)
    _wait_for(lambda: "sync" in world.verbs())
    sync_pid = next(c["pid"] for c in world.calls() if "sync" in c["argv"])
    first.send_signal(signal.SIGTERM)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 1
    assert "stopped (SIGTERM)" in err
    assert not psutil.pid_exists(sync_pid) or psutil.Process(sync_pid).status() == "zombie"
    assert world.verbs()[-1] == "logout"
    last = _status(world, "corp")["last_run"]
    assert last["result"] == "error" and "SIGTERM" in last["message"]
    assert CANARY.encode() not in (appdata / "data.json").read_bytes()


def test_a_secret_bwdc_prints_is_redacted(tmp_path: Path) -> None:
    from bwdc_tray.runner import RunLog

    log = RunLog(tmp_path / "bwdc.log", [CANARY, DIR_CANARY])
    log.start(run_id="r1", instance="x", trigger="manual", mode="sync", bwdc_version=None, pid=1)
    log.line("err", f"bad password {DIR_CANARY} for key {CANARY}")
    log.end(
        run_id="r1",
        result="failed",
        exit_code=1,
        duration_s=0.1,
        groups=None,
        users=None,
        message=f"login failed: {CANARY}",
        mode="sync",
    )
    log.close()
    text = (tmp_path / "bwdc.log").read_text()
    assert CANARY not in text and DIR_CANARY not in text
    assert text.count("[redacted]") == 3


def test_two_instances_cannot_share_a_log(world: World) -> None:
    shared_log = world.tmp / "one.log"
    for name in ("a", "b"):
        res = world.cli(
            "instance",
            "add",
            name,
            "--appdata",
            str(world.tmp / name),
            "--log",
            str(shared_log),
            "--bwdc",
            str(world.bwdc),
        )
    assert res.code == 2 and "already the log of 'a'" in res.err


def test_corrupt_data_json_is_never_handed_to_bwdc(world: World) -> None:
    appdata = world.add("corp")
    (appdata / "data.json").write_text('{"global": {"stateVersion": 3}, "cut')
    res = world.cli("run", "corp")
    assert res.code == 5
    assert "not valid JSON" in res.err and "restore" in res.err
    assert (appdata / "data.json").read_text() == '{"global": {"stateVersion": 3}, "cut'
    assert "sync" not in world.verbs() and "login" not in world.verbs()
    assert _status(world, "corp")["last_run"]["result"] == "error"


@posix_only("kill -9: SIGKILL")
@pytest.mark.slow
def test_remove_after_a_killed_run_takes_the_api_key_out_of_data_json(world: World) -> None:
    appdata = world.add("corp", delay=1.0)
    first = world.proc("run", "corp", background=True)
    _wait_for(lambda: "sync" in world.verbs())  # the login has put the key into data.json
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=10)
    # bwdc is still running in its own session: remove waits for nothing, it stops it first.
    res = world.cli("instance", "remove", "corp")
    assert res.code == 0, res.err
    assert "removed the API key" in res.out
    assert CANARY.encode() not in (appdata / "data.json").read_bytes()


@posix_only("kill -9: SIGKILL")
@pytest.mark.slow
def test_a_killed_run_is_scrubbed_even_when_the_next_run_cannot_start(world: World) -> None:
    appdata = world.add("corp", delay=1.0)
    world.set_secrets("corp", directory=DIR_CANARY)
    first = world.proc("run", "corp", background=True)
    _wait_for(lambda: "config" in world.verbs())  # killed while passing the directory secret
    _wait_for(lambda: DIR_CANARY.encode() in (appdata / "data.json").read_bytes())
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=10)
    assert world.cli("secret", "clear", "corp").code == 0
    res = world.cli("run", "corp")
    assert res.code == 5 and "no API key" in res.err
    data = (appdata / "data.json").read_bytes()
    assert CANARY.encode() not in data and DIR_CANARY.encode() not in data


def test_remove_is_refused_while_a_run_holds_the_lock(world: World) -> None:
    from bwdc_tray.locking import InstanceLock
    from bwdc_tray.paths import resolve

    world.add("corp")
    paths = resolve(world.home)
    (paths.locks_dir / "corp.injected.json").parent.mkdir(parents=True, exist_ok=True)
    (paths.locks_dir / "corp.injected.json").write_text('{"api_key": true}')
    lock = InstanceLock(paths.locks_dir, "corp")
    lock.acquire("r", "now", "schedule")
    try:
        res = world.cli("instance", "remove", "corp")
    finally:
        lock.release()
    assert res.code == 3 and "running" in res.err
    assert json.loads(world.cli("instance", "list", "--json").out)[0]["name"] == "corp"


def test_secrets_are_redacted_in_their_json_escaped_form(tmp_path: Path) -> None:
    from bwdc_tray.runner import RunLog

    secret = 'Pa"ss\\w0rd-é'
    log = RunLog(tmp_path / "bwdc.log", [secret])
    log.start(run_id="r1", instance="x", trigger="manual", mode="sync", bwdc_version=None, pid=1)
    log.line("out", json.dumps({"message": f"bad {secret}"}))
    log.line("out", json.dumps({"message": f"bad {secret}"}, ensure_ascii=False))
    log.close()
    text = (tmp_path / "bwdc.log").read_text()
    assert "w0rd" not in text and text.count("[redacted]") == 2


def test_a_multi_line_secret_printed_line_by_line_is_redacted(tmp_path: Path) -> None:
    from bwdc_tray.runner import RunLog

    body = ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"]
    pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(body) + "\n-----END PRIVATE KEY-----\n"
    log = RunLog(tmp_path / "bwdc.log", [pem])
    log.start(run_id="r1", instance="x", trigger="manual", mode="sync", bwdc_version=None, pid=1)
    for line in pem.splitlines():
        log.line("err", f"  {line}")
    log.close()
    text = (tmp_path / "bwdc.log").read_text()
    assert not any(part in text for part in body)


def test_a_run_with_no_console_streams_like_pythonw(world: World) -> None:
    """Task Scheduler starts pythonw.exe, which has no stdout or stderr at all."""
    world.add("corp")
    code = (
        "import sys; sys.stdout = None; sys.stderr = None; "
        "from bwdc_tray.cli import main; raise SystemExit(main(['run', 'corp', "
        "'--trigger', 'schedule']))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    assert res.returncode == 0, res.stderr
    assert _status(world, "corp")["last_run"]["trigger"] == "schedule"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_data_folder_others_can_enter_is_tightened_before_bwdc_runs(world: World) -> None:
    appdata = world.add("corp")
    appdata.chmod(0o755)
    assert world.cli("run", "corp").code == 0
    assert stat.S_IMODE(appdata.stat().st_mode) == 0o700
    assert "tightened" in (appdata / "bwdc.log").read_text()

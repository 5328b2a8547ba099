"""The simulated bwdc: byte-for-byte conformance with the real bwdc 2026.4.0 captures, then the
simulator's own features (scenarios, keychain mode, the recording fake).

Every run goes through the fake ``bwdc`` script (a fresh Python, stdin = /dev/null), like the
product's runner would start the real one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bwdc_tray.demo import simbwdc
from tests.fakes.captures import CAPTURES_DIR, captures_available, load_capture
from tests.fakes.fake_bwdc import make_fake_bwdc, read_records
from tests.support.platforms import posix_only

ORG = "3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d"
CLIENT_ID = f"organization.{ORG}"
SECRET = "sim-client-secret-Qx7"
LDAP_PWD = "sim-ldap-password-Vb2"
ISO = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@dataclass
class Result:
    code: int
    out: bytes
    err: bytes

    @property
    def text(self) -> str:
        return self.out.decode()


@dataclass
class Sim:
    tmp: Path
    bwdc: Path
    appdata: Path
    record: Path

    def env(
        self,
        extra: dict[str, str] | None = None,
        *,
        appdata: Path | None = None,
        plaintext: bool = True,
    ) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BW_", "BITWARDEN", "SIMBWDC_", "FORCE_COLOR"))
        }
        env["BITWARDENCLI_CONNECTOR_APPDATA_DIR"] = str(appdata or self.appdata)
        if plaintext:
            env["BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS"] = "true"
        env.update(extra or {})
        return env

    def run(
        self,
        *args: str,
        scenario: str | None = None,
        env: dict[str, str] | None = None,
        appdata: Path | None = None,
        plaintext: bool = True,
        full_env: dict[str, str] | None = None,
    ) -> Result:
        extra = dict(env or {})
        if scenario is not None:
            extra["SIMBWDC_SCENARIO"] = scenario
        environ = full_env or self.env(extra, appdata=appdata, plaintext=plaintext)
        proc = subprocess.run(
            [str(self.bwdc), *args],
            env=environ,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def login(self, **kwargs: Any) -> Result:
        env = {"BW_CLIENTID": CLIENT_ID, "BW_CLIENTSECRET": SECRET, **kwargs.pop("env", {})}
        res = self.run("login", env=env, **kwargs)
        assert (res.code, res.out) == (0, b"You are logged in!\n"), res
        return res

    def data(self, appdata: Path | None = None) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(((appdata or self.appdata) / "data.json").read_text())
        return loaded

    def account(self, appdata: Path | None = None) -> dict[str, Any]:
        acc: dict[str, Any] = self.data(appdata)[ORG]
        return acc

    def edit_account(self, change: dict[str, Any], section: str = "directorySettings") -> None:
        data = self.data()
        data[ORG][section].update(change)
        (self.appdata / "data.json").write_text(json.dumps(data))

    def simulator(self, config: dict[str, Any], appdata: Path | None = None) -> None:
        target = appdata or self.appdata
        target.mkdir(parents=True, exist_ok=True)
        (target / "simulator.json").write_text(json.dumps(config))

    def check(
        self,
        name: str,
        *,
        scenario: str | None = None,
        appdata: Path | None = None,
        timestamps: bool = False,
    ) -> Result:
        """Run capture ``name``'s command in its environment; compare with the real bwdc."""
        if not captures_available():
            pytest.skip(f"{CAPTURES_DIR} is absent: the bwdc captures live in the shared/ folder")
        cap = load_capture(name)
        target = appdata or self.appdata
        env = self.env(appdata=target, plaintext=False)
        redacted = {"BW_CLIENTSECRET": SECRET, "LDAP_PWD": LDAP_PWD}
        for key, value in cap.env.items():
            if key == "BITWARDENCLI_CONNECTOR_APPDATA_DIR":
                env[key] = str(target)
            else:
                env[key] = redacted[key] if value == "<redacted>" else value
        if scenario is not None:
            env["SIMBWDC_SCENARIO"] = scenario
        res = self.run(*cap.command, full_env=env)
        code, out, err = cap.expected(target)
        got = (res.code, res.out, res.err)
        if timestamps:  # dates differ from run to run; their format must not
            got = (res.code, ISO.sub(b"<date>", res.out), ISO.sub(b"<date>", res.err))
            out, err = ISO.sub(b"<date>", out), ISO.sub(b"<date>", err)
        assert got == (code, out, err), f"{name}: {' '.join(cap.command)}"
        return res


@pytest.fixture
def sim(tmp_path: Path) -> Sim:
    return Sim(
        tmp=tmp_path,
        bwdc=make_fake_bwdc(tmp_path / "bin"),
        appdata=tmp_path / "instance-1",
        record=Path(os.environ["FAKE_BWDC_RECORD"]),
    )


def _captured_directory() -> dict[str, Any]:
    """simulator.json holding the directory the real bwdc saw (from test-success.txt)."""
    if not captures_available():
        pytest.skip(f"{CAPTURES_DIR} is absent: the bwdc captures live in the shared/ folder")
    result = json.loads(load_capture("test-success").stdout)
    return {
        "groups": [
            {"id": g["externalId"], "name": g["displayName"], "members": g["userIds"]}
            for g in result["groups"]
        ],
        "users": [
            {"id": u["externalId"], "email": u["displayName"]} for u in result["enabledUsers"]
        ],
    }


# --------------------------------------------------------------------------- conformance


@posix_only("POSIX file modes: 0700")
def test_first_run_creates_appdata_private(sim: Sim) -> None:
    sim.check("first-run-creates-appdata")
    assert stat.S_IMODE(sim.appdata.stat().st_mode) == 0o700
    assert stat.S_IMODE((sim.appdata / "data.json").stat().st_mode) == 0o600
    assert sim.data()["global"]["stateVersion"] == 3
    for name in ("version", "version-short"):
        sim.check(name)


def test_help_texts_and_usage_errors(sim: Sim) -> None:
    sim.run("--version")
    for name in (
        "help",
        "no-args",
        "invalid-command",
        "sync-help",
        "test-help",
        "login-help",
        "last-sync-help",
        "config-help",
        "data-file",
        "data-file-response",
    ):
        sim.check(name)


def test_not_logged_in(sim: Sim) -> None:
    sim.run("--version")
    for name in (
        "not-logged-in-sync",
        "not-logged-in-sync-response",
        "not-logged-in-test",
        "not-logged-in-test-response",
        "not-logged-in-last-sync-users",
        "not-logged-in-last-sync-users-response",
        "not-logged-in-logout",
        "not-logged-in-sync-cleanexit",
        "not-logged-in-sync-quiet",
    ):
        sim.check(name)


def test_config_before_login(sim: Sim) -> None:
    sim.run("--version")
    for name in (
        "config-server",
        "config-server-response",
        "config-directory",
        "config-directory-invalid",
        "config-directory-invalid-response",
        "config-unknown-setting",
        "config-ldap-password-secretenv",
    ):
        sim.check(name)
    assert sim.data()["global"]["environmentUrls"]["base"] == "http://127.0.0.1:8087"


def test_login_failures(sim: Sim) -> None:
    sim.run("--version")
    sim.check("login-server-unreachable", scenario="server-unreachable")
    sim.check("login-server-unreachable-response", scenario="server-unreachable")
    sim.check("login-wrong-secret", scenario="invalid-client")
    sim.check("login-wrong-secret-response", scenario="invalid-client")
    sim.check("login-no-credentials-nointeraction")
    sim.check("login-no-secret-nointeraction")
    assert sim.data()["authenticatedAccounts"] == []
    assert SECRET not in (sim.appdata / "data.json").read_text()


def test_login_logout_and_config_after_login(sim: Sim) -> None:
    sim.run("--version")
    sim.check("login-success")
    acc = sim.account()
    # Plaintext mode keeps the API key in clear in data.json, like bwdc 2026.4.0.
    assert acc["profile"]["apiKeyClientId"] == CLIENT_ID
    assert acc["keys"]["apiKeyClientSecret"] == SECRET
    assert acc["tokens"]["accessToken"].count(".") == 2
    assert acc["directorySettings"]["organizationId"] == ORG
    assert sim.data()["activeUserId"] == ORG
    sim.check("login-already-logged-in")
    sim.check("login-already-logged-in-response")
    sim.check("config-directory-after-login")
    sim.check("config-ldap-password")
    assert sim.account()["directoryConfigurations"]["ldap"]["password"] == LDAP_PWD
    sim.check("logout")
    acc = sim.account()
    assert "apiKeyClientSecret" not in acc["keys"] and "apiKeyClientId" not in acc["profile"]
    assert acc["tokens"] == {}
    assert SECRET not in (sim.appdata / "data.json").read_text()
    sim.check("logout-again-response")
    sim.check("login-success-response")


def test_sync_test_and_last_sync(sim: Sim) -> None:
    sim.simulator(_captured_directory())
    sim.run("--version")
    sim.login()
    sim.check("last-sync-users-never")
    sim.check("last-sync-users-never-response")
    sim.check("after-refresh-invalid-client-last-sync")
    for name in ("test-success", "test-success-response", "test-success-pretty-response"):
        sim.check(name)
    sim.check("test-last")  # no sync yet: everything
    sim.check("test-server-unreachable", scenario="server-unreachable")
    sim.check("sync-success")
    dirset = sim.account()["directorySettings"]
    assert ISO.fullmatch(dirset["lastUserSync"].encode())
    assert dirset["lastGroupSync"] == dirset["lastUserSync"]
    assert dirset["lastSyncHash"]
    sim.check("sync-success-unchanged")
    sim.check("sync-success-unchanged-response")
    sim.check("sync-success-pretty-response")
    sim.check("sync-success-raw")
    sim.check("sync-success-quiet")
    for name in (
        "last-sync-users",
        "last-sync-groups",
        "last-sync-users-response",
        "last-sync-groups-response",
        "last-sync-users-pretty-response",
        "last-sync-groups-raw",
    ):
        assert sim.check(name, timestamps=True).out.count(b"Z") == 1
    sim.check("last-sync-unknown-object")
    sim.check("last-sync-missing-arg")
    sim.check("clear-cache")
    sim.check("last-sync-users-after-clear-cache")
    sim.check("sync-ldap-unreachable", scenario="ldap-unreachable")
    sim.check("last-sync-users-after-failed-sync")
    sim.check("clear-cache-response")
    sim.check("sync-success-response")  # hash cleared: posts everything again
    sim.run("clear-cache")
    sim.check("sync-success-final")


def test_directory_and_server_failures(sim: Sim) -> None:
    sim.run("--version")
    sim.login()
    sim.check("sync-ldap-unreachable", scenario="ldap-unreachable")
    sim.check("sync-ldap-unreachable-response", scenario="ldap-unreachable")
    sim.check("test-ldap-unreachable", scenario="ldap-unreachable")
    sim.check("test-ldap-unreachable-response", scenario="ldap-unreachable")
    sim.check("sync-server-unreachable", scenario="server-unreachable")
    sim.check("sync-server-unreachable-response", scenario="server-unreachable")
    sim.check("last-sync-users-after-import-error")
    data = sim.data()
    data[ORG]["directoryConfigurations"] = {"ldap": {"hostname": "127.0.0.1", "port": 1390}}
    (sim.appdata / "data.json").write_text(json.dumps(data))
    sim.check("test-ldap-wrong-port", scenario="ldap-unreachable")
    sim.edit_account({"organizationId": None})
    sim.check("sync-no-organization-id")
    sim.check("sync-no-organization-id-response")


def test_import_401_logs_bwdc_out(sim: Sim) -> None:
    sim.run("--version")
    sim.login()
    sim.check("sync-import-401-logs-out", scenario="crash-401")
    text = (sim.appdata / "data.json").read_text()
    assert SECRET not in text and "accessToken" not in text
    assert sim.account()["directorySettings"]["organizationId"] == ORG  # settings are kept
    sim.check("sync-import-401-then-not-logged-in")
    sim.check("sync-after-401-logout-response")
    sim.check("login-success-2")
    sim.check("sync-import-401-response", scenario="crash-401")
    sim.login()
    sim.check("sync-after-relogin")


def test_test_after_relogin_matches(sim: Sim) -> None:
    sim.simulator(_captured_directory())
    sim.run("--version")
    sim.login()
    sim.check("test-after-relogin")


def test_keychain_mode_without_a_keychain(sim: Sim) -> None:
    """No SIMBWDC_KEYCHAIN_FILE in keychain mode: the captured headless-Linux failures."""
    inst2 = sim.tmp / "instance-2"
    sim.run("--version", appdata=inst2, plaintext=False)
    for name in (
        "keychain-config-server",
        "keychain-login",
        "keychain-config-directory",
        "keychain-config-ldap-password",
        "keychain-test",
        "keychain-sync",
    ):
        sim.check(name, appdata=inst2)


def test_every_capture_is_covered_or_explained() -> None:
    """A new capture must be checked above or listed here with the reason it is not."""
    if not captures_available():
        pytest.skip(f"{CAPTURES_DIR} is absent: the bwdc captures live in the shared/ folder")
    source = Path(__file__).read_text()
    not_simulated = {
        "test-no-ldap-config": "the simulator needs no LDAP config",
        "test-no-ldap-config-response": "the simulator needs no LDAP config",
        "sync-no-ldap-config": "the simulator needs no LDAP config",
        "test-ldap-bad-password": "no wrong-bind scenario",
        "test-ldap-bad-password-response": "no wrong-bind scenario",
        "sync-token-refresh": "tokens never expire in the simulator (plain sync success)",
        "login-success-short-token": "tokens never expire in the simulator (plain login)",
        "tty-config-unknown-setting": "the simulator never prints colour",
        "tty-invalid-command": "the simulator never prints colour",
        "tty-last-sync-users": "the simulator never prints colour",
        "tty-sync-success": "the simulator never prints colour",
    }
    names = sorted(p.stem for p in CAPTURES_DIR.glob("*.txt") if p.stem != "INDEX")
    missing = [n for n in names if f'"{n}"' not in source or n in not_simulated]
    assert sorted(missing) == sorted(not_simulated)


# --------------------------------------------------------------------------- scenarios


def test_default_directory_syncs_5_groups_and_20_users(sim: Sim) -> None:
    sim.login()
    res = sim.run("test")
    result = json.loads(res.out)
    assert (len(result["groups"]), len(result["enabledUsers"])) == (5, 20)
    assert all(u["externalId"].endswith(",dc=example,dc=com") for u in result["enabledUsers"])
    res = sim.run("sync")
    assert res.out == b"Syncing complete.\nSynced 5 group(s) and 20 user(s).\n"
    assert sim.run("sync").out.endswith(b"Synced 0 group(s) and 0 user(s).\n")
    last = json.loads(sim.run("test", "--last").out)
    assert last["groups"] == [] and last["enabledUsers"] == []
    # A changed directory is posted again.
    sim.simulator(
        {
            "users": [
                {"id": "cn=A,dc=x", "email": "a@x.test"},
                {"id": "cn=B,dc=x", "email": "b@x.test", "disabled": True},
            ],
            "groups": [{"name": "G", "members": ["cn=A,dc=x"]}],
        }
    )
    assert sim.run("sync").out.endswith(b"Synced 1 group(s) and 2 user(s).\n")
    result = json.loads(sim.run("test").out)
    assert result["groups"] == [
        {
            "externalId": "cn=G,ou=Groups,dc=example,dc=com",
            "displayName": "G",
            "userIds": ["cn=A,dc=x"],
        }
    ]
    assert result["disabledUsers"] == [{"externalId": "cn=B,dc=x", "displayName": "b@x.test"}]


def test_unchanged_scenario_always_reports_zero(sim: Sim) -> None:
    sim.login()
    res = sim.run("sync", scenario="unchanged")
    assert (res.code, res.out) == (0, b"Syncing complete.\nSynced 0 group(s) and 0 user(s).\n")
    assert sim.account()["directorySettings"]["lastUserSync"]


def test_not_logged_in_scenario_wipes_the_first_session_only(sim: Sim) -> None:
    sim.simulator({"scenario": "not-logged-in"})
    sim.login()
    res = sim.run("sync")
    assert (res.code, res.err) == (1, b"You are not logged in.\n")
    assert sim.account()["tokens"] == {} and SECRET not in (sim.appdata / "data.json").read_text()
    sim.login()  # a login right after the wipe is stable
    assert sim.run("sync").code == 0
    assert sim.run("test").code == 0
    assert sim.run("logout").code == 0
    sim.login()  # a fresh login arms it again
    assert (
        sim.run("--response", "test").out
        == b'{"success":false,"message":"You are not logged in."}\n'
    )


def test_crash_401_scenario_also_fails_with_response(sim: Sim) -> None:
    sim.login()
    res = sim.run("sync", "--response", "--cleanexit", scenario="crash-401")
    assert res.code == 0  # a handled error: --cleanexit applies
    assert json.loads(res.out)["message"] == simbwdc.MSG_NO_ACCOUNT
    assert sim.run("sync").err == b"You are not logged in.\n"


def test_slow_scenario_takes_the_delay(sim: Sim) -> None:
    sim.run("--version")
    start = time.monotonic()
    res = sim.run("--version", scenario="slow", env={"SIMBWDC_DELAY": "0.2"})
    assert res.code == 0
    assert time.monotonic() - start >= 0.2
    sim.simulator({"scenario": "slow", "delay": 0.15, "cpu": 0.1})
    start = time.monotonic()
    assert sim.run("--version").code == 0
    assert time.monotonic() - start >= 0.15


def test_bad_simulator_json_is_reported(sim: Sim) -> None:
    sim.simulator({"scenario": "nope"})
    res = sim.run("sync")
    assert res.code == 1 and b"simbwdc: unknown scenario 'nope'" in res.err
    sim.simulator({"users": [{"email": "x"}]})
    assert b"simbwdc: a user needs" in sim.run("test").err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_hang_scenario_leaves_a_sleeping_grandchild(sim: Sim) -> None:
    import psutil

    sim.login()
    proc = subprocess.Popen(
        [str(sim.bwdc), "sync"],
        env=sim.env({"SIMBWDC_SCENARIO": "hang"}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    pids: list[int] = []
    try:
        child_file = sim.appdata / "simbwdc-child.pid"
        deadline = time.monotonic() + 20
        while not child_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        own = int((sim.appdata / "simbwdc.pid").read_text())
        child = int(child_file.read_text())
        pids = [own, child]
        assert own == proc.pid
        assert psutil.Process(child).ppid() == proc.pid
        time.sleep(0.1)
        assert proc.poll() is None and psutil.pid_exists(child)
    finally:
        for pid in pids or [proc.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def test_keychain_file_shares_one_login_between_instances(sim: Sim) -> None:
    a, b = sim.tmp / "a", sim.tmp / "b"
    keychain = sim.tmp / "os-keychain.json"
    env = {"SIMBWDC_KEYCHAIN_FILE": str(keychain)}
    for appdata in (a, b):
        sim.run("--version", appdata=appdata, plaintext=False, env=env)
    sim.login(appdata=a, plaintext=False, env=env)
    text = (a / "data.json").read_text()
    assert SECRET not in text and "accessToken" not in text
    entries = json.loads(keychain.read_text())
    assert entries["apiKeyClientSecret"] == SECRET and entries["apiKeyClientId"] == CLIENT_ID
    res = sim.run(
        "login",
        appdata=b,
        plaintext=False,
        env={**env, "BW_CLIENTID": CLIENT_ID, "BW_CLIENTSECRET": "other"},
    )
    assert (res.code, res.err) == (1, b"You are already logged in as organization.null.\n")
    res = sim.run("sync", appdata=b, plaintext=False, env=env)
    assert res.out.endswith(b"Synced 5 group(s) and 20 user(s).\n")
    res = sim.run("config", "ldap.password", LDAP_PWD, appdata=b, plaintext=False, env=env)
    assert res.code == 0
    assert json.loads(keychain.read_text())["secretLdap"] == LDAP_PWD
    assert sim.data(b)[ORG]["directoryConfigurations"]["ldap"]["password"] == "[STORED SECURELY]"
    assert sim.run("logout", appdata=b, plaintext=False, env=env).out == b"You have logged out.\n"
    res = sim.run("sync", appdata=a, plaintext=False, env=env)
    assert (res.code, res.err) == (1, b"You are not logged in.\n")
    assert SECRET not in keychain.read_text()


@posix_only("POSIX file modes: 0600")
def test_config_secrets_inline_and_cleared(sim: Sim) -> None:
    sim.login()
    secret_file = sim.tmp / "pw.txt"
    secret_file.write_text("from-file\nsecond line\n")
    res = sim.run("config", "ldap.password", "--secretfile", str(secret_file))
    assert res.out == b"Saved setting `ldap.password`.\n"
    assert sim.account()["directoryConfigurations"]["ldap"]["password"] == "from-file"
    res = sim.run("config", "ldap.password", "")
    assert res.code == 0
    assert sim.account()["directoryConfigurations"]["ldap"]["password"] is None
    res = sim.run("config", "--secretenv", "MY_KEY", "OKTA.TOKEN", env={"MY_KEY": "tok"})
    assert res.out == b"Saved setting `okta.token`.\n"
    assert sim.account()["directoryConfigurations"]["okta"] == {"token": "tok"}
    assert sim.run("config", "server", "vault.example.com").code == 0
    assert sim.data()["global"]["environmentUrls"]["base"] == "https://vault.example.com"
    res = sim.run("login", scenario="server-unreachable", env={"BW_CLIENTID": CLIENT_ID})
    assert res.code == 1  # already logged in comes first
    assert sim.run("logout").code == 0
    res = sim.run(
        "login",
        scenario="server-unreachable",
        env={"BW_CLIENTID": CLIENT_ID, "BW_CLIENTSECRET": "x"},
    )
    assert res.err == (
        b"request to https://vault.example.com/identity/connect/token failed, reason: "
        b"connect ECONNREFUSED vault.example.com:443\n"
    )
    # The scrub after a run still works when logged out.
    assert sim.run("config", "okta.token", "").code == 0
    assert stat.S_IMODE((sim.appdata / "data.json").stat().st_mode) == 0o600


def test_flags_anywhere_and_their_environment_variables(sim: Sim) -> None:
    res = sim.run("sync", "--response")
    assert res.out == b'{"success":false,"message":"You are not logged in."}\n'
    res = sim.run("sync", env={"BW_RESPONSE": "true", "BW_PRETTY": "true"})
    assert res.out == b'{\n  "success": false,\n  "message": "You are not logged in."\n}\n'
    assert sim.run("sync", env={"BW_CLEANEXIT": "false"}).code == 0  # any non-empty value
    assert sim.run("sync", env={"BW_RESPONSE": "1"}).err == b"You are not logged in.\n"
    assert sim.run("sync", env={"BW_QUIET": "true"}) == Result(1, b"", b"")
    res = sim.run("login", "--nointeraction", env={"BW_CLIENTID": CLIENT_ID})
    assert res.err == b"Client Secret is required.\n"
    res = sim.run("login", CLIENT_ID, SECRET)  # positional credentials, like the real one
    assert res.code == 0 and sim.account()["keys"]["apiKeyClientSecret"] == SECRET
    assert sim.run("sync", "--bogus") == Result(1, b"", b"error: unknown option '--bogus'\n")
    res = sim.run("config", "ldap.password", "--secretenv")
    assert res.err == b"error: option '--secretenv <variable-name>' argument missing\n"
    assert sim.run("--raw", "data-file").out == str(sim.appdata / "data.json").encode() + b"\n"
    res = sim.run("login", env={"BW_CLIENTID": "user.123", "BW_CLIENTSECRET": "x"})
    assert res.code == 1  # already logged in
    assert sim.run("-h", "test").out.startswith(b"Usage: bwdc test [options]\n")
    assert sim.run("help", "sync").out.startswith(b"Usage: bwdc sync [options]\n")


def test_login_rejects_a_client_id_that_is_not_an_organization_key(sim: Sim) -> None:
    sim.run("--version")
    res = sim.run(
        "login", "--nointeraction", env={"BW_CLIENTID": "user.abc", "BW_CLIENTSECRET": "x"}
    )
    assert (res.code, res.err) == (1, simbwdc.MSG_INVALID_CLIENT.encode() + b"\n")


def test_interactive_login_reads_the_prompts_from_stdin(sim: Sim) -> None:
    proc = subprocess.run(
        [str(sim.bwdc), "login"],
        env=sim.env(),
        input=f"{CLIENT_ID}\n{SECRET}\n".encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.endswith(b"? client_id: ? client_secret: ")


def test_version_env_and_default_data_dir(sim: Sim, tmp_path: Path) -> None:
    env = sim.env(
        {
            "SIMBWDC_VERSION": "2026.6.1",
            "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
            "HOME": str(tmp_path),
        }
    )
    del env["BITWARDENCLI_CONNECTOR_APPDATA_DIR"]
    res = sim.run("-v", full_env=env)
    assert res.out == b"2026.6.1\n"
    if sys.platform.startswith("linux"):
        assert (tmp_path / "xdg" / "Bitwarden Directory Connector" / "data.json").is_file()
    env["BITWARDEN_CONNECTOR_APPDATA_DIR"] = str(tmp_path / "second")
    sim.run("--version", full_env=env)
    assert (
        json.loads((tmp_path / "second" / "data.json").read_text())["global"]["installedVersion"]
        == "2026.6.1"
    )


def test_corrupt_data_json_is_backed_up_and_reset(sim: Sim) -> None:
    sim.run("--version")
    (sim.appdata / "data.json").write_text("{not json")
    assert sim.run("sync").err == b"You are not logged in.\n"
    assert (sim.appdata / "data.json.bak").read_text() == "{not json"
    assert sim.data()["global"]["stateVersion"] == 3


def test_run_in_process_and_as_module(sim: Sim) -> None:
    out, err = io.BytesIO(), io.BytesIO()
    env = {"BITWARDENCLI_CONNECTOR_APPDATA_DIR": str(sim.appdata), "BW_RESPONSE": "true"}
    assert simbwdc.run(["data-file"], env, out, err) == 0
    expected = {
        "success": True,
        "data": {"object": "string", "data": str(sim.appdata / "data.json")},
    }
    assert json.loads(out.getvalue()) == expected
    assert err.getvalue().startswith(b"Could not find dir")
    proc = subprocess.run(
        [sys.executable, "-m", "bwdc_tray.demo.simbwdc", "--version"],
        env=sim.env(),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=True,
    )
    assert proc.stdout == b"2026.4.0\n"


def test_simulator_imports_only_the_standard_library() -> None:
    code = (
        "import sys, bwdc_tray.demo.simbwdc; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] not in sys.stdlib_module_names "
        "and not m.startswith('_')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "['bwdc_tray', 'bwdc_tray.demo', 'bwdc_tray.demo.simbwdc']"


# --------------------------------------------------------------------------- the recorder


def test_recorder_keeps_argv_and_the_secret_hash_never_the_secret(sim: Sim) -> None:
    sim.login(env={"FORCE_COLOR": "0", "BW_NOINTERACTION": "true"})
    sim.run("sync", "--response")
    records = read_records(sim.record)
    assert [r["argv"] for r in records] == [["login"], ["sync", "--response"]]
    login, sync = records
    assert login["client_id"] == CLIENT_ID
    assert login["client_secret_in_env"] is True
    assert login["client_secret_sha256"] == hashlib.sha256(SECRET.encode()).hexdigest()
    assert SECRET not in sim.record.read_text()
    assert login["appdata"] == str(sim.appdata) and login["plaintext"] == "true"
    assert login["force_color"] == "0" and login["nointeraction"] == "true"
    assert "BW_CLIENTSECRET" in login["env_keys"] and "BW_CLIENTSECRET" not in sync["env_keys"]
    assert sync["client_secret_in_env"] is False and sync["client_secret_sha256"] is None
    for rec in records:
        assert rec["stdin_isatty"] is False
        assert rec["stdin_kind"] == "devnull" and rec["stdin_readable"] is False
        assert rec["ppid"] == os.getpid() and rec["pid"] != os.getpid()
        assert isinstance(rec["time"], float)


def test_recorder_sees_a_pipe_on_stdin(sim: Sim) -> None:
    subprocess.run(
        [str(sim.bwdc), "--version"], env=sim.env(), input=b"", capture_output=True, check=True
    )
    [rec] = read_records(sim.record)
    assert rec["stdin_kind"] == "pipe" and rec["stdin_readable"] is True


def test_read_records_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert read_records(tmp_path / "none.jsonl") == []

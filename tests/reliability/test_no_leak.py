"""No leak: the API key and the directory secret appear nowhere DESIGN §7 does not allow them.

Allowed: the keyring (the FileKeyring file stands for the OS keyring, SIMBWDC_KEYCHAIN_FILE for
bwdc's own keychain), the environment of the bwdc process, and, in isolated (plaintext) mode,
data.json in the 0700 data folder while a run is on. Everything else is checked: the argv of every
process these tests start and the environment of each one that is not bwdc (sampled every few ms
while the commands run), every file under the test's folder (home, data folders, logs, XDG
folders, HOME, TMPDIR, the fake crontab), every artifact of the four scheduler backends, and the
output of every command, in every form a writer could give a secret (tests/fakes/canary.py).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.conftest import CANARY, CLIENT_ID, DIR_CANARY, REPO, World
from tests.fakes.canary import assert_no_canary, files_under, find, scan
from tests.support.platforms import posix_only

# The sampler recognises bwdc by the argv of the fake's #! script; the kill and SIGTERM tests
# need POSIX signals, and the folder checks POSIX modes.
pytestmark = posix_only("#! fake bwdc scripts, POSIX signals and file modes")

SECRETS = {"client secret": CANARY, "directory secret": DIR_CANARY}
ORG_DATA = "data.json"
# A secret a JSON or XML writer must escape, and that is no ASCII.
ODD_SECRET = 'canary"Zq9x\\7f3e-é<&>-SECRET'
# A multi-line directory secret: a Google Workspace private key is a PEM.
PEM_SECRET = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7pemcanary01\n"
    "q9Zx7f3eLk2p9w1vQm4Rt8YuIoPaSdFgHjKlZxCvBnMqWeRtYuIoPcanary02\n"
    "-----END PRIVATE KEY-----"
)


# --- sampling every process while commands run -------------------------------------------------


@dataclass
class Sample:
    pid: int
    cmdline: tuple[str, ...]
    environ: dict[str, str] | None
    ours: bool  # started by this test (a descendant of pytest), so its environment is checked


@dataclass
class ProcessSampler:
    """Every few ms, the argv of every new process, and the argv and environment of ours each
    time they exec (a fork shows its parent's argv until then)."""

    interval: float = 0.002
    samples: list[Sample] = field(default_factory=list)
    sweeps: int = 0
    _procs: dict[int, tuple[psutil.Process, bool]] = field(default_factory=dict)
    _last: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _error: BaseException | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._error is not None:
            raise self._error

    def _loop(self) -> None:
        me = os.getpid()
        try:
            while not self._stop.is_set():
                self._sweep(me)
                self.sweeps += 1
                time.sleep(self.interval)
        except BaseException as exc:  # surfaced by stop()
            self._error = exc

    def _ours(self, proc: psutil.Process, me: int) -> bool:
        """A descendant of pytest: started by this test, directly or not."""
        for _ in range(64):
            parent = proc.ppid()
            if parent == me:
                return True
            if parent <= 1:
                return False
            if parent in self._procs:
                return self._procs[parent][1]
            proc = psutil.Process(parent)
        return False

    def _sweep(self, me: int) -> None:
        pids = psutil.pids()
        for gone in set(self._procs) - set(pids):  # a reused pid is a new process
            del self._procs[gone]
            self._last.pop(gone, None)
        for pid in pids:
            try:
                known = self._procs.get(pid)
                if known is None:
                    proc = psutil.Process(pid)
                    known = self._procs[pid] = (proc, pid != me and self._ours(proc, me))
                elif not known[1]:
                    continue  # others' processes: their argv was read when they appeared
                proc, ours = known
                cmdline = tuple(proc.cmdline())
                if self._last.get(pid) == cmdline:
                    continue
                environ = proc.environ() if ours else None
                if ours and tuple(proc.cmdline()) != cmdline:
                    continue  # it exec'd between the reads: the next sweep sees it whole
            except psutil.Error:
                continue
            self._last[pid] = cmdline
            self.samples.append(Sample(pid, cmdline, environ, ours))

    def bwdc(self, bwdc_paths: set[str], verb: str | None = None) -> list[Sample]:
        return [
            s
            for s in self.samples
            if bwdc_paths & set(s.cmdline) and (verb is None or verb in s.cmdline)
        ]


# --- the harness -------------------------------------------------------------------------------


@dataclass
class Leak:
    world: World
    sampler: ProcessSampler
    keychain: Path  # bwdc's own keychain (SIMBWDC_KEYCHAIN_FILE), an allowed place
    bwdc_paths: set[str]
    streams: dict[str, str] = field(default_factory=dict)

    def cli(self, *args: str, stdin: str = "", expect: int | None = 0) -> Any:
        res = self.world.cli(*args, stdin=stdin)
        label = " ".join(args)
        self.streams[f"stdout of `{label}` #{len(self.streams)}"] = res.out
        self.streams[f"stderr of `{label}` #{len(self.streams)}"] = res.err
        if expect is not None:
            assert res.code == expect, (label, res.out, res.err)
        return res

    def finished(self, label: str, proc: subprocess.Popen[str], timeout: float = 60) -> int:
        out, err = proc.communicate(timeout=timeout)
        self.streams[f"stdout of {label}"] = out
        self.streams[f"stderr of {label}"] = err
        return proc.returncode

    def secret_set(self, name: str, secret: str = CANARY, directory: str = DIR_CANARY) -> None:
        self.cli("secret", "set", name, "--stdin", stdin=f"{CLIENT_ID}\n{secret}\n{directory}\n")

    def allowed(self, path: Path, *, during_run: bool = False) -> bool:
        if path in (self.world.tmp / "keyring.json", self.keychain):
            return True
        # bwdc's own writes of data.json (lowdb: temp file, then rename) during a run.
        return during_run and (path.name == ORG_DATA or path.name.startswith(f".{ORG_DATA}."))

    def check(
        self,
        secrets: dict[str, str] | None = None,
        *,
        during_run: bool = False,
        texts: dict[str, str] | None = None,
    ) -> int:
        """Scan every file, output and process seen so far; returns how many files were read."""
        secrets = secrets or SECRETS
        hits, read = scan(
            [self.world.tmp],
            {
                **self.streams,
                **(texts or {}),
                "the environment of pytest (in-process runs)": json.dumps(dict(os.environ)),
            },
            secrets=secrets,
            allow=lambda p: self.allowed(p, during_run=during_run),
        )
        # The client id is no secret (a log may name the organization), but never goes in argv.
        argv_secrets = {**secrets, "client id": CLIENT_ID}
        # Only our processes: other test sessions on this machine use the same canaries.
        for s in [s for s in self.sampler.samples if s.ours]:
            argv = "\0".join(s.cmdline).encode()
            hits += find(argv, argv_secrets, f"argv of pid {s.pid} {s.cmdline}")
            if s.environ is not None and not self.bwdc_paths & set(s.cmdline):
                env = "\0".join(f"{k}={v}" for k, v in s.environ.items()).encode()
                hits += find(env, secrets, f"environment of pid {s.pid} {s.cmdline}")
        assert not hits, f"secret found in {len(hits)} place(s):\n  " + "\n  ".join(
            str(h) for h in hits[:15]
        )
        return read

    def assert_saw_bwdc(self, *verbs: str) -> None:
        """The sampler saw the bwdc calls that carried a secret (each lasts at least the
        scenario's delay), and the secret where it belongs: the login's environment. Without
        this, argv and environment checks that saw nothing would pass."""
        carried = {
            c["pid"]: c["argv"]
            for c in self.world.calls()
            if c["client_secret_in_env"] or "--secretenv" in c["argv"]
        }
        seen = self.sampler.bwdc(self.bwdc_paths)
        missed = {pid: argv for pid, argv in carried.items() if pid not in {s.pid for s in seen}}
        assert carried and not missed, f"the sampler missed these bwdc calls: {missed}"
        for verb in ("login", *verbs):
            assert any(verb in s.cmdline for s in seen), f"the sampler never saw `bwdc {verb}`"
        logins = self.sampler.bwdc(self.bwdc_paths, "login")
        assert any(s.environ and s.environ.get("BW_CLIENTSECRET") for s in logins)


@pytest.fixture
def leak(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Leak]:
    # Widen what the file scan covers: whatever lands in ~ or in a temp folder is under tmp_path.
    for var, sub in (("HOME", "user-home"), ("TMPDIR", "tmp"), ("XDG_CACHE_HOME", "xdg-cache")):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    sampler = ProcessSampler()
    sampler.start()
    harness = Leak(world, sampler, tmp_path / "os-keychain.json", {str(world.bwdc)})
    try:
        yield harness
    finally:
        sampler.stop()


def _wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError("condition not reached")


def _status(leak: Leak, name: str) -> dict[str, Any]:
    [item] = json.loads(leak.cli("status", name, "--json").out)
    assert isinstance(item, dict)
    return item


def _data_json(appdata: Path) -> bytes:
    return (appdata / ORG_DATA).read_bytes()


def _reap(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


# --- runs ----------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("login", ["isolated", "keychain"])
def test_a_scheduled_run_shows_the_secret_only_to_bwdc_and_leaves_it_nowhere(
    leak: Leak, login: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIMBWDC_KEYCHAIN_FILE", str(leak.keychain))
    appdata = leak.world.add("corp", login=login, delay=0.4, secrets=False)
    leak.secret_set("corp")
    run = leak.world.proc("run", "corp", "--trigger", "schedule", background=True)
    try:
        _wait_for(lambda: "sync" in leak.world.verbs())
        # Mid-run: in isolated mode data.json holds the key (the scan is not blind), in a 0700
        # folder; in keychain mode bwdc's keychain does. Nothing else does, and what reads the
        # data folder meanwhile does not show it.
        if login == "isolated":
            assert CANARY.encode() in _data_json(appdata)
            assert stat.S_IMODE(appdata.stat().st_mode) & 0o077 == 0
        else:
            assert CANARY.encode() not in _data_json(appdata)
            assert CANARY.encode() in leak.keychain.read_bytes()
        for args in (
            ("status", "--json"),
            ("instance", "show", "corp", "--json"),
            ("instance", "show", "corp"),
            ("log", "corp"),
        ):
            leak.cli(*args)
        leak.cli("doctor", "corp", expect=None)
        leak.check(during_run=True)
        code = leak.finished("run corp", run)
    finally:
        _reap(run)
    assert code == 0, leak.streams
    assert _status(leak, "corp")["state"] == "ok"
    leak.assert_saw_bwdc("login", "sync", "logout", "config")
    assert leak.check() > 5


@pytest.mark.slow
def test_a_run_stopped_at_its_timeout_leaves_no_secret(leak: Leak) -> None:
    appdata = leak.world.add("corp", "hang", timeout=2, delay=0.1, secrets=False)
    leak.secret_set("corp")
    run = leak.world.proc("run", "corp", background=True)
    try:
        code = leak.finished("run corp", run)
    finally:
        _reap(run)
    assert code == 4
    assert _status(leak, "corp")["state"] == "timeout"
    leak.assert_saw_bwdc("login", "sync", "logout")
    assert CANARY.encode() not in _data_json(appdata)
    leak.check()


@pytest.mark.slow
def test_a_run_whose_bwdc_was_killed_leaves_no_secret(leak: Leak) -> None:
    appdata = leak.world.add("corp", delay=0.5, secrets=False)
    leak.secret_set("corp")
    run = leak.world.proc("run", "corp", background=True)
    try:
        _wait_for(lambda: "sync" in leak.world.verbs())
        sync = next(c for c in leak.world.calls() if "sync" in c["argv"])
        assert CANARY.encode() in _data_json(appdata)
        os.kill(sync["pid"], signal.SIGKILL)  # the OOM killer, an admin's kill -9
        code = leak.finished("run corp", run)
    finally:
        _reap(run)
    assert code == 1
    leak.assert_saw_bwdc("login", "sync", "logout")
    assert CANARY.encode() not in _data_json(appdata)
    assert DIR_CANARY.encode() not in _data_json(appdata)
    leak.check()


@pytest.mark.slow
def test_a_run_stopped_by_sigterm_takes_the_secrets_back_before_it_exits(leak: Leak) -> None:
    appdata = leak.world.add("corp", delay=0.5, secrets=False)
    leak.secret_set("corp")
    run = leak.world.proc("run", "corp", background=True)
    try:
        _wait_for(lambda: "sync" in leak.world.verbs())
        run.send_signal(signal.SIGTERM)  # a scheduler stopping the job
        code = leak.finished("run corp", run)
    finally:
        _reap(run)
    assert code == 1
    leak.assert_saw_bwdc("login", "sync", "logout")
    assert CANARY.encode() not in _data_json(appdata)
    leak.check()


@pytest.mark.slow
def test_after_a_killed_runner_the_next_run_scrubs_the_data_folder_first(leak: Leak) -> None:
    appdata = leak.world.add("corp", delay=0.6, secrets=False)
    leak.secret_set("corp")
    first = leak.world.proc("run", "corp", background=True)
    try:
        _wait_for(lambda: "sync" in leak.world.verbs())
        _wait_for(lambda: DIR_CANARY.encode() in _data_json(appdata))
        os.kill(first.pid, signal.SIGKILL)  # a crash: nothing of ours can clean up now
        leak.finished("the killed run", first)
    finally:
        _reap(first)
    # Until the next run, only data.json (bwdc's, in the 0700 folder) holds them.
    leak.check(during_run=True)
    (appdata / "simulator.json").write_text(json.dumps({"scenario": "ok", "delay": 0.1, "cpu": 0}))
    leak.cli("run", "corp")
    assert "interrupted" in (appdata / "bwdc.log").read_text()
    leak.assert_saw_bwdc("login", "sync", "logout")
    leak.check()


FAILURES = [
    ("isolated", "invalid-client", 1, False),
    ("isolated", "ldap-unreachable", 1, False),
    ("isolated", "crash-401", 1, False),
    ("isolated", "not-logged-in", 0, False),  # logs in a second time
    ("isolated", "ok", 0, True),  # dry run: `bwdc test`
    ("keychain", "ok", 0, True),
    ("keychain", "invalid-client", 1, False),
    ("keychain", "no keychain", 1, False),  # headless bwdc 2026.4.0 keeps the key in data.json
]


@pytest.mark.parametrize(("login", "scenario", "code", "dry_run"), FAILURES)
def test_no_run_outcome_leaves_a_secret_behind(
    leak: Leak,
    monkeypatch: pytest.MonkeyPatch,
    login: str,
    scenario: str,
    code: int,
    dry_run: bool,
) -> None:
    if scenario != "no keychain":
        monkeypatch.setenv("SIMBWDC_KEYCHAIN_FILE", str(leak.keychain))
    appdata = leak.world.add(
        "corp", "ok" if scenario == "no keychain" else scenario, login=login, delay=0.1
    )
    leak.secret_set("corp")
    args = ("run", "corp", *(["--dry-run"] if dry_run else []))
    leak.cli(*args, expect=code)
    leak.cli("status", "--json")
    leak.cli("log", "corp", "--runs", "5")
    leak.assert_saw_bwdc("login")
    assert CANARY.encode() not in _data_json(appdata)
    leak.check()


# --- a bwdc that prints the secrets back ---------------------------------------------------------

_ECHO_BWDC = """\
#!{python}
# Prints every secret it is given, in its output and in its error messages.
import json, os, sys

sys.path.insert(0, {repo!r})
from tests.fakes import fake_bwdc

if os.environ.get(fake_bwdc.RECORD_ENV):
    fake_bwdc._record(os.environ[fake_bwdc.RECORD_ENV])
for var in ("BW_CLIENTSECRET", "BWDC_TRAY_DIRECTORY_SECRET"):
    value = os.environ.get(var)
    if value:
        print(f"debug: {{var}}={{value}}", flush=True)
        print(f"Error: rejected {{value}}\\n    at Object.<anonymous> (/snapshot/bwdc.js:1:1)",
              file=sys.stderr, flush=True)
        print(json.dumps({{"debug": value}}), flush=True)
        print(json.dumps({{"debug": value}}, ensure_ascii=False), flush=True)
fail = os.environ.get("ECHO_FAIL")
value = os.environ.get("BW_CLIENTSECRET") or os.environ.get("BWDC_TRAY_DIRECTORY_SECRET")
if fail and fail in sys.argv and value:  # fail, quoting the secret in the error message
    print(json.dumps({{"success": False, "message": f"invalid_client: {{value}} was refused"}}))
    sys.exit(1)
from bwdc_tray.demo import simbwdc

sys.exit(simbwdc.main(sys.argv[1:]))
"""


def _echo_bwdc(leak: Leak) -> Path:
    bindir = leak.world.tmp / "echo-bin"
    bindir.mkdir()
    exe = bindir / "bwdc"
    exe.write_text(_ECHO_BWDC.format(python=sys.executable, repo=str(REPO)))
    exe.chmod(0o755)
    leak.bwdc_paths.add(str(exe))
    return exe


def _add_with(leak: Leak, name: str, exe: Path, directory_type: int = 0) -> Path:
    appdata = leak.world.add(name, directory_type=directory_type, delay=0.1, secrets=False)
    leak.cli("instance", "set", name, "--bwdc", str(exe))
    return appdata


@pytest.mark.parametrize(
    ("secret", "fail"),
    [(CANARY, None), (CANARY, "login"), (ODD_SECRET, None), (ODD_SECRET, "config")],
    ids=["plain", "plain-login-fails", "escaped", "escaped-config-fails"],
)
def test_secrets_bwdc_prints_back_are_redacted_from_log_status_and_output(
    leak: Leak, monkeypatch: pytest.MonkeyPatch, secret: str, fail: str | None
) -> None:
    if fail:
        monkeypatch.setenv("ECHO_FAIL", fail)
    _add_with(leak, "corp", _echo_bwdc(leak))
    leak.secret_set("corp", secret=secret, directory=f"dir-{secret}")
    code = 1 if fail else 0
    leak.cli("run", "corp", expect=code)
    leak.cli("run", "corp", "--dry-run", "--json", expect=code)
    leak.cli("status")
    leak.cli("status", "--json")
    leak.cli("log", "corp", "--runs", "5")
    log = (leak.world.tmp / "data" / "corp" / "bwdc.log").read_text()
    assert "[redacted]" in log  # bwdc did print them: the check below is not vacuous
    leak.assert_saw_bwdc()
    leak.check({"client secret": secret, "directory secret": f"dir-{secret}"})


def test_a_multi_line_directory_secret_bwdc_prints_back_is_redacted(leak: Leak) -> None:
    appdata = _add_with(leak, "gsuite", _echo_bwdc(leak), directory_type=2)
    leak.secret_set("gsuite", directory=PEM_SECRET)
    leak.cli("run", "gsuite")
    leak.cli("log", "gsuite", "--runs", "5")
    leak.assert_saw_bwdc("config")
    leak.check({"client secret": CANARY})
    # bwdc printed the key (as a Node error would): its lines must not reach the log.
    assert_no_canary([appdata / "bwdc.log"], secrets={"directory secret": PEM_SECRET})
    leak.check({"client secret": CANARY, "directory secret": PEM_SECRET})


# --- every other command -----------------------------------------------------------------------


def _spy_on_path(leak: Leak, monkeypatch: pytest.MonkeyPatch, command: str) -> Path:
    """Put a wrapper of ``command`` first on PATH that appends its argv and environment to a
    record file (scanned with the rest), then runs the real one; returns the record file."""
    import shlex
    import shutil

    target = shutil.which(command)
    assert target is not None
    bindir = leak.world.tmp / "spy-bin"
    bindir.mkdir(exist_ok=True)
    record = shlex.quote(str(leak.world.tmp / f"spy-{command}.log"))
    script = bindir / command
    script.write_text(
        "#!/bin/sh\n"
        f'{{ echo "argv: $*"; env; echo; }} >> {record}\n'
        f'exec {shlex.quote(target)} "$@"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return leak.world.tmp / f"spy-{command}.log"


def test_no_command_prints_writes_or_schedules_a_secret(
    leak: Leak, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwdc_tray.config import ConfigStore
    from bwdc_tray.paths import resolve
    from bwdc_tray.schedule import backends, jobs

    monkeypatch.setenv("SIMBWDC_KEYCHAIN_FILE", str(leak.keychain))
    crontab_calls = _spy_on_path(leak, monkeypatch, "crontab")
    tmp = leak.world.tmp
    leak.world.add("corp", delay=0.1, secrets=False)
    leak.world.add("vault", login="keychain", delay=0.1, secrets=False)
    leak.world.add("svc", delay=0.1, secrets=False)
    for name in ("corp", "vault", "svc"):
        leak.secret_set(name)
    leak.cli("instance", "set", "vault", "--log", str(tmp / "logs" / "vault.log"))
    leak.cli("instance", "set", "corp", "--label", "Head office")
    leak.cli("run", "corp")
    leak.cli("run", "vault")
    leak.cli("run", "svc", "--dry-run")
    leak.cli("schedule", "set", "corp", "daily", "02:30")
    leak.cli("schedule", "set", "vault", "every", "2h", "--backend", "cron")
    leak.cli("schedule", "set", "svc", "weekly", "mon,thu", "03:00", "--run-as", "bwdcsvc")
    for name in ("corp", "vault", "svc"):
        leak.cli("instance", "show", name)
        leak.cli("instance", "show", name, "--json")
        leak.cli("secret", "check", name)
        leak.cli("schedule", "show", name)
        leak.cli("schedule", "show", name, "--json")
        for backend in backends.NAMES:
            leak.cli("schedule", "render", name, "--backend", backend)
        leak.cli("log", name, "--runs", "3")
    for args in (
        ("instance", "list"),
        ("instance", "list", "--json"),
        ("status",),
        ("status", "--json"),
        ("schedule", "sync"),
        ("schedule", "pause"),
        ("schedule", "resume"),
        ("export",),
        ("export", str(tmp / "fleet.json")),
        ("import", str(tmp / "fleet.json")),
        ("import", str(tmp / "fleet.json"), "--replace"),
    ):
        leak.cli(*args)
    for args in (("doctor",), ("doctor", "--json")):
        leak.cli(*args, expect=None)  # may warn or fail about this machine; it must not leak
    # Every artifact of every backend, from each instance's JobSpec as the schedule code builds it.
    paths = resolve(None)
    artifacts = {}
    for inst in ConfigStore(paths).load().instances.values():
        spec = jobs.spec_for(paths, inst)
        assert spec is not None
        for backend in backends.NAMES:
            artifacts[f"{backend} artifact of {inst.name}"] = backends.get(backend).render(spec)
    tables = files_under([fake_crontab])
    assert any("run corp" in p.read_text() for p in tables if p.name != "calls.log")
    assert crontab_calls.exists()
    # doctor asked our CLI for the secrets in cron's environment, as a child process.
    assert any(
        s.ours and "secret" in s.cmdline and "check" in s.cmdline for s in leak.sampler.samples
    )
    leak.assert_saw_bwdc("login", "sync", "test")
    leak.check(texts=artifacts)
    assert_no_canary(texts=artifacts, secrets={"client id": CLIENT_ID})
    assert_no_canary(tables, secrets={"client id": CLIENT_ID})
    leak.cli("schedule", "clear", "corp")
    leak.cli("instance", "remove", "vault")
    leak.cli("secret", "clear", "svc")
    leak.check()


def test_secret_set_never_echoes_a_value_it_refuses(leak: Leak) -> None:
    leak.world.add("corp", secrets=False)
    # Lines typed in the wrong order: the client secret where the client id goes.
    leak.cli("secret", "set", "corp", "--stdin", stdin=f"{CANARY}\n{DIR_CANARY}\n", expect=2)
    leak.cli("secret", "set", "corp", "--stdin", stdin=f"{CLIENT_ID}\n\n{DIR_CANARY}\n", expect=2)
    leak.cli("secret", "check", "corp", expect=5)
    leak.check()


def test_a_broken_data_json_holding_the_key_is_never_quoted(leak: Leak) -> None:
    """A bwdc killed mid-write leaves a cut data.json with the key: our messages describe the
    file, they do not quote it."""
    appdata = leak.world.add("corp", secrets=False)
    leak.secret_set("corp")
    cut = f'{{"org": {{"keys": {{"apiKeyClientSecret": "{CANARY}", "password": "{DIR_CANARY}"'
    (appdata / ORG_DATA).write_text(cut)
    leak.cli("run", "corp", expect=5)
    leak.cli("run", "corp", "--json", expect=5)
    for args in (
        ("instance", "show", "corp"),
        ("instance", "show", "corp", "--json"),
        ("instance", "list", "--json"),
        ("status", "--json"),
        ("log", "corp"),
    ):
        leak.cli(*args)
    leak.cli("doctor", "corp", expect=None)
    leak.cli("doctor", "corp", "--json", expect=None)
    # data.json is bwdc's own (and still holds the key, as bwdc left it): everything else is ours.
    assert (appdata / ORG_DATA).read_text() == cut
    leak.check(during_run=True)

"""The one runner: `bwdc-tray run NAME`, whether from the CLI, the tray or an OS job.

One run = take the instance lock, log in, sync (or test), log out, with everything bwdc says
appended to the instance log between a start and an end marker, and a status file written
atomically for the GUI. Secrets reach bwdc only through the environment of the call that needs
them, and are redacted from everything we write.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets as pysecrets
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bwdc_tray import bwdc, datajson, logs
from bwdc_tray.config import ConfigStore, Instance
from bwdc_tray.errors import BwdcTrayError, Exit
from bwdc_tray.fsutil import atomic_write_text, ensure_private_dir
from bwdc_tray.locking import AlreadyRunning, GlobalKeychainLock, Holder, InstanceLock
from bwdc_tray.paths import Paths
from bwdc_tray.secrets import Secrets, load, open_store

LOG_ROTATE_BYTES = 10 * 1024 * 1024
CLEANUP_TIMEOUT_S = 120.0


def now() -> datetime:
    return datetime.now().astimezone()


def ts(moment: datetime | None = None) -> str:
    return (moment or now()).isoformat(timespec="milliseconds")


class Interrupted(KeyboardInterrupt):
    """SIGTERM or Ctrl-C during a run: end it cleanly (API key removed, end marker written)."""


def raise_interrupted(signum: int, _frame: object) -> None:
    import signal

    raise Interrupted(signal.Signals(signum).name)


@dataclass
class Outcome:
    exit_code: Exit
    result: str  # ok | failed | timeout | error | locked
    message: str
    groups: int | None = None
    users: int | None = None
    bwdc_exit: int | None = None
    hint: str | None = None
    holder: Holder | None = None
    preview: dict[str, Any] | None = None  # the `bwdc test` data of a dry run
    run_id: str | None = None


class RunLog:
    """One run's block in the instance log, with every secret redacted before it is written."""

    def __init__(self, path: Path, secret_values: list[str]) -> None:
        self.path = path
        self._secrets = sorted({s for s in secret_values if s}, key=len, reverse=True)
        # A log we cannot rotate is still one we can append to.
        with contextlib.suppress(OSError):
            logs.rotate_if_needed(path, LOG_ROTATE_BYTES)
        self.writer = logs.LogWriter(path, redact=self.redact)

    def redact(self, text: str) -> str:
        for value in self._secrets:
            text = text.replace(value, "[redacted]")
        return text

    def start(self, **fields: Any) -> None:
        self.writer.start(**fields)

    def line(self, stream: str, text: str) -> None:
        self.writer.output(stream, text)

    def end(self, **fields: Any) -> None:
        self.writer.end(**fields)

    def close(self) -> None:
        self.writer.close()


@dataclass
class _Run:
    paths: Paths
    inst: Instance
    exe: str
    secrets: Secrets
    log: RunLog
    deadline: float
    dry_run: bool
    lock: InstanceLock
    notes: list[str] = field(default_factory=list)
    logged_in: bool = False
    dir_secret_set: str | None = None

    @property
    def plaintext(self) -> bool:
        return self.inst.login == "isolated"

    def note(self, text: str) -> None:
        self.log.line("app", text)

    def call(
        self, *args: str, extra_env: dict[str, str] | None = None, deadline: float | None = None
    ) -> bwdc.CallResult:
        env = bwdc.child_env(self.inst.appdata, plaintext=self.plaintext, extra=extra_env)
        self.note("$ bwdc " + " ".join(args))
        result = bwdc.call(
            self.exe,
            args,
            env,
            deadline or self.deadline,
            self.log.line,
            cwd=self.inst.appdata,
            on_start=self.lock.set_child,
        )
        self.lock.set_child(None)
        if result.timed_out:
            self.note(
                f"stopped bwdc {args[-1]} at the timeout ({self.inst.timeout:g} s), "
                "with every process it started"
            )
        return result

    def login(self) -> bwdc.CallResult:
        assert self.secrets.client_id and self.secrets.client_secret
        env = {"BW_CLIENTID": self.secrets.client_id, "BW_CLIENTSECRET": self.secrets.client_secret}
        result = self.call("--response", "login", extra_env=env)
        if not result.ok and result.says(bwdc.ALREADY_LOGGED_IN):
            # A login left over (a crash, another tool, or another instance in keychain mode):
            # ours may differ, so start from a clean one.
            self.note(
                "bwdc was already logged in: logging out and in again with this instance's API key"
            )
            self.call("--response", "logout")
            result = self.call("--response", "login", extra_env=env)
        self.logged_in = self.logged_in or result.ok
        return result

    def logout(self, deadline: float | None = None) -> None:
        result = self.call("--response", "logout", deadline=deadline)
        if result.ok or result.says(bwdc.NOT_LOGGED_IN):
            self.logged_in = False

    def set_directory_secret(self) -> bwdc.CallResult | None:
        secret = self.secrets.directory_secret
        if not secret:
            return None
        info = datajson.read(self.inst.appdata)
        setting = datajson.DIRECTORY_SECRET_SETTING.get(
            -1 if info.directory_type is None else info.directory_type
        )
        if setting is None:
            self.note(
                "a directory secret is stored but data.json names no directory type; "
                "not passing it to bwdc"
            )
            return None
        result = self.call(
            "--response",
            "config",
            setting,
            "--secretenv",
            bwdc.DIRECTORY_SECRET_ENV,
            extra_env={bwdc.DIRECTORY_SECRET_ENV: secret},
        )
        if result.ok and self.plaintext:
            self.dir_secret_set = setting
        return result

    def clear_directory_secret(self, deadline: float) -> None:
        if self.dir_secret_set is None:
            return
        result = self.call("--response", "config", self.dir_secret_set, "", deadline=deadline)
        if result.ok:
            self.dir_secret_set = None


def _injection_marker(paths: Paths, name: str) -> Path:
    return paths.locks_dir / f"{name}.injected.json"


def _write_status(paths: Paths, name: str, payload: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        atomic_write_text(paths.status_file(name), json.dumps(payload, indent=1) + "\n")


def _prepare_appdata(run: _Run) -> None:
    appdata = run.inst.appdata
    if not appdata.exists():
        ensure_private_dir(appdata)
        run.note(f"created the data folder {appdata} (mode 0700)")
        return
    if os.name == "posix" and run.plaintext:
        mode = stat.S_IMODE(appdata.stat().st_mode)
        if mode & 0o077:
            # Plaintext mode puts the API key in data.json for the length of the run.
            appdata.chmod(mode & 0o700)
            run.note(
                f"tightened {appdata} from {mode:o} to {mode & 0o700:o}: bwdc writes the "
                "API key into data.json during the run"
            )


def execute(
    paths: Paths,
    name: str,
    trigger: str = "manual",
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Run one sync (or dry run) of ``name``; never raises for a failed run."""
    cfg = ConfigStore(paths).load()
    inst = cfg.get(name)
    run_id = now().strftime("%Y%m%dT%H%M%S") + "-" + pysecrets.token_hex(3)
    started = now()
    lock = InstanceLock(paths.locks_dir, name)
    try:
        lock.acquire(run_id, ts(started), trigger)
    except AlreadyRunning as busy:
        who = busy.holder
        detail = (
            f" (run {who.run_id}, pid {who.pid}, {who.trigger}, since {who.started})" if who else ""
        )
        return Outcome(Exit.LOCKED, "locked", f"{name} is already running{detail}", holder=who)
    try:
        return _locked_run(paths, inst, cfg.demo, run_id, started, trigger, dry_run, lock, progress)
    finally:
        lock.release()


def _locked_run(
    paths: Paths,
    inst: Instance,
    demo: bool,
    run_id: str,
    started: datetime,
    trigger: str,
    dry_run: bool,
    lock: InstanceLock,
    progress: Callable[[str], None] | None,
) -> Outcome:
    mode = "test" if dry_run else "sync"
    t0 = time.monotonic()
    deadline = t0 + inst.timeout

    # What can fail before bwdc starts still ends up in the log and the status.
    problem: BwdcTrayError | None = None
    secrets = Secrets()
    exe = inst.bwdc or bwdc.locate()
    try:
        if exe is None:
            raise BwdcTrayError(
                "bwdc not found on PATH or in the usual places",
                f"install the Directory Connector CLI, or `bwdc-tray instance "
                f"add {inst.name} --bwdc PATH` to point at it",
            )
        bad = bwdc.check_executable(exe)
        if bad:
            raise BwdcTrayError(bad, "install bwdc there, or change the instance's --bwdc path")
        info = datajson.read(inst.appdata)
        if info.layout in ("corrupt", "unreadable"):
            # bwdc replaces a data.json it cannot parse with {}: the directory setup would be lost.
            raise BwdcTrayError(
                f"{info.problem}; not running bwdc on it",
                f"restore {info.path} from a backup, or fix it by hand",
            )
        secrets = load(open_store(demo), inst.name)
        if not secrets.has_api_key:
            raise BwdcTrayError(
                f"no API key stored for {inst.name}", f"run `bwdc-tray secret set {inst.name}`"
            )
    except BwdcTrayError as exc:
        problem = exc
    version = bwdc.cached_version(exe, paths.cache_dir) if problem is None and exe else None

    try:
        log = RunLog(inst.log_path, secrets.values())
    except OSError as exc:
        return Outcome(
            Exit.ENVIRONMENT,
            "error",
            f"cannot write the log {inst.log_path}: {exc.strerror}",
            hint="check the folder's permissions or choose "
            "another file with `instance add … --log FILE`",
            run_id=run_id,
        )
    log.start(
        run_id=run_id,
        instance=inst.name,
        trigger=trigger,
        mode=mode,
        bwdc_version=version,
        pid=os.getpid(),
    )
    status: dict[str, Any] = {
        "name": inst.name,
        "state": "running",
        "run": run_id,
        "started": ts(started),
        "trigger": trigger,
        "mode": mode,
        "pid": os.getpid(),
    }
    if not dry_run:
        _write_status(paths, inst.name, status)
    if lock.stale is not None:
        stale = lock.stale
        log.line(
            "app",
            f"cleared a stale lock left by run {stale.run_id} (pid {stale.pid}, started "
            f"{stale.started}), which was killed",
        )
        if stale.child_pid is not None and bwdc.kill_tree(stale.child_pid, stale.child_create_time):
            log.line("app", f"stopped the bwdc that run left behind (pid {stale.child_pid})")

    outcome: Outcome
    try:
        if problem is not None:
            outcome = Outcome(Exit.ENVIRONMENT, "error", problem.message, hint=problem.remedy)
        else:
            assert exe is not None
            run = _Run(paths, inst, exe, secrets, log, deadline, dry_run, lock)
            if progress:
                progress(f"{inst.name}: {'testing' if dry_run else 'syncing'}…")
            outcome = _drive(run, version)
    except Interrupted as exc:
        outcome = Outcome(Exit.SYNC_FAILED, "error", f"the run was stopped ({exc})")
    except Exception as exc:  # a run always ends with an end marker, whatever went wrong
        outcome = Outcome(Exit.ENVIRONMENT, "error", f"bwdc-tray failed: {exc!r}")
    outcome.run_id = run_id
    duration = round(time.monotonic() - t0, 3)
    log.end(
        run_id=run_id,
        result=outcome.result,
        exit_code=outcome.bwdc_exit,
        duration_s=duration,
        groups=outcome.groups,
        users=outcome.users,
        message=outcome.message,
        mode=mode,
    )
    log.close()
    outcome.message = log.redact(outcome.message)
    if not dry_run:
        status.update(
            state=_state_of(outcome.result),
            finished=ts(),
            result=outcome.result,
            exit_code=outcome.bwdc_exit,
            groups=outcome.groups,
            users=outcome.users,
            message=outcome.message,
            duration_s=duration,
        )
        status.pop("pid", None)
        _write_status(paths, inst.name, status)
    return outcome


def _state_of(result: str) -> str:
    return {"ok": "ok", "timeout": "timeout"}.get(result, "failed")


def _drive(run: _Run, version: str | None) -> Outcome:
    inst = run.inst
    marker = _injection_marker(run.paths, inst.name)
    keychain_lock: GlobalKeychainLock | None = None
    _prepare_appdata(run)
    if inst.login == "keychain":
        keychain_lock = GlobalKeychainLock(run.paths.locks_dir)
        other = keychain_lock.holder_instance()
        if other:
            run.note(f"waiting for the keychain-mode run of {other} to finish")
        if not keychain_lock.acquire(run.deadline, inst.name):
            return Outcome(
                Exit.TIMEOUT,
                "timeout",
                "timed out waiting for another "
                "keychain-mode run (bwdc shares one login per OS user)",
            )
    try:
        if marker.exists():
            run.note(
                "an earlier run was interrupted with secrets in the data folder: "
                "removing them first"
            )
            _scrub(run, _read_marker(marker), time.monotonic() + CLEANUP_TIMEOUT_S)
            with contextlib.suppress(OSError):
                marker.unlink()
        if inst.login == "keychain":
            run.logout()  # another instance's login may be in the shared keychain
        if run.plaintext:
            atomic_write_text(marker, json.dumps({"api_key": True, "directory_setting": None}))
        try:
            return _login_and_sync(run, version, marker)
        finally:
            cleanup_deadline = max(run.deadline, time.monotonic() + CLEANUP_TIMEOUT_S)
            run.clear_directory_secret(cleanup_deadline)
            if run.logged_in:
                run.logout(deadline=cleanup_deadline)
            if run.plaintext and not run.logged_in and run.dir_secret_set is None:
                with contextlib.suppress(OSError):
                    marker.unlink()
            elif run.plaintext:
                run.note("could not remove the API key from data.json; the next run will")
    finally:
        if keychain_lock is not None:
            keychain_lock.release()


def _read_marker(marker: Path) -> dict[str, Any]:
    try:
        value = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"api_key": True}
    return value if isinstance(value, dict) else {"api_key": True}


def _scrub(run: _Run, injected: dict[str, Any], deadline: float) -> None:
    setting = injected.get("directory_setting")
    if isinstance(setting, str):
        run.dir_secret_set = setting
        run.clear_directory_secret(deadline)
    run.logout(deadline=deadline)


def _fail(result: bwdc.CallResult, action: str, name: str) -> Outcome:
    if result.timed_out:
        return Outcome(Exit.TIMEOUT, "timeout", f"{action} timed out", bwdc_exit=None)
    message = result.message()
    return Outcome(
        Exit.SYNC_FAILED,
        "failed",
        message,
        bwdc_exit=result.exit_code,
        hint=bwdc.hint(message, name),
    )


def _login_and_sync(run: _Run, version: str | None, marker: Path) -> Outcome:
    login = run.login()
    if not login.ok:
        return _fail(login, "login", run.inst.name)
    if run.secrets.directory_secret:
        if run.plaintext and bwdc.version_tuple(version)[:2] < (2026, 6) and version:
            run.note(
                f"bwdc {version} ignores `config` for directory secrets in plaintext "
                "mode: keep the directory secret in data.json, or update bwdc"
            )
        configured = run.set_directory_secret()
        if run.dir_secret_set:
            atomic_write_text(
                marker, json.dumps({"api_key": True, "directory_setting": run.dir_secret_set})
            )
        if configured is not None and not configured.ok:
            return _fail(configured, "passing the directory secret", run.inst.name)
    verb = "test" if run.dry_run else "sync"
    result = run.call("--response", verb)
    if not result.ok and not result.timed_out and result.says(bwdc.NOT_LOGGED_IN):
        run.note("bwdc says it is not logged in: logging in again")
        run.logged_in = False
        login = run.login()
        if not login.ok:
            return _fail(login, "login", run.inst.name)
        result = run.call("--response", verb)
    if not result.ok:
        return _fail(result, verb, run.inst.name)
    if run.dry_run:
        return _preview(result)
    message = result.message()
    found = bwdc.counts(message)
    groups, users = found if found else (None, None)
    return Outcome(Exit.OK, "ok", message, groups=groups, users=users, bwdc_exit=result.exit_code)


def _preview(result: bwdc.CallResult) -> Outcome:
    resp = result.response or {}
    data = resp.get("data") if isinstance(resp.get("data"), dict) else None
    if data is None:
        try:
            data = json.loads(result.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            data = None
    if not isinstance(data, dict):
        return Outcome(Exit.OK, "ok", "bwdc test succeeded", bwdc_exit=result.exit_code)

    def size(key: str) -> int:
        value = data.get(key) if data else None
        return len(value) if isinstance(value, list) else 0

    groups, users = size("groups"), size("enabledUsers")
    message = (
        f"would sync {groups} group(s) and {users} enabled user(s); "
        f"{size('disabledUsers')} disabled, {size('deletedUsers')} deleted"
    )
    return Outcome(
        Exit.OK, "ok", message, groups=groups, users=users, bwdc_exit=result.exit_code, preview=data
    )


def main_exit(outcome: Outcome) -> int:
    return int(outcome.exit_code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use `bwdc-tray run NAME`")

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from bwdc_tray import bwdc, datajson, logs
from bwdc_tray.config import Config, ConfigStore, Instance
from bwdc_tray.errors import BwdcTrayError, Exit
from bwdc_tray.fsutil import atomic_write_text, ensure_private_dir
from bwdc_tray.locking import (
    AlreadyRunning,
    GlobalKeychainLock,
    Holder,
    InstanceLock,
    process_start_time,
    write_transient,
)
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


_shield = 0


def raise_interrupted(signum: int, _frame: object) -> None:
    import signal

    if _shield:
        return  # removing the API key from data.json must not be cut short by a second signal
    raise Interrupted(signal.Signals(signum).name)


@contextlib.contextmanager
def _shielded() -> Iterator[None]:
    global _shield  # noqa: PLW0603 - signal handlers can only see module state
    _shield += 1
    try:
        yield
    finally:
        _shield -= 1


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
        # Also the forms a secret takes inside bwdc's JSON output (quotes, backslashes, \uXXXX).
        forms = set()
        for value in secret_values:
            if value:
                forms |= {
                    value,
                    json.dumps(value)[1:-1],
                    json.dumps(value, ensure_ascii=False)[1:-1],
                }
                lines = [line.strip() for line in value.splitlines()]
                if len(lines) > 1:
                    # A multi-line secret (a PEM key) reaches the log one line at a time.
                    forms |= {line for line in lines if len(line) >= 8}
        self._secrets = sorted(forms, key=len, reverse=True)
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


class _LineSink(Protocol):
    def line(self, stream: str, text: str) -> None: ...


class _NotesOnly:
    """Where the clean-up of `instance remove` writes: notes for the user, no run block."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def line(self, stream: str, text: str) -> None:
        if stream == "app":
            self.notes.append(text)


@dataclass
class _Run:
    paths: Paths
    inst: Instance
    exe: str
    secrets: Secrets
    log: _LineSink
    deadline: float
    dry_run: bool
    lock: InstanceLock
    # True from the moment a login is attempted until bwdc confirms a logout: an interrupted
    # login may still have written the API key into data.json.
    logged_in: bool = False
    dir_secret_set: str | None = None

    @property
    def marker(self) -> Path:
        return _injection_marker(self.paths, self.inst.name)

    def save_marker(self) -> None:
        """Record what this run gives bwdc to keep (in data.json, or in the keychain bwdc shares
        between instances), before it does, for a later clean-up."""
        payload = {"api_key": self.logged_in, "directory_setting": self.dir_secret_set}
        atomic_write_text(self.marker, json.dumps(payload))

    @property
    def kept_where(self) -> str:
        return "data.json" if self.plaintext else "bwdc's keychain"

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
        self.logged_in = True
        self.save_marker()
        result = self.call("--response", "login", extra_env=env)
        if not result.ok and result.says(bwdc.ALREADY_LOGGED_IN):
            # A login left over (a crash, another tool, or another instance in keychain mode):
            # ours may differ, so start from a clean one.
            self.note(
                "bwdc was already logged in: logging out and in again with this instance's API key"
            )
            self.call("--response", "logout")
            result = self.call("--response", "login", extra_env=env)
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
        # Taken back after the run in both modes: in keychain mode bwdc 2026.6 keeps one
        # directory secret for all instances, and the next instance must not sync with ours.
        self.dir_secret_set = setting
        self.save_marker()
        return self.call(
            "--response",
            "config",
            setting,
            "--secretenv",
            bwdc.DIRECTORY_SECRET_ENV,
            extra_env={bwdc.DIRECTORY_SECRET_ENV: secret},
        )

    def clear_directory_secret(self, deadline: float) -> None:
        if self.dir_secret_set is None:
            return
        result = self.call("--response", "config", self.dir_secret_set, "", deadline=deadline)
        if result.ok:
            self.dir_secret_set = None


def _injection_marker(paths: Paths, name: str) -> Path:
    return paths.locks_dir / f"{name}.injected.json"


def secrets_left_behind(paths: Paths, name: str) -> bool:
    """Whether an interrupted run may have left the API key or a directory secret in the data
    folder (its next run, or `instance remove`, takes them out)."""
    return _injection_marker(paths, name).exists()


def _write_status(
    paths: Paths, name: str, payload: dict[str, Any], *, durable: bool = True
) -> None:
    write = atomic_write_text if durable else write_transient
    with contextlib.suppress(OSError):
        write(paths.status_file(name), json.dumps(payload, indent=1) + "\n")


def _prepare_appdata(run: _Run) -> None:
    appdata = run.inst.appdata
    if not appdata.exists():
        ensure_private_dir(appdata)
        run.note(f"created the data folder {appdata} (mode 0700)")
        return
    if os.name == "posix":
        mode = stat.S_IMODE(appdata.stat().st_mode)
        if mode & 0o077:
            # Plaintext mode puts the API key in data.json for the length of the run.
            appdata.chmod(mode & 0o700)
            run.note(
                f"tightened {appdata} from {mode:o} to {mode & 0o700:o}: bwdc writes the "
                "API key into data.json during the run"
            )


SCHEDULE_TOLERANCE_S = 600  # a scheduler may start a job late (sleep, a busy machine)


def schedule_holds_now(inst: Instance, now: datetime | None = None) -> bool:
    """Whether a time of the instance's schedule fell within the last few minutes."""
    if inst.schedule is None:
        return False
    from datetime import timedelta

    from bwdc_tray.schedule import cron

    moment = now or datetime.now().astimezone()
    since = moment - timedelta(seconds=SCHEDULE_TOLERANCE_S)
    upcoming = cron.parse(inst.schedule).next_runs(1, since - timedelta(seconds=1))
    return bool(upcoming) and upcoming[0] <= moment + timedelta(seconds=59)


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
        # Alerts only when some are configured: the usual run imports none of their modules.
        alerts_cfg = cfg if (cfg.alerts or inst.extra.get("alerts")) and not dry_run else None
        return _locked_run(
            paths, inst, cfg.demo, run_id, started, trigger, dry_run, lock, progress, alerts_cfg
        )
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
    alerts_cfg: Config | None = None,
) -> Outcome:
    mode = "test" if dry_run else "sync"
    t0 = time.monotonic()
    deadline = t0 + inst.timeout

    # What can fail before bwdc starts still ends up in the log and the status.
    problem: BwdcTrayError | None = None
    secrets = Secrets()
    exe = inst.bwdc or bwdc.locate()
    bwdc_usable = False  # bwdc can start on this data folder, even if the run cannot go on
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
        bwdc_usable = True
        secrets = load(open_store(demo, paths.cache_dir), inst.name)
        if not secrets.has_api_key:
            raise BwdcTrayError(
                f"no API key stored for {inst.name}", f"run `bwdc-tray secret set {inst.name}`"
            )
    except BwdcTrayError as exc:
        problem = exc
    version = bwdc.cached_version(exe, paths.cache_dir) if problem is None and exe else None

    status: dict[str, Any] = {
        "name": inst.name,
        "state": "running",
        "run": run_id,
        "started": ts(started),
        "trigger": trigger,
        "mode": mode,
        "pid": os.getpid(),
    }
    # Before the start marker: "the previous run" must not be this one.
    alerts, alerts_problem = _alerts_for(paths, alerts_cfg, inst, run_id, trigger, started)
    try:
        log = RunLog(inst.log_path, secrets.values())
    except OSError as exc:
        unlogged = Outcome(
            Exit.ENVIRONMENT,
            "error",
            _log_problem(inst, exc),
            hint=_log_remedy(inst),
            run_id=run_id,
        )
        if alerts is not None:  # a full disk is news: tell whoever watches
            status["alerts"] = _finish_alerts(
                alerts, unlogged, lambda text: text, time.monotonic() - t0, lambda _s, _t: None
            )
        if not dry_run:
            _write_final_status(paths, status, unlogged, time.monotonic() - t0, exc, inst.log_path)
        return unlogged
    log.start(
        run_id=run_id,
        instance=inst.name,
        trigger=trigger,
        mode=mode,
        bwdc_version=version,
        pid=os.getpid(),
    )
    if alerts_problem:
        log.line("app", alerts_problem)
    if alerts is not None:
        try:
            alerts.start()
        except Exception as exc:  # alerts are not worth a sync
            log.line("app", f"alerts cut short: {type(exc).__name__}")
            alerts = None
    if log.writer.error is not None and problem is None:
        # Without its log a run could not be followed: bwdc is not started.
        problem = BwdcTrayError(_log_problem(inst, log.writer.error), _log_remedy(inst))
    if not dry_run:
        # "running" lasts as long as this process: no fsync (the outcome below gets one).
        _write_status(paths, inst.name, status, durable=False)
    if lock.stale is not None:
        stale = lock.stale
        log.line(
            "app",
            f"cleared a stale lock left by run {stale.run_id} (pid {stale.pid}, started "
            f"{stale.started}), which was killed",
        )
        stopped = _stop_leftover_bwdc(lock, inst.appdata)
        if stopped:
            log.line("app", stopped)

    outcome: Outcome
    try:
        if problem is not None:
            outcome = Outcome(Exit.ENVIRONMENT, "error", problem.message, hint=problem.remedy)
            if bwdc_usable and exe is not None and secrets_left_behind(paths, inst.name):
                # No API key, no keyring: a crashed run's leftovers still come out.
                run = _Run(paths, inst, exe, secrets, log, deadline, dry_run, lock)
                cleanup_by = time.monotonic() + CLEANUP_TIMEOUT_S
                with _keychain_turn(paths, inst, cleanup_by, run.note) as turn:
                    if turn:
                        scrub_leftovers(run)
        else:
            assert exe is not None
            run = _Run(paths, inst, exe, secrets, log, deadline, dry_run, lock)
            if progress:
                progress(f"{inst.name}: {'testing' if dry_run else 'syncing'}…")
            outcome = _drive(run, version)
    except Interrupted as exc:
        outcome = Outcome(Exit.SYNC_FAILED, "error", f"the run was stopped ({exc})")
    except BwdcTrayError as exc:  # bwdc could not be started after all
        outcome = Outcome(exc.exit_code, "error", exc.message, hint=exc.remedy)
    except Exception as exc:  # a run always ends with an end marker, whatever went wrong
        outcome = Outcome(Exit.ENVIRONMENT, "error", f"bwdc-tray failed: {exc!r}")
    outcome.run_id = run_id
    duration = time.monotonic() - t0
    _note_log_error(outcome, inst, log.writer.error)
    if alerts is not None:
        # The sync is over and its outcome known: alerts cannot change it, only follow it.
        status["alerts"] = _finish_alerts(alerts, outcome, log.redact, duration, log.line)
    log.end(
        run_id=run_id,
        result=outcome.result,
        exit_code=outcome.bwdc_exit,
        duration_s=round(duration, 3),
        groups=outcome.groups,
        users=outcome.users,
        message=outcome.message,
        mode=mode,
    )
    log.close()
    _note_log_error(outcome, inst, log.writer.error)  # the end marker itself may have failed
    outcome.message = log.redact(outcome.message)
    if not dry_run:
        _write_final_status(paths, status, outcome, duration, log.writer.error, inst.log_path)
    return outcome


def _finish_alerts(
    alerts: Any,
    outcome: Outcome,
    redact: Callable[[str], str],
    duration: float,
    note: Callable[[str, str], None],
) -> list[dict[str, str]]:
    """Send the run's alerts; what failed, for the status file. Neither an exception nor a
    Ctrl-C or SIGTERM while waiting on a receiver gets past this: the run still ends with its
    end marker, its status and the sync's exit code."""
    from bwdc_tray.alerts import dispatch

    try:
        answers = alerts.finish(
            result=outcome.result,
            message=redact(outcome.message),
            groups=outcome.groups,
            users=outcome.users,
            finished=now(),
            duration_s=round(duration, 3),
        )
    except (Interrupted, Exception) as exc:
        note("app", f"alerts cut short: {type(exc).__name__}")
        return [{"channel": "all", "detail": f"cut short: {type(exc).__name__}"}]
    for line in dispatch.log_lines(answers):
        note("app", line)
    return dispatch.failures_for_status(answers)


def _alerts_for(
    paths: Paths,
    cfg: Config | None,
    inst: Instance,
    run_id: str,
    trigger: str,
    started: datetime,
) -> tuple[Any, str | None]:
    """The run's alerts, or why they cannot go out (a line for the log); never an exception:
    alerts are not worth a sync."""
    if cfg is None:
        return None, None
    try:
        from bwdc_tray.alerts.dispatch import RunAlerts

        store = open_store(cfg.demo, paths.cache_dir)
        alerts = RunAlerts(paths, cfg, inst, store, run_id=run_id, trigger=trigger, started=started)
    except Exception as exc:  # the keyring's own words only: nothing that could quote a URL
        why = exc.message if isinstance(exc, BwdcTrayError) else type(exc).__name__
        return None, f"alerts not sent: cannot read their settings: {why}"
    return alerts, None


def _log_problem(inst: Instance, exc: OSError) -> str:
    return f"cannot write the log {inst.log_path}: {exc.strerror or exc}"


def _log_remedy(inst: Instance) -> str:
    return (
        f"free space on its disk or fix the folder's permissions, or choose another file "
        f"with `bwdc-tray instance set {inst.name} --log FILE`"
    )


def _note_log_error(outcome: Outcome, inst: Instance, exc: OSError | None) -> None:
    """A run whose log could not be written says so in its outcome, the status and the CLI."""
    if exc is None or outcome.message.startswith("cannot write the log"):
        return
    note = f"the log {inst.log_path} is incomplete: {exc.strerror or exc}"
    if note not in outcome.message:
        outcome.message = f"{outcome.message} ({note})" if outcome.message else note
        outcome.hint = outcome.hint or _log_remedy(inst)


def _write_final_status(
    paths: Paths,
    status: dict[str, Any],
    outcome: Outcome,
    duration: float,
    log_error: OSError | None,
    log_path: Path,
) -> None:
    status.update(
        state=_state_of(outcome.result),
        finished=ts(),
        result=outcome.result,
        exit_code=outcome.bwdc_exit,
        groups=outcome.groups,
        users=outcome.users,
        message=outcome.message,
        duration_s=round(duration, 3),
    )
    status.pop("pid", None)
    if log_error is not None:
        # The log is the source of truth unless it could not take this run: `status` then
        # trusts this file, for as long as the log has not changed size since.
        status["log_error"] = str(log_error.strerror or log_error)
        status["log_size"] = _size_or_none(log_path)
    _write_status(paths, str(status["name"]), status)


def _size_or_none(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _stop_leftover_bwdc(lock: InstanceLock, appdata: Path) -> str | None:
    """A run killed with -9 leaves its bwdc running (own session): stop it, by its PID.

    The holder names the child once `Popen` has returned; a kill in between leaves a bwdc the
    holder does not name, found instead by its data folder (we hold the lock: no run of ours
    uses that folder now)."""
    stale = lock.stale
    if stale is None:
        return None
    stopped: list[int] = []
    child, created = stale.child_pid, stale.child_create_time
    if child is not None and created is not None and bwdc.kill_tree(child, created):
        stopped.append(child)
    import psutil

    folder = str(appdata.absolute())
    for proc in psutil.process_iter():
        try:
            if proc.pid == os.getpid() or proc.pid in stopped:
                continue
            if proc.environ().get("BITWARDENCLI_CONNECTOR_APPDATA_DIR") != folder:
                continue
        except psutil.Error:
            continue
        if bwdc.kill_tree(proc.pid, process_start_time(proc.pid)):
            stopped.append(proc.pid)
    if not stopped:
        return None
    pids = ", ".join(map(str, stopped))
    return f"stopped the bwdc that run left behind (pid {pids})"


def _state_of(result: str) -> str:
    return {"ok": "ok", "timeout": "timeout"}.get(result, "failed")


@contextlib.contextmanager
def _keychain_turn(
    paths: Paths, inst: Instance, deadline: float, note: Callable[[str], None]
) -> Iterator[bool]:
    """In keychain mode, the one lock every keychain-mode run and clean-up shares (bwdc keeps
    one login per OS user there); yields False when it was not had by ``deadline``."""
    if inst.login != "keychain":
        yield True
        return
    lock = GlobalKeychainLock(paths.locks_dir)
    other = lock.holder_instance()
    if other:
        note(f"waiting for the keychain-mode run of {other} to finish")
    if not lock.acquire(deadline, inst.name):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def _drive(run: _Run, version: str | None) -> Outcome:
    inst = run.inst
    _prepare_appdata(run)
    with _keychain_turn(run.paths, inst, run.deadline, run.note) as turn:
        if not turn:
            return Outcome(
                Exit.TIMEOUT,
                "timeout",
                "timed out waiting for another "
                "keychain-mode run (bwdc shares one login per OS user)",
            )
        scrub_leftovers(run)
        if inst.login == "keychain":
            run.logout()  # another instance's login may be in the shared keychain
        try:
            return _login_and_sync(run, version)
        finally:
            with _shielded():
                _remove_injected(run, max(run.deadline, time.monotonic() + CLEANUP_TIMEOUT_S))


def _remove_injected(run: _Run, deadline: float) -> bool:
    """Take back what this run gave bwdc: the directory secret, then the login."""
    run.clear_directory_secret(deadline)
    if run.logged_in:
        run.logout(deadline=deadline)
    clean = not run.logged_in and run.dir_secret_set is None
    if clean:
        with contextlib.suppress(OSError):
            run.marker.unlink()
    else:
        run.save_marker()
        run.note(f"could not remove the API key from {run.kept_where}; the next run will retry")
    return clean


def _read_marker(marker: Path) -> dict[str, Any]:
    try:
        value = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"api_key": True}
    return value if isinstance(value, dict) else {"api_key": True}


def scrub_leftovers(run: _Run) -> bool:
    """After a crash: remove what the interrupted run left in the data folder. True if clean."""
    if not run.marker.exists():
        return True
    injected = _read_marker(run.marker)
    run.note(f"an earlier run was interrupted with secrets in {run.kept_where}: removing them")
    setting = injected.get("directory_setting")
    run.dir_secret_set = setting if isinstance(setting, str) else None
    run.logged_in = True  # whatever the marker says: a logout that finds no login is harmless
    with _shielded():
        return _remove_injected(run, time.monotonic() + CLEANUP_TIMEOUT_S)


def cleanup_for_removal(paths: Paths, inst: Instance) -> list[str]:
    """`instance remove`: scrub the data folder if a crashed run left secrets in it.

    Raises AlreadyRunning while a run holds the instance's lock.
    """
    marker = _injection_marker(paths, inst.name)
    lock = InstanceLock(paths.locks_dir, inst.name)
    if not marker.exists():
        # A run that has not logged in yet has left nothing to scrub, but it is running.
        lock.check_free()
        return []
    where = inst.appdata / "data.json" if inst.login == "isolated" else "bwdc's keychain"
    exe = inst.bwdc or bwdc.locate()
    if exe is None or bwdc.check_executable(exe) is not None:
        lock.check_free()
        return [
            f"could not start bwdc to remove the API key an interrupted run left in "
            f"{where}: remove it by hand"
        ]
    lock.acquire("cleanup", ts(), "manual")
    try:
        sink = _NotesOnly()
        stopped = _stop_leftover_bwdc(lock, inst.appdata)
        if stopped:
            sink.notes.append(stopped)
        deadline = time.monotonic() + CLEANUP_TIMEOUT_S
        run = _Run(paths, inst, exe, Secrets(), sink, deadline, False, lock)
        with _keychain_turn(paths, inst, deadline, sink.notes.append) as turn:
            if not turn:
                sink.notes.append(
                    f"another keychain-mode run kept bwdc busy: the API key an interrupted run "
                    f"left in {where} is still there"
                )
            elif scrub_leftovers(run):
                sink.notes.append(f"removed the API key an interrupted run had left in {where}")
        return sink.notes
    finally:
        lock.release()


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


def _login_and_sync(run: _Run, version: str | None) -> Outcome:
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
        if configured is not None and not configured.ok:
            return _fail(configured, "passing the directory secret", run.inst.name)
    verb = "test" if run.dry_run else "sync"
    result = run.call("--response", verb)
    if not result.ok and not result.timed_out and result.says(bwdc.NOT_LOGGED_IN):
        run.note("bwdc says it is not logged in: logging in again")
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

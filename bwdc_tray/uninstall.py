"""`bwdc-tray uninstall`: remove bwdc-tray's OS jobs (``--jobs``) and its own files (``--data``).

What an installer's uninstaller (and a pipx user) runs. Two steps: `plan` only reads (crontab,
LaunchAgents folder, task list, unit folder, our folders), and is what ``--dry-run`` and the
confirmation prompt show; `execute` then removes what the plan names, one line per thing.

Rules kept here:

- Jobs of *this user and this home* only: a job id carries the home's tag (``name@1a2b3c4d``)
  with ``--home``, the Windows user (``name@bob``) without it (`jobs.job_id`). Jobs of other homes
  or users are listed as kept. ``--all-users`` (Windows, elevated) empties our whole task folder.
- The schedules stay in the configuration, marked paused (`jobs.set_paused`), so that after a
  reinstall `bwdc-tray schedule resume` brings the jobs back.
- ``--data`` implies ``--jobs``, and deletes nothing while a job could not be removed: a job left
  pointing at a deleted configuration would fail at every run, with no tray to show it.
- A bwdc data folder (``appdata``, with bwdc's data.json) is never deleted, nor anything in it
  but the log bwdc-tray writes there and that log's rotations.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bwdc_tray import autostart
from bwdc_tray.config import NAME_RE, Config, ConfigStore, Instance
from bwdc_tray.errors import BwdcTrayError, EnvironmentProblem, Exit, InvalidInput
from bwdc_tray.oscmd import CommandNotFound, CommandRunner, ReadCache, run_command
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, jobs
from bwdc_tray.schedule.backends.base import Backend

# One line of output: (word, text), e.g. ("removed", "cron job corp in bob's crontab").
Emit = Callable[[str, str], None]

LOGIN_ITEM = "the login item (Start at login) of this install's tray"
RESUME_HINT = "after a reinstall, `bwdc-tray schedule resume` brings them back"
ELEVATED_REMEDY = (
    "run it from an elevated prompt (Run as administrator); a per-machine uninstaller does so"
)
# The OS each backend's jobs live on: elsewhere the backend is not scanned and not mentioned,
# unless an instance names it (a line then says it was skipped). Cron: everywhere but Windows.
_NATIVE = {**backends.NATIVE_OS, "systemd": "linux"}


@dataclass(frozen=True)
class Job:
    """One OS job to remove. ``instance``: the scheduled instance whose job it is (removed by
    `jobs.set_paused`, which keeps its schedule); None for a job no schedule names."""

    backend: str
    job_id: str
    text: str
    run_as: str | None = None
    instance: str | None = None


@dataclass(frozen=True)
class Files:
    """Files or folders of bwdc-tray's to delete, shown as one line."""

    text: str
    paths: tuple[Path, ...]


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    files: list[Files] = field(default_factory=list)
    config_files: Files | None = None  # deleted after everything else went
    secrets: list[str] = field(default_factory=list)  # instances whose keyring entries go
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str | None]] = field(default_factory=list)  # (what, remedy)
    instances: list[Instance] = field(default_factory=list)
    config: Config | None = None
    pause: bool = False  # some instance has a schedule: keep it, paused
    login_item: bool = False  # "Start at login" starts this install's tray for this home
    data: bool = False
    all_users: bool = False
    # Deleted last, and only when empty: ours, but they may hold things that are not ours.
    folders: tuple[Path, ...] = ()

    @property
    def removable(self) -> int:
        config = 0 if self.config_files is None else 1
        login = 1 if self.login_item else 0
        files = len(self.files) + len(self.folders) + config
        return len(self.jobs) + len(self.secrets) + files + login

    def lines(self) -> Iterator[tuple[str, str]]:
        """What will be removed, kept or skipped, for the prompt and ``--dry-run``."""
        for job in self.jobs:
            yield "remove", job.text
        if self.login_item:
            yield "remove", LOGIN_ITEM
        for name in self.secrets:
            yield "remove", f"the keyring entries of {name} (bwdc-tray's API key and secrets)"
        for item in self.files:
            yield "remove", item.text
        if self.config_files is not None:
            yield "remove", self.config_files.text
        for folder in self.folders:
            yield "remove", f"the folder {folder}, if nothing else is left in it"
        for text in self.kept:
            yield "keep", text
        for text in self.skipped:
            yield "skip", text
        for text, _remedy in self.failed:
            yield "failed", text


@dataclass
class Outcome:
    removed: int = 0
    kept: int = 0
    failed: int = 0
    remedies: list[str] = field(default_factory=list)
    exit_code: Exit = Exit.OK

    def fail(
        self, emit: Emit, text: str, remedy: str | None, code: Exit = Exit.ENVIRONMENT
    ) -> None:
        emit("failed", text)
        self.failed += 1
        if remedy and remedy not in self.remedies:
            self.remedies.append(remedy)
        self.exit_code = max(self.exit_code, code)


# --- which jobs are ours ------------------------------------------------------------------------


def is_elevated() -> bool:
    """Whether this Windows process runs elevated (as administrator)."""
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return False
    with contextlib.suppress(AttributeError, OSError):
        return bool(windll.shell32.IsUserAnAdmin())
    return False


def is_ours(paths: Paths, job_id: str) -> bool:
    """Whether ``job_id`` names a job of this home and user, as `jobs.job_id` writes them."""
    suffix = jobs.job_id(paths, "x")[1:]  # "", "@<home tag>" or "@<Windows user>"
    if not suffix:
        return NAME_RE.fullmatch(job_id) is not None
    name, at, owner = job_id.rpartition("@")
    if sys.platform == "win32":  # Windows user names are case-insensitive
        owner, suffix = owner.casefold(), suffix.casefold()
    return bool(at) and "@" + owner == suffix and NAME_RE.fullmatch(name) is not None


def describe_job(backend: str, job_id: str, run_as: str | None = None) -> str:
    """The job as the user can find it on the machine."""
    if backend == "cron":
        from bwdc_tray.schedule.backends.crontab import current_user

        return f"cron job {job_id} in {run_as or current_user()}'s crontab"
    if backend == "launchd":
        from bwdc_tray.schedule.backends.launchd import label_for

        kind = "LaunchDaemon" if run_as else "LaunchAgent"
        return f"{kind} {label_for(job_id)}"
    if backend == "taskscheduler":
        from bwdc_tray.schedule.backends.taskscheduler import task_path

        return f"scheduled task {task_path(job_id)}"
    from bwdc_tray.schedule.backends.systemd import unit_names

    return f"systemd timer {unit_names(job_id)[1]}" + (" (system)" if run_as else "")


def _listed(backend: Backend) -> list[str]:
    """The job ids of ours that ``backend`` has for this user, as installed now."""
    from bwdc_tray.schedule.backends.crontab import CrontabBackend
    from bwdc_tray.schedule.backends.launchd import LaunchdBackend, installed_agent_ids
    from bwdc_tray.schedule.backends.systemd import SystemdBackend
    from bwdc_tray.schedule.backends.taskscheduler import TaskSchedulerBackend

    if isinstance(backend, LaunchdBackend):
        return installed_agent_ids(backend)
    if isinstance(backend, CrontabBackend | SystemdBackend | TaskSchedulerBackend):
        return backend.job_ids()
    return []


def _not_here(exc: BaseException) -> bool:
    """An error that means "this scheduler is not installed here" (no crontab command…)."""
    return isinstance(exc, CommandNotFound) or isinstance(exc.__cause__, CommandNotFound)


def _backend_names(platform: str, cfg: Config | None) -> list[str]:
    named = {i.backend or backends.default_name() for i in (cfg.instances.values() if cfg else [])}
    return [
        name
        for name in backends.NAMES
        if name in named
        or (
            _NATIVE.get(name, platform) == platform and not (name == "cron" and platform == "win32")
        )
    ]


# --- planning -----------------------------------------------------------------------------------


def plan(
    paths: Paths,
    *,
    data: bool = False,
    all_users: bool = False,
    runner: CommandRunner = run_command,
    platform: str = sys.platform,
) -> Plan:
    """What `uninstall` would remove, keep and skip; reads, changes nothing."""
    if all_users:
        _check_all_users(platform)
    out = Plan(data=data, all_users=all_users)
    try:
        out.config = ConfigStore(paths).load()
    except BwdcTrayError as exc:
        # Jobs are still found by their names; --data stops below: without the list of
        # instances, their keyring entries and logs cannot be found.
        out.failed.append((f"the configuration: {exc.message}", exc.remedy))
    if out.config is not None:
        out.instances = list(out.config.instances.values())
    _plan_jobs(paths, out, ReadCache(runner), platform)
    if data and out.config is not None:
        _plan_data(paths, out)
    elif data:
        out.kept.append(f"bwdc-tray's files: {paths.config_file} cannot be read (see above)")
    return out


def _check_all_users(platform: str) -> None:
    # Refused rather than ignored elsewhere: crontabs, LaunchAgents and systemd user units belong
    # to each user and only that user (or root, one user at a time) can change them, so there is
    # no "all users" to remove; exit 0 would let a script believe every user's jobs were gone.
    if platform != "win32":
        raise InvalidInput(
            "--all-users is for Windows' Task Scheduler only: elsewhere each user's jobs are in "
            "that user's own crontab, LaunchAgents or systemd units",
            "run `bwdc-tray uninstall --jobs` as each user who scheduled syncs",
        )
    if not is_elevated():
        # Not elevated, schtasks does not even list other users' tasks: we would report
        # success and leave them all behind.
        raise EnvironmentProblem(
            "--all-users removes every user's bwdc-tray tasks, which only an elevated process "
            "can see and delete (access is denied otherwise); nothing was changed",
            ELEVATED_REMEDY,
        )


def _plan_jobs(paths: Paths, out: Plan, runner: CommandRunner, platform: str) -> None:
    cfg = out.config
    listed: dict[str, list[str] | None] = {}  # backend -> job ids, None when it cannot list
    for name in _backend_names(platform, cfg):
        listed[name] = _scan(name, out, runner)
    seen: set[tuple[str, str]] = set()
    for inst in out.instances:
        _plan_instance(paths, inst, out, runner, listed, seen)
    for name, ids in listed.items():
        for job_id in ids or []:
            if (name, job_id) in seen:
                continue
            text = describe_job(name, job_id)
            if is_ours(paths, job_id):
                out.jobs.append(Job(name, job_id, f"{text} (no schedule names it any more)"))
            elif out.all_users and name == "taskscheduler":
                out.jobs.append(
                    Job(name, job_id, f"{text} (another user's or home's: --all-users)")
                )
            else:
                out.kept.append(f"{text}: another bwdc-tray home's or user's job")
    out.pause = any(i.schedule for i in out.instances)
    # It would start a program that is gone at every login. Only this install's, for this
    # home: the user's other homes and installs keep theirs.
    out.login_item = autostart.starts_this(paths)


def _scan(name: str, out: Plan, runner: CommandRunner) -> list[str] | None:
    why = backends.unavailable_here(name)
    if why:
        out.skipped.append(f"{name}: {why}")
        return None
    try:
        return _listed(backends.get(name, runner))
    except (BwdcTrayError, OSError) as exc:
        message = exc.message if isinstance(exc, BwdcTrayError) else str(exc)
        if _not_here(exc):
            out.skipped.append(f"{name}: {message}")
        else:
            remedy = exc.remedy if isinstance(exc, BwdcTrayError) else None
            out.failed.append((f"cannot list the {name} jobs: {message}", remedy))
        return None


def _plan_instance(
    paths: Paths,
    inst: Instance,
    out: Plan,
    runner: CommandRunner,
    listed: dict[str, list[str] | None],
    seen: set[tuple[str, str]],
) -> None:
    name = inst.backend or backends.default_name()
    job_id = jobs.job_id(paths, inst.name)
    seen.add((name, job_id))
    why = backends.unavailable_here(name)
    if why:
        if inst.schedule:
            out.skipped.append(f"the job of {inst.name}: {why}")
        return
    ids = listed.get(name)
    try:
        if inst.run_as is None and ids is not None:
            installed = job_id in ids  # the scan saw this user's jobs already
        else:
            installed = backends.get(name, runner).inspect(job_id, inst.run_as) is not None
    except (BwdcTrayError, OSError) as exc:
        message = exc.message if isinstance(exc, BwdcTrayError) else str(exc)
        if _not_here(exc):
            out.skipped.append(f"the job of {inst.name}: {message}")
        else:
            out.failed.append((f"cannot read the job of {inst.name}: {message}", None))
        return
    if installed:
        text = describe_job(name, job_id, inst.run_as) + f" (the schedule of {inst.name})"
        owner = inst.name if inst.schedule else None
        out.jobs.append(Job(name, job_id, text, inst.run_as, owner))


def _plan_data(paths: Paths, out: Plan) -> None:
    from bwdc_tray.adopt.apply import ADOPTED_KEY, backups_dir

    for inst in out.instances:
        out.secrets.append(inst.name)
        logs = _log_files(inst, out.instances)
        if logs and ADOPTED_KEY in inst.extra:
            # Adopted: the log was the hand-made recipe's before it was ours, and holds its
            # history; bwdc-tray only appended to it.
            out.kept.append(f"the log of {inst.name}: {logs[0]} (it was there before bwdc-tray)")
        elif logs:
            more = f" and {len(logs) - 1} rotated log(s)" if len(logs) > 1 else ""
            out.files.append(Files(f"the log of {inst.name}: {logs[0]}{more}", tuple(logs)))
        prom = _metrics_file(out.config, inst)
        if prom is not None:
            out.files.append(Files(f"the metrics file of {inst.name}: {prom}", (prom,)))
        out.kept.append(
            f"the data folder of {inst.name}: {inst.appdata} (bwdc's own: data.json and the rest)"
        )
    for folder, what in (
        (paths.status_dir, "status files"),
        (paths.locks_dir, "lock files"),
        (paths.cache_dir, "cache"),
        (backups_dir(paths), "adopt backups (`adopt --restore` can no longer use them)"),
    ):
        if folder.exists():
            out.files.append(Files(f"{what}: {folder}", (folder,)))
    config = _config_files(paths)
    if config:
        more = f" and {len(config) - 1} more file(s) of its own" if len(config) > 1 else ""
        out.config_files = Files(f"the configuration: {config[0]}{more}", tuple(config))
    out.folders = tuple(f for f in dict.fromkeys((paths.state_dir, paths.config_dir)) if f.is_dir())


def _metrics_file(cfg: Config | None, inst: Instance) -> Path | None:
    if cfg is None or not (cfg.alerts or inst.extra.get("alerts")):
        return None
    from bwdc_tray.alerts import metrics, settings

    folder = settings.effective(cfg, inst.name).settings.metrics_dir
    path = folder / metrics.file_name(inst.name) if folder is not None else None
    return path if path is not None and path.is_file() else None


def _log_files(inst: Instance, instances: list[Instance]) -> list[Path]:
    """The log bwdc-tray writes and its rotations (``bwdc.log.1``…, gaps included)."""
    log = inst.log_path
    if any(log == i.appdata / "data.json" for i in instances):
        return []  # never: whatever the configuration says, data.json is bwdc's
    rotated = sorted(
        (p for p in _glob(log.parent, log.name + ".*") if p.name[len(log.name) + 1 :].isdigit()),
        key=lambda p: int(p.name[len(log.name) + 1 :]),
    )
    return [p for p in (log, *rotated) if p.is_file() or p.is_symlink()]


def _config_files(paths: Paths) -> list[Path]:
    """The files bwdc-tray writes in its config folder, and nothing else found there."""
    folder, main = paths.config_dir, paths.config_file
    patterns = (
        main.name,
        f"{main.name}.corrupt-*",  # kept-aside copies of a corrupt configuration
        ".instances.lock",
        "gui.json",
        f".{main.name}.*.tmp",  # what an interrupted atomic write leaves
        ".gui.json.*.tmp",
    )
    found = [p for pattern in patterns for p in sorted(_glob(folder, pattern)) if p.is_file()]
    return list(dict.fromkeys(found))


def _glob(folder: Path, pattern: str) -> list[Path]:
    try:
        return list(folder.glob(pattern))
    except OSError:
        return []


# --- doing it -----------------------------------------------------------------------------------


def execute(paths: Paths, todo: Plan, emit: Emit, runner: CommandRunner = run_command) -> Outcome:
    """Remove what ``todo`` names; one ``emit`` per thing removed, kept, skipped or failed."""
    done = Outcome()
    for text, remedy in todo.failed:
        done.fail(emit, text, remedy)
    for text in todo.skipped:
        emit("skipped", text)
    _remove_jobs(paths, todo, emit, done, runner)
    for text in todo.kept:
        emit("kept", text)
        done.kept += 1
    if todo.data and todo.config is not None:
        if done.failed:
            emit("kept", "bwdc-tray's files: a job is still installed and would fail without them")
            done.kept += 1
        else:
            _remove_data(paths, todo, emit, done)
    return done


def _remove_jobs(
    paths: Paths, todo: Plan, emit: Emit, done: Outcome, runner: CommandRunner
) -> None:
    failures: dict[str, BwdcTrayError] = {}
    if todo.pause:
        # The jobs of scheduled instances: removed the way "Pause all schedules" does, so that
        # the schedules stay and `schedule resume` reinstalls them.
        jobs.set_paused(paths, True, runner, failures=failures)
    for job in todo.jobs:
        error = failures.get(job.instance) if job.instance else None
        if job.instance is None:
            try:
                backends.get(job.backend, runner).remove(job.job_id, job.run_as)
            except BwdcTrayError as exc:
                error = exc
        if error is None:
            emit("removed", job.text)
            done.removed += 1
        else:
            remedy = ELEVATED_REMEDY if todo.all_users else error.remedy
            done.fail(emit, f"{job.text}: {error.message}", remedy)
    if todo.login_item:
        try:
            autostart.set_enabled(paths, False)
            emit("removed", LOGIN_ITEM)
            done.removed += 1
        except OSError as exc:
            done.fail(emit, f"{LOGIN_ITEM}: {exc}", "turn off Start at login in the tray menu")
    if todo.pause and not todo.data:
        emit("kept", f"the schedules, in {paths.config_file}, paused: {RESUME_HINT}")
        done.kept += 1
    if todo.all_users and not done.failed:
        _remove_task_folder(emit, done, runner)


def _remove_task_folder(emit: Emit, done: Outcome, runner: CommandRunner) -> None:
    from bwdc_tray.schedule.backends.taskscheduler import FOLDER, TaskSchedulerBackend

    try:
        why = TaskSchedulerBackend(runner).remove_folder()
    except BwdcTrayError as exc:
        why = exc.message
    if why is None:
        emit("removed", f"the task folder {FOLDER}")
    else:
        emit("kept", f"the task folder {FOLDER}: {why}")
        done.kept += 1


def _remove_data(paths: Paths, todo: Plan, emit: Emit, done: Outcome) -> None:
    assert todo.config is not None
    if not _scrub(paths, todo, emit, done):
        return
    _remove_secrets(todo, emit, done)
    protected = [i.appdata for i in todo.instances]
    for item in todo.files:
        _delete(item, protected, emit, done)
    if done.failed:
        # The configuration names what is left (keyring entries, logs): a repeat needs it.
        emit("kept", f"the configuration {paths.config_file}: running this again needs it")
        done.kept += 1
        return
    if todo.config_files is not None:
        _delete(todo.config_files, protected, emit, done)
    for folder in todo.folders:
        _remove_if_empty(folder, emit, done)


def _scrub(paths: Paths, todo: Plan, emit: Emit, done: Outcome) -> bool:
    """Remove an API key an interrupted run left in a data folder (the record of it is in the
    locks folder, about to go); False when an instance is running, and then nothing goes."""
    from bwdc_tray import runner
    from bwdc_tray.locking import AlreadyRunning

    for inst in todo.instances:
        try:
            for note in runner.cleanup_for_removal(paths, inst):
                emit("note", note)
        except AlreadyRunning:
            done.fail(
                emit,
                f"{inst.name} is running right now: none of bwdc-tray's files were deleted",
                "run the same command again when the run has ended",
                Exit.LOCKED,
            )
            return False
    return True


def _remove_secrets(todo: Plan, emit: Emit, done: Outcome) -> None:
    from bwdc_tray import secrets
    from bwdc_tray.alerts import settings as alerts
    from bwdc_tray.alerts.model import DEFAULT_SCOPE

    assert todo.config is not None
    try:
        store = secrets.open_store(todo.config.demo)
        for name in todo.secrets:
            count = secrets.clear(store, name) + alerts.clear_urls(store, name)
            emit("removed", f"{count} keyring entr{'y' if count == 1 else 'ies'} of {name}")
            done.removed += 1
        count = alerts.clear_urls(store, DEFAULT_SCOPE)  # the default's alert URLs
        if count:
            entries = f"{count} keyring entr{'y' if count == 1 else 'ies'}"
            emit("removed", f"{entries} of the default alerts")
            done.removed += 1
    except BwdcTrayError as exc:
        done.fail(emit, f"the keyring entries: {exc.message}", exc.remedy)


def _delete(item: Files, protected: list[Path], emit: Emit, done: Outcome) -> None:
    try:
        for path in item.paths:
            _remove_path(path, protected)
    except OSError as exc:
        where = exc.filename or item.paths[0]
        done.fail(
            emit,
            f"{item.text}: cannot delete {where}: {exc.strerror or exc}",
            "close what holds the file open (the tray, an editor), check its permissions, "
            "and run the same command again",
        )
        return
    emit("removed", item.text)
    done.removed += 1


def _remove_path(path: Path, protected: list[Path]) -> None:
    """Delete a file or a folder of ours, but never a data folder that happens to be inside."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
        return
    if not path.is_dir():
        return
    guarded = [p for p in protected if _inside(p, path)]
    if not guarded:
        shutil.rmtree(path)
        return
    for child in path.iterdir():
        if not any(_inside(child, p) for p in guarded):
            _remove_path(child, protected)
    with contextlib.suppress(OSError):
        path.rmdir()  # only if empty: a protected folder stays, and its parents with it


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it (symlinks resolved)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return True  # unsure: treat as protected


def _remove_if_empty(folder: Path, emit: Emit, done: Outcome) -> None:
    try:
        left = sorted(p.name for p in folder.iterdir())
    except FileNotFoundError:
        return
    except OSError as exc:
        left = [exc.strerror or str(exc)]
    if not left:
        folder.rmdir()
        emit("removed", f"the folder {folder}")
        done.removed += 1
        return
    shown = ", ".join(left[:5]) + (" …" if len(left) > 5 else "")
    emit("kept", f"the folder {folder}: it still holds what is not bwdc-tray's own ({shown})")
    done.kept += 1

"""`bwdc-tray doctor`: every check an admin would otherwise do by hand, each with its remedy."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bwdc_tray import bwdc, datajson
from bwdc_tray.config import Config, ConfigStore, Instance
from bwdc_tray.errors import BwdcTrayError
from bwdc_tray.locking import current_holder
from bwdc_tray.paths import Paths

Level = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    subject: str
    level: Level
    detail: str
    remedy: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "level": self.level,
            "detail": self.detail,
            "remedy": self.remedy,
        }


def run_checks(paths: Paths, name: str | None = None) -> list[Check]:
    checks: list[Check] = []
    try:
        cfg = ConfigStore(paths).load()
    except BwdcTrayError as exc:
        return [Check("configuration", "fail", exc.message, exc.remedy)]
    checks.append(
        _private_file_check("configuration", paths.config_file)
        or Check("configuration", "ok", f"{paths.config_file} ({len(cfg.instances)} instance(s))")
    )
    chosen = [cfg.get(name)] if name else list(cfg.instances.values())
    store_check, store = _keyring(cfg)
    checks.append(store_check)
    versions: dict[str, str | None] = {}
    for inst in chosen:
        checks += _instance_checks(paths, inst, store, versions)
        if cfg.alerts or inst.extra.get("alerts"):
            checks += _alert_checks(paths, cfg, inst, store)
    return checks


def _alert_checks(paths: Paths, cfg: Config, inst: Instance, store: Any) -> list[Check]:
    """Alerts that cannot go out, and those the last run could not deliver."""

    from bwdc_tray.alerts import model, settings

    subject = f"{inst.name}: alerts"
    fix = f"bwdc-tray notify set {inst.name}"
    plan = settings.effective(cfg, inst.name)
    out: list[Check] = []
    for channel, field in (("webhook", model.WEBHOOK_URL), ("healthcheck", model.HEALTHCHECK_URL)):
        if getattr(plan.settings, channel) is None or store is None:
            continue  # off, or the keyring check above already failed
        scope = plan.scopes.get(channel, inst.name)
        try:
            url = settings.get_url(store, scope, field) if store is not None else None
        except BwdcTrayError as exc:
            out.append(Check(subject, "fail", f"{channel}: {exc.message}", exc.remedy))
            continue
        if url is None:
            where = "the default" if scope == model.DEFAULT_SCOPE else inst.name
            flag = f"--{channel}"
            target = "--default" if scope == model.DEFAULT_SCOPE else inst.name
            out.append(
                Check(
                    subject,
                    "fail",
                    f"{channel}: no URL is stored for {where} (the keyring has none)",
                    f"bwdc-tray notify set {target} {flag}",
                )
            )
    folder = plan.settings.metrics_dir
    if folder is not None and not folder.is_dir():
        out.append(Check(subject, "fail", f"metrics: {folder} is not a folder", fix))
    from bwdc_tray.status import status_file_json

    failed = status_file_json(paths, inst.name).get("alerts")
    for item in failed if isinstance(failed, list) else []:
        if isinstance(item, dict):
            out.append(
                Check(
                    subject,
                    "warn",
                    f"the last run's {item.get('channel')} alert was not delivered: "
                    f"{item.get('detail')}",
                    f"check the receiver, then `bwdc-tray notify test {inst.name}`",
                )
            )
    if not out:
        on = [c for c in ("webhook", "healthcheck") if getattr(plan.settings, c) is not None]
        on += ["system log"] if plan.settings.system_log else []
        on += ["metrics"] if folder is not None else []
        if on:
            detail = ", ".join(on) + ": configured; the last run's were delivered"
            out.append(Check(subject, "ok", detail))
    return out


def _keyring(cfg: Config) -> tuple[Check, Any]:
    from bwdc_tray import secrets

    try:
        store = secrets.open_store(cfg.demo)
    except BwdcTrayError as exc:
        return Check("keyring", "fail", exc.message, exc.remedy), None
    backend = getattr(store, "backend_name", "demo credentials (simulated)")
    return Check("keyring", "ok", backend), store


def _instance_checks(
    paths: Paths, inst: Instance, store: Any, versions: dict[str, str | None]
) -> list[Check]:
    subject = inst.name
    out: list[Check] = []
    exe = inst.bwdc or bwdc.locate()
    if exe is None:
        out.append(
            Check(
                f"{subject}: bwdc",
                "fail",
                "not found on PATH or in the usual places",
                "install the Directory Connector CLI, or set the instance's --bwdc",
            )
        )
    else:
        bad = bwdc.check_executable(exe)
        if bad:
            out.append(Check(f"{subject}: bwdc", "fail", bad, "fix the path or reinstall bwdc"))
        else:
            if exe not in versions:
                versions[exe] = bwdc.probe_version(exe)
            version = versions[exe]
            if version:
                out.append(Check(f"{subject}: bwdc", "ok", f"{exe}, version {version}"))
            else:
                out.append(
                    Check(
                        f"{subject}: bwdc",
                        "fail",
                        f"{exe} did not answer --version",
                        "run it by hand: a missing library (libsecret, glibc 2.39 for 2026.6 on "
                        "Linux) or a missing .node file beside it is typical",
                    )
                )
    out.append(_folder_check(inst))
    info = datajson.read(inst.appdata)
    if info.ok:
        detail = (
            f"{info.layout} layout, {info.directory_name or 'no directory type'}, "
            f"server {info.server}, organization {info.organization_id or 'not set'}"
        )
        level: Level = "ok" if info.directory_type is not None and info.organization_id else "warn"
        out.append(
            Check(
                f"{subject}: data.json",
                level,
                detail,
                None
                if level == "ok"
                else "configure the directory and log in once "
                "with the Directory Connector desktop app, or `bwdc config`",
            )
        )
    else:
        out.append(
            Check(
                f"{subject}: data.json",
                "fail",
                info.problem or info.layout,
                "point --appdata at a configured bwdc data folder",
            )
        )
    if info.stale_secret:
        out.append(
            Check(
                f"{subject}: old API secret",
                "warn",
                f"{info.path} still holds the API secret in clear at {info.stale_secret}: "
                "bwdc 2026.6's migration leaves the old copy, which it no longer uses",
                "delete that key from data.json while no run is going on (bwdc-tray never "
                "edits data.json), and keep a backup from before",
            )
        )
    if store is not None:
        from bwdc_tray import secrets

        try:
            found = secrets.load(store, inst.name)
        except BwdcTrayError as exc:
            out.append(Check(f"{subject}: secrets", "fail", exc.message, exc.remedy))
        else:
            if found.has_api_key:
                extra = " and a directory secret" if found.directory_secret else ""
                out.append(Check(f"{subject}: secrets", "ok", f"API key stored{extra}"))
            else:
                out.append(
                    Check(
                        f"{subject}: secrets",
                        "fail",
                        "no API key in the keyring",
                        f"bwdc-tray secret set {inst.name}",
                    )
                )
    out.append(_log_check(inst))
    out += _schedule_checks(paths, inst)
    running = current_holder(paths.locks_dir, inst.name) is not None
    if running:
        out.append(Check(f"{subject}: run", "ok", "a run is going on right now"))
    else:
        from bwdc_tray.runner import secrets_left_behind

        if secrets_left_behind(paths, inst.name):
            where = inst.appdata / "data.json" if inst.login == "isolated" else "bwdc's keychain"
            out.append(
                Check(
                    f"{subject}: leftover secrets",
                    "fail",
                    f"an interrupted run left its API key or directory secret in {where}",
                    f"`bwdc-tray run {inst.name}` removes them before it syncs; "
                    f"`bwdc-tray instance remove {inst.name}` removes them too",
                )
            )
    return out


def _private_file_check(subject: str, path: Path) -> Check | None:
    """Our own files are 0600 (DESIGN §7); something loosened this one."""
    if os.name != "posix":
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return Check(
        subject,
        "warn",
        f"{path} has mode {mode:o}: other users can read it",
        f"chmod 600 {path}",
    )


def _folder_check(inst: Instance) -> Check:
    subject = f"{inst.name}: data folder"
    folder = inst.appdata
    if not folder.exists():
        return Check(
            subject,
            "warn",
            f"{folder} does not exist yet",
            "the first run creates it (mode 0700); or fix --appdata",
        )
    if not folder.is_dir():
        return Check(subject, "fail", f"{folder} is not a folder", "fix --appdata")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        return Check(
            subject,
            "fail",
            f"{folder} is not readable and writable by this user",
            "run as the folder's owner, or fix its permissions",
        )
    if os.name == "posix":
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & 0o077:
            return Check(
                subject,
                "warn",
                f"{folder} has mode {mode:o}: other users can look "
                "inside (bwdc writes secrets into data.json in plaintext mode)",
                f"chmod 700 {folder} (the runner tightens it before each run)",
            )
    return Check(subject, "ok", str(folder))


def _log_check(inst: Instance) -> Check:
    subject = f"{inst.name}: log"
    log = inst.log_path
    if log.exists():
        ok = os.access(log, os.W_OK)
    else:
        parent = log.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        ok = os.access(parent, os.W_OK)
    if ok:
        return _private_file_check(subject, log) or Check(subject, "ok", f"{log} is writable")
    return Check(
        subject,
        "fail",
        f"{log} is not writable by this user",
        "fix its permissions, or choose another file with --log",
    )


def _schedule_checks(paths: Paths, inst: Instance) -> list[Check]:
    if inst.schedule is None:
        return []
    from bwdc_tray.schedule import jobs

    subject = f"{inst.name}: job"
    info = jobs.inspect(paths, inst)
    out: list[Check] = []
    if info.problem:
        out.append(
            Check(
                subject,
                "fail",
                f"{info.backend}: {info.problem}",
                "see `bwdc-tray schedule show " + inst.name + "`",
            )
        )
    elif info.job == "in-sync":
        out.append(Check(subject, "ok", f"{info.backend} job in sync ({info.schedule})"))
    else:
        out.append(
            Check(
                subject, "fail", f"the {info.backend} job is {info.job}", "bwdc-tray schedule sync"
            )
        )
    if info.backend == "cron":
        from bwdc_tray.schedule.backends.crontab import (
            cron_access_problem,
            cron_daemon_running,
            current_user,
        )

        refused = cron_access_problem(inst.run_as or current_user())
        if refused:
            out.append(
                Check(
                    f"{inst.name}: cron access",
                    "fail",
                    refused,
                    "as root, add the user to /etc/cron.allow (or take it out of /etc/cron.deny)",
                )
            )
        if not cron_daemon_running():
            out.append(
                Check(
                    f"{inst.name}: scheduler",
                    "warn",
                    "no cron daemon is running",
                    "start cron (Debian: apt install cron; service cron start)",
                )
            )
    out.append(_context_check(paths, inst, info.backend))
    return out


# What each backend's job can reach, when it cannot be probed from here.
_UNREACHABLE = {
    ("launchd", "dedicated"): (
        "a LaunchDaemon runs outside any login session: your login keychain is not reachable",
        "schedule it as yourself (a LaunchAgent), or give the dedicated user its own secrets",
    ),
    ("taskscheduler", "dedicated"): (
        "the task runs as another account: your Credential Manager entries are not reachable",
        "store the secrets while logged in as that account, or schedule the task as yourself",
    ),
    ("systemd", "dedicated"): (
        "a system unit with User= runs outside any login session: no keyring is reachable",
        "give that user its own keyring backend, or use a user timer as yourself",
    ),
    ("cron", "dedicated"): (
        "the job runs as another user, with no D-Bus session: no keyring is reachable",
        "give that user its own keyring backend, or schedule it as yourself",
    ),
}


def _context_check(paths: Paths, inst: Instance, backend: str) -> Check:
    """Can the job, in the context it will run in, read this instance's secrets?"""
    subject = f"{inst.name}: secrets from the job"
    context = "dedicated" if inst.run_as else "user"
    if (backend, context) in _UNREACHABLE:
        detail, remedy = _UNREACHABLE[(backend, context)]
        return Check(subject, "warn", detail, remedy)
    if backend != "cron":
        return Check(subject, "ok", f"a {backend} job runs in your session")
    # cron gives a job almost no environment (reference/schedulers.md §3.4): ask our own CLI
    # for the secrets in that same environment.
    import subprocess

    from bwdc_tray.schedule import jobs

    env = {
        "HOME": os.environ.get("HOME", "/"),
        "LOGNAME": os.environ.get("LOGNAME", os.environ.get("USER", "")),
        "USER": os.environ.get("USER", ""),
        "SHELL": "/bin/sh",
        "PATH": "/usr/bin:/bin",
    }
    cmd = [*jobs.runner_command(paths), "secret", "check", inst.name]
    try:
        res = subprocess.run(
            cmd,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check(subject, "fail", f"could not try it: {exc}", None)
    if res.returncode == 0:
        return Check(subject, "ok", "the secrets are readable in cron's environment")
    return Check(
        subject,
        "fail",
        "in cron's environment (no D-Bus session) the secrets cannot be read: "
        + (res.stderr.strip().splitlines() or ["no answer"])[0].removeprefix("bwdc-tray: "),
        "use `--backend systemd` (a user timer runs with your session's keyring), or run "
        "`gnome-keyring-daemon` for cron jobs",
    )

"""Adding, removing and restoring instances, and storing their secrets: one implementation
for the CLI (`instance add/remove`, `secret set`) and the window's dialogs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bwdc_tray import secrets
from bwdc_tray.config import (
    DEFAULT_TIMEOUT,
    LOGIN_MODES,
    WHERE_BWDC,
    WHERE_DATA_FOLDER,
    WHERE_LOG,
    WHERE_TIMEOUT,
    Config,
    ConfigStore,
    Instance,
    absolute_path,
    find_clash,
    validate_label,
    validate_name,
    validate_timeout,
)
from bwdc_tray.errors import BwdcTrayError, EnvironmentProblem, Exit, InvalidInput
from bwdc_tray.i18n import _
from bwdc_tray.paths import Paths

CLIENT_ID_RE = re.compile(r"organization\.[0-9a-fA-F-]{36}")


class InstanceRunning(BwdcTrayError):
    exit_code = Exit.LOCKED


def client_id_problem(client_id: str) -> str | None:
    """Why ``client_id`` is not an organization API key id (the rule of `secret set`)."""
    if CLIENT_ID_RE.fullmatch(client_id):
        return None
    return _(
        "client_id must look like organization.<36-character id>, as shown in the "
        "organization's API key dialog"
    )


def build_instance(
    name: str,
    appdata: str,
    *,
    bwdc: str = "",
    log: str = "",
    timeout: str | float = DEFAULT_TIMEOUT,
    label: str = "",
    login: str = "isolated",
) -> Instance:
    """An Instance from what a form holds, checked like `instance add` (raises InvalidInput)."""
    from bwdc_tray import bwdc as bwdc_mod

    name = validate_name(name)
    folder = absolute_path(appdata, WHERE_DATA_FOLDER)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(
            _("{folder} is a file; the data folder must be a bwdc data folder").format(
                folder=folder
            )
        )
    exe: str | None
    if bwdc.strip():
        exe = str(absolute_path(bwdc.strip(), WHERE_BWDC))
        bad = bwdc_mod.check_executable(exe)
        if bad:
            raise InvalidInput(bad, _("give the path of the bwdc program"))
    else:
        exe = bwdc_mod.locate()
    if login not in LOGIN_MODES:
        raise InvalidInput(
            _("the login mode must be one of {choices}").format(choices=", ".join(LOGIN_MODES))
        )
    return Instance(
        name=name,
        appdata=folder,
        bwdc=exe,
        log=absolute_path(log.strip(), WHERE_LOG) if log.strip() else None,
        timeout=validate_timeout(timeout, WHERE_TIMEOUT),
        label=validate_label(label.strip() or None),
        login=login,
    )


def add_problem(cfg: Config, inst: Instance) -> str | None:
    """Why ``inst`` cannot join ``cfg``: its name is taken, or its folder or log is shared."""
    if inst.name in cfg.instances:
        return _("an instance named {name!r} already exists").format(name=inst.name)
    return find_clash(cfg, inst)


def add_instance(paths: Paths, inst: Instance) -> None:
    """`instance add`: under the config lock, so a CLI adding at the same time loses nothing."""
    with ConfigStore(paths).edit() as cfg:
        problem = add_problem(cfg, inst)
        if problem:
            raise InvalidInput(problem)
        cfg.instances[inst.name] = inst


KEEP: Any = object()  # "leave this field as it is" in update_instance


@dataclass
class Update:
    """What `update_instance` changed: the instance before and after, and what followed."""

    before: Instance
    after: Instance
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return [
            f
            for f in ("label", "appdata", "bwdc", "log", "timeout", "login")
            if getattr(self.before, f) != getattr(self.after, f)
        ]


def update_instance(
    paths: Paths,
    name: str,
    *,
    label: str | None = KEEP,
    appdata: str = KEEP,
    bwdc: str = KEEP,
    log: str = KEEP,
    timeout: str | float = KEEP,
    login: str = KEEP,
) -> Update:
    """`instance set`: change an instance's fields, checked like `instance add`.

    An empty ``label`` or ``log`` returns to the default, an empty ``bwdc`` looks for bwdc again.
    Moving the data folder, the program or the login mode first removes what an interrupted run
    may have left in the old data folder, so this refuses (nothing changed) while a run is going.
    A changed timeout is carried to the OS job, whose artifact holds it.
    """
    from bwdc_tray import runner
    from bwdc_tray.locking import AlreadyRunning
    from bwdc_tray.schedule import backends, jobs, manage

    store = ConfigStore(paths)
    before = store.load().get(name)
    probe = build_instance(
        name,
        str(before.appdata) if appdata is KEEP else appdata,
        bwdc=(before.bwdc or "") if bwdc is KEEP else bwdc,
        log=str(before.log or "") if log is KEEP else log,
        timeout=before.timeout if timeout is KEEP else timeout,
        label=(before.label or "") if label is KEEP else (label or ""),
        login=before.login if login is KEEP else login,
    )
    done = Update(before, before)
    moved = (probe.appdata, probe.bwdc, probe.login) != (before.appdata, before.bwdc, before.login)
    if moved:
        try:
            done.notes += runner.cleanup_for_removal(paths, before)
        except AlreadyRunning:
            raise InstanceRunning(
                _("{name} is running right now").format(name=name), _("change it when the run ends")
            ) from None
    with store.edit() as cfg:
        current = cfg.get(name)
        after = replace(
            current,
            appdata=probe.appdata,
            bwdc=probe.bwdc,
            log=probe.log,
            timeout=probe.timeout,
            label=probe.label,
            login=probe.login,
        )
        problem = find_clash(cfg, after)
        if problem:
            raise InvalidInput(problem)
        cfg.instances[name] = after
    done.after = after
    job_moved = jobs.spec_for(paths, before) != jobs.spec_for(paths, after)
    backend = backends.get(after.backend).name
    if job_moved and not cfg.paused and not backends.unavailable_here(backend):
        try:
            if jobs.inspect(paths, after).job != "in-sync":
                manage.repair_job(paths, name)
                done.notes.append(_("updated the OS job of {name}").format(name=name))
        except BwdcTrayError as exc:
            done.warnings.append(
                _(
                    "its OS job still has the old settings: {error}; repair it from the "
                    "schedule editor or with `schedule sync`"
                ).format(error=exc.message)
            )
    return done


@dataclass
class Removal:
    """What `remove_instance` did, and what `restore_instance` needs to undo it."""

    inst: Instance
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The keyring entries as they were, kept in memory only while Undo is offered.
    kept_secrets: dict[str, str] | None = field(default=None, repr=False)

    def forget_secrets(self) -> None:
        self.kept_secrets = None


def remove_instance(paths: Paths, name: str, *, keep_secrets: bool = True) -> Removal:
    """`instance remove`: scrub leftovers, remove the OS job, the entry, the keyring entries.

    Raises BwdcTrayError (nothing changed) when the instance is running or its OS job cannot be
    removed. The data folder and the log are never touched.
    """
    from bwdc_tray import runner
    from bwdc_tray.locking import AlreadyRunning
    from bwdc_tray.schedule import backends, jobs

    store = ConfigStore(paths)
    loaded = store.load()
    inst = loaded.get(name)
    done = Removal(inst)
    try:
        done.notes += runner.cleanup_for_removal(paths, inst)
    except AlreadyRunning:
        raise InstanceRunning(
            _("{name} is running right now").format(name=name), _("remove it when the run ends")
        ) from None
    backend = backends.get(inst.backend)
    if not backends.unavailable_here(backend.name):
        try:
            if backend.remove(jobs.job_id(paths, name), inst.run_as):
                done.notes.append(_("removed the OS job of {name}").format(name=name))
        except BwdcTrayError as exc:
            raise EnvironmentProblem(
                _("the OS job of {name} could not be removed, so it stays listed: {error}").format(
                    name=name, error=exc.message
                ),
                exc.remedy,
            ) from exc
    with store.edit() as cfg:
        inst = cfg.get(name)
        metrics_dir = None
        if cfg.alerts or inst.extra.get("alerts"):
            from bwdc_tray.alerts import settings as alert_settings

            metrics_dir = alert_settings.effective(cfg, name).settings.metrics_dir
        del cfg.instances[name]
    done.inst = inst
    if metrics_dir is not None:
        # Its metrics would otherwise be scraped forever, frozen at its last run.
        from bwdc_tray.alerts import metrics

        metrics.remove(metrics_dir, name)
    try:
        from bwdc_tray.alerts import settings as alerts

        keyring = secrets.open_store(cfg.demo)
        if keep_secrets and not cfg.demo:
            found = secrets.load(keyring, name)
            done.kept_secrets = {
                f: v for f in secrets.FIELDS if (v := getattr(found, f)) is not None
            }
            # Its alert URLs too (restore_instance stores every kept field again).
            done.kept_secrets.update(
                (f, v) for f in alerts.URL_FIELDS if (v := alerts.get_url(keyring, name, f))
            )
        removed = secrets.clear(keyring, name) + alerts.forget(cfg, keyring, name)
        deleted = (
            _("{count} keyring entry deleted")
            if removed == 1
            else _("{count} keyring entries deleted")
        )
        done.notes.append(deleted.format(count=removed))
    except EnvironmentProblem as exc:
        done.warnings.append(
            _("its keyring entries could not be deleted: {error}").format(error=exc.message)
        )
    paths.status_file(name).unlink(missing_ok=True)
    done.notes.append(
        _("kept: the data folder {folder} and the log {log}").format(
            folder=inst.appdata, log=inst.log_path
        )
    )
    return done


def restore_instance(paths: Paths, removal: Removal) -> list[str]:
    """Undo `remove_instance`: the entry, its OS job and (if kept) its secrets. Returns
    warnings; raises InvalidInput when the name or the folder was taken in the meantime."""
    from bwdc_tray.schedule import backends, jobs

    inst = removal.inst
    with ConfigStore(paths).edit() as cfg:
        problem = add_problem(cfg, inst)
        if problem:
            raise InvalidInput(
                _("cannot restore {name}: {problem}").format(name=inst.name, problem=problem)
            )
        cfg.instances[inst.name] = inst
    warnings: list[str] = []
    spec = jobs.spec_for(paths, inst)
    backend = backends.get(inst.backend)
    if spec is not None and not cfg.paused and not backends.unavailable_here(backend.name):
        try:
            warnings += backend.install(spec)
        except BwdcTrayError as exc:
            warnings.append(
                _("its OS job could not be installed again: {error}").format(error=exc.message)
            )
    if removal.kept_secrets:
        try:
            keyring = secrets.open_store(cfg.demo)
            for name, value in removal.kept_secrets.items():
                keyring.set(inst.name, name, value)
            secrets.forget_remembered_backend(paths.cache_dir)
        except EnvironmentProblem as exc:
            warnings.append(
                _("its secrets could not be stored again: {error}").format(error=exc.message)
            )
    removal.forget_secrets()
    return warnings


def store_secrets(
    paths: Paths, name: str, client_id: str, client_secret: str, directory_secret: str = ""
) -> list[str]:
    """`secret set`: checks the values, stores them; returns what was stored (names only)."""
    cfg = ConfigStore(paths).load()
    inst = cfg.get(name)
    store = secrets.open_store(cfg.demo)
    problem = client_id_problem(client_id.strip())
    if problem:
        raise InvalidInput(problem)
    if not client_secret.strip():
        raise InvalidInput(_("client_secret must not be empty"))
    store.set(inst.name, "client_id", client_id.strip())
    store.set(inst.name, "client_secret", client_secret.strip())
    stored = ["client_id", "client_secret"]
    if directory_secret.strip():
        store.set(inst.name, "directory_secret", directory_secret.strip())
        stored.append(_("directory secret"))
    # The next run asks keyring's discovery again, so it reads them where they just went.
    secrets.forget_remembered_backend(paths.cache_dir)
    return stored

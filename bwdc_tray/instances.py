"""Adding, removing and restoring instances, and storing their secrets: one implementation
for the CLI (`instance add/remove`, `secret set`) and the window's dialogs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bwdc_tray import secrets
from bwdc_tray.config import (
    DEFAULT_TIMEOUT,
    LOGIN_MODES,
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
from bwdc_tray.paths import Paths

CLIENT_ID_RE = re.compile(r"organization\.[0-9a-fA-F-]{36}")


class InstanceRunning(BwdcTrayError):
    exit_code = Exit.LOCKED


def client_id_problem(client_id: str) -> str | None:
    """Why ``client_id`` is not an organization API key id (the rule of `secret set`)."""
    if CLIENT_ID_RE.fullmatch(client_id):
        return None
    return (
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
    folder = absolute_path(appdata, "the data folder")
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; the data folder must be a bwdc data folder")
    exe: str | None
    if bwdc.strip():
        exe = str(absolute_path(bwdc.strip(), "the bwdc program"))
        bad = bwdc_mod.check_executable(exe)
        if bad:
            raise InvalidInput(bad, "give the path of the bwdc program")
    else:
        exe = bwdc_mod.locate()
    if login not in LOGIN_MODES:
        raise InvalidInput(f"the login mode must be one of {', '.join(LOGIN_MODES)}")
    return Instance(
        name=name,
        appdata=folder,
        bwdc=exe,
        log=absolute_path(log.strip(), "the log file") if log.strip() else None,
        timeout=validate_timeout(timeout, "the timeout"),
        label=validate_label(label.strip() or None),
        login=login,
    )


def add_problem(cfg: Config, inst: Instance) -> str | None:
    """Why ``inst`` cannot join ``cfg``: its name is taken, or its folder or log is shared."""
    if inst.name in cfg.instances:
        return f"an instance named {inst.name!r} already exists"
    return find_clash(cfg, inst)


def add_instance(paths: Paths, inst: Instance) -> None:
    """`instance add`: under the config lock, so a CLI adding at the same time loses nothing."""
    with ConfigStore(paths).edit() as cfg:
        problem = add_problem(cfg, inst)
        if problem:
            raise InvalidInput(problem)
        cfg.instances[inst.name] = inst


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
            f"{name} is running right now", "remove it when the run ends"
        ) from None
    backend = backends.get(inst.backend)
    if not backends.unavailable_here(backend.name):
        try:
            if backend.remove(jobs.job_id(paths, name), inst.run_as):
                done.notes.append(f"removed the OS job of {name}")
        except BwdcTrayError as exc:
            raise EnvironmentProblem(
                f"the OS job of {name} could not be removed, so it stays listed: {exc.message}",
                exc.remedy,
            ) from exc
    with store.edit() as cfg:
        inst = cfg.get(name)
        del cfg.instances[name]
    done.inst = inst
    try:
        keyring = secrets.open_store(cfg.demo)
        if keep_secrets and not cfg.demo:
            found = secrets.load(keyring, name)
            done.kept_secrets = {
                f: v for f in secrets.FIELDS if (v := getattr(found, f)) is not None
            }
        removed = secrets.clear(keyring, name)
        done.notes.append(f"{removed} keyring entr{'y' if removed == 1 else 'ies'} deleted")
    except EnvironmentProblem as exc:
        done.warnings.append(f"its keyring entries could not be deleted: {exc.message}")
    paths.status_file(name).unlink(missing_ok=True)
    done.notes.append(f"kept: the data folder {inst.appdata} and the log {inst.log_path}")
    return done


def restore_instance(paths: Paths, removal: Removal) -> list[str]:
    """Undo `remove_instance`: the entry, its OS job and (if kept) its secrets. Returns
    warnings; raises InvalidInput when the name or the folder was taken in the meantime."""
    from bwdc_tray.schedule import backends, jobs

    inst = removal.inst
    with ConfigStore(paths).edit() as cfg:
        problem = add_problem(cfg, inst)
        if problem:
            raise InvalidInput(f"cannot restore {inst.name}: {problem}")
        cfg.instances[inst.name] = inst
    warnings: list[str] = []
    spec = jobs.spec_for(paths, inst)
    backend = backends.get(inst.backend)
    if spec is not None and not cfg.paused and not backends.unavailable_here(backend.name):
        try:
            warnings += backend.install(spec)
        except BwdcTrayError as exc:
            warnings.append(f"its OS job could not be installed again: {exc.message}")
    if removal.kept_secrets:
        try:
            keyring = secrets.open_store(cfg.demo)
            for name, value in removal.kept_secrets.items():
                keyring.set(inst.name, name, value)
        except EnvironmentProblem as exc:
            warnings.append(f"its secrets could not be stored again: {exc.message}")
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
        raise InvalidInput("client_secret must not be empty")
    store.set(inst.name, "client_id", client_id.strip())
    store.set(inst.name, "client_secret", client_secret.strip())
    stored = ["client_id", "client_secret"]
    if directory_secret.strip():
        store.set(inst.name, "directory_secret", directory_secret.strip())
        stored.append("directory secret")
    return stored

"""The instance list: one entry per bwdc data folder, stored in ``instances.json``.

Writes are atomic (temp file, fsync, rename) and 0600, under a lock so that the GUI and the CLI
changing the list at once never lose each other's update. A file that does not parse is copied
aside and reported; it is never replaced behind the user's back.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from bwdc_tray.errors import ConfigCorrupt, InvalidInput
from bwdc_tray.fsutil import atomic_write_bytes, ensure_private_dir
from bwdc_tray.i18n import N_, _
from bwdc_tray.paths import Paths

CONFIG_VERSION = 1
DEFAULT_TIMEOUT = 3600.0
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NAME_RULE = N_(
    "1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or a digit"
)
# What the window's forms pass as ``where`` (the CLI passes its option, e.g. --timeout): the
# validators translate ``where`` when they build the message.
WHERE_DATA_FOLDER = N_("the data folder")
WHERE_BWDC = N_("the bwdc program")
WHERE_LOG = N_("the log file")
WHERE_TIMEOUT = N_("the timeout")
LoginMode = Literal["isolated", "keychain"]
# A user name every scheduler accepts as it is (and that needs no quoting anywhere).
USER_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,31}(?:\\[A-Za-z0-9._ -]{1,64})?")
LOGIN_MODES: tuple[LoginMode, ...] = ("isolated", "keychain")

_KNOWN_KEYS = {
    "appdata",
    "bwdc",
    "log",
    "timeout",
    "label",
    "login",
    "schedule",
    "backend",
    "run_as",
}
BACKEND_NAMES = ("cron", "launchd", "taskscheduler", "systemd")


@dataclass(frozen=True)
class Instance:
    name: str
    appdata: Path
    bwdc: str | None = None
    log: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    label: str | None = None
    # isolated: plaintext-secrets mode in a 0700 folder, API key on disk only during a run.
    # keychain: bwdc's OS keychain, all such instances serialised behind one global lock.
    login: LoginMode = "isolated"
    schedule: str | None = None  # a canonical 5-field cron expression
    backend: str | None = None  # None: the OS's default scheduler
    run_as: str | None = None  # None: "as me"; else the dedicated user the job runs as
    # Keys written by a newer bwdc-tray are kept as they are, so a downgrade loses nothing.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def log_path(self) -> Path:
        return self.log if self.log is not None else self.appdata / "bwdc.log"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out.update(
            appdata=str(self.appdata),
            bwdc=self.bwdc,
            log=str(self.log) if self.log is not None else None,
            timeout=self.timeout,
            label=self.label,
            login=self.login,
        )
        for key in ("schedule", "backend", "run_as"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass
class Config:
    instances: dict[str, Instance] = field(default_factory=dict)
    demo: bool = False
    # "Pause all schedules": the OS jobs are removed, the schedules kept for `resume`.
    paused: bool = False
    # The alerts that apply to every instance without its own (bwdc_tray/alerts/settings.py);
    # an instance's own are in its ``extra["alerts"]``. Never a URL: those are in the keyring.
    alerts: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Instance:
        try:
            return self.instances[name]
        except KeyError:
            known = ", ".join(sorted(self.instances)) or _("none yet")
            raise InvalidInput(
                _("no instance named {name!r} (instances: {known})").format(name=name, known=known),
                _("see `bwdc-tray instance list`, or add it with `bwdc-tray instance add`"),
            ) from None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": CONFIG_VERSION}
        if self.demo:
            out["demo"] = True
        if self.paused:
            out["paused"] = True
        if self.alerts:
            out["alerts"] = self.alerts
        out["instances"] = {n: i.to_json() for n, i in self.instances.items()}
        return out


def validate_name(name: str) -> str:
    if not NAME_RE.fullmatch(name):
        raise InvalidInput(
            _("invalid instance name {name!r}: NAME must be {rule}").format(
                name=name, rule=_(NAME_RULE)
            )
        )
    return name


def validate_timeout(value: object, where: str = "--timeout") -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(
            _("{where} must be a number of seconds, got {value!r}").format(
                where=_(where), value=value
            )
        ) from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise InvalidInput(
            _("{where} must be a positive number of seconds, got {value!r}").format(
                where=_(where), value=value
            )
        )
    return seconds


def validate_label(label: str | None) -> str | None:
    if label is None:
        return None
    if "\x00" in label or len(label) > 512:
        raise InvalidInput(_("--label must be at most 512 characters and hold no NUL character"))
    return label


def absolute_path(value: str | Path, where: str) -> Path:
    text = str(value)
    if not text.strip() or "\x00" in text:
        raise InvalidInput(
            _("{where} must be a folder or file path, got {text!r}").format(
                where=_(where), text=text
            )
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A name that is not UTF-8 (decoded with surrogates): no job or log could carry it.
        raise InvalidInput(
            _("{where} must be a folder or file path, got {text!r}").format(
                where=_(where), text=text
            ),
            _("rename the folder or file to a valid UTF-8 name"),
        ) from None
    return Path(text).expanduser().absolute()


def instance_from_json(name: str, raw: object) -> Instance:
    where = _("instance {name!r}").format(name=name)
    validate_name(name)
    if not isinstance(raw, dict):
        raise InvalidInput(_("{where}: expected an object").format(where=where))
    appdata = raw.get("appdata")
    if not isinstance(appdata, str) or not Path(appdata).is_absolute():
        raise InvalidInput(_("{where}: 'appdata' must be an absolute path").format(where=where))
    bwdc = raw.get("bwdc")
    if bwdc is not None and not isinstance(bwdc, str):
        raise InvalidInput(_("{where}: 'bwdc' must be a path or null").format(where=where))
    log = raw.get("log")
    if log is not None and (not isinstance(log, str) or not Path(log).is_absolute()):
        raise InvalidInput(_("{where}: 'log' must be an absolute path or null").format(where=where))
    label = raw.get("label")
    if label is not None and not isinstance(label, str):
        raise InvalidInput(_("{where}: 'label' must be text or null").format(where=where))
    login = raw.get("login", "isolated")
    if login not in LOGIN_MODES:
        raise InvalidInput(
            _("{where}: 'login' must be one of {choices}").format(
                where=where, choices=", ".join(LOGIN_MODES)
            )
        )
    schedule = raw.get("schedule")
    if schedule is not None:
        from bwdc_tray.schedule import cron

        if not isinstance(schedule, str):
            raise InvalidInput(
                _("{where}: 'schedule' must be a cron expression or null").format(where=where)
            )
        cron.parse(schedule)
    backend = raw.get("backend")
    if backend is not None and backend not in BACKEND_NAMES:
        raise InvalidInput(
            _("{where}: 'backend' must be one of {choices}").format(
                where=where, choices=", ".join(BACKEND_NAMES)
            )
        )
    run_as = raw.get("run_as")
    if run_as is not None and (not isinstance(run_as, str) or not USER_RE.fullmatch(run_as)):
        raise InvalidInput(_("{where}: 'run_as' must be a user name").format(where=where))
    return Instance(
        name=name,
        appdata=Path(appdata),
        bwdc=bwdc,
        log=Path(log) if log is not None else None,
        timeout=validate_timeout(
            raw.get("timeout", DEFAULT_TIMEOUT), _("{where}: 'timeout'").format(where=where)
        ),
        label=validate_label(label),
        login=login,
        schedule=schedule,
        backend=backend,
        run_as=run_as,
        extra={k: v for k, v in raw.items() if k not in _KNOWN_KEYS},
    )


def config_from_json(raw: object) -> Config:
    if not isinstance(raw, dict):
        raise InvalidInput(_("expected a JSON object at the top level"))
    instances = raw.get("instances", {})
    if not isinstance(instances, dict):
        raise InvalidInput(_("'instances' must be an object"))
    cfg = Config(demo=raw.get("demo") is True, paused=raw.get("paused") is True)
    alerts = raw.get("alerts")
    if isinstance(alerts, dict):
        cfg.alerts = alerts
    for name, entry in instances.items():
        cfg.instances[name] = instance_from_json(name, entry)
    return cfg


class ConfigStore:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.path = paths.config_file

    def load(self) -> Config:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Config()
        except OSError as exc:
            raise ConfigCorrupt(
                _("cannot read {path}: {error}").format(path=self.path, error=exc.strerror),
                _("check the file's owner and permissions"),
            ) from exc
        try:
            return config_from_json(json.loads(data.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, InvalidInput) as exc:
            kept = self._keep_aside(data)
            raise ConfigCorrupt(
                _(
                    "{path} is not a valid bwdc-tray configuration ({error}); "
                    "a copy is kept at {kept} and the file was left as it is"
                ).format(path=self.path, error=exc, kept=kept),
                _("repair {file} by hand, or move it away to start from an empty list").format(
                    file=self.path.name
                ),
            ) from exc

    @contextlib.contextmanager
    def edit(self) -> Iterator[Config]:
        """Load, let the caller change, and save, all under the config lock."""
        from filelock import FileLock

        ensure_private_dir(self.paths.config_dir)
        with FileLock(str(self.paths.config_dir / ".instances.lock"), timeout=30):
            cfg = self.load()
            yield cfg
            self.save(cfg)

    def save(self, cfg: Config) -> None:
        text = json.dumps(cfg.to_json(), indent=2, ensure_ascii=False) + "\n"
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput(
                _("{path} cannot hold {text!r}: it is not valid UTF-8").format(
                    path=self.path, text=text[max(0, exc.start - 40) : exc.end + 10]
                ),
                _("rename the folder or file to a valid UTF-8 name"),
            ) from None
        atomic_write_bytes(self.path, data)

    def _keep_aside(self, data: bytes) -> Path:
        for existing in sorted(self.path.parent.glob(self.path.name + ".corrupt-*")):
            with contextlib.suppress(OSError):
                if existing.read_bytes() == data:
                    return existing
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        with contextlib.suppress(OSError):
            shutil.copy2(self.path, aside)
            aside.chmod(0o600)
        return aside


def _key(path: Path) -> str:
    # Symlinks, "..", and case on the case-insensitive file systems of Windows and macOS.
    resolved = os.path.normcase(str(path.resolve()))
    return resolved.casefold() if sys.platform in ("win32", "darwin") else resolved


def find_clash(cfg: Config, inst: Instance) -> str | None:
    """Why ``inst`` cannot join ``cfg``: a data folder or a log that another instance uses."""
    for other in cfg.instances.values():
        if other.name == inst.name:
            continue
        if _key(other.appdata) == _key(inst.appdata):
            return _(
                "--appdata {appdata} is already used by {other!r}: "
                "two instances must not share one data.json"
            ).format(appdata=inst.appdata, other=other.name)
        if _key(other.log_path) == _key(inst.log_path):
            return _(
                "--log {log} is already the log of {other!r}: each instance needs its own log"
            ).format(log=inst.log_path, other=other.name)
    return None


def with_changes(inst: Instance, **changes: Any) -> Instance:
    return replace(inst, **changes)

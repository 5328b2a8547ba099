"""API keys and directory secrets in the OS keyring, under bwdc-tray's own service name.

Entries are per instance (``<instance>:<field>``). bwdc's own keychain items are never read or
written: their naming and encoding differ per platform (reference/bwdc.md §4.3).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bwdc_tray.errors import SecretsUnavailable
from bwdc_tray.i18n import N_, _

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "bwdc-tray"
FIELDS = ("client_id", "client_secret", "directory_secret")
# English; show them translated with i18n._().
FIELD_LABELS = {
    "client_id": N_("API client_id (organization.…)"),
    "client_secret": N_("API client_secret"),
    "directory_secret": N_("directory secret (LDAP bind password, Entra key, …)"),
}
# How a message names each field.
_FIELD_NAMES = {
    "client_id": N_("client id"),
    "client_secret": N_("client secret"),
    "directory_secret": N_("directory secret"),
}


@dataclass(frozen=True)
class Secrets:
    client_id: str | None = None
    client_secret: str | None = None
    directory_secret: str | None = None

    @property
    def has_api_key(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def values(self) -> list[str]:
        """Every value that must never appear in a log, argv or file of ours."""
        return [v for v in (self.client_secret, self.directory_secret) if v]


class SecretStore(Protocol):
    def get(self, instance: str, field: str) -> str | None: ...
    def set(self, instance: str, field: str, value: str) -> None: ...
    def delete(self, instance: str, field: str) -> bool: ...


def remedy() -> str:
    if sys.platform == "darwin":
        return _("unlock the login keychain (log in to the desktop session), then retry")
    if sys.platform == "win32":
        return _("run as the Windows user whose Credential Manager holds the secrets")
    return _(
        "install and unlock a Secret Service (gnome-keyring or KeePassXC); on a server without "
        "a desktop, run inside `dbus-run-session` after `gnome-keyring-daemon --unlock`, or "
        "choose another keyring backend with PYTHON_KEYRING_BACKEND"
    )


# Where a runner remembers the backend that keyring's discovery chose (in its cache folder).
BACKEND_CACHE_FILE = "keyring-backend.json"


def _discover() -> KeyringBackend:
    """keyring's own choice: PYTHON_KEYRING_BACKEND, keyringrc.cfg, else every installed backend
    tried by priority (~75 ms: it imports them all, macOS's included, which runs
    ``ctypes.util.find_library`` even on Linux)."""
    import keyring

    return keyring.get_keyring()


def _backend_fingerprint() -> dict[str, Any]:
    """What keyring's discovery depends on besides what runs now: the interpreter, the installed
    packages (a site-packages folder changes when one is added, removed or upgraded) and the
    desktop (KWallet's priority)."""
    sites = {}
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            try:
                sites[entry] = os.stat(entry).st_mtime_ns
            except OSError:
                continue
    return {
        "executable": sys.executable,
        "prefix": sys.prefix,
        "platform": sys.platform,
        "sites": sites,
        "desktop": os.environ.get("XDG_CURRENT_DESKTOP", ""),
    }


def _config_file_exists() -> bool:
    from keyring.util import platform_

    try:
        return Path(platform_.config_root(), "keyringrc.cfg").exists()
    except OSError:
        return False


def _remembered(cache_file: Path) -> KeyringBackend | None:
    """The backend discovery chose last time, if nothing it depends on changed and it is still
    usable (keyring's own viability check: a Secret Service that is not running fails it)."""
    if os.environ.get("PYTHON_KEYRING_BACKEND") is not None or _config_file_exists():
        return None  # keyring honours these itself, without discovery
    try:
        entry: Any = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("fingerprint") != _backend_fingerprint():
        return None
    name = entry.get("backend")
    if not isinstance(name, str):
        return None
    module_name, _dot, class_name = name.rpartition(".")
    try:
        import importlib

        cls = getattr(importlib.import_module(module_name), class_name)
        # keyring's viability check, as its own load_keyring() does: a backend that cannot work
        # here now (a Secret Service that is not running) raises.
        if not float(cls.priority) > 0:
            return None
        backend: KeyringBackend = cls()
    except Exception:  # gone, not viable now (RuntimeError), or needs arguments
        return None
    return None if name.startswith("keyring.backends.fail") else backend


def _remember(cache_file: Path, backend: KeyringBackend) -> None:
    if os.environ.get("PYTHON_KEYRING_BACKEND") is not None or _config_file_exists():
        return
    from bwdc_tray.fsutil import atomic_write_text

    entry = {"backend": _name(backend), "fingerprint": _backend_fingerprint()}
    with contextlib.suppress(OSError):  # only a speed-up
        atomic_write_text(cache_file, json.dumps(entry, indent=1) + "\n")


def forget_remembered_backend(cache_dir: Path) -> None:
    """After secrets were stored or deleted: the next run asks discovery again, so that it reads
    them from the backend that discovery chooses now (the one they went to)."""
    with contextlib.suppress(OSError):
        (cache_dir / BACKEND_CACHE_FILE).unlink()


def _name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


class KeyringStore:
    """The real store: the `keyring` library's backend for this OS.

    With ``cache_dir`` (the runner, started on every scheduled sync), the backend that keyring's
    discovery chose is remembered there and loaded directly next time, when nothing discovery
    depends on changed and it is still usable; otherwise discovery runs as usual.
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        import keyring.errors

        self._errors = keyring.errors
        self._cache_file = cache_dir / BACKEND_CACHE_FILE if cache_dir is not None else None
        backend = _remembered(self._cache_file) if self._cache_file is not None else None
        self.remembered = backend is not None
        self._use(backend if backend is not None else _discover())

    def _use(self, backend: KeyringBackend) -> None:
        name = _name(backend)
        if name.startswith("keyring.backends.fail") or (
            not self.remembered and getattr(backend, "priority", 1) <= 0  # checked when loaded
        ):
            raise SecretsUnavailable(_("no usable keyring on this machine"), remedy())
        if name.startswith("keyrings.alt.file.Plaintext"):
            raise SecretsUnavailable(
                _("the keyring backend {name} keeps secrets in a plaintext file").format(name=name),
                _("uninstall keyrings.alt or choose a real backend with PYTHON_KEYRING_BACKEND"),
            )
        self._backend = backend
        self.backend_name = name
        if self._cache_file is not None and not self.remembered:
            _remember(self._cache_file, backend)

    def rediscover(self) -> None:
        """Forget the remembered backend and ask keyring's discovery again."""
        self.remembered = False
        self._use(_discover())

    def _account(self, instance: str, field: str) -> str:
        return f"{instance}:{field}"

    def get(self, instance: str, field: str) -> str | None:
        try:
            value: str | None = self._backend.get_password(SERVICE, self._account(instance, field))
        except self._errors.KeyringError as exc:
            raise SecretsUnavailable(
                _("the keyring refused to answer: {error}").format(error=exc), remedy()
            ) from exc
        return value

    def set(self, instance: str, field: str, value: str) -> None:
        try:
            self._backend.set_password(SERVICE, self._account(instance, field), value)
        except self._errors.KeyringError as exc:
            raise SecretsUnavailable(
                _("the keyring refused to store: {error}").format(error=exc), remedy()
            ) from exc
        except Exception as exc:
            # Windows Credential Manager raises pywintypes.error for values over ~2.5 KB.
            what = _FIELD_NAMES.get(field, field.replace("_", " "))
            raise SecretsUnavailable(
                _("the keyring could not store the {field}: {error}").format(
                    field=_(what), error=exc
                ),
                _("a very long secret (a Google service key) may exceed the OS limit"),
            ) from exc

    def delete(self, instance: str, field: str) -> bool:
        try:
            self._backend.delete_password(SERVICE, self._account(instance, field))
        except self._errors.PasswordDeleteError:
            return False
        except self._errors.KeyringError as exc:
            raise SecretsUnavailable(
                _("the keyring refused to delete: {error}").format(error=exc), remedy()
            ) from exc
        return True


class DemoStore:
    """Fixed, fake credentials for the simulated instances of `bwdc-tray demo`.

    It stores nothing: a real secret typed into a demo home is refused, never written down.
    """

    def get(self, instance: str, field: str) -> str | None:
        return {
            "client_id": "organization.00000000-0000-4000-8000-000000000000",
            "client_secret": f"demo-secret-{instance}",
        }.get(field)

    def set(self, instance: str, field: str, value: str) -> None:
        raise SecretsUnavailable(
            _("this is a demo home: its instances use simulated credentials"),
            _("use your own home (without --home pointing at the demo) for real instances"),
        )

    def delete(self, instance: str, field: str) -> bool:
        return False


def open_store(demo: bool = False, cache_dir: Path | None = None) -> SecretStore:
    """The secret store; ``cache_dir``: remember keyring's choice of backend there."""
    return DemoStore() if demo else KeyringStore(cache_dir)


def load(store: SecretStore, instance: str) -> Secrets:
    found = Secrets(**{f: store.get(instance, f) for f in FIELDS})
    if not found.has_api_key and isinstance(store, KeyringStore) and store.remembered:
        # Discovery may choose another backend now (one that became usable without a package
        # change): look there before saying the API key is missing.
        store.rediscover()
        found = Secrets(**{f: store.get(instance, f) for f in FIELDS})
    return found


def clear(store: SecretStore, instance: str) -> int:
    return sum(store.delete(instance, f) for f in FIELDS)

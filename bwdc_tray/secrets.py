"""API keys and directory secrets in the OS keyring, under bwdc-tray's own service name.

Entries are per instance (``<instance>:<field>``). bwdc's own keychain items are never read or
written: their naming and encoding differ per platform (reference/bwdc.md §4.3).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

from bwdc_tray.errors import SecretsUnavailable
from bwdc_tray.i18n import N_, _

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


class KeyringStore:
    """The real store: the `keyring` library's backend for this OS."""

    def __init__(self) -> None:
        import keyring
        import keyring.errors

        self._keyring = keyring
        self._errors = keyring.errors
        backend = keyring.get_keyring()
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        if name.startswith("keyring.backends.fail") or getattr(backend, "priority", 1) <= 0:
            raise SecretsUnavailable(_("no usable keyring on this machine"), remedy())
        if name.startswith("keyrings.alt.file.Plaintext"):
            raise SecretsUnavailable(
                _("the keyring backend {name} keeps secrets in a plaintext file").format(name=name),
                _("uninstall keyrings.alt or choose a real backend with PYTHON_KEYRING_BACKEND"),
            )
        self.backend_name = name

    def _account(self, instance: str, field: str) -> str:
        return f"{instance}:{field}"

    def get(self, instance: str, field: str) -> str | None:
        try:
            value: str | None = self._keyring.get_password(SERVICE, self._account(instance, field))
        except self._errors.KeyringError as exc:
            raise SecretsUnavailable(
                _("the keyring refused to answer: {error}").format(error=exc), remedy()
            ) from exc
        return value

    def set(self, instance: str, field: str, value: str) -> None:
        try:
            self._keyring.set_password(SERVICE, self._account(instance, field), value)
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
            self._keyring.delete_password(SERVICE, self._account(instance, field))
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


def open_store(demo: bool = False) -> SecretStore:
    return DemoStore() if demo else KeyringStore()


def load(store: SecretStore, instance: str) -> Secrets:
    return Secrets(**{f: store.get(instance, f) for f in FIELDS})


def clear(store: SecretStore, instance: str) -> int:
    return sum(store.delete(instance, f) for f in FIELDS)

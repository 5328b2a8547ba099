"""bwdc-tray's secrets in the real OS keyring: Windows Credential Manager or the macOS Keychain
(Windows and macOS only; see tests/support/platforms.py for the opt-in). Linux's Secret Service
has its own test (tests/test_secrets.py, gnome-keyring under dbus-run-session).

The rest of the suite uses a file-backed fake chosen with PYTHON_KEYRING_BACKEND (conftest's
_isolated_env); here that variable is removed and keyring's discovery runs again, and the tests
check that it chose the OS's own backend before trusting anything else. Entries are made for an
instance with a unique name and cleared whatever happens.
"""

from __future__ import annotations

import os
import secrets as pysecrets
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from bwdc_tray import secrets
from tests.conftest import CLIENT_ID, World
from tests.support.platforms import os_integration

pytestmark = os_integration(
    ("win32", "darwin"),
    "needs Windows (Credential Manager) or macOS (Keychain)",
    "stores and deletes entries in this user's real keyring",
)

NATIVE = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",
    "darwin": "keyring.backends.macOS.Keyring",
}
# A locked keychain can wait for a prompt that never comes: fail instead of hanging the run.
CALL_TIMEOUT_S = 60.0

T = TypeVar("T")


def bounded(call: Callable[[], T], what: str) -> T:
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(call())
        except BaseException as exc:
            error.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(CALL_TIMEOUT_S)
    if worker.is_alive():
        pytest.fail(f"{what}: the OS keyring did not answer in {CALL_TIMEOUT_S:.0f} s (locked?)")
    if error:
        raise error[0]
    return result[0]


@pytest.fixture(autouse=True)
def real_keyring() -> Iterator[None]:
    """keyring's own choice for this machine, not the suite's fake; restored afterwards."""
    import keyring
    import keyring.core

    before = keyring.get_keyring()
    saved = os.environ.pop("PYTHON_KEYRING_BACKEND", None)
    try:
        keyring.core.init_backend()  # discovery again, without the variable
        yield
    finally:
        if saved is not None:
            os.environ["PYTHON_KEYRING_BACKEND"] = saved
        keyring.set_keyring(before)


@pytest.fixture
def instance() -> Iterator[str]:
    name = f"itest-{pysecrets.token_hex(6)}"
    try:
        yield name
    finally:
        secrets.clear(secrets.KeyringStore(), name)


def _files_holding(root: Path, needle: str) -> list[Path]:
    data = needle.encode("utf-8")
    forms = (data, needle.encode("utf-16-le"))
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            if any(form in content for form in forms):
                found.append(path)
    return found


def test_the_os_keyring_is_the_one_in_use() -> None:
    store = secrets.KeyringStore()
    assert store.backend_name == NATIVE[sys.platform]


def test_store_read_and_clear_through_the_secrets_module(instance: str, tmp_path: Path) -> None:
    canary = f"canary-{pysecrets.token_urlsafe(16)}"
    directory = f"dir-{pysecrets.token_urlsafe(12)} ✓"
    store = secrets.KeyringStore(cache_dir=tmp_path / "home" / "state" / "cache")
    assert store.backend_name == NATIVE[sys.platform]

    def write() -> None:
        store.set(instance, "client_id", CLIENT_ID)
        store.set(instance, "client_secret", canary)
        store.set(instance, "directory_secret", directory)

    bounded(write, "storing")
    # A fresh store, as another process would open it: the entries are in the OS keyring.
    found = bounded(lambda: secrets.load(secrets.KeyringStore(), instance), "reading")
    assert found == secrets.Secrets(CLIENT_ID, canary, directory)
    assert found.has_api_key

    assert bounded(lambda: secrets.clear(store, instance), "clearing") == 3
    assert bounded(lambda: secrets.load(secrets.KeyringStore(), instance), "reading") == (
        secrets.Secrets()
    )
    assert bounded(lambda: secrets.clear(store, instance), "clearing again") == 0
    assert _files_holding(tmp_path, canary) == []


def test_secret_set_check_and_clear_from_the_cli(world: World, instance: str) -> None:
    canary = f"canary-{pysecrets.token_urlsafe(16)}"
    world.add(instance, secrets=False)

    res = bounded(
        lambda: world.cli("secret", "set", instance, "--stdin", stdin=f"{CLIENT_ID}\n{canary}\n\n"),
        "secret set",
    )
    assert res.code == 0, res.err
    res = bounded(lambda: world.cli("secret", "check", instance), "secret check")
    assert res.code == 0, res.err
    assert canary not in res.out + res.err

    # Nothing of ours holds the secret: not the config, the state, the data folder, the log.
    assert not (world.tmp / "keyring.json").exists()  # the suite's fake was not used
    assert _files_holding(world.tmp, canary) == []

    res = bounded(lambda: world.cli("secret", "clear", instance), "secret clear")
    assert res.code == 0, res.err
    assert bounded(lambda: secrets.load(secrets.KeyringStore(), instance), "reading") == (
        secrets.Secrets()
    )

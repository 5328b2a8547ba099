#!/usr/bin/env python3
"""A simulated Bitwarden Directory Connector CLI (``bwdc``), speaking bwdc 2026.4.0.

Used by ``bwdc-tray demo`` on machines without bwdc, and by the tests. It prints bwdc 2026.4.0's
exact strings, on the same channels and with the same exit codes as the real CLI (see
``shared/reference/bwdc.md`` and the captures in ``shared/fixtures/bwdc-captures``), keeps its
state in ``<appdata>/data.json`` in bwdc's old account-based format (``global.stateVersion`` 3),
and simulates the directory and the Bitwarden server instead of talking to them.

Run it as ``python -m bwdc_tray.demo.simbwdc ARGS...`` or call :func:`main`.

Environment (besides bwdc's own ``BITWARDENCLI_CONNECTOR_APPDATA_DIR``,
``BITWARDEN_CONNECTOR_APPDATA_DIR``, ``BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS``, ``BW_CLIENTID``,
``BW_CLIENTSECRET``, ``BW_RESPONSE``, ``BW_PRETTY``, ``BW_RAW``, ``BW_QUIET``,
``BW_NOINTERACTION``, ``BW_CLEANEXIT``):

``SIMBWDC_VERSION``
    version printed by ``--version`` and written as ``installedVersion`` (default ``2026.4.0``).
``SIMBWDC_SCENARIO``, ``SIMBWDC_DELAY``, ``SIMBWDC_CPU``
    override ``scenario``, ``delay`` and ``cpu`` of ``<appdata>/simulator.json``.
``SIMBWDC_KEYCHAIN_FILE``
    keychain mode only (``BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS`` not ``true``): a JSON file
    standing in for the OS keychain, shared by every instance that names it. It holds the access
    token, the API key and the directory secrets, as bwdc >= 2026.6 does; so one login is shared
    by all instances (``login`` elsewhere says "already logged in", ``logout`` logs all out).
    Unset in keychain mode = a headless machine without a Secret Service; the simulator then
    replays the captured 2026.4.0 failures: ``login`` works (2026.4.0 keeps the token in
    data.json), ``config directory`` and the secret settings fail with ``Cannot autolaunch D-Bus
    without X11 $DISPLAY`` (keychain-config-*.txt), ``sync`` fails with ``Cannot read properties
    of null (reading 'overwriteExisting')`` (keychain-sync.txt) and ``test`` with ``Cannot read
    properties of undefined (reading '0')`` (keychain-test.txt).

``<appdata>/simulator.json`` (all keys optional)::

    {"groups": [{"name": "Sales", "id": "cn=Sales,ou=Groups,dc=example,dc=com",
                 "members": ["cn=Ann Lee,ou=Sales,dc=example,dc=com"]}],
     "users": [{"id": "cn=Ann Lee,ou=Sales,dc=example,dc=com", "email": "ann@example.com",
                "disabled": false}],
     "scenario": "ok", "delay": 0.0, "cpu": 0.0, "server": "http://127.0.0.1:8087"}

``id`` of a group is its external id (default ``cn=<name>,ou=Groups,dc=example,dc=com``); a
group's ``members`` are user ids. Without ``users`` and ``groups`` a built-in directory of 5 groups
and 20 users is used; giving only one of them makes the other empty. ``server`` is the Bitwarden
server named in network errors; default: the ``config server`` value, else
``http://127.0.0.1:8087``. LDAP errors name the LDAP host and port of data.json's ldap config
(default ``127.0.0.1:1389``).

Scenarios:

``ok``
    everything works. ``sync`` reports the directory's counts, or ``Synced 0 group(s) and 0
    user(s).`` when the import payload's hash equals ``lastSyncHash`` (as bwdc does).
``unchanged``
    ``sync`` always reports 0/0.
``not-logged-in``
    after a login, the first ``sync``/``test`` finds the session wiped: it clears the stored login
    and fails with ``You are not logged in.``. A login that directly follows such a wipe is stable,
    so "log in again and retry" works; the next fresh login arms it again. (State kept in
    ``<appdata>/simbwdc-state.json``; a login made before that file existed counts as armed.)
``invalid-client``
    ``login`` fails as the identity server answering ``invalid_client`` (login-wrong-secret.txt).
``server-unreachable``
    ``login`` fails as login-server-unreachable.txt; ``sync`` (when logged in) as
    sync-server-unreachable.txt. ``test`` works (it does not contact the server).
``ldap-unreachable``
    ``sync`` and ``test`` fail with ``connect ECONNREFUSED 127.0.0.1:1389``.
``crash-401``
    ``sync``: the import is answered 401, bwdc logs itself out (token and API key wiped) and fails
    with ``Cannot read properties of null (reading 'directorySettings')`` (sync-import-401-*.txt).
``hang``
    ``sync`` and ``test`` (logged in or not) write ``<appdata>/simbwdc.pid``, start one child
    process that sleeps forever (it inherits stdout/stderr, like a stuck helper would) and write
    its pid to ``<appdata>/simbwdc-child.pid``, then sleep forever.
``slow``
    like ``ok``, but every call takes ``delay`` seconds (default 2.7), of which ``cpu`` seconds
    (default 1.0) are busy CPU, like the real bwdc. ``delay``/``cpu`` apply in every scenario; they
    default to 0 except in ``slow``.

Simplifications: the simulated sync posts the whole directory whenever its hash changed (the real
LDAP sync is incremental); ``login`` also fills in ``organizationId`` and a default LDAP config in a
new account (the real 2026.4.0 leaves ``organizationId`` unset, so its first sync says
``Organization not set.``); ``config`` stores directory secrets inline in plaintext mode (as bwdc
>= 2026.6; 2026.4.0 silently dropped them) and works after ``logout``; ``config directory`` and the
secret settings fail before the first login with 2026.4.0's ``Cannot read properties of null
(reading 'directorySettings')``. Colour is never printed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

# Start-up time matters (bwdc-tray runs this for every simulated bwdc call): no typing,
# dataclasses or uuid at run time; hashlib, base64 and subprocess are imported where needed.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, BinaryIO, TextIO

    JSONDict = dict[str, Any]

__all__ = ["DEFAULT_VERSION", "SCENARIOS", "SimulatorError", "main", "resolve_appdata", "run"]

DEFAULT_VERSION = "2026.4.0"
DEFAULT_SERVER = "http://127.0.0.1:8087"
DEFAULT_LDAP_HOST = "127.0.0.1"
DEFAULT_LDAP_PORT = 1389
SCENARIOS = (
    "ok",
    "unchanged",
    "not-logged-in",
    "invalid-client",
    "server-unreachable",
    "ldap-unreachable",
    "crash-401",
    "hang",
    "slow",
)
SLOW_DELAY = 2.7
SLOW_CPU = 1.0
APP_DIR_NAME = "Bitwarden Directory Connector"
STORED_SECURELY = "[STORED SECURELY]"

SIMULATOR_FILE = "simulator.json"
STATE_FILE = "simbwdc-state.json"
PID_FILE = "simbwdc.pid"
CHILD_PID_FILE = "simbwdc-child.pid"

MSG_NOT_LOGGED_IN = "You are not logged in."
MSG_LOGGED_IN = "You are logged in!"
MSG_LOGGED_OUT = "You have logged out."
MSG_SYNC_TITLE = "Syncing complete."
MSG_CACHE_CLEARED = "The sync cache has been cleared."
MSG_NO_ACCOUNT = "Cannot read properties of null (reading 'directorySettings')"
MSG_NO_DBUS = "Cannot autolaunch D-Bus without X11 $DISPLAY"
MSG_KEYCHAIN_SYNC = "Cannot read properties of null (reading 'overwriteExisting')"
MSG_KEYCHAIN_TEST = "Cannot read properties of undefined (reading '0')"
MSG_INVALID_CLIENT = (
    '{"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}'
)

_PROGRAM_USAGE = """\
Usage: bwdc [options] [command]

Options:
  --pretty                            Format output. JSON is tabbed with two
                                      spaces.
  --raw                               Return raw output instead of a descriptive
                                      message.
  --response                          Return a JSON formatted version of
                                      response output.
  --cleanexit                         Exit with a success exit code (0) unless
                                      an error is thrown.
  --quiet                             Don't return anything to stdout.
  --nointeraction                     Do not prompt for interactive user input.
  -v, --version                       output the version number
  -h, --help                          display help for command

Commands:
  login [clientId] [clientSecret]     Log into an organization account.
  logout                              Log out of the current user account.
  test [options]                      Test a simulated sync.
  sync                                Sync the directory.
  last-sync <object>                  Get the last successful sync date.
  config [options] <setting> [value]  Configure settings.
  data-file                           Path to data.json database file.
  clear-cache                         Clear the sync cache.
  update                              Check for updates.
  help [command]                      display help for command
"""

_PROGRAM_EXAMPLES = """
  Examples:

    bwdc login
    bwdc test
    bwdc sync
    bwdc last-sync
    bwdc config server https://bw.company.com
    bwdc update

"""


def _simple_help(usage: str, description: str, example: str) -> str:
    return (
        f"Usage: bwdc {usage}\n\n{description}\n\nOptions:\n"
        "  -h, --help  display help for command\n\n"
        f"  Examples:\n\n    bwdc {example}\n\n"
    )


_COMMAND_HELP: dict[str, str] = {
    "login": """\
Usage: bwdc login [options] [clientId] [clientSecret]

Log into an organization account.

Arguments:
  clientId      Client_id part of your organization's API key
  clientSecret  Client_secret part of your organization's API key

Options:
  -h, --help    display help for command
""",
    "logout": _simple_help("logout [options]", "Log out of the current user account.", "logout"),
    "test": """\
Usage: bwdc test [options]

Test a simulated sync.

Options:
  -l, --last  Since the last successful sync.
  -h, --help  display help for command

  Examples:

    bwdc test
    bwdc test --last

""",
    "sync": _simple_help("sync [options]", "Sync the directory.", "sync"),
    "last-sync": """\
Usage: bwdc last-sync [options] <object>

Get the last successful sync date.

Options:
  -h, --help  display help for command

  Notes:

    Returns empty response if no sync has been performed for the given object.

  Examples:

    bwdc last-sync groups
    bwdc last-sync users

""",
    "config": """\
Usage: bwdc config [options] <setting> [value]

Configure settings.

Options:
  --secretenv <variable-name>  Read secret from the named environment variable.
  --secretfile <filename>      Read secret from first line of the named file.
  -h, --help                   display help for command

  Settings:

    server - On-premise hosted installation URL.
    directory - The type of directory to use.
    ldap.password - The password for connection to this LDAP server.
    entra.key - The Entra Id secret key.
    gsuite.key - The G Suite private key.
    okta.token - The Okta token.
    onelogin.secret - The OneLogin client secret.

  Examples:

    bwdc config server https://bw.company.com
    bwdc config server bitwarden.com
    bwdc config directory 1
    bwdc config ldap.password <password>
    bwdc config ldap.password --secretenv LDAP_PWD
    bwdc config entra.key <key>
    bwdc config gsuite.key <key>
    bwdc config okta.token <token>
    bwdc config onelogin.secret <secret>

""",
    "data-file": _simple_help(
        "data-file [options]", "Path to data.json database file.", "data-file"
    ),
    "clear-cache": _simple_help("clear-cache [options]", "Clear the sync cache.", "clear-cache"),
    "update": _simple_help("update [options]", "Check for updates.", "update"),
}

_GLOBAL_FLAGS = {
    "--pretty": "pretty",
    "--raw": "raw",
    "--response": "response",
    "--cleanexit": "cleanexit",
    "--quiet": "quiet",
    "--nointeraction": "nointeraction",
}
_COMMANDS = (*_COMMAND_HELP, "help")
_COMMAND_OPTIONS: dict[str, dict[str, str]] = {
    "test": {"-l": "last", "--last": "last"},
    "config": {"--secretenv": "secretenv", "--secretfile": "secretfile"},
}
_VALUE_OPTIONS = {
    "--secretenv": "--secretenv <variable-name>",
    "--secretfile": "--secretfile <filename>",
}
_REQUIRED_ARG = {"last-sync": "object", "config": "setting"}

# setting -> (directoryConfigurations key, field, keychain account)
_SECRET_SETTINGS: dict[str, tuple[str, str, str]] = {
    "ldap.password": ("ldap", "password", "secretLdap"),
    "entra.key": ("entra", "key", "secretEntra"),
    "azure.key": ("entra", "key", "secretEntra"),
    "gsuite.key": ("gsuite", "privateKey", "secretGsuite"),
    "okta.token": ("okta", "token", "secretOkta"),
    "onelogin.secret": ("oneLogin", "clientSecret", "secretOneLogin"),
}


class SimulatorError(Exception):
    """The simulator itself is misconfigured (bad simulator.json or SIMBWDC_* value)."""


# --------------------------------------------------------------------------- simulated directory


class User:
    """A directory user: external id (an LDAP DN), email, disabled flag."""

    __slots__ = ("disabled", "email", "id")

    def __init__(self, id: str, email: str, disabled: bool = False) -> None:
        self.id = id
        self.email = email
        self.disabled = disabled


class Group:
    """A directory group: external id, name, member user ids (in directory order)."""

    __slots__ = ("id", "members", "name")

    def __init__(self, id: str, name: str, members: tuple[str, ...] = ()) -> None:
        self.id = id
        self.name = name
        self.members = members


def _default_directory() -> tuple[list[Group], list[User]]:
    base = "dc=example,dc=com"
    people = [
        ("Alice Andersen", "Engineering"),
        ("Bruno Barbieri", "Engineering"),
        ("Chloe Chevalier", "Engineering"),
        ("Dmitri Dvorak", "Engineering"),
        ("Elena Esposito", "Engineering"),
        ("Farid Farouk", "IT"),
        ("Grace Gallagher", "IT"),
        ("Hiroshi Hayashi", "IT"),
        ("Ines Ibarra", "Finance"),
        ("Jonas Jansen", "Finance"),
        ("Katja Koch", "Finance"),
        ("Liam Lambert", "Sales"),
        ("Maya Martin", "Sales"),
        ("Noah Nielsen", "Sales"),
        ("Olivia Okafor", "Sales"),
        ("Pavel Petrov", "Sales"),
        ("Quentin Quaid", "Human Resources"),
        ("Rosa Romero", "Human Resources"),
        ("Sofia Silva", "Management"),
        ("Tomas Torres", "Management"),
    ]
    users = []
    for full, dept in people:
        first, last = full.split()
        email = f"{first[0].lower()}{last.lower()}@example.com"
        users.append(User(id=f"cn={full},ou={dept},{base}", email=email))
    by_name = {u.id.split(",")[0][3:]: u.id for u in users}

    def members(*names: str) -> tuple[str, ...]:
        return tuple(by_name[n] for n in names)

    groups = [
        Group(
            f"cn=Engineering,ou=Groups,{base}",
            "Engineering",
            members(
                "Alice Andersen",
                "Bruno Barbieri",
                "Chloe Chevalier",
                "Dmitri Dvorak",
                "Elena Esposito",
            ),
        ),
        Group(
            f"cn=IT Admins,ou=Groups,{base}",
            "IT Admins",
            members("Farid Farouk", "Grace Gallagher", "Hiroshi Hayashi"),
        ),
        Group(
            f"cn=Finance,ou=Groups,{base}",
            "Finance",
            members("Ines Ibarra", "Jonas Jansen", "Katja Koch", "Tomas Torres"),
        ),
        Group(
            f"cn=Sales,ou=Groups,{base}",
            "Sales",
            members("Liam Lambert", "Maya Martin", "Noah Nielsen", "Olivia Okafor", "Pavel Petrov"),
        ),
        Group(
            f"cn=Bitwarden Admins,ou=Groups,{base}",
            "Bitwarden Admins",
            members("Sofia Silva", "Farid Farouk"),
        ),
    ]
    return groups, users


class SimConfig:
    """What ``simulator.json`` and the ``SIMBWDC_*`` variables ask for."""

    __slots__ = ("cpu", "delay", "groups", "scenario", "server", "users")

    def __init__(
        self,
        scenario: str,
        delay: float,
        cpu: float,
        server: str | None,
        groups: tuple[Group, ...],
        users: tuple[User, ...],
    ) -> None:
        self.scenario = scenario
        self.delay = delay
        self.cpu = cpu
        self.server = server
        self.groups = groups
        self.users = users


def _as_float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        msg = f"{what} must be a number, not {value!r}"
        raise SimulatorError(msg)
    try:
        number = float(value)
    except ValueError:
        msg = f"{what} must be a number, not {value!r}"
        raise SimulatorError(msg) from None
    if number < 0:
        msg = f"{what} must not be negative"
        raise SimulatorError(msg)
    return number


def _load_sim_config(appdata: Path, environ: Mapping[str, str]) -> SimConfig:
    path = appdata / SIMULATOR_FILE
    raw: JSONDict = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            msg = f"cannot read {path}: {exc}"
            raise SimulatorError(msg) from exc
        if not isinstance(loaded, dict):
            msg = f"{path} must hold a JSON object"
            raise SimulatorError(msg)
        raw = loaded

    scenario = environ.get("SIMBWDC_SCENARIO") or raw.get("scenario") or "ok"
    if scenario not in SCENARIOS:
        msg = f"unknown scenario {scenario!r} (known: {', '.join(SCENARIOS)})"
        raise SimulatorError(msg)
    slow = scenario == "slow"
    delay_src: object = environ.get("SIMBWDC_DELAY") or raw.get("delay")
    cpu_src: object = environ.get("SIMBWDC_CPU") or raw.get("cpu")
    delay = SLOW_DELAY if slow else 0.0
    cpu = SLOW_CPU if slow else 0.0
    if delay_src is not None:
        delay = _as_float(delay_src, "delay")
    if cpu_src is not None:
        cpu = _as_float(cpu_src, "cpu")
    else:
        cpu = min(cpu, delay)  # a shorter delay shortens the default CPU share too
    server = raw.get("server")
    if server is not None and not isinstance(server, str):
        msg = "server must be a string"
        raise SimulatorError(msg)

    if "users" in raw or "groups" in raw:
        users = tuple(_parse_user(u) for u in _as_list(raw.get("users", []), "users"))
        groups = tuple(_parse_group(g) for g in _as_list(raw.get("groups", []), "groups"))
    else:
        default_groups, default_users = _default_directory()
        groups, users = tuple(default_groups), tuple(default_users)
    return SimConfig(scenario, delay, cpu, server or None, groups, users)


def _as_list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        msg = f"{what} must be a list"
        raise SimulatorError(msg)
    return value


def _parse_user(value: object) -> User:
    if not isinstance(value, dict):
        msg = f"a user must be an object, not {value!r}"
        raise SimulatorError(msg)
    uid, email, disabled = value.get("id"), value.get("email"), value.get("disabled", False)
    if not isinstance(uid, str) or not isinstance(email, str) or not isinstance(disabled, bool):
        msg = f"a user needs string 'id' and 'email' and boolean 'disabled': {value!r}"
        raise SimulatorError(msg)
    return User(uid, email, disabled)


def _parse_group(value: object) -> Group:
    if not isinstance(value, dict):
        msg = f"a group must be an object, not {value!r}"
        raise SimulatorError(msg)
    name = value.get("name")
    gid = value.get("id", f"cn={name},ou=Groups,dc=example,dc=com")
    members = value.get("members", [])
    if (
        not isinstance(name, str)
        or not isinstance(gid, str)
        or not isinstance(members, list)
        or not all(isinstance(m, str) for m in members)
    ):
        msg = f"a group needs a string 'name', string 'id', and a list of user ids: {value!r}"
        raise SimulatorError(msg)
    return Group(gid, name, tuple(members))


# --------------------------------------------------------------------------- output


class Output:
    """bwdc's ``processResponse``/``writeLn``: where and how results are printed."""

    def __init__(
        self,
        out: BinaryIO,
        err: BinaryIO,
        *,
        response: bool = False,
        pretty: bool = False,
        raw: bool = False,
        quiet: bool = False,
        cleanexit: bool = False,
    ) -> None:
        self.out = out
        self.err = err
        self.response = response
        self.pretty = pretty
        self.raw = raw
        self.quiet = quiet
        self.cleanexit = cleanexit

    def write(self, text: str, *, error: bool = False) -> None:
        stream = self.err if error else self.out
        stream.write(text.encode("utf-8"))
        stream.flush()

    def write_ln(self, text: str, *, final: bool = False, error: bool = False) -> None:
        # bwdc writes its final line without a newline on Windows only.
        end = "" if final and sys.platform == "win32" else "\n"
        self.write(text + end, error=error)

    def json(self, obj: object) -> str:
        if self.pretty:
            return json.dumps(obj, ensure_ascii=False, indent=2)
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    def fail(self, message: str) -> int:
        if not self.quiet:
            if self.response:
                self.write_ln(self.json({"success": False, "message": message}), final=True)
            else:
                self.write_ln(message, final=True, error=True)
        return 0 if self.cleanexit else 1

    def _success(self, data: JSONDict, plain: str | None) -> int:
        if self.response:
            self.write_ln(self.json({"success": True, "data": data}), final=True)
        elif plain is not None and not self.quiet:
            self.write_ln(plain, final=True)
        return 0

    def message(self, title: str, message: str | None = None) -> int:
        data = {"noColor": False, "object": "message", "title": title, "message": message}
        plain = None if self.raw else (title if message is None else f"{title}\n{message}")
        return self._success(data, plain)

    def string(self, value: str | None) -> int:
        return self._success({"object": "string", "data": value}, value)

    def obj(self, data: JSONDict) -> int:
        return self._success(data, self.json(data))


# --------------------------------------------------------------------------- files


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file + rename), mode 0600."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> JSONDict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        # bwdc backs up an unreadable data file and starts again from an empty one.
        path.with_name(path.name + ".bak").write_bytes(text.encode("utf-8"))
        return {}
    return data


def _now_iso() -> str:
    """``Date.toISOString()``: UTC with milliseconds, e.g. ``2026-07-01T09:15:02.123Z``."""
    now = time.time()
    millis = int(now * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{millis:03d}Z"


def _b64url(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _uuid4() -> str:
    """A random (version 4) UUID, without importing :mod:`uuid` (slow to import)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _is_uuid(text: str) -> bool:
    parts = text.split("-")
    if [len(p) for p in parts] != [8, 4, 4, 4, 12]:
        return False
    return all(c in "0123456789abcdefABCDEF" for c in "".join(parts))


def _fake_access_token(client_id: str, org: str, issuer: str) -> str:
    now = int(time.time())
    header = {"alg": "RS256", "kid": "simbwdc", "typ": "at+jwt"}
    payload = {
        "nbf": now,
        "exp": now + 3600,
        "iss": issuer,
        "client_id": client_id,
        "sub": org,
        "organization": org,
        "jti": _uuid4().replace("-", "").upper(),
        "scope": ["api.organization"],
    }
    parts = [
        _b64url(json.dumps(header, separators=(",", ":")).encode()),
        _b64url(json.dumps(payload, separators=(",", ":")).encode()),
        _b64url(os.urandom(64)),
    ]
    return ".".join(parts)


def _new_account(org: str) -> JSONDict:
    """An account object as bwdc 2026.4.0 keeps it, configured for the simulated LDAP server."""
    return {
        "data": {
            "ciphers": {},
            "folders": {},
            "sends": {},
            "collections": {},
            "policies": {},
            "passwordGenerationHistory": {},
        },
        "keys": {
            "cryptoSymmetricKey": {},
            "organizationKeys": {},
            "providerKeys": {},
            "privateKey": {},
        },
        "profile": {"userId": org, "entityId": org},
        "settings": {
            "biometricLocked": None,
            "environmentUrls": {
                "base": None,
                "api": None,
                "identity": None,
                "icons": None,
                "notifications": None,
                "events": None,
                "webVault": None,
                "keyConnector": None,
            },
            "pinProtected": {"decrypted": None, "encrypted": None},
            "protectedPin": None,
            "settings": None,
            "vaultTimeoutAction": "lock",
        },
        "tokens": {},
        "directoryConfigurations": {
            "ldap": {
                "ssl": False,
                "startTls": False,
                "tlsCaPath": None,
                "sslAllowUnauthorized": False,
                "sslCertPath": None,
                "sslKeyPath": None,
                "sslCaPath": None,
                "hostname": DEFAULT_LDAP_HOST,
                "port": DEFAULT_LDAP_PORT,
                "domain": None,
                "rootPath": "dc=example,dc=com",
                "currentUser": False,
                "username": "cn=admin,dc=example,dc=com",
                "password": None,
                "ad": False,
                "pagedSearch": False,
            },
            "gsuite": None,
            "azure": None,
            "entra": None,
            "okta": None,
            "oneLogin": None,
        },
        "directorySettings": {
            "directoryType": 0,
            "organizationId": org,
            "lastUserSync": None,
            "lastGroupSync": None,
            "lastSyncHash": None,
            "syncingDir": None,
            "sync": {
                "users": True,
                "groups": True,
                "interval": 5,
                "userFilter": None,
                "groupFilter": None,
                "removeDisabled": False,
                "overwriteExisting": False,
                "largeImport": False,
                "groupObjectClass": "posixGroup",
                "userObjectClass": "person",
                "groupPath": None,
                "userPath": None,
                "groupNameAttribute": "cn",
                "userEmailAttribute": "mail",
                "memberAttribute": "memberUid",
                "useEmailPrefixSuffix": False,
                "emailPrefixAttribute": "sAMAccountName",
                "emailSuffix": None,
                "creationDateAttribute": "whenCreated",
                "revisionDateAttribute": "whenChanged",
            },
            "userDelta": None,
            "groupDelta": None,
        },
        "clientKeys": {},
    }


def _default_appdata(environ: Mapping[str, str]) -> Path:
    home = Path(environ.get("HOME") or Path.home())
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_DIR_NAME
    if sys.platform == "win32":
        return Path(environ.get("APPDATA") or home / "AppData" / "Roaming") / APP_DIR_NAME
    return Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / APP_DIR_NAME


def resolve_appdata(environ: Mapping[str, str]) -> Path:
    """The data folder bwdc would use with this environment (absolute, like ``path.resolve``)."""
    for key in ("BITWARDENCLI_CONNECTOR_APPDATA_DIR", "BITWARDEN_CONNECTOR_APPDATA_DIR"):
        value = environ.get(key)
        if value:
            return Path(os.path.normpath(Path(value).absolute()))
    return _default_appdata(environ)


def _host_port(url: str) -> str:
    scheme, _, rest = url.partition("://")
    if not rest:
        scheme, rest = "https", url
    netloc = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    if ":" in netloc.rsplit("]", 1)[-1]:
        return netloc
    return f"{netloc}:{443 if scheme == 'https' else 80}"


# --------------------------------------------------------------------------- the instance


class Instance:
    """One bwdc data folder plus, in keychain mode, the shared simulated keychain."""

    def __init__(self, environ: Mapping[str, str], out: Output) -> None:
        self.environ = environ
        self.out = out
        self.appdata = resolve_appdata(environ)
        self.data_path = self.appdata / "data.json"
        self.plaintext = environ.get("BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS") == "true"
        keychain = environ.get("SIMBWDC_KEYCHAIN_FILE")
        self.keychain_path = Path(keychain).absolute() if keychain and not self.plaintext else None
        self.version = environ.get("SIMBWDC_VERSION") or DEFAULT_VERSION
        self.data: JSONDict = {}

    # -- set-up and persistence ------------------------------------------------------------

    def initialise(self) -> None:
        """What every bwdc invocation does first: create the folder and data.json, migrate."""
        if not self.appdata.exists():
            self.out.write_ln(
                f'Could not find dir, "{self.appdata}"; creating it instead.', error=True
            )
            self.appdata.mkdir(parents=True, mode=0o700)
            if os.name == "posix":
                self.appdata.chmod(0o700)
        if not self.data_path.exists():
            self.out.write_ln(
                f'Could not find data file, "{self.data_path}"; creating it instead.', error=True
            )
            fd = os.open(self.data_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("{}")
            if os.name == "posix":
                self.data_path.chmod(0o600)
        self.data = _read_json(self.data_path)
        glob = self.data.setdefault("global", {})
        if glob.get("stateVersion") != 3 or glob.get("installedVersion") != self.version:
            glob.setdefault("stateVersion", 3)
            glob["installedVersion"] = self.version
            self.data.setdefault("authenticatedAccounts", [])
            self.data.setdefault("appId", _uuid4())
            self.save()

    def save(self) -> None:
        _write_private(self.data_path, json.dumps(self.data, indent=2, ensure_ascii=False))

    @property
    def keychain_unavailable(self) -> bool:
        return not self.plaintext and self.keychain_path is None

    @property
    def uses_keychain(self) -> bool:
        return self.keychain_path is not None

    def read_keychain(self) -> JSONDict:
        assert self.keychain_path is not None
        return _read_json(self.keychain_path)

    def write_keychain(self, entries: JSONDict) -> None:
        assert self.keychain_path is not None
        self.keychain_path.parent.mkdir(parents=True, exist_ok=True)
        _write_private(self.keychain_path, json.dumps(entries, indent=2))

    def read_state(self) -> JSONDict:
        return _read_json(self.appdata / STATE_FILE)

    def write_state(self, state: JSONDict) -> None:
        _write_private(self.appdata / STATE_FILE, json.dumps(state, indent=2))

    # -- accounts --------------------------------------------------------------------------

    def account(self) -> JSONDict | None:
        """The active account object, or None (bwdc's "null" account)."""
        active = self.data.get("activeUserId")
        acc = self.data.get(active) if isinstance(active, str) else None
        return acc if isinstance(acc, dict) else None

    def ensure_account(self, org: str) -> JSONDict:
        acc = self.data.get(org)
        if not isinstance(acc, dict):
            acc = _new_account(org)
            self.data[org] = acc
        self.data["activeUserId"] = org
        return acc

    def access_token(self) -> str | None:
        if self.uses_keychain:
            token = self.read_keychain().get("accessToken")
        else:
            acc = self.account()
            token = acc.get("tokens", {}).get("accessToken") if acc else None
        return token if isinstance(token, str) and token else None

    def is_authed(self) -> bool:
        return self.access_token() is not None

    def authed_account(self) -> JSONDict | None:
        """The account to work on once authenticated (keychain mode may log in elsewhere)."""
        acc = self.account()
        if acc is None and self.uses_keychain:
            client_id = self.read_keychain().get("apiKeyClientId")
            if isinstance(client_id, str) and client_id.startswith("organization."):
                acc = self.ensure_account(client_id.removeprefix("organization."))
                self.save()
        return acc

    def store_login(self, client_id: str, secret: str, org: str, token: str) -> None:
        previous = self.data.get("activeUserId")
        acc = self.ensure_account(org)
        settings = acc.setdefault("directorySettings", {})
        if previous not in (None, org) or not settings.get("organizationId"):
            _clear_sync_cache(settings)
        settings["organizationId"] = org
        profile = acc.setdefault("profile", {})
        profile.update({"userId": org, "entityId": org})
        self.data["authenticatedAccounts"] = [org]
        self.data.setdefault("accountActivity", {})[org] = int(time.time() * 1000)
        if self.uses_keychain:
            profile.pop("apiKeyClientId", None)
            acc.setdefault("keys", {}).pop("apiKeyClientSecret", None)
            acc["tokens"] = {}
            entries = self.read_keychain()
            entries.update(
                {"accessToken": token, "apiKeyClientId": client_id, "apiKeyClientSecret": secret}
            )
            self.write_keychain(entries)
        else:
            profile["apiKeyClientId"] = client_id
            acc.setdefault("keys", {})["apiKeyClientSecret"] = secret
            acc["tokens"] = {"accessToken": token}
        self.save()

    def wipe_login(self) -> None:
        """What bwdc's logout does: forget the access token and the API key."""
        if self.uses_keychain:
            entries = self.read_keychain()
            for key in ("accessToken", "refreshToken", "apiKeyClientId", "apiKeyClientSecret"):
                entries.pop(key, None)
            self.write_keychain(entries)
        acc = self.account()
        if acc is not None:
            acc.get("profile", {}).pop("apiKeyClientId", None)
            acc.get("keys", {}).pop("apiKeyClientSecret", None)
            acc["tokens"] = {}
        self.data["authenticatedAccounts"] = []
        self.save()

    # -- simulated servers -----------------------------------------------------------------

    def server_base(self, sim: SimConfig) -> str:
        if sim.server:
            return sim.server.rstrip("/")
        urls = self.data.get("global", {}).get("environmentUrls") or {}
        base = urls.get("base") if isinstance(urls, dict) else None
        return base.rstrip("/") if isinstance(base, str) and base else DEFAULT_SERVER

    def ldap_address(self) -> str:
        acc = self.account() or {}
        ldap = (acc.get("directoryConfigurations") or {}).get("ldap") or {}
        host = ldap.get("hostname") or DEFAULT_LDAP_HOST
        port = ldap.get("port") or DEFAULT_LDAP_PORT
        return f"{host}:{port}"


def _clear_sync_cache(settings: JSONDict) -> None:
    for key in ("lastUserSync", "lastGroupSync", "lastSyncHash", "userDelta", "groupDelta"):
        settings[key] = None


# --------------------------------------------------------------------------- argv parsing


class Parsed:
    """The command line, parsed the way commander does it for bwdc."""

    def __init__(self) -> None:
        self.flags: set[str] = set()
        self.version = False
        self.help = False
        self.command: str | None = None
        self.args: list[str] = []
        self.options: dict[str, str | bool] = {}
        self.error: str | None = None


def parse_args(argv: Sequence[str]) -> Parsed:
    """Commander-like parsing: program options are recognised before and after the command."""
    p = Parsed()
    i = 0
    only_operands = False
    while i < len(argv):
        arg = argv[i]
        i += 1
        if only_operands or arg == "-" or not arg.startswith("-"):
            if p.command is None:
                p.command = arg
            else:
                p.args.append(arg)
            continue
        if arg == "--":
            only_operands = True
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _GLOBAL_FLAGS and not eq:
            p.flags.add(_GLOBAL_FLAGS[name])
        elif name in ("-v", "--version") and not eq:
            p.version = True
        elif name in ("-h", "--help") and not eq:
            p.help = True
        elif p.command in _COMMAND_OPTIONS and name in _COMMAND_OPTIONS[p.command]:
            key = _COMMAND_OPTIONS[p.command][name]
            if name not in _VALUE_OPTIONS:
                p.options[key] = True
            elif eq:
                p.options[key] = value
            elif i < len(argv):
                p.options[key] = argv[i]
                i += 1
            elif p.error is None:
                p.error = f"error: option '{_VALUE_OPTIONS[name]}' argument missing"
        elif p.error is None:
            p.error = f"error: unknown option '{arg}'"
    return p


# --------------------------------------------------------------------------- commands


def _spend_time(delay: float, cpu: float) -> None:
    if cpu > 0:
        end = time.perf_counter() + cpu
        spins = 0
        while time.perf_counter() < end:
            spins += 1
    if delay > cpu:
        time.sleep(delay - cpu)


def _hang(appdata: Path, out: Output) -> None:
    """Scenario ``hang``: leave a sleeping child behind and never return."""
    out.out.flush()
    out.err.flush()
    _write_private(appdata / PID_FILE, f"{os.getpid()}\n")
    if sys.platform != "win32":
        child = os.fork()
        if child == 0:  # the child: sleep until killed, never run the parent's cleanup
            try:
                while True:
                    time.sleep(3600)
            finally:
                os._exit(0)
    else:
        import subprocess  # only this scenario needs it: keep start-up fast

        if getattr(sys, "frozen", False):
            cmd = ["ping", "-n", "2147483647", "127.0.0.1"]
        else:
            cmd = [sys.executable, "-c", "import time\nwhile True:\n    time.sleep(3600)\n"]
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL).pid
    _write_private(appdata / CHILD_PID_FILE, f"{child}\n")
    while True:
        time.sleep(3600)


class Commands:
    def __init__(
        self,
        inst: Instance,
        sim: SimConfig,
        out: Output,
        stdin: TextIO | None,
        *,
        nointeraction: bool,
    ) -> None:
        self.inst = inst
        self.sim = sim
        self.out = out
        self.stdin = stdin
        self.nointeraction = nointeraction
        self.env = dict(inst.environ)

    # -- helpers ---------------------------------------------------------------------------

    def _prompt(self, label: str) -> str:
        if self.nointeraction:
            return ""
        self.out.write(f"? {label}: ", error=True)
        line = self.stdin.readline() if self.stdin is not None else ""
        return line.strip()

    def _session_wiped(self) -> bool:
        """Scenario ``not-logged-in``: the first sync/test after a login finds no session."""
        if self.sim.scenario != "not-logged-in":
            return False
        state = self.inst.read_state()
        if state.get("session", "armed") != "armed":
            return False
        self.inst.wipe_login()
        state["session"] = "wiped"
        self.inst.write_state(state)
        return True

    def _import_payload(self, org: str) -> tuple[int, int, str]:
        sync = self._sync_settings()
        remove_disabled = bool(sync.get("removeDisabled"))
        request = {
            "groups": [
                {"name": g.name, "externalId": g.id, "memberExternalIds": list(g.members)}
                for g in self.sim.groups
            ],
            "members": [
                {"email": u.email, "externalId": u.id, "deleted": remove_disabled and u.disabled}
                for u in self.sim.users
            ],
            "overwriteExisting": bool(sync.get("overwriteExisting")),
            "largeImport": bool(sync.get("largeImport")),
        }
        text = self.inst.server_base(self.sim) + "/api" + org
        text += json.dumps(request, separators=(",", ":"), ensure_ascii=False)
        import base64
        import hashlib

        digest = hashlib.sha256(text.encode("utf-8")).digest()
        return len(self.sim.groups), len(self.sim.users), base64.b64encode(digest).decode()

    def _sync_settings(self) -> JSONDict:
        acc = self.inst.account() or {}
        sync = (acc.get("directorySettings") or {}).get("sync")
        return sync if isinstance(sync, dict) else {}

    # -- commands --------------------------------------------------------------------------

    def login(self, args: list[str]) -> int:
        if args and args[0]:
            self.env["BW_CLIENTID"] = args[0]
        if len(args) > 1 and args[1]:
            self.env["BW_CLIENTSECRET"] = args[1]
        if self.inst.is_authed():
            acc = self.inst.account() or {}
            entity = (acc.get("profile") or {}).get("entityId")
            return self.out.fail(f"You are already logged in as organization.{entity or 'null'}.")
        client_id = self.env.get("BW_CLIENTID") or self._prompt("client_id")
        if not client_id:
            return self.out.fail("Client ID is required.")
        secret = self.env.get("BW_CLIENTSECRET") or self._prompt("client_secret")
        if not secret:
            return self.out.fail("Client Secret is required.")
        base = self.inst.server_base(self.sim)
        if self.sim.scenario == "server-unreachable":
            return self.out.fail(
                f"request to {base}/identity/connect/token failed, reason: "
                f"connect ECONNREFUSED {_host_port(base)}"
            )
        org = client_id.removeprefix("organization.")
        if self.sim.scenario == "invalid-client" or not _is_org_client_id(client_id):
            return self.out.fail(MSG_INVALID_CLIENT)
        token = _fake_access_token(client_id, org, base + "/identity")
        self.inst.store_login(client_id, secret, org, token)
        state = self.inst.read_state()
        state["session"] = "relogged" if state.get("session") == "wiped" else "armed"
        self.inst.write_state(state)
        return self.out.message(MSG_LOGGED_IN)

    def logout(self) -> int:
        if not self.inst.is_authed():
            return self.out.fail(MSG_NOT_LOGGED_IN)
        self.inst.wipe_login()
        return self.out.message(MSG_LOGGED_OUT)

    def sync(self) -> int:
        if self.sim.scenario == "hang":
            _hang(self.inst.appdata, self.out)
        if not self.inst.is_authed() or self._session_wiped():
            return self.out.fail(MSG_NOT_LOGGED_IN)
        acc = self.inst.authed_account()
        if self.inst.keychain_unavailable:
            return self.out.fail(MSG_KEYCHAIN_SYNC)
        if acc is None:
            return self.out.fail(MSG_NO_ACCOUNT)
        settings = acc.setdefault("directorySettings", {})
        org = settings.get("organizationId")
        if not org:
            return self.out.fail("Organization not set.")
        started = _now_iso()
        if self.sim.scenario == "ldap-unreachable":
            return self.out.fail(f"connect ECONNREFUSED {self.inst.ldap_address()}")
        base = self.inst.server_base(self.sim)
        if self.sim.scenario == "server-unreachable":
            return self.out.fail(
                f"request to {base}/api/public/organization/import failed, reason: "
                f"connect ECONNREFUSED {_host_port(base)}"
            )
        if self.sim.scenario == "crash-401":
            self.inst.wipe_login()
            return self.out.fail(MSG_NO_ACCOUNT)
        groups, users, digest = self._import_payload(str(org))
        if self.sim.scenario == "unchanged" or digest == settings.get("lastSyncHash"):
            groups = users = 0
        else:
            settings["lastSyncHash"] = digest
        settings["lastUserSync"] = started
        settings["lastGroupSync"] = started
        self.inst.save()
        return self.out.message(MSG_SYNC_TITLE, f"Synced {groups} group(s) and {users} user(s).")

    def test(self, last: bool) -> int:
        if self.sim.scenario == "hang":
            _hang(self.inst.appdata, self.out)
        if not self.inst.is_authed() or self._session_wiped():
            return self.out.fail(MSG_NOT_LOGGED_IN)
        acc = self.inst.authed_account()
        if self.inst.keychain_unavailable:
            return self.out.fail(MSG_KEYCHAIN_TEST)
        if self.sim.scenario == "ldap-unreachable":
            return self.out.fail(f"connect ECONNREFUSED {self.inst.ldap_address()}")
        groups, users = list(self.sim.groups), list(self.sim.users)
        settings = (acc or {}).get("directorySettings") or {}
        if last and settings.get("lastUserSync"):  # nothing changed since the last sync
            groups, users = [], []
        groups.sort(key=lambda g: (g.name.casefold(), g.name))
        users.sort(key=lambda u: (u.email.casefold(), u.email))

        def user_json(u: User) -> JSONDict:
            return {"externalId": u.id, "displayName": u.email}

        return self.out.obj(
            {
                "groups": [
                    {"externalId": g.id, "displayName": g.name, "userIds": list(g.members)}
                    for g in groups
                ],
                "enabledUsers": [user_json(u) for u in users if not u.disabled],
                "disabledUsers": [user_json(u) for u in users if u.disabled],
                "deletedUsers": [],
                "object": "test",
            }
        )

    def last_sync(self, obj: str) -> int:
        if not self.inst.is_authed():
            return self.out.fail(MSG_NOT_LOGGED_IN)
        key = {"users": "lastUserSync", "groups": "lastGroupSync"}.get(obj.lower())
        if key is None:
            return self.out.fail("Unknown object.")
        acc = self.inst.authed_account() or {}
        value = (acc.get("directorySettings") or {}).get(key)
        return self.out.string(value if isinstance(value, str) and value else None)

    def config(self, setting: str, value: str | None, options: dict[str, str | bool]) -> int:
        setting = setting.lower()
        if setting == "server":
            return self._config_server(value)
        if setting == "directory":
            return self._config_directory(value)
        if setting not in _SECRET_SETTINGS:
            return self.out.fail("Unknown setting.")
        if not value:
            secretfile, secretenv = options.get("secretfile"), options.get("secretenv")
            if isinstance(secretfile, str) and secretfile:
                try:
                    with Path(secretfile).open(encoding="utf-8") as fh:
                        value = fh.readline().rstrip("\r\n")
                except FileNotFoundError:
                    return self.out.fail(f"ENOENT: no such file or directory, open '{secretfile}'")
            elif isinstance(secretenv, str) and secretenv and self.env.get(secretenv):
                value = self.env[secretenv]
        acc = self.inst.account()
        if acc is None:
            return self.out.fail(MSG_NO_ACCOUNT)
        if self.inst.keychain_unavailable:
            return self.out.fail(MSG_NO_DBUS)
        section, field_name, keychain_key = _SECRET_SETTINGS[setting]
        configs = acc.setdefault("directoryConfigurations", {})
        config = configs.get(section)
        if not isinstance(config, dict):
            config = configs[section] = {}
        secret = value or None
        if self.inst.uses_keychain:
            entries = self.inst.read_keychain()
            if secret is None:
                entries.pop(keychain_key, None)
            else:
                entries[keychain_key] = secret
            self.inst.write_keychain(entries)
            config[field_name] = STORED_SECURELY if secret is not None else None
        else:
            config[field_name] = secret
        self.inst.save()
        return self.out.message(f"Saved setting `{setting}`.")

    def _config_server(self, value: str | None) -> int:
        url: str | None = value
        if url in (None, "", "null", "bitwarden.com", "https://bitwarden.com"):
            url = None
        elif url is not None:
            if "://" not in url:
                url = "https://" + url
            url = url.rstrip("/")
        glob = self.inst.data.setdefault("global", {})
        glob["environmentUrls"] = {
            "base": url,
            "api": None,
            "identity": None,
            "webVault": None,
            "icons": None,
            "notifications": None,
            "events": None,
            "keyConnector": None,
        }
        self.inst.save()
        return self.out.message("Saved setting `server`.")

    def _config_directory(self, value: str | None) -> int:
        try:
            kind = int(value or "")
        except ValueError:
            kind = -1
        if not 0 <= kind <= 4:
            return self.out.fail("Invalid directory type value.")
        acc = self.inst.account()
        if acc is None:
            return self.out.fail(MSG_NO_ACCOUNT)
        if self.inst.keychain_unavailable:
            return self.out.fail(MSG_NO_DBUS)
        settings = acc.setdefault("directorySettings", {})
        if settings.get("directoryType") != kind:
            for key in ("lastUserSync", "lastGroupSync", "userDelta", "groupDelta"):
                settings[key] = None
        settings["directoryType"] = kind
        self.inst.save()
        return self.out.message("Saved setting `directory`.")

    def data_file(self) -> int:
        return self.out.string(str(self.inst.data_path))

    def clear_cache(self) -> int:
        acc = self.inst.account()
        if acc is not None:
            _clear_sync_cache(acc.setdefault("directorySettings", {}))
            self.inst.save()
        return self.out.message(MSG_CACHE_CLEARED)

    def update(self) -> int:
        return self.out.message("No update available.")


def _is_org_client_id(client_id: str) -> bool:
    org = client_id.removeprefix("organization.")
    return org != client_id and _is_uuid(org)


# --------------------------------------------------------------------------- entry points


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name) == "true"


def run(
    argv: Sequence[str],
    environ: Mapping[str, str],
    stdout: BinaryIO,
    stderr: BinaryIO,
    stdin: TextIO | None = None,
) -> int:
    """Run one simulated bwdc invocation; returns the exit code.

    ``environ`` is not modified. The ``hang`` scenario never returns.
    """
    parsed = parse_args(argv)
    out = Output(
        stdout,
        stderr,
        response=_flag(environ, "BW_RESPONSE") or "response" in parsed.flags,
        pretty=_flag(environ, "BW_PRETTY") or "pretty" in parsed.flags,
        raw=_flag(environ, "BW_RAW") or "raw" in parsed.flags,
        quiet=_flag(environ, "BW_QUIET") or "quiet" in parsed.flags,
        cleanexit=bool(environ.get("BW_CLEANEXIT")) or "cleanexit" in parsed.flags,
    )
    inst = Instance(environ, out)
    inst.initialise()
    try:
        sim = _load_sim_config(inst.appdata, environ)
    except SimulatorError as exc:
        out.write_ln(f"simbwdc: {exc}", error=True)
        return 1
    _spend_time(sim.delay, sim.cpu)

    if parsed.version:
        out.write(f"{inst.version}\n")
        return 0
    command = parsed.command
    if command == "help" and not parsed.help:
        topic = parsed.args[0] if parsed.args else None
        out.write(_COMMAND_HELP.get(topic or "", _PROGRAM_USAGE + _PROGRAM_EXAMPLES))
        return 0
    if parsed.help:
        out.write(_COMMAND_HELP.get(command or "", _PROGRAM_USAGE + _PROGRAM_EXAMPLES))
        return 0
    if command is None:
        out.write(_PROGRAM_USAGE, error=True)
        out.write(_PROGRAM_EXAMPLES)
        return 1
    if command not in _COMMANDS:
        out.write_ln("Invalid command: " + " ".join([command, *parsed.args]), error=True)
        out.write_ln("See --help for a list of available commands.", final=True, error=True)
        return 1
    if parsed.error is not None:
        out.write(parsed.error + "\n", error=True)
        return 1
    required = _REQUIRED_ARG.get(command)
    if required is not None and not parsed.args:
        out.write(f"error: missing required argument '{required}'\n", error=True)
        return 1

    nointeraction = _flag(environ, "BW_NOINTERACTION") or "nointeraction" in parsed.flags
    cmds = Commands(inst, sim, out, stdin, nointeraction=nointeraction)
    args = parsed.args
    if command == "login":
        return cmds.login(args)
    if command == "logout":
        return cmds.logout()
    if command == "sync":
        return cmds.sync()
    if command == "test":
        return cmds.test(bool(parsed.options.get("last")))
    if command == "last-sync":
        return cmds.last_sync(args[0])
    if command == "config":
        return cmds.config(args[0], args[1] if len(args) > 1 else None, parsed.options)
    if command == "data-file":
        return cmds.data_file()
    if command == "clear-cache":
        return cmds.clear_cache()
    return cmds.update()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: ``python -m bwdc_tray.demo.simbwdc ARGS...``."""
    args = sys.argv[1:] if argv is None else argv
    devnull: BinaryIO | None = None
    out: BinaryIO | None = getattr(sys.stdout, "buffer", None)
    err: BinaryIO | None = getattr(sys.stderr, "buffer", None)
    if out is None or err is None:  # no console (pythonw, frozen windowed app)
        devnull = Path(os.devnull).open("wb")  # noqa: SIM115 - closed below
        out, err = out or devnull, err or devnull
    try:
        return run(args, os.environ, out, err, sys.stdin)
    finally:
        out.flush()
        err.flush()
        if devnull is not None:
            devnull.close()


if __name__ == "__main__":
    raise SystemExit(main())

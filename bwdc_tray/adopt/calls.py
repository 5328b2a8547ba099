"""What reading a hand-made bwdc job finds, and what it needs to know about the job.

The bwdc calls found (`BwdcCall`, gathered in a `Recipe`), where and as whom the job runs
(`Context`), and the helpers every dialect shares: which programs are bwdc, bwdc's default data
folder, reading a script as text.
"""

from __future__ import annotations

import ntpath
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

Dialect = Literal["sh", "cmd", "ps"]
OsName = Literal["linux", "darwin", "win32"]

APPDATA_VARS = ("BITWARDENCLI_CONNECTOR_APPDATA_DIR", "BITWARDEN_CONNECTOR_APPDATA_DIR")
SECRET_VARS = ("BW_CLIENTSECRET", "BW_CLIENTID", "BW_SESSION", "BW_PASSWORD")
APP_FOLDER = "Bitwarden Directory Connector"
MAX_SCRIPT_BYTES = 1_000_000
MAX_DEPTH = 4

_BWDC_NAME = re.compile(r"^bwdc(?:-(?!tray)[a-z0-9][a-z0-9_.-]*?)?(?:\.exe)?$", re.I)
SCRIPT_EXT = (".sh", ".bash", ".ps1", ".bat", ".cmd", ".command", ".zsh", ".ksh")


def bwdc_name(word: str) -> bool:
    """Whether a program path names a bwdc binary: bwdc, bwdc.exe, bwdc-<something>, by any
    path (not bwdc-tray, and not a script such as bwdc-sync.sh)."""
    base = re.split(r"[\\/]", word.strip())[-1]
    if base.lower().endswith(SCRIPT_EXT):
        return False
    return bool(_BWDC_NAME.match(base))


def default_appdata(os_name: OsName, home: str | None, env: Mapping[str, str]) -> str | None:
    """bwdc's default data folder (reference/bwdc.md §3.1), for a user with this home and env."""
    if os_name == "win32":
        appdata = env.get("APPDATA")
        if not appdata and home:
            appdata = ntpath.join(home, "AppData", "Roaming")
        return ntpath.join(appdata, APP_FOLDER) if appdata else None
    if home is None:
        return None
    if os_name == "darwin":
        return posixpath.join(home, "Library", "Application Support", APP_FOLDER)
    base = env.get("XDG_CONFIG_HOME") or posixpath.join(home, ".config")
    return posixpath.join(base, APP_FOLDER)


@dataclass(frozen=True)
class BwdcCall:
    """One call of bwdc found in a job or its script."""

    program: str  # as written, after variable expansion
    verb: str | None  # "sync", "login", …; None when bwdc is called with options only
    args: tuple[str, ...]
    where: str  # "the command line", "/home/bwdc/sync.sh line 12"
    appdata: str | None  # the folder it uses (the default when none is set), None if unknown
    appdata_set: bool  # whether the job names the folder (else it is bwdc's default)
    log: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipe:
    calls: tuple[BwdcCall, ...] = ()
    scripts: tuple[str, ...] = ()  # the scripts read, in order
    notes: tuple[str, ...] = ()  # about the job as a whole (secrets read, scripts not found)
    # The job looks like a bwdc job but its script could not be read.
    suspect: bool = False

    @property
    def syncs(self) -> tuple[BwdcCall, ...]:
        return tuple(c for c in self.calls if c.verb == "sync")

    @property
    def logins(self) -> tuple[BwdcCall, ...]:
        return tuple(c for c in self.calls if c.verb == "login")


def read_file(path: str) -> str | None:
    try:
        p = Path(path)
        if not p.is_file():
            return None
        with p.open("rb") as fh:
            data = fh.read(MAX_SCRIPT_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_SCRIPT_BYTES:
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        return None  # a binary, not a script
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


@dataclass
class Context:
    """Where and as whom a job runs: what it needs to resolve paths."""

    os_name: OsName = "linux"
    home: str | None = None  # the job user's home
    user: str | None = None
    cwd: str | None = None  # the job's working folder (cron: the home), None if unknown
    env: Mapping[str, str] = field(default_factory=dict)  # the job's environment
    log: str | None = None  # where the job sends output already (StandardOutPath, `>> log`)
    read: Callable[[str], str | None] = read_file

    @property
    def pathmod(self) -> Pathmod:
        return ntpath if self.os_name == "win32" else posixpath


class Pathmod(Protocol):  # the part of posixpath/ntpath we use, for the type checker
    def join(self, a: str, /, *p: str) -> str: ...
    def isabs(self, s: str, /) -> bool: ...
    def normpath(self, s: str, /) -> str: ...
    def dirname(self, s: str, /) -> str: ...

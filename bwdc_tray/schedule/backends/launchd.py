"""launchd (macOS): one property list per job, loaded with `launchctl bootstrap`.

"As me" is a LaunchAgent in ``~/Library/LaunchAgents`` (domain ``gui/<uid>``); "always, as a
dedicated user" is a LaunchDaemon in ``/Library/LaunchDaemons`` with ``UserName`` (domain
``system``). The schedule becomes a StartCalendarInterval list expanded from the parsed field sets,
never with Day and Weekday in one entry, and at most ``MAX_ENTRIES`` entries
(reference/schedulers.md §2).

The plist is written by plistlib with sorted keys, so ``inspect()`` (the file as installed) equals
``render()`` for an unchanged job. It holds the runner's argv and nothing else of ours: no
secret, no environment.
"""

from __future__ import annotations

import os
import plistlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from bwdc_tray import BUNDLE_ID
from bwdc_tray.errors import EnvironmentProblem, InvalidInput
from bwdc_tray.fsutil import atomic_write_bytes
from bwdc_tray.oscmd import CommandNotFound, CommandRunner, Completed, run_command
from bwdc_tray.schedule.backends.base import JobSpec
from bwdc_tray.schedule.cron import CronExpr

LABEL_PREFIX = "io.github.bwdc-tray."
LOGIN_ITEM_LABEL = LABEL_PREFIX + "tray"  # autostart.LABEL: the tray's own LaunchAgent
AGENTS_DIR = Path("~/Library/LaunchAgents")
DAEMONS_DIR = Path("/Library/LaunchDaemons")
# launchd documents no limit; Bun caps at 256 (reference/schedulers.md §2.5).
MAX_ENTRIES = 256
# 0644: what launchd expects of a daemon's plist (root-owned, not group- or world-writable) and the
# norm for agents. The plist holds no secret, so being world-readable costs nothing.
PLIST_MODE = 0o644
DIR_MODE = 0o755  # ~/Library/LaunchAgents as macOS creates it, if we have to
WAIT_POLLS = 50  # `launchctl print` polls after bootout: bootout is asynchronous (§2.4)
POLL_SECONDS = 0.1
BOOTSTRAP_ATTEMPTS = 3  # then give up; EIO 5 right after a bootout is the known race

_FULL_MINUTES = frozenset(range(60))
_FULL_HOURS = frozenset(range(24))
_FULL_DAYS = frozenset(range(1, 32))
_FULL_MONTHS = frozenset(range(1, 13))
_FULL_WEEKDAYS = frozenset(range(7))

# `launchctl bootout` of a job that is not loaded: "Boot-out failed: 3: No such process" (older
# macOS), "113: Could not find specified service" (newer); 36 "Operation now in progress" means
# the bootout is under way, which the wait below covers.
_NOT_LOADED_RE = re.compile(
    r"no such process|could not find|not loaded|not find specified service|in progress", re.I
)
_NOT_LOADED_CODES = (3, 36, 113)
_EIO_RE = re.compile(r"\b5: input/output error", re.I)


# --- labels --------------------------------------------------------------------------------------


def label_for(job_id: str) -> str:
    """Our reverse-DNS prefix plus the job id in ``[a-z0-9.-]``, one to one even on a
    case-insensitive disk (APFS by default): ``_`` escapes the rest.

    ``-`` and ``.`` and lowercase letters and digits stay; ``X`` becomes ``_x``, ``_`` becomes
    ``__`` and ``@`` (the tag of a ``--home``) becomes ``_-``. So ``Corp`` and ``corp``, or
    ``a_b`` and ``a-b``, never share a label or a file.
    """
    out: list[str] = []
    for ch in job_id:
        if ch in "-." or ("a" <= ch <= "z") or ("0" <= ch <= "9"):
            out.append(ch)
        elif "A" <= ch <= "Z":
            out.append("_" + ch.lower())
        elif ch == "_":
            out.append("__")
        elif ch == "@":
            out.append("_-")
        else:
            raise InvalidInput(
                f"job id {job_id!r}: {ch!r} cannot be part of a launchd label",
                "instance names use letters, digits, '.', '_' and '-'",
            )
    if not out:
        raise InvalidInput("a launchd job needs a non-empty job id")
    label = LABEL_PREFIX + "".join(out)
    if label == LOGIN_ITEM_LABEL:
        raise InvalidInput(
            f"an instance named {job_id!r} would take the label of bwdc-tray's login item "
            f"({LOGIN_ITEM_LABEL}) on macOS",
            "rename the instance (bwdc-tray instance add with another NAME)",
        )
    return label


# --- StartCalendarInterval ---------------------------------------------------------------------

Entry = dict[str, int]
Family = tuple[str, list[int]] | None  # a Day or Weekday constraint, or None for any day


@dataclass(frozen=True)
class Expansion:
    """The StartCalendarInterval entries for an expression.

    ``exact`` is False when the entries over-approximate the schedule (they fire at every time
    cron does, and at others): ``dropped`` names the keys left out to fit ``MAX_ENTRIES``, and
    ``needed`` is the exact count (None when no exact expansion exists).
    """

    entries: list[Entry]
    exact: bool
    needed: int | None
    dropped: tuple[str, ...] = ()


def _axis(values: frozenset[int], full: frozenset[int]) -> list[int] | None:
    """The values to write for one key, or None (key left out) when the field is full."""
    return None if values == full else sorted(values)


def _day_families(expr: CronExpr) -> list[Family] | None:
    """How the day fields become entries: a list of families, each a (key, values) constraint or
    None (any day); None when launchd cannot express them without Day and Weekday in one entry.

    Vixie cron: when both day fields are restricted (neither starts with ``*``), a day matches if
    either does (OR: two families of entries); otherwise both must match (AND), which launchd can
    only express when one of them is full.
    """
    days = _axis(expr.days, _FULL_DAYS)
    weekdays = _axis(expr.weekdays, _FULL_WEEKDAYS)
    if expr.dom_restricted and expr.dow_restricted:
        if days is None or weekdays is None:
            return [None]  # "every day of the month, or Mondays" is every day
        return [("Day", days), ("Weekday", weekdays)]
    if days is not None and weekdays is not None:
        return None
    if days is not None:
        return [("Day", days)]
    if weekdays is not None:
        return [("Weekday", weekdays)]
    return [None]


def _entries(
    minutes: list[int] | None,
    hours: list[int] | None,
    months: list[int] | None,
    families: list[Family],
) -> list[Entry]:
    out: list[Entry] = []
    for family in families:
        axes = [
            ("Month", months),
            family if family is not None else ("Day", None),
            ("Hour", hours),
            ("Minute", minutes),
        ]
        if all(values is None for _, values in axes):
            # Every key a wildcard: write the 60 minutes out rather than rely on an empty dict,
            # whose meaning launchd.plist(5) leaves implicit.
            axes[-1] = ("Minute", sorted(_FULL_MINUTES))
        keys = [key for key, values in axes if values is not None]
        for combo in product(*(values for _, values in axes if values is not None)):
            out.append(dict(zip(keys, combo, strict=True)))
    return out


def _count(
    minutes: list[int] | None,
    hours: list[int] | None,
    months: list[int] | None,
    families: list[Family],
) -> int:
    total = 0
    for family in families:
        axes = [minutes, hours, months, family[1] if family is not None else None]
        n = 1
        for values in axes:
            n *= len(values) if values is not None else 1
        total += 60 if all(values is None for values in axes) else n
    return total


_DAY_KEYS = "Day and Weekday"


def expand(expr: CronExpr, cap: int = MAX_ENTRIES, over_approximate: bool = False) -> Expansion:
    """StartCalendarInterval entries that fire exactly when ``expr`` does.

    Above ``cap`` entries, or when the day fields need an AND, raises InvalidInput, unless
    ``over_approximate``: then Month, the day keys and Hour are dropped in that order until the
    entries fit (reference/schedulers.md §2.5). That is only correct when the runner skips the
    times the schedule does not hold, which is why it is not the default.
    """
    minutes = _axis(expr.minutes, _FULL_MINUTES)
    hours = _axis(expr.hours, _FULL_HOURS)
    months = _axis(expr.months, _FULL_MONTHS)
    families = _day_families(expr)
    needed = None if families is None else _count(minutes, hours, months, families)
    if families is not None and needed is not None and needed <= cap:
        return Expansion(_entries(minutes, hours, months, families), exact=True, needed=needed)
    if not over_approximate:
        if families is None:
            raise InvalidInput(
                f"{expr.text!r}: launchd cannot run this schedule exactly: cron runs it on the "
                "days that match both the day of the month and the day of the week (one of them "
                "starts with *), and launchd could only say that with Day and Weekday in one "
                "StartCalendarInterval entry, whose meaning differs between macOS versions",
                "give only one of the two day fields, or use --backend cron",
            )
        raise InvalidInput(
            f"{expr.text!r}: launchd would need {needed} StartCalendarInterval entries for this "
            f"schedule; bwdc-tray writes at most {cap}",
            "choose a coarser schedule (fewer minutes, hours or days: e.g. every 15 minutes "
            "instead of every 5), or use --backend cron",
        )
    # The AND case starts from its Weekday part alone: a superset of at most 7 values.
    start: list[Family] = families if families is not None else [("Weekday", sorted(expr.weekdays))]
    first: tuple[str, ...] = () if families is not None else ("Day",)
    ladder: list[tuple[str, ...]] = [
        (),
        ("Month",),
        (_DAY_KEYS,),
        ("Month", _DAY_KEYS),
        ("Month", _DAY_KEYS, "Hour"),
    ]
    for i, drop in enumerate(ladder):
        m = None if "Month" in drop else months
        h = None if "Hour" in drop else hours
        fam: list[Family] = [None] if _DAY_KEYS in drop else start
        if _count(minutes, h, m, fam) <= cap or i == len(ladder) - 1:
            dropped = drop if _DAY_KEYS in drop else first + drop
            return Expansion(_entries(minutes, h, m, fam), False, needed, dropped)
    raise AssertionError("unreachable")


# --- the backend ---------------------------------------------------------------------------------


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _check_arg(arg: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in arg):
        raise InvalidInput(
            f"{arg!r} holds a control character, which a launchd plist cannot carry "
            "(XML turns a carriage return into a newline and has no NUL)",
            "move bwdc-tray or its home to a path without control characters",
        )
    if any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff" for ch in arg):
        # Not XML characters: plistlib would crash on a lone surrogate (a path that is not
        # UTF-8) and write U+FFFE/U+FFFF into a plist that no parser, launchd's included, reads.
        raise InvalidInput(
            f"{arg!r} is not valid UTF-8 or holds U+FFFE/U+FFFF, which a launchd plist cannot "
            "carry",
            "move bwdc-tray or its home to a path with a valid UTF-8 name",
        )
    return arg


ONLY_AT_SCHEDULE = "--only-at-schedule"


class LaunchdBackend:
    name = "launchd"

    def __init__(
        self,
        runner: CommandRunner = run_command,
        agents_dir: Path | None = None,
        daemons_dir: Path | None = None,
        uid: int | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        over_approximate: bool = False,
    ) -> None:
        self.run = runner
        self.agents_dir = agents_dir
        self.daemons_dir = daemons_dir if daemons_dir is not None else DAEMONS_DIR
        self.uid = uid
        self.sleep = sleep
        # Only once the runner skips runs the schedule does not hold (cronsim match, with a few
        # minutes' tolerance for launchd's coalesced runs after sleep); see expand().
        self.over_approximate = over_approximate

    # --- pure ---------------------------------------------------------------------------------

    def expansion(self, spec: JobSpec) -> Expansion:
        return expand(spec.expr, MAX_ENTRIES, self.over_approximate)

    def render(self, spec: JobSpec) -> str:
        if not spec.command:
            raise InvalidInput("a launchd job needs a command")
        expansion = self.expansion(spec)
        command = list(spec.command)
        if not expansion.exact:
            # launchd will also start it at times the schedule does not hold: the runner skips
            # those (reference/schedulers.md §2.5).
            command.append(ONLY_AT_SCHEDULE)
        plist: dict[str, object] = {
            "Label": label_for(spec.job_id),
            "ProgramArguments": [_check_arg(a) for a in command],
            "StartCalendarInterval": expansion.entries,
            # Throttled CPU and I/O, as for any background job; no RunAtLoad (default false), or
            # every login or boot would sync. No StandardOutPath/StandardErrorPath: launchd
            # already sends a job's output to /dev/null, and the runner keeps its own log. No
            # EnvironmentVariables: the runner sets what bwdc needs and reads secrets itself.
            "ProcessType": "Background",
            # macOS 13+ lists the job under bwdc-tray in System Settings > General > Login Items
            # (and in "Background Items Added") instead of under the runner's file name. Written
            # always, not only from the .app, so the plist does not depend on how bwdc-tray was
            # installed: macOS 12 and older ignore the key, and without the app installed it just
            # names an app that is not there. A plist from a version without it shows as drifted
            # once (inspect() compares the text), and `schedule sync` rewrites it.
            "AssociatedBundleIdentifiers": [BUNDLE_ID],
        }
        if spec.run_as:
            _check_arg(spec.run_as)
            plist["UserName"] = spec.run_as  # its primary group, since GroupName is left out
        return plistlib.dumps(plist, fmt=plistlib.FMT_XML, sort_keys=True).decode("utf-8")

    def path_for(self, job_id: str, run_as: str | None = None) -> Path:
        return self._dir(run_as) / f"{label_for(job_id)}.plist"

    # --- OS -----------------------------------------------------------------------------------

    def _dir(self, run_as: str | None) -> Path:
        if run_as:
            return self.daemons_dir
        return self.agents_dir if self.agents_dir is not None else AGENTS_DIR.expanduser()

    def _domain(self, run_as: str | None, installing: bool = True) -> str:
        if run_as:
            return "system"
        uid = self.uid
        if uid is None:
            getuid = getattr(os, "getuid", None)
            if getuid is None:
                raise EnvironmentProblem(
                    "launchd jobs exist on macOS only", "use the backend of this system"
                )
            uid = int(getuid())
        if uid == 0 and installing:
            raise InvalidInput(
                "as root, a LaunchAgent would belong to root, who never logs in to the desktop",
                "run the command as yourself (without sudo), or give --run-as USER for a "
                "LaunchDaemon that runs as that user",
            )
        return f"gui/{uid}"

    def _require_root(self, run_as: str | None, doing: str) -> None:
        if run_as and not _is_root():
            raise InvalidInput(
                f"--run-as {run_as}: only root can {doing} a LaunchDaemon in {self.daemons_dir}",
                "run this command as root (sudo), or schedule as yourself",
            )

    def _launchctl(self, *args: str) -> Completed:
        try:
            return self.run(["launchctl", *args])
        except CommandNotFound as exc:
            raise EnvironmentProblem(
                "launchctl is not installed: the launchd backend works on macOS only",
                "use --backend cron on this system",
            ) from exc

    def _failure(self, verb: str, res: Completed, domain: str, path: Path) -> EnvironmentProblem:
        said = (res.stderr.strip() or res.stdout.strip() or "no message").splitlines()[-1]
        message = f"`launchctl {verb}` failed ({res.returncode}): {said}"
        if domain.startswith("gui/") and (res.returncode == 5 or _EIO_RE.search(said)):
            return EnvironmentProblem(
                f"{message}; the domain {domain} exists only while that user is logged in to the "
                f"Mac's desktop (not over SSH). {path} is in place: launchd loads it at the next "
                "login",
                "log in to the desktop and run `bwdc-tray schedule sync`, or schedule with "
                "--run-as USER (a LaunchDaemon, which runs while nobody is logged in)",
            )
        return EnvironmentProblem(
            message,
            f"check `launchctl print {domain}/{path.stem}`; if the job was disabled (System "
            f"Settings > General > Login Items), `launchctl enable {domain}/{path.stem}`, then "
            "`bwdc-tray schedule sync`",
        )

    def _bootout(self, domain: str, label: str, path: Path) -> None:
        res = self._launchctl("bootout", f"{domain}/{label}")
        if res.returncode == 0:
            return
        if res.returncode in _NOT_LOADED_CODES or _NOT_LOADED_RE.search(res.stderr + res.stdout):
            return
        raise self._failure("bootout", res, domain, path)

    def _wait_gone(self, domain: str, label: str) -> bool:
        """Poll `launchctl print` until the job is gone; False if it is still there."""
        for attempt in range(WAIT_POLLS):
            if self._launchctl("print", f"{domain}/{label}").returncode != 0:
                return True
            if attempt < WAIT_POLLS - 1:
                self.sleep(POLL_SECONDS)
        return False

    def install(self, spec: JobSpec) -> list[str]:
        text = self.render(spec)  # refuses before any change on disk
        self._require_root(spec.run_as, "install")
        domain = self._domain(spec.run_as)
        label = label_for(spec.job_id)
        path = self.path_for(spec.job_id, spec.run_as)
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        atomic_write_bytes(path, text.encode("utf-8"), mode=PLIST_MODE)
        self._bootout(domain, label, path)
        self._wait_gone(domain, label)
        # A disabled job cannot be bootstrapped, and the disabled state outlives the plist
        # (§2.4); installing is asking for the job to run. Its answer does not matter.
        self._launchctl("enable", f"{domain}/{label}")
        for attempt in range(BOOTSTRAP_ATTEMPTS):
            res = self._launchctl("bootstrap", domain, str(path))
            if res.returncode == 0:
                break
            eio = res.returncode == 5 or _EIO_RE.search(res.stderr)
            if not eio or attempt == BOOTSTRAP_ATTEMPTS - 1:
                raise self._failure("bootstrap", res, domain, path)
            self.sleep(0.5 * (attempt + 1))
        return self.warnings(spec)

    def warnings(self, spec: JobSpec) -> list[str]:
        out: list[str] = []
        if spec.run_as:
            out.append(
                f"the LaunchDaemon runs as {spec.run_as}, which has no login keychain: the "
                "instance must keep its secrets in plaintext-secrets mode, in a data folder only "
                f"{spec.run_as} can read"
            )
        else:
            out.append(
                "a LaunchAgent runs only while you are logged in to this Mac's desktop; for runs "
                "while nobody is logged in, schedule with --run-as USER (a LaunchDaemon, as root)"
            )
            out.append(
                "macOS may show 'Background Items Added'; if the item is switched off in System "
                "Settings > General > Login Items, the job does not run"
            )
        exp = self.expansion(spec)
        if not exp.exact:
            out.append(
                f"launchd starts the job more often than {spec.expr.text!r} (without "
                f"{', '.join(exp.dropped)}, in {len(exp.entries)} entries); the runner skips the "
                "times the schedule does not hold"
            )
        return out

    def remove(self, job_id: str, run_as: str | None = None) -> bool:
        path = self.path_for(job_id, run_as)
        if not path.exists():
            return False
        self._require_root(run_as, "remove")
        self._bootout(self._domain(run_as, installing=False), label_for(job_id), path)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise EnvironmentProblem(f"cannot delete {path}: {exc.strerror}") from exc
        return True

    def inspect(self, job_id: str, run_as: str | None = None) -> str | None:
        path = self.path_for(job_id, run_as)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise EnvironmentProblem(f"cannot read {path}: {exc.strerror}") from exc
        # A file edited into something else, even invalid UTF-8, compares as drifted.
        text = data.decode("utf-8", errors="replace")
        # A plist on disk that launchd no longer runs (booted out by hand, or after a failed
        # bootstrap) is drift too: `schedule sync` bootstraps it again.
        label = label_for(job_id)
        domain = self._domain(run_as, installing=False)
        if self._launchctl("print", f"{domain}/{label}").returncode != 0:
            text += f"<!-- {label} is not loaded in {domain} -->\n"
        return text


# --- listing (`bwdc-tray uninstall`) --------------------------------------------------------------


def job_id_of_label(label: str) -> str | None:
    """The job id behind one of our labels (``label_for`` undone), or None when ``label`` is
    not one that ``label_for`` writes."""
    if not label.startswith(LABEL_PREFIX):
        return None
    escaped = {"_": "_", "-": "@", **{c: c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}}
    out: list[str] = []
    chars = iter(label[len(LABEL_PREFIX) :])
    for ch in chars:
        out.append(escaped.get(next(chars, ""), "\0") if ch == "_" else ch)
    job_id = "".join(out)
    try:
        return job_id if label_for(job_id) == label else None
    except InvalidInput:
        return None


def installed_agent_ids(backend: LaunchdBackend) -> list[str]:
    """The job ids of our LaunchAgents in this user's LaunchAgents folder, including those that
    no instance names any more. LaunchDaemons are not listed: each belongs to a dedicated user
    and the instance that names it removes it."""
    try:
        files = sorted(backend._dir(None).glob(f"{LABEL_PREFIX}*.plist"))
    except OSError:
        return []
    labels = [f.name.removesuffix(".plist") for f in files]
    # The tray's login item shares the prefix and the folder: it is no job (autostart.py).
    found = [job_id_of_label(label) for label in labels if label != LOGIN_ITEM_LABEL]
    return [job_id for job_id in found if job_id is not None]

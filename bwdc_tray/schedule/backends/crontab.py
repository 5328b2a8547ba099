"""cron: one marker-delimited block per instance in the user's crontab.

Every byte outside our blocks is written back as it was read. We never write when `crontab -l`
failed for any reason but "no crontab for USER", never install an empty table over a non-empty
one, and re-read after writing (reference/schedulers.md §3.1, §4).
"""

from __future__ import annotations

import getpass
import os
import re
import shlex
import tempfile
from pathlib import Path

from bwdc_tray.errors import EnvironmentProblem, InvalidInput
from bwdc_tray.i18n import _
from bwdc_tray.oscmd import CommandNotFound, CommandRunner, run_command
from bwdc_tray.schedule.backends.base import JobSpec

BEGIN = "# BEGIN bwdc-tray {name} (managed by bwdc-tray; edit with `bwdc-tray schedule`)"
END = "# END bwdc-tray {name}"
_BEGIN_RE = re.compile(r"^# BEGIN bwdc-tray (\S+)(?: .*)?$")
_END_RE = re.compile(r"^# END bwdc-tray (\S+)\s*$")
# Vixie cron's MAX_COMMAND (1000) less the NUL and the byte that tells "too long": Debian's
# crontab refuses a longer command ("command too long"), BSD and macOS cron silently cut it.
MAX_COMMAND_BYTES = 998


def quote_arg(arg: str) -> str:
    if "\n" in arg or "\r" in arg or "\x00" in arg:
        raise InvalidInput(
            _("{arg!r} holds a line break, which a crontab line cannot carry").format(arg=arg)
        )
    if "\\%" in arg:
        raise InvalidInput(
            _("{arg!r} holds \\%, which cron cannot carry unambiguously").format(arg=arg)
        )
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in arg):
        # A lone surrogate (a path that is not UTF-8): the table is written as UTF-8, and
        # writing it would fail with a traceback.
        raise InvalidInput(
            f"{arg!r} is not valid UTF-8, which a crontab line must be",
            "move bwdc-tray or its home to a path with a valid UTF-8 name",
        )
    # cron turns an unescaped % into a newline and feeds the rest to stdin (crontab(5)).
    return shlex.quote(arg).replace("%", "\\%")


class CrontabError(EnvironmentProblem):
    pass


def split_blocks(text: str) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The table's lines (each with its line ending) and where each of our blocks sits."""
    # Lines as cron reads them, ended by "\n" only: str.splitlines also cuts at \v, \f, \x1c-\x1e,
    # \x85, \u2028, \u2029 and a lone \r, which a quoted path in a job's line may hold, and would
    # then take text in the middle of that line for one of our markers.
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    blocks: dict[str, tuple[int, int]] = {}
    open_name: str | None = None
    open_at = 0
    for i, raw in enumerate(lines):
        if not raw.startswith("# "):
            continue  # neither marker (most lines): skip the two regexes
        line = raw.rstrip("\r\n")
        begin, end = _BEGIN_RE.match(line), _END_RE.match(line)
        if begin:
            if open_name is not None:
                raise _unclosed(open_name)
            open_name, open_at = begin.group(1), i
            if open_name in blocks:
                raise CrontabError(
                    _("the crontab holds two bwdc-tray blocks for {name}").format(name=open_name),
                    _("remove one of them with `crontab -e`"),
                )
        elif end:
            closed = end.group(1)
            if open_name != closed:
                raise CrontabError(
                    _("the crontab has an END bwdc-tray {name} line without its BEGIN").format(
                        name=end.group(1)
                    ),
                    _("fix it with `crontab -e`"),
                )
            blocks[closed] = (open_at, i + 1)
            open_name = None
    if open_name is not None:
        raise _unclosed(open_name)
    return lines, blocks


def _unclosed(name: str) -> CrontabError:
    return CrontabError(
        _("the crontab has a bwdc-tray block for {name} with no END line").format(name=name),
        _("fix it with `crontab -e`: each BEGIN bwdc-tray line needs its END line"),
    )


def splice(text: str, name: str, block: str | None) -> str:
    """``text`` with the block of ``name`` replaced by ``block`` (None removes it)."""
    lines, blocks = split_blocks(text)
    if name in blocks:
        start, stop = blocks[name]
        return "".join(lines[:start]) + (block or "") + "".join(lines[stop:])
    if block is None:
        return text
    if text and not text.endswith("\n"):
        text += "\n"  # crontab refuses a last line without its newline
    return text + block


def foreign_part(text: str) -> str:
    """Everything in the table that is not one of our blocks."""
    lines, blocks = split_blocks(text)
    ours = {i for start, stop in blocks.values() for i in range(start, stop)}
    return "".join(line for i, line in enumerate(lines) if i not in ours)


class CrontabBackend:
    name = "cron"

    def __init__(self, runner: CommandRunner = run_command) -> None:
        self.run = runner

    # --- pure ---------------------------------------------------------------------------------

    def render(self, spec: JobSpec) -> str:
        command = " ".join(quote_arg(a) for a in spec.command) + " >/dev/null 2>&1"
        size = len(command.encode("utf-8"))
        if size > MAX_COMMAND_BYTES:
            raise InvalidInput(
                f"the job's command line is {size} bytes long and cron takes at most "
                f"{MAX_COMMAND_BYTES} (Debian's crontab refuses it, BSD and macOS cron cut it)",
                "use a shorter --home path, or install bwdc-tray in a shorter path",
            )
        return (
            BEGIN.format(name=spec.job_id)
            + "\n"
            + f"{spec.expr.text} {command}\n"
            + END.format(name=spec.job_id)
            + "\n"
        )

    # --- OS -----------------------------------------------------------------------------------

    def _user_args(self, run_as: str | None) -> list[str]:
        if run_as is None:
            return []
        if hasattr(os, "geteuid") and os.geteuid() != 0:
            raise InvalidInput(
                _("--run-as {user}: only root can write another user's crontab").format(
                    user=run_as
                ),
                _("run this command as root (sudo), or schedule as yourself"),
            )
        return ["-u", run_as]

    def read(self, run_as: str | None = None) -> str:
        user = run_as or current_user()
        try:
            res = self.run(["crontab", *self._user_args(run_as), "-l"])
        except CommandNotFound as exc:
            raise CrontabError(
                _("the crontab command is not installed"),
                _("install cron (Debian: apt install cron)"),
            ) from exc
        if res.returncode == 0:
            return res.stdout
        # Exactly this, and nothing else, means "empty"; BSD and macOS prefix it with "crontab: ".
        if res.returncode == 1 and res.stderr.strip().removeprefix("crontab: ") == (
            f"no crontab for {user}"
        ):
            return ""
        raise CrontabError(
            _("`crontab -l` failed ({code}): {error}; nothing was changed").format(
                code=res.returncode, error=res.stderr.strip() or _("no message")
            ),
            _("check that this user may use cron (/etc/cron.allow, /etc/cron.deny)"),
        )

    def write(
        self, text: str, before: str, run_as: str | None = None, *, removing_theirs: bool = False
    ) -> None:
        """Install ``text`` over ``before`` and read it back. ``removing_theirs``: the caller
        removes one of the user's lines on purpose (`adopt --replace`, confirmed and backed
        up), so a table left with none of them is allowed."""
        if not removing_theirs and foreign_part(before).strip() and not foreign_part(text).strip():
            raise CrontabError(
                _(
                    "refusing to install a crontab that would lose the lines that are not "
                    "bwdc-tray's; nothing was changed"
                )
            )
        if not text:
            res = self.run(["crontab", *self._user_args(run_as), "-r"])
            if res.returncode != 0 and "no crontab" not in res.stderr:
                raise CrontabError(
                    _("`crontab -r` failed: {error}").format(error=res.stderr.strip())
                )
            return
        if not text.endswith("\n"):
            text += "\n"
        with tempfile.TemporaryDirectory(prefix="bwdc-tray-cron-") as private:
            path = Path(private) / "crontab"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
                fh.write(text)
            res = self.run(["crontab", *self._user_args(run_as), str(path)])
        if res.returncode != 0:
            raise CrontabError(
                _("crontab refused the new table ({error}); the old one is kept").format(
                    error=res.stderr.strip()
                )
            )
        if self.read(run_as) != text:
            raise CrontabError(_("the crontab read back differs from what was written"))

    def install(self, spec: JobSpec) -> list[str]:
        before = self.read(spec.run_as)
        after = splice(before, spec.job_id, self.render(spec))
        if after != before:
            self.write(after, before, spec.run_as)
        access = cron_access_problem(spec.run_as or current_user())
        return self.warnings() + ([access] if access else [])

    def remove(self, job_id: str, run_as: str | None = None) -> bool:
        before = self.read(run_as)
        after = splice(before, job_id, None)
        if after == before:
            return False
        self.write(after, before, run_as)
        return True

    def job_ids(self, run_as: str | None = None) -> list[str]:
        """The job ids of our blocks, in table order: `uninstall` also finds the blocks that
        no instance names any more."""
        return list(split_blocks(self.read(run_as))[1])

    def inspect(self, job_id: str, run_as: str | None = None) -> str | None:
        text = self.read(run_as)
        lines, blocks = split_blocks(text)
        if job_id not in blocks:
            return None
        start, stop = blocks[job_id]
        return "".join(lines[start:stop])

    def warnings(self) -> list[str]:
        if not cron_daemon_running():
            return [
                _(
                    "no cron daemon is running on this machine: the job is installed but will "
                    "not fire until cron runs (Debian: apt install cron, then start the cron "
                    "service)"
                )
            ]
        return []


def current_user() -> str:
    """The effective user, as crontab names it (not $USER, which `su` may leave behind)."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, AttributeError):
        return getpass.getuser()


def cron_access_problem(user: str, etc: Path = Path("/etc")) -> str | None:
    """What cron.allow / cron.deny say about ``user`` (reference/schedulers.md §3.2).

    We never create cron.allow: where it does not exist, creating it would lock every other
    user out of cron.
    """
    if user == "root":
        return None
    allow, deny = etc / "cron.allow", etc / "cron.deny"

    def listed(path: Path) -> bool | None:
        try:
            return user in path.read_text(encoding="utf-8", errors="replace").split()
        except OSError:
            return None  # absent, or unreadable by us: cron itself will decide

    in_allow = listed(allow)
    if in_allow is False:
        return _(
            "{allow} exists and does not list {user}: cron will not run this job; as root, "
            "add the line `{user}` to it"
        ).format(allow=allow, user=user)
    if in_allow is None and listed(deny):
        return _(
            "{deny} lists {user}: cron will not run this job until that line is removed"
        ).format(deny=deny, user=user)
    return None


def cron_daemon_running() -> bool:
    import psutil

    for proc in psutil.process_iter(["name"]):
        # Looking a process up by name is fine; only killing by name is not.
        if proc.info["name"] in ("cron", "crond", "cronie", "fcron", "busybox-crond"):
            return True
    return False

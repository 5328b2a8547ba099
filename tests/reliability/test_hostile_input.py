"""Hostile input through every artifact a job or a run leaves behind.

Paths (the interpreter's and the --home), instance names and labels, user names, schedule
expressions, and the directory-controlled text bwdc prints (group and user names) go through the
crontab block, the launchd plist, the Task Scheduler XML, the systemd units and the instance log.
Each artifact is read back by a reference reader written here from the format's own rules
(cron's `%` and POSIX sh quoting, plist XML, the Windows command-line rules, systemd.syntax(7) and
systemd.service(5)), not from the backend's code: it must give back exactly what was meant, with
no extra line, key, element or directive. Input a format cannot carry is refused with a
BwdcTrayError whose message names it, never with another exception, never with a wrong artifact.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import plistlib
import re
import shlex
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bwdc_tray import logs, runner
from bwdc_tray.config import NAME_RE, USER_RE, ConfigStore, Instance
from bwdc_tray.errors import BwdcTrayError, InvalidInput
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import cron, jobs
from bwdc_tray.schedule.backends import crontab as crontab_mod
from bwdc_tray.schedule.backends.base import JobSpec, job_state
from bwdc_tray.schedule.backends.crontab import CrontabBackend, foreign_part, split_blocks
from bwdc_tray.schedule.backends.launchd import ONLY_AT_SCHEDULE, LaunchdBackend
from bwdc_tray.schedule.backends.systemd import SystemdBackend, unit_names
from bwdc_tray.schedule.backends.taskscheduler import (
    FOLDER,
    NS,
    TaskSchedulerBackend,
    canonical,
    task_name,
)
from bwdc_tray.schedule.backends.taskscheduler import q as task_tag
from tests.fakes.commands import FakeCrontab, FakeRunner
from tests.schedule.corpus import CORPUS

# No deadline (a slow CI box is not a bug); very long paths are the point, so neither their
# generation time nor their size is a health problem. The generators never filter.
HEAVY = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies ----------------------------------------------------------------------------------

# What some format treats specially: shell and cron, XML, plist, systemd quoting and specifiers,
# Windows quoting and %VAR%, PowerShell's quotes, line breaks for every reader, non-characters,
# lone surrogates.
SPECIAL = [
    " ", "  ", "\t", "'", '"', "\\", "\\\\", '\\"', "%", "%%", "%n", "%i", "\\%", "%\\", "$",
    "$$", "$HOME", "${X}", "$X", "`id`", "$(id)", ";", " ; ", "\\;", "&", "|", "&&", "<", ">",
    "(", ")", "{a,b}", "*", "?", "[a]", "~", "#", "=", "X=1", "!", "-", "--home", "\n", "\r",
    "\r\n", "\x00", "\x01", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029",
    "\ufeff", "\u202e", "\xa0", "\xe9", "\u65e5\u672c", "\U0001f600", "\ud800", "\udcff",
    "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "]]>", "&amp;", "&#10;", "<!--", "</string>",
    "<key>EnvironmentVariables</key>", "</Exec><Exec>", "\\x41", "\\u0041", "\\n", "%APPDATA%",
    "%windir%", "%ProgramFiles(x86)%", "%50", "C:\\", "..", ".", "/", "//",
    "\n[Service]\nExecStartPre=/bin/evil", "\n* * * * * /bin/evil", "O'Brien", "\u2018",
    "\u2019", "\u201a", "\u201b", "'; Remove-Item C:\\ -Recurse; '",
]  # fmt: skip
FRAGMENT = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=6),  # any code point but surrogates
    st.text(alphabet="abc/_.-0", max_size=6),
)
HOSTILE = st.lists(FRAGMENT, max_size=8).map("".join)
# Very long: a deep folder tree, or one long name.
LONG = st.builds(lambda part, n: (part or "x") * n, HOSTILE, st.integers(20, 300))
TEXT = st.one_of(HOSTILE, HOSTILE, HOSTILE, LONG)

NAMES = st.from_regex(NAME_RE, fullmatch=True)
USERS = st.from_regex(USER_RE, fullmatch=True)
RUN_AS = st.one_of(st.none(), st.none(), USERS, HOSTILE)
# Every backend represents these exactly (launchd, Task Scheduler and systemd alike).
EXPRS = st.sampled_from(["30 2 * * *", "*/15 * * * *", "0 9 * * 1-5", "0 0 1,15 * 1"])


def _unix_program(text: str) -> str:
    # As jobs._interpreter() gives it: a Path, so absolute and normalised (no //, no /./, no
    # trailing /), which is also the only form systemd runs as it is written.
    return str(PurePosixPath("/" + text + "/python3"))


@contextmanager
def _interpreter(program: str) -> Iterator[None]:
    with mock.patch.object(jobs, "_interpreter", return_value=Path(program)):
        yield


def unix_spec(program: str, home: str, name: str, expr: str, run_as: str | None) -> JobSpec:
    """The job `schedule set` would install, built by jobs.spec_for from an instance."""
    paths = Paths(Path("/cfg"), Path("/state"), home=Path("/" + home))
    inst = Instance(name=name, appdata=Path("/data"), schedule=expr, run_as=run_as)
    with _interpreter(program):
        spec = jobs.spec_for(paths, inst)
    assert spec is not None
    return spec


def _refusal(exc: BwdcTrayError, candidates: list[str], fields: tuple[str, ...]) -> None:
    """A refusal must say what it refuses: the value itself, or the field's name."""
    assert exc.message
    assert any(repr(c) in exc.message for c in candidates) or any(
        f in exc.message for f in fields
    ), exc.message


def _is_surrogate(ch: str) -> bool:
    return 0xD800 <= ord(ch) <= 0xDFFF


# --- crontab: cron's % rule, then POSIX sh -------------------------------------------------------


class ShellSyntax(AssertionError):
    """The line means more to /bin/sh than words: an operator, an expansion, a glob…"""


def cron_percent(command: str) -> tuple[str, str | None]:
    """What Vixie cron hands to the shell, and what it feeds on stdin (crontab(5)).

    A backslash escapes the character after it; only an escaped `%` loses its backslash. The first
    unescaped `%` ends the command: the rest, with `%` as newlines, is the job's stdin.
    """
    out: list[str] = []
    escaped = False
    for i, ch in enumerate(command):
        if escaped:
            if ch == "%":
                out[-1] = "%"
            else:
                out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "%":
            return "".join(out), command[i + 1 :].replace("%", "\n")
        else:
            out.append(ch)
    return "".join(out), None


def sh_words(line: str) -> list[str]:
    """POSIX sh's words of a simple command, or ShellSyntax for anything that is not a plain word.

    Quotes as in XCU 2.2: '…' takes everything literally; "…" keeps `\\` only before $ ` " \\ and
    expands $ and `; an unquoted backslash quotes the next character. Unquoted operators,
    expansions, globs, braces, a leading ~ or #, and an assignment in the first word are all
    something other than the word that was meant.
    """
    words: list[str] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return words
        word: list[str] = []
        start = i
        while i < n and line[i] not in " \t":
            ch = line[i]
            if ch == "'":
                end = line.find("'", i + 1)
                if end < 0:
                    raise ShellSyntax(f"unbalanced ' in {line!r}")
                word.append(line[i + 1 : end])
                i = end + 1
            elif ch == '"':
                i += 1
                while True:
                    if i >= n:
                        raise ShellSyntax(f'unbalanced " in {line!r}')
                    ch = line[i]
                    if ch == '"':
                        i += 1
                        break
                    if ch in "$`":
                        raise ShellSyntax(f"expansion inside double quotes in {line!r}")
                    if ch == "\\" and i + 1 < n and line[i + 1] in '$`"\\':
                        word.append(line[i + 1])
                        i += 2
                        continue
                    word.append(ch)
                    i += 1
            elif ch == "\\":
                if i + 1 >= n:
                    raise ShellSyntax(f"a trailing backslash in {line!r}")
                word.append(line[i + 1])
                i += 2
            elif ch in "|&;<>()$`*?[{}\n":
                raise ShellSyntax(f"unquoted {ch!r} in {line!r}")
            elif ch in "~#" and i == start:
                raise ShellSyntax(f"unquoted {ch!r} starting a word in {line!r}")
            else:
                word.append(ch)
                i += 1
        if not words and re.match(r"[A-Za-z_][A-Za-z0-9_]*=", line[start:i]):
            raise ShellSyntax(f"an assignment, not a command, in {line!r}")
        words.append("".join(word))


def test_the_shell_reference_reader_knows_the_rules() -> None:
    assert sh_words("""a 'b c' "d\\"e" f\\ g '' "" 'it'"'"'s'""") == [
        "a", "b c", 'd"e', "f g", "", "", "it's",
    ]  # fmt: skip
    assert sh_words("\"a\\b\" '\\'") == ["a\\b", "\\"]
    for bad in ("a;b", "a $X", "'a'$b", '"$X"', "a*", "~/x", "#x", "X=1 cmd", "a {b,c}", "'a"):
        with pytest.raises(ShellSyntax):
            sh_words(bad)
    assert cron_percent("a\\%b\\\\%c%d%e") == ("a%b\\\\", "c\nd\ne")
    assert cron_percent("'\\'\\%") == ("'\\'%", None)


UNIX_TABLE = "# m h dom mon dow command\nMAILTO=admin@example.com\n0 4 * * * /usr/bin/backup\n"
# The longest command (bytes after the five fields) Debian's crontab installs: 999 bytes gets
# "command too long" (measured in a private mount namespace); BSD and macOS cron cut it.
CRON_MAX = 998


@settings(HEAVY, max_examples=1000)
@given(
    program=TEXT.map(_unix_program),
    home=TEXT,
    name=NAMES,
    expr=EXPRS,
    run_as=RUN_AS,
    label=st.one_of(st.none(), TEXT),
)
@example(
    program="/opt/b/python3",
    home="srv/50%/x\\y 'q' \"d\" $HOME",
    name="corp",
    expr="30 2 * * *",
    run_as=None,
    label=None,
)
def test_a_crontab_line_gives_sh_exactly_the_runner_argv_and_nothing_else(
    program: str, home: str, name: str, expr: str, run_as: str | None, label: str | None
) -> None:
    spec = unix_spec(program, home, name, expr, run_as)
    # The free-text label is for display: it never reaches any artifact.
    paths = Paths(Path("/cfg"), Path("/state"), home=Path("/" + home))
    labelled = Instance(name=name, appdata=Path("/data"), schedule=expr, run_as=run_as, label=label)
    with _interpreter(program):
        assert jobs.spec_for(paths, labelled) == spec
    backend = CrontabBackend()
    try:
        block = backend.render(spec)
    except BwdcTrayError as exc:
        # A crontab line is one line of UTF-8 text, a C string: no line break, NUL or surrogate.
        # (`\%` is refused too: cron would eat its backslash.)
        bad = [a for a in spec.command if re.search("[\n\r\x00\ud800-\udfff]|\\\\%", a)]
        if bad:
            _refusal(exc, bad, ())
        else:
            # Too long for cron even quoted as tightly as sh allows? Quoting adds at most two
            # quotes a word, four bytes a ' and one a %.
            most = sum(len(a.encode()) + 3 + 4 * a.count("'") + a.count("%") for a in spec.command)
            assert most + len(">/dev/null 2>&1") > CRON_MAX, f"refused what cron can carry: {exc}"
            _refusal(exc, [], (f"at most {CRON_MAX}",))
        return
    assert not any(re.search("[\n\r\x00\ud800-\udfff]", a) for a in spec.command)
    # Three lines exactly: BEGIN, the job, END. Nothing else reaches the table.
    begin, line, end, tail = block.split("\n")
    assert tail == ""
    assert split_blocks(block)[1] == {spec.job_id: (0, 3)}
    assert begin.startswith(f"# BEGIN bwdc-tray {spec.job_id} ")
    assert end == f"# END bwdc-tray {spec.job_id}"
    # cron: five fields, then the command up to the end of the line.
    fields = line.split(" ", 5)
    assert fields[:5] == spec.expr.text.split()
    assert len(fields[5].encode("utf-8")) <= CRON_MAX
    command, stdin = cron_percent(fields[5])
    assert stdin is None, f"cron would cut the command at a %: {fields[5]!r}"
    assert command.endswith(" >/dev/null 2>&1")
    shell = command.removesuffix(" >/dev/null 2>&1")
    assert sh_words(shell) == list(spec.command)
    assert shlex.split(shell) == list(spec.command)  # a second opinion on the quoting
    # Installed next to the user's own lines: those stay as they were, and the job reads back
    # in sync (no drift that `schedule sync` would "repair" at every run).
    # (As the current user: `crontab -u` needs root, and the block does not depend on it.)
    mine = dataclasses.replace(spec, run_as=None)
    fake = FakeCrontab(UNIX_TABLE, user=crontab_mod.current_user())
    installer = CrontabBackend(fake.runner)
    with (
        mock.patch.object(crontab_mod, "cron_daemon_running", return_value=True),
        mock.patch.object(crontab_mod, "cron_access_problem", return_value=None),
    ):
        installer.install(mine)
    assert fake.table is not None and foreign_part(fake.table) == UNIX_TABLE
    assert job_state(installer, mine, installer.inspect(spec.job_id)) == "in-sync"


@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="no /bin/sh on this system (Windows)")
@settings(HEAVY, max_examples=150)
@given(program=TEXT.map(_unix_program), home=TEXT)
def test_the_real_sh_reads_the_crontab_command_back_as_the_runner_argv(
    program: str, home: str
) -> None:
    """The reference reader above, checked against the shell cron really starts."""
    spec = unix_spec(program, home, "corp", "30 2 * * *", None)
    try:
        block = CrontabBackend().render(spec)
    except BwdcTrayError:
        return  # what is refused, and why, is checked above
    command, stdin = cron_percent(block.split("\n")[1].split(" ", 5)[5])
    assert stdin is None
    words = command.removesuffix(" >/dev/null 2>&1")
    # `set --` takes the words as the job's command would (same quoting), and runs nothing.
    res = subprocess.run(
        ["/bin/sh", "-c", f"set -- {words}; printf '%s\\0' \"$@\""],
        capture_output=True,
        env={"LC_ALL": "C.UTF-8", "PATH": os.defpath},
        timeout=60,
        check=False,
    )
    assert (res.returncode, res.stderr) == (0, b"")
    assert res.stdout.split(b"\0")[:-1] == [a.encode("utf-8") for a in spec.command]


def test_a_command_line_too_long_for_cron_is_refused_instead_of_cut() -> None:
    """Regression: a command of 999 bytes or more rendered, and then Debian's crontab refused the
    whole table ("command too long") while BSD and macOS cron would have cut it silently."""
    fixed = len("/usr/bin/python3 --home '/' >/dev/null 2>&1")  # "\xe9" makes sh quotes needed
    for size in (CRON_MAX, CRON_MAX + 1):
        rest = size - fixed
        home = "/" + "\xe9" * (rest // 2) + "a" * (rest % 2)  # bytes, not characters, count
        spec = JobSpec("corp", cron.parse("0 3 * * *"), ("/usr/bin/python3", "--home", home))
        if size <= CRON_MAX:
            line = CrontabBackend().render(spec).split("\n")[1]
            assert len(line.split(" ", 5)[5].encode("utf-8")) == size
        else:
            with pytest.raises(InvalidInput, match=f"{size} bytes long .* at most {CRON_MAX}"):
                CrontabBackend().render(spec)


@pytest.mark.parametrize("sep", ["\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029"])
def test_marker_text_after_a_line_separator_in_a_path_stays_inside_the_job_line(sep: str) -> None:
    """Regression: split_blocks cut the table where str.splitlines does (\\v, \\f, \\x85,
    \\u2028…), not only at newlines as cron does, so a home holding "\\v# END bwdc-tray corp"
    closed our block in the middle of its own job line, and the install failed with "the crontab
    has an END bwdc-tray corp line without its BEGIN", blaming the user's crontab."""
    home = f"srv/{sep}# END bwdc-tray corp{sep}# BEGIN bwdc-tray corp{sep}x"
    fake = FakeCrontab(UNIX_TABLE, user=crontab_mod.current_user())
    backend = CrontabBackend(fake.runner)
    with (
        mock.patch.object(crontab_mod, "cron_daemon_running", return_value=True),
        mock.patch.object(crontab_mod, "cron_access_problem", return_value=None),
    ):
        for expr in ("30 2 * * *", "0 9 * * 1-5"):  # install, then update in place
            spec = unix_spec("/usr/bin/python3", home, "corp", expr, None)
            backend.install(spec)
            assert backend.inspect(spec.job_id) == backend.render(spec)
        assert fake.table is not None and foreign_part(fake.table) == UNIX_TABLE
        assert backend.remove(spec.job_id)
    assert fake.table == UNIX_TABLE


# --- launchd: the plist ---------------------------------------------------------------------------

PLIST_KEYS = {
    "Label",
    "ProgramArguments",
    "StartCalendarInterval",
    "ProcessType",
    "AssociatedBundleIdentifiers",
}


def _plist_not_xml(text: str) -> bool:
    # XML 1.0 Char: no C0 control but tab/newline (a CR comes back as a newline), no surrogate,
    # no U+FFFE/U+FFFF.
    return bool(re.search("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]", text))


def _plist_dict(el: ET.Element) -> dict[str, ET.Element]:
    kids = list(el)
    assert len(kids) % 2 == 0 and all(k.tag == "key" for k in kids[::2])
    keys = [k.text or "" for k in kids[::2]]
    assert len(set(keys)) == len(keys), f"a key twice: {keys}"
    return dict(zip(keys, kids[1::2], strict=True))


@settings(HEAVY, max_examples=1200)
@given(program=TEXT.map(_unix_program), home=TEXT, name=NAMES, expr=EXPRS, run_as=RUN_AS)
def test_a_plist_gives_launchd_exactly_the_runner_argv_and_no_other_key(
    program: str, home: str, name: str, expr: str, run_as: str | None
) -> None:
    spec = unix_spec(program, home, name, expr, run_as)
    backend = LaunchdBackend(over_approximate=True)  # as backends.get() makes it
    try:
        text = backend.render(spec)
    except BwdcTrayError as exc:
        bad = [a for a in (*spec.command, run_as or "") if _plist_not_xml(a)]
        assert bad, f"refused what a plist can carry: {exc}"
        _refusal(exc, bad, ())
        return
    assert not any(_plist_not_xml(a) for a in (*spec.command, run_as or ""))
    want = list(spec.command)
    if not backend.expansion(spec).exact:
        want.append(ONLY_AT_SCHEDULE)
    data = plistlib.loads(text.encode("utf-8"))
    assert set(data) == PLIST_KEYS | ({"UserName"} if run_as else set())
    assert data["ProgramArguments"] == want
    assert data.get("UserName") == (run_as or None)
    assert re.fullmatch(r"io\.github\.bwdc-tray\.[a-z0-9._-]+", data["Label"])
    # The same through a plain XML parser, which knows nothing of plists.
    root = ET.fromstring(text)  # noqa: S314  # our own output
    assert root.tag == "plist" and len(root) == 1 and root[0].tag == "dict"
    top = _plist_dict(root[0])
    assert set(top) == set(data)
    args = top["ProgramArguments"]
    assert args.tag == "array" and all(el.tag == "string" and not len(el) for el in args)
    assert [el.text or "" for el in args] == want
    if run_as:
        assert top["UserName"].tag == "string" and top["UserName"].text == run_as


def test_a_plist_refuses_what_xml_cannot_hold_instead_of_crashing_or_writing_junk() -> None:
    """Regression: a lone surrogate (a home that is not UTF-8) raised UnicodeEncodeError, and
    U+FFFE/U+FFFF gave a plist that no parser, launchd's included, can read."""
    for bad in ("/srv/a\udcffb", "/srv/a\ud800", "/srv/\ufffe", "/srv/\uffff"):
        spec = JobSpec("corp", cron.parse("0 3 * * *"), ("/usr/bin/python3", "--home", bad))
        with pytest.raises(InvalidInput, match="UTF-8") as info:
            LaunchdBackend().render(spec)
        assert repr(bad) in info.value.message


# --- Task Scheduler: the task XML and the Windows command line -----------------------------------


class AmbiguousQuote(AssertionError):
    """`""` inside quotes: the C runtime and CommandLineToArgvW read it differently."""


def windows_argv(cmdline: str) -> list[str]:
    """argv as CommandLineToArgvW (and the MSVC C runtime Python is built with) splits it.

    argv[0] is the program: up to the next quote when it starts with one, else up to a blank, with
    no backslash rule. Then blanks (space, tab) separate arguments outside quotes; 2n backslashes
    before a quote give n backslashes and the quote opens or closes quoting; 2n+1 give n and a
    literal quote; backslashes before anything else are literal. A `""` inside quotes, on which the
    two parsers disagree, raises AmbiguousQuote.
    """
    if cmdline.startswith('"'):
        end = cmdline.find('"', 1)
        end = len(cmdline) if end < 0 else end
        argv, i = [cmdline[1:end]], end + 1
    else:
        i = 0
        while i < len(cmdline) and cmdline[i] not in " \t":
            i += 1
        argv = [cmdline[:i]]
    n = len(cmdline)
    while True:
        while i < n and cmdline[i] in " \t":
            i += 1
        if i >= n:
            return argv
        word: list[str] = []
        quoted = False
        while i < n and (quoted or cmdline[i] not in " \t"):
            ch = cmdline[i]
            if ch == "\\":
                j = i
                while j < n and cmdline[j] == "\\":
                    j += 1
                if j < n and cmdline[j] == '"':
                    word.append("\\" * ((j - i) // 2))
                    if (j - i) % 2:
                        word.append('"')
                        j += 1
                    i = j
                else:
                    word.append("\\" * (j - i))
                    i = j
            elif ch == '"':
                if quoted and i + 1 < n and cmdline[i + 1] == '"':
                    raise AmbiguousQuote(cmdline)
                quoted = not quoted
                i += 1
            else:
                word.append(ch)
                i += 1
        argv.append("".join(word))


def test_the_windows_reference_splitter_follows_microsofts_table() -> None:
    # "Parsing C++ command-line arguments" (learn.microsoft.com), each after a program name.
    table = {
        '"abc" d e': ["abc", "d", "e"],
        'a\\\\b d"e f"g h': ["a\\\\b", "de fg", "h"],
        'a\\\\\\"b c d': ['a\\"b', "c", "d"],
        'a\\\\\\\\"b c" d e': ["a\\\\b c", "d", "e"],
        '"" x': ["", "x"],
        "\t a  \t b ": ["a", "b"],
    }
    for args, want in table.items():
        assert windows_argv('"C:\\Program Files\\p.exe" ' + args) == [
            "C:\\Program Files\\p.exe",
            *want,
        ]
    assert windows_argv("C:\\p.exe x") == ["C:\\p.exe", "x"]
    assert windows_argv('"C:\\a b\\"') == ["C:\\a b\\"]  # no backslash rule in argv[0]
    with pytest.raises(AmbiguousQuote):
        windows_argv('p a"b"" c d')


# The variables every Windows session defines: a %NAME% of one of them would be replaced.
WINDOWS_VARS = {
    v.lower()
    for v in (
        "ALLUSERSPROFILE", "APPDATA", "CommonProgramFiles", "CommonProgramFiles(x86)",
        "CommonProgramW6432", "COMPUTERNAME", "ComSpec", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA",
        "NUMBER_OF_PROCESSORS", "OS", "Path", "PATHEXT", "PROCESSOR_ARCHITECTURE", "ProgramData",
        "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "PUBLIC", "SystemDrive",
        "SystemRoot", "TEMP", "TMP", "USERDOMAIN", "USERNAME", "USERPROFILE", "windir",
    )
}  # fmt: skip


def expands_on_windows(text: str) -> bool:
    """Whether Task Scheduler's %VAR% expansion would change ``text``: a known name between two
    neighbouring % signs, whichever way they pair up (no such name holds a %)."""
    marks = [i for i, ch in enumerate(text) if ch == "%"]
    return any(text[a + 1 : b].lower() in WINDOWS_VARS for a, b in itertools.pairwise(marks))


def _task_cannot_carry(arg: str, *, program: bool) -> bool:
    # XML 1.0 Char, and no line break in a command line; %VAR% would be expanded.
    if re.search("[\x00-\x08\n-\x1f\ud800-\udfff\ufffe\uffff]", arg) or expands_on_windows(arg):
        return True
    return program and ('"' in arg or not arg or len(arg) > 260)


def _task_may_refuse(arg: str, *, program: bool) -> bool:
    # The backend refuses every %…% pair without blanks: a variable might exist by that name.
    return _task_cannot_carry(arg, program=program) or bool(re.search(r"%[^%\s]+%", arg))


WINDOWS_PROGRAM = st.one_of(
    st.just("C:\\Program Files\\bwdc-tray\\pythonw.exe"),
    TEXT.map(lambda t: ("C:\\" + t + "\\pythonw.exe").strip(" \t")),
)


def windows_spec(program: str, home: str, name: str, expr: str, run_as: str | None) -> JobSpec:
    # jobs.runner_command's shape; on Windows the job id carries the user's name.
    command = (program, "-m", "bwdc_tray", "--home", home, "run", name, "--trigger", "schedule")
    return JobSpec(name, cron.parse(expr), command, run_as=run_as, job_id=f"{name}@svc-user")


def _local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def check_task_xml(xml: str, spec: JobSpec) -> None:
    """The XML read back by ElementTree gives exactly the job: one action, one principal."""
    task = ET.fromstring(xml)  # noqa: S314  # our own output
    assert task.tag == task_tag("Task")
    assert [_local(el) for el in task] == [
        "RegistrationInfo", "Triggers", "Settings", "Principals", "Actions",
    ]  # fmt: skip
    assert all(el.tag.startswith("{" + NS + "}") for el in task.iter())
    actions = task.find(task_tag("Actions"))
    assert actions is not None and [_local(el) for el in actions] == ["Exec"]
    exec_ = actions[0]
    names = [_local(el) for el in exec_]
    assert names in (["Command"], ["Command", "Arguments"])
    assert all(not len(el) for el in exec_)
    command = exec_.findtext(task_tag("Command")) or ""
    arguments = exec_.findtext(task_tag("Arguments")) or ""
    assert command == spec.command[0]
    assert not expands_on_windows(command) and not expands_on_windows(arguments)
    # Task Scheduler starts "<Command>" <Arguments>; the child splits it back.
    assert windows_argv(f'"{command}" {arguments}') == list(spec.command)
    principals = task.find(task_tag("Principals"))
    assert principals is not None and len(principals) == 1
    kids = {_local(el): el.text for el in principals[0]}
    # An account name's edge blanks mean nothing to Windows; the XML holds it trimmed.
    assert kids.get("UserId") == (spec.run_as.strip() if spec.run_as is not None else None)
    assert kids["LogonType"] == ("Password" if spec.run_as else "InteractiveToken")


@settings(HEAVY, max_examples=1200)
@given(program=WINDOWS_PROGRAM, home=TEXT, name=NAMES, expr=EXPRS, run_as=RUN_AS)
@example(program="C:\\p.exe", home='C:\\a "b" c\\', name="corp", expr="30 2 * * *", run_as=None)
def test_task_xml_gives_windows_exactly_the_runner_argv_and_no_other_element(
    program: str, home: str, name: str, expr: str, run_as: str | None
) -> None:
    spec = windows_spec(program, home, name, expr, run_as)
    try:
        xml = TaskSchedulerBackend().render(spec)
    except BwdcTrayError as exc:
        bad = [a for i, a in enumerate(spec.command) if _task_may_refuse(a, program=i == 0)]
        if run_as is not None and (_task_may_refuse(run_as, program=False) or not run_as.strip()):
            bad.append(run_as)
        assert bad, f"refused a job a task can carry: {exc}"
        _refusal(exc, bad, ("program path", "--run-as"))
        return
    assert not any(_task_cannot_carry(a, program=i == 0) for i, a in enumerate(spec.command))
    check_task_xml(xml, spec)
    # What `inspect` makes of the task read back equals what was rendered: no false drift.
    assert canonical(xml, run_as) == xml


@pytest.mark.parametrize(
    ("command", "run_as"),
    [
        (("C:\\p.exe", "--home", "C:\\data\n"), None),
        (("C:\\p.exe\n", "run"), None),
        (("C:\\p.exe", "run"), "svc-bwdc\n"),
    ],
)
def test_a_trailing_line_break_is_refused_in_task_xml_like_any_other(
    command: tuple[str, ...], run_as: str | None
) -> None:
    """Regression: the check used re.match with `$`, which also matches before a final "\\n",
    so a value ending in a line break went into the task unrefused."""
    spec = JobSpec("corp", cron.parse("0 3 * * *"), command, run_as=run_as, job_id="corp@u")
    with pytest.raises(InvalidInput, match="line break") as info:
        TaskSchedulerBackend().render(spec)
    assert any(repr(v) in info.value.message for v in (*command, run_as))


# PowerShell ends a single-quoted string at any of these; two in a row stand for one.
PS_QUOTES = "'\u2018\u2019\u201a\u201b"


def ps_single_quoted(script: str) -> tuple[str, list[str]]:
    """How PowerShell reads a script's single-quoted strings: the code around them (each string
    as '…'), and their values, in which nothing is expanded."""
    code: list[str] = []
    literals: list[str] = []
    i, n = 0, len(script)
    while i < n:
        if script[i] not in PS_QUOTES:
            code.append(script[i])
            i += 1
            continue
        value: list[str] = []
        i += 1
        while True:
            assert i < n, f"an unterminated string in {script!r}"
            if script[i] in PS_QUOTES:
                if i + 1 < n and script[i + 1] in PS_QUOTES:
                    value.append(script[i])
                    i += 2
                    continue
                i += 1
                break
            value.append(script[i])
            i += 1
        code.append("'…'")
        literals.append("".join(value))
    return "".join(code), literals


@settings(HEAVY, max_examples=500)
@given(user=TEXT, temp=TEXT, name=NAMES)
def test_the_registration_script_takes_user_and_paths_as_data_never_as_code(
    user: str, temp: str, name: str
) -> None:
    """A dedicated user's task is registered by a PowerShell script: a user name or a temp folder
    such as C:\\Users\\O'Brien\\AppData\\Local\\Temp stays a string in it."""
    file = Path("C:\\Users\\" + temp) / "task.xml"
    job_id = f"{name}@svc-user"
    argv = TaskSchedulerBackend()._register_argv(file, job_id, user)
    benign = TaskSchedulerBackend()._register_argv(Path("C:\\t\\task.xml"), "a@b", "u")
    code, literals = ps_single_quoted(argv[-1])
    assert argv[:-1] == benign[:-1]
    assert code == ps_single_quoted(benign[-1])[0]
    assert literals == ["Stop", str(file), FOLDER, task_name(job_id), user]


@settings(HEAVY, max_examples=300)
@given(program=WINDOWS_PROGRAM, home=TEXT, run_as=RUN_AS)
def test_every_hostile_task_that_renders_is_valid_task_xml(
    task_schema: Any, program: str, home: str, run_as: str | None
) -> None:
    try:
        xml = TaskSchedulerBackend().render(
            windows_spec(program, home, "corp", "*/15 * * * *", run_as)
        )
    except BwdcTrayError:
        return  # what is refused is checked above
    task_schema.validate(xml)


# --- systemd: the .service and .timer -------------------------------------------------------------


class UnitSyntax(AssertionError):
    """A unit file line that means more than the value that was meant."""


def unit_sections(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections and their `Key=value` lines as systemd.syntax(7) reads a unit file.

    Lines end at a newline, a carriage return or a NUL (systemd's read_line); blanks around are
    dropped; `#` and `;` start comments; a line ending in a backslash continues on the next one,
    which we never mean to write, so it is an error here.
    """
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for raw in re.split("\r\n|[\n\r\x00]", text.removesuffix("\n")):
        line = raw.strip(" \t")
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            raise UnitSyntax(f"a continuation line: {raw!r}")
        if line.startswith("["):
            if not line.endswith("]"):
                raise UnitSyntax(f"a broken section header: {raw!r}")
            sections.append((line[1:-1], []))
            continue
        if "=" not in line or not sections:
            raise UnitSyntax(f"not an assignment: {raw!r}")
        key, value = line.split("=", 1)
        sections[-1][1].append((key.strip(" \t"), value.strip(" \t")))
    return sections


_C_ESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "s": " ",
    "\\": "\\", '"': '"', "'": "'",
}  # fmt: skip


def _unescape(text: str, i: int) -> tuple[str, int]:
    """systemd's cunescape of the sequence at text[i] (after the backslash)."""
    ch = text[i]
    if ch in _C_ESCAPES:
        return _C_ESCAPES[ch], i + 1
    for lead, size, base in (("x", 2, 16), ("u", 4, 16), ("U", 8, 16)):
        if ch == lead:
            return chr(int(text[i + 1 : i + 1 + size], base)), i + 1 + size
    if ch in "01234567":
        return chr(int(text[i : i + 3], 8)), i + 3
    raise UnitSyntax(f"an unknown escape \\{ch} in {text!r}")


def _specifiers(word: str) -> str:
    out, i = [], 0
    while i < len(word):
        if word[i] == "%":
            if word[i + 1 : i + 2] != "%":
                raise UnitSyntax(f"a % specifier in {word!r}")
            out.append("%")
            i += 2
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def _variables(word: str) -> str:
    out, i = [], 0
    while i < len(word):
        if word[i] == "$":
            nxt = word[i + 1 : i + 2]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt == "{" or re.match(r"[A-Za-z_]", nxt):
                raise UnitSyntax(f"an environment variable in {word!r}")
        out.append(word[i])
        i += 1
    return "".join(out)


def exec_argv(value: str) -> list[str]:
    """The argv systemd runs for an `ExecStart=` value (systemd.service(5), "Command lines").

    Words are split at blanks and unquoted ('…', "…") with C escapes; a lone unquoted `;` would
    start another command and `\\;` is a literal `;`. Then `%%` is `%` (any other % is a
    specifier), and in the arguments `$$` is `$` (`$NAME`, `${NAME}` would be substituted). The
    program path must stay absolute, without a prefix such as `-` or `+`, or `$`.
    """
    argv: list[str] = []
    i, n = 0, len(value)
    while True:
        while i < n and value[i] in " \t":
            i += 1
        if i >= n:
            break
        if value[i] == ";" and (i + 1 == n or value[i + 1] in " \t"):
            raise UnitSyntax(f"a lone ; starts a second command in {value!r}")
        if value.startswith("\\;", i) and (i + 2 == n or value[i + 2] in " \t"):
            argv.append(";")
            i += 2
            continue
        word: list[str] = []
        quote: str | None = None
        while i < n and (quote or value[i] not in " \t"):
            ch = value[i]
            if ch == "\\":
                if i + 1 >= n:
                    raise UnitSyntax(f"a trailing backslash in {value!r}")
                text, i = _unescape(value, i + 1)
                word.append(text)
            elif quote is None and ch in "\"'":
                quote = ch
                i += 1
            elif ch == quote:
                quote = None
                i += 1
            else:
                word.append(ch)
                i += 1
        if quote is not None:
            raise UnitSyntax(f"unbalanced quotes in {value!r}")
        argv.append(_specifiers("".join(word)))
    if not argv:
        raise UnitSyntax("no command")
    program = argv[0]
    if not program.startswith("/") or "$" in program:
        raise UnitSyntax(f"not an absolute program path that runs as it is: {program!r}")
    return [program, *(_variables(a) for a in argv[1:])]


def test_the_systemd_reference_reader_knows_the_rules() -> None:
    line = '/a/b "c d" \'e "f"\' g\\x41 "h\\\\i\\"j" \\; 50%% $$HOME "" k\\sl'
    assert exec_argv(line) == [
        "/a/b",
        "c d",
        'e "f"',
        "gA",
        'h\\i"j',
        ";",
        "50%",
        "$HOME",
        "",
        "k l",
    ]
    for bad in ("/a ; /b", "/a %n", "/a $HOME", "/a ${X}", "-/a", "/a 'b", "/a b\\", "x/a"):
        with pytest.raises(UnitSyntax):
            exec_argv(bad)
    assert unit_sections("# c\n[A]\nK = v \n; c\n[B]\nX=a=b\n") == [
        ("A", [("K", "v")]), ("B", [("X", "a=b")]),
    ]  # fmt: skip
    for bad in ("[A]\nK=v\\\nL=w\n", "[A]\nK=v\x00L\n", "K=v\n", "[A\n"):
        with pytest.raises(UnitSyntax):
            unit_sections(bad)
    # A carriage return ends a line for systemd: what follows it is a directive of its own.
    assert unit_sections("[A]\nK=v\rL=w\n") == [("A", [("K", "v"), ("L", "w")])]
    assert unit_sections("[A]\nK=v\x00[B]\n") == [
        ("A", [("K", "v")]),
        ("B", []),
    ]


def _noncharacter(ch: str) -> bool:
    return 0xFDD0 <= ord(ch) <= 0xFDEF or (ord(ch) & 0xFFFE) == 0xFFFE


def _unit_cannot_carry(arg: str) -> bool:
    # One line of UTF-8 text that systemd calls clean: no line break, NUL, surrogate or
    # noncharacter ("String is not UTF-8 clean, ignoring assignment").
    return any(ch in "\n\r\x00" or _is_surrogate(ch) or _noncharacter(ch) for ch in arg)


def _unit_may_refuse(arg: str, *, program: bool) -> bool:
    # Other controls (a tab could be written \t) are refused too; a program path with quotes,
    # backslashes or $ is refused because systemd will not execute it as written.
    controls = any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in arg)
    return _unit_cannot_carry(arg) or controls or (program and bool(set(arg) & set("\"'\\$")))


class _Systemctl:
    """`systemctl [--user] …` as far as install uses it: enable links the timer."""

    def __init__(self, unit_dir: Path) -> None:
        self.unit_dir = unit_dir
        self.runner = FakeRunner(self.handle)

    def handle(self, argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        if "enable" in argv:
            wants = self.unit_dir / "timers.target.wants"
            wants.mkdir(parents=True, exist_ok=True)
            link = wants / argv[-1]
            if not link.is_symlink():
                link.symlink_to(self.unit_dir / argv[-1])
        return 0, "", ""


@settings(HEAVY, max_examples=1000)
@given(program=TEXT.map(_unix_program), home=TEXT, name=NAMES, expr=EXPRS, run_as=RUN_AS)
@example(
    program="/opt/b/python3",
    home="a b/50%/$HOME/${X}/\\;/'\"",
    name="corp",
    expr="0 0 1,15 * 1",
    run_as="svc-bwdc",
)
def test_systemd_units_give_exactly_the_runner_argv_and_no_other_directive(
    program: str, home: str, name: str, expr: str, run_as: str | None
) -> None:
    spec = unix_spec(program, home, name, expr, run_as)
    backend = SystemdBackend()
    try:
        service, timer = backend.service_text(spec), backend.timer_text(spec)
    except BwdcTrayError as exc:
        bad = [a for i, a in enumerate(spec.command) if _unit_may_refuse(a, program=i == 0)]
        if run_as is not None and not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,31}", run_as):
            bad.append(run_as)  # User= takes a plain local account name
        if run_as is not None and run_as.isdigit():
            bad.append(run_as)  # which systemd would read as a UID
        assert bad, f"refused a job a unit can carry: {exc}"
        _refusal(exc, bad, ("--run-as",))
        return
    assert not any(_unit_cannot_carry(a) for a in spec.command)
    service_keys = ["Type", *(["User"] if run_as else []), "ExecStart", "TimeoutStartSec"]
    read = unit_sections(service)
    assert [(s, [k for k, _ in kv]) for s, kv in read] == [
        ("Unit", ["Description"]), ("Service", service_keys),
    ]  # fmt: skip
    values = dict(read[1][1])
    assert exec_argv(values["ExecStart"]) == list(spec.command)
    assert values.get("User") == (run_as or None)
    assert _specifiers(read[0][1][0][1]) == f"bwdc-tray: sync of {name}"
    timer_keys = [(s, [k for k, _ in kv]) for s, kv in unit_sections(timer)]
    calendars = timer_keys[1][1].count("OnCalendar")
    assert calendars in (1, 2)
    assert timer_keys == [
        ("Unit", ["Description"]),
        ("Timer", ["OnCalendar"] * calendars + ["Persistent", "AccuracySec"]),
        ("Install", ["WantedBy"]),
    ]
    service_name, timer_name = unit_names(spec.job_id)
    assert backend.render(spec) == f"# {service_name}\n{service}\n# {timer_name}\n{timer}"
    # Installed, the units read back in sync: no drift that sync would "repair" at every run.
    with tempfile.TemporaryDirectory() as tmp, mock.patch("os.fsync"):  # fsync: speed only
        units = Path(tmp)
        systemctl = _Systemctl(units)
        installer = SystemdBackend(systemctl.runner, unit_dir=units, system_unit_dir=units)
        installer.linger_dir = units
        installer.install(spec)
        assert job_state(installer, spec, installer.inspect(spec.job_id, run_as)) == "in-sync"


def test_systemd_refuses_noncharacters_it_would_drop_the_whole_execstart_for() -> None:
    """Regression: systemd 252 answers "String is not UTF-8 clean, ignoring assignment" for
    U+FFFE, U+FDD0…, so the service had no ExecStart= and never ran (systemd-analyze verify)."""
    for bad in ("/srv/\ufffe", "/srv/\ufdd0x", "/srv/\U0001ffff"):
        spec = JobSpec("corp", cron.parse("0 3 * * *"), ("/usr/bin/python3", "--home", bad))
        with pytest.raises(InvalidInput, match="noncharacter") as info:
            SystemdBackend().render(spec)
        assert repr(bad) in info.value.message


# --- jobs: a home whose name is not UTF-8 ---------------------------------------------------------


@pytest.mark.parametrize("backend", [CrontabBackend(), LaunchdBackend(), SystemdBackend()])
def test_a_home_that_is_not_utf8_is_refused_clearly_by_every_backend(backend: Any) -> None:
    """Regression: jobs.job_id hashed the home as strict UTF-8 and a home such as b"/srv/\\xff"
    (a surrogate once decoded) crashed `schedule set` with UnicodeEncodeError; and the crontab
    block rendered, only for the write to crash."""
    home = Path(b"/srv/h\xff".decode("utf-8", "surrogateescape"))
    inst = Instance(name="corp", appdata=Path("/data"), schedule="0 3 * * *")
    spec = jobs.spec_for(Paths(Path("/cfg"), Path("/state"), home=home), inst)
    assert spec is not None and spec.job_id.startswith("corp@")
    with pytest.raises(InvalidInput, match="UTF-8") as info:
        backend.render(spec)
    assert repr(str(home)) in info.value.message


# --- schedule expressions -------------------------------------------------------------------------

_FIELD_TOKENS = [
    "*", "*/5", "*/0", "0", "7", "59", "60", "24", "31", "32", "1-5", "5-1", "0-59/7", "1,15",
    "mon", "MON", "sunday", "jan", "JUL", "jan-dec", "mon-fri", "fri-mon", "?", "L", "5L", "15W",
    "1#2", "H", "H/5", "-", ",", "/", "1,,2", "01", "007", "99999999999999999999", "%", "$", ";",
    "'", "\\", "\u0661", "\u00b2", "\uff11", "\u212a",
]  # fmt: skip
_PRESETS = [
    "@daily", "@hourly", "@reboot", "@every", "@yearly\n* * * * * evil", "hourly", "daily 02:30",
    "daily 2:3", "daily 24:00", "weekly mon,fri 09:00", "weekly xyz 1:00", "monthly 31 23:59",
    "monthly 0 1:00", "every 5m", "every 7m", "every 6h", "every 0h", "every 5m; rm -rf /",
    "0 3 * * * /bin/evil", "0 3 * * *\n* * * * * /bin/evil", "0 3 * * * %", "", "  ", "\x00",
    "0 0 31 2 *", "0 0 30 2 1",
]  # fmt: skip
FIELD_TOKENS = st.sampled_from(_FIELD_TOKENS)
BLANKS = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\u2028", "\x85", "\u3000", "\x0b"])
EXPRESSION = st.one_of(
    st.builds(
        lambda fields, blanks: "".join(f + b for f, b in zip(fields, blanks, strict=False)),
        st.lists(
            st.one_of(FIELD_TOKENS, st.lists(FIELD_TOKENS, max_size=3).map(",".join)),
            min_size=4,
            max_size=7,
        ),
        st.lists(BLANKS, min_size=7, max_size=7),
    ),
    st.sampled_from(_PRESETS),
    st.sampled_from(CORPUS),
    st.text(max_size=30),
)
CANONICAL = re.compile(r"[0-9*,/-]+( [0-9*,/-]+){4}")


@settings(HEAVY, max_examples=1500)
@given(text=EXPRESSION)
def test_a_schedule_expression_is_canonical_or_refused_and_never_reaches_an_artifact_raw(
    text: str,
) -> None:
    try:
        expr = cron.resolve(text, allow_frequent=True)
    except InvalidInput as exc:
        assert exc.message
        return
    # Whatever was typed, only digits and * , / - in five fields reach an artifact.
    assert CANONICAL.fullmatch(expr.text), expr.text
    assert cron.parse(expr.text) == expr  # a fixed point: what the config stores reads the same
    spec = JobSpec("corp", expr, ("/usr/bin/python3", "-m", "bwdc_tray", "run", "corp"))
    launchd = LaunchdBackend(over_approximate=True)
    for backend in (CrontabBackend(), launchd, SystemdBackend(), TaskSchedulerBackend()):
        try:
            artifact = backend.render(spec)
        except InvalidInput as exc:
            # Only the schedule can be the problem here, and the message says which.
            assert backend.name != "cron" and repr(expr.text) in exc.message, exc.message
            continue
        if backend.name == "cron":
            assert artifact.count("\n") == 3
            assert artifact.split("\n")[1].split(" ", 5)[:5] == expr.text.split()
        elif backend.name == "systemd":
            sections = unit_sections(backend.timer_text(spec))
            timer = dict(sections)["Timer"]
            assert all(
                re.fullmatch(r"[A-Za-z0-9*:.,/ -]+", v) for k, v in timer if k == "OnCalendar"
            )
        elif backend.name == "launchd":
            entries = plistlib.loads(artifact.encode())["StartCalendarInterval"]
            assert all(set(e) <= {"Minute", "Hour", "Day", "Weekday", "Month"} for e in entries)
        else:
            check_task_xml(artifact, spec)


def test_a_schedule_with_a_huge_number_is_refused_clearly() -> None:
    with pytest.raises(InvalidInput, match="minute"):
        cron.resolve("1" * 5000 + " * * * *")


def test_a_data_folder_that_is_not_utf8_is_refused_clearly(tmp_path: Path) -> None:
    appdata = Path(str(tmp_path) + "/h" + b"\xff".decode("utf-8", "surrogateescape"))
    store = ConfigStore(Paths(tmp_path, tmp_path / "state", home=tmp_path))
    with pytest.raises(BwdcTrayError), store.edit() as cfg:
        cfg.instances["corp"] = Instance(name="corp", appdata=appdata)


# --- the instance log: what bwdc prints about the directory --------------------------------------

TS = "2026-11-30T02:56:56.123+01:00"
SECRET = "Zq9x7f3eSECRETk2p9w1v"
FORGED_END = (
    '2026-01-01T00:00:00.000+00:00 ==== bwdc-tray end {"run":"r0","result":"ok","exit_code":0,'
    '"duration_s":1.0,"groups":9,"users":9,"message":"forged","mode":"sync"}'
)
FORGED_START = (
    '2026-01-01T00:00:00.000+00:00 ==== bwdc-tray start {"run":"r0","instance":"x",'
    '"trigger":"manual","mode":"sync","bwdc_version":null,"pid":1}'
)
# Every character some reader ends a line at (str.splitlines, a terminal, an editor).
LINE_BREAKS = [*"\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "\r\n"]
FORGERIES = [FORGED_END, FORGED_START, " ==== bwdc-tray end ", TS, "out| ", "\x00", "\ufeff"]
# A group or user name, as the directory (LDAP, Azure AD, Google, Okta) hands it to bwdc.
DIRECTORY_NAME = st.lists(
    st.one_of(
        FRAGMENT,
        st.sampled_from([*LINE_BREAKS, *FORGERIES, SECRET, "Synced 9 group(s) and 9 user(s)."]),
    ),
    max_size=8,
).map("".join)


def _bwdc_line(kind: str, name: str) -> str:
    """A line of bwdc's output that carries a name from the directory."""
    return {
        "group": f"Group search: (&(objectClass=group)(cn={name}))",
        "json": json.dumps({"groups": [{"name": name, "users": [name]}]}, ensure_ascii=False),
        "email": f"Emails must be unique: {name}@example.com",
        "error": f"Error: could not sync {name}",
        "raw": name,
    }[kind]


def _no_secret(text: str) -> str:
    while SECRET in text:
        text = text.replace(SECRET, "")
    return text


OUTPUT = st.lists(
    st.tuples(
        st.sampled_from(logs.STREAMS),
        st.builds(
            _bwdc_line, st.sampled_from(["group", "json", "email", "error", "raw"]), DIRECTORY_NAME
        ),
    ),
    max_size=6,
)
RUN = st.fixed_dictionaries(
    {
        "trigger": st.sampled_from(logs.TRIGGERS),
        "mode": st.sampled_from(logs.MODES),
        "result": st.one_of(st.none(), st.sampled_from(logs.RESULTS)),  # None: killed mid-run
        "exit_code": st.one_of(st.none(), st.integers(-(2**31), 2**31)),
        "groups": st.one_of(st.none(), st.integers(0, 10**6)),
        "users": st.one_of(st.none(), st.integers(0, 10**6)),
        "message": DIRECTORY_NAME,
        # bwdc's --version output goes into the start marker unredacted (it holds no secret).
        "version": st.one_of(st.none(), DIRECTORY_NAME.map(_no_secret)),
        "output": OUTPUT,
        "long": st.booleans(),
    }
)
# What Bitwarden's recipe (`bwdc sync >> bwdc.log 2>&1`) left in the file before bwdc-tray: raw
# text, whole lines. A raw line that *is* a marker is the recipe's own doing, not ours to stop;
# so is one after a byte-order mark, which the reader drops from a file's first line (PowerShell
# writes one).
FOREIGN = st.lists(
    st.builds(
        _bwdc_line,
        st.sampled_from(["group", "email", "error", "raw"]),
        DIRECTORY_NAME.map(_no_secret),
    ),
    max_size=4,
).map(
    lambda lines: "".join(
        f"{part}\n"
        for line in lines
        for part in line.split("\n")
        if logs._parse_marker(part.removesuffix("\r").lstrip("\ufeff")) is None
    )
)


def _write_runs(path: Path, runs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any], int]]:
    """Each run through its own runner.RunLog, as `bwdc-tray run` writes it; returns the run ids
    and how many log lines each one wrote."""
    written = []
    for i, run in enumerate(runs):
        run_id = f"20261130T0256{i:02d}-abc{i:03d}"
        log = runner.RunLog(path, [SECRET])
        log.start(
            run_id=run_id,
            instance="corp",
            trigger=run["trigger"],
            mode=run["mode"],
            bwdc_version=run["version"],
            pid=4242 + i,
        )
        lines = 1
        output = list(run["output"])
        if run["long"]:
            output.append(("out", "{" + "x" * (logs.MAX_LINE_CHARS + 10) + FORGED_END))
        for stream, text in output:
            log.line(stream, text)
            lines += log.redact(text).removesuffix("\n").count("\n") + 1
        if run["result"] is not None:
            log.end(
                run_id=run_id,
                result=run["result"],
                exit_code=run["exit_code"],
                duration_s=1.5,
                groups=run["groups"],
                users=run["users"],
                message=run["message"],
                mode=run["mode"],
            )
            lines += 1
        log.close()
        written.append((run_id, run, lines))
    return written


@settings(HEAVY, max_examples=600)
@given(runs=st.lists(RUN, min_size=1, max_size=4), foreign=FOREIGN)
def test_nothing_bwdc_prints_can_forge_a_run_or_change_its_result_or_counts(
    runs: list[dict[str, Any]], foreign: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp, mock.patch("os.fsync"):  # fsync: speed only
        path = Path(tmp) / "bwdc.log"
        path.write_text(foreign, encoding="utf-8", errors="surrogatepass")
        written = _write_runs(path, runs)
        data = path.read_bytes()
        found = logs.read_runs(path, len(runs))
        everything = logs.read_runs(path, 1000)
        syncs = logs.read_runs(path, 1000, include_tests=False)
        last = logs.last_sync_run(path)
    assert SECRET.encode() not in data
    # Exactly the runs that were written, newest last, after whatever the recipe left.
    assert len(found) == len(runs)
    assert everything[-len(runs) :] == found
    assert all(run.source == "foreign" for run in everything[: -len(runs)])
    for i, (run, (run_id, meant, lines)) in enumerate(zip(found, written, strict=True)):
        ended = meant["result"] is not None
        assert run.source == "runner"
        assert run.run_id == run_id
        assert run.result == meant["result"]
        assert run.trigger == meant["trigger"] and run.mode == meant["mode"]
        assert run.bwdc_version == meant["version"]
        assert run.pid == 4242 + i
        # The counts are the runner's, whatever "Synced N group(s)" the output holds.
        assert (run.groups, run.users, run.exit_code) == (
            (meant["groups"], meant["users"], meant["exit_code"]) if ended else (None, None, None)
        )
        assert run.message == (meant["message"].replace(SECRET, "[redacted]") if ended else "")
        assert (run.finished is not None) == ended
        assert len(run.lines) == lines
        # One line for every reader (str.splitlines, a terminal): no line break got through.
        assert all(line.splitlines() == [line] for line in run.lines)
    assert all(line.splitlines() == [line] for line in logs.iter_lines(found))
    assert [r.run_id for r in syncs if r.source == "runner"] == [
        run_id for run_id, meant, _ in written if meant["mode"] == "sync"
    ]
    assert last == (syncs[-1] if syncs else None)

"""Reading a hand-made bwdc job: which bwdc it runs, on which data folder, logging where.

Text only: nothing here runs a command, and a secret's value is never read or repeated (a
script that reads one is reported as reading it, from where). Three dialects: ``sh`` (cron,
launchd, sh/bash scripts), ``cmd`` (.bat/.cmd and Task Scheduler command lines) and ``ps``
(PowerShell). What cannot be known for sure is said in notes rather than guessed.
"""

from __future__ import annotations

import ntpath
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
_SCRIPT_EXT = (".sh", ".bash", ".ps1", ".bat", ".cmd", ".command", ".zsh", ".ksh")
_SHELLS = ("sh", "bash", "dash", "zsh", "ksh", "ash", "busybox")
_INFO_FLAGS = ("--version", "-v", "-V", "--help", "-h")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DIRNAME_OF_SCRIPT = re.compile(r"dirname[^)]*(\$0|\$\{0\}|BASH_SOURCE)")
_READS_FILE = re.compile(r"^\s*(?:cat\s+(?:--\s+)?|<\s*)(\S+)\s*$")


def bwdc_name(word: str) -> bool:
    """Whether a program path names a bwdc binary: bwdc, bwdc.exe, bwdc-<something>, by any
    path (not bwdc-tray, and not a script such as bwdc-sync.sh)."""
    base = re.split(r"[\\/]", word.strip())[-1]
    if base.lower().endswith(_SCRIPT_EXT):
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


# --- results ------------------------------------------------------------------------------------


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


# --- lexing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tok:
    kind: Literal["word", "op", "nl"]
    text: str
    line: int


_SH_OPS = ("&>>", "&>", ">>", ">&", ">|", "<<-", "<<", "<>", "<&", "<", ">", "&&", "||", "|&",
           ";;", ";", "&", "|", "(", ")")  # fmt: skip
_CMD_OPS = (">>", ">&", "<&", "<", ">", "&&", "||", "&", "|", "(", ")")
_PS_OPS = ("*>>", "*>", ">>", ">&", ">", "&&", "||", "|", ";", "{", "}")


def _closing(text: str, i: int, open_ch: str, close_ch: str) -> int:
    """Index after the ``close_ch`` matching the ``open_ch`` at ``i`` (quotes respected)."""
    depth, j, n = 0, i, len(text)
    while j < n:
        ch = text[j]
        if ch == "\\" and j + 1 < n:
            j += 2
            continue
        if ch == "'" and open_ch == "(":
            end = text.find("'", j + 1)
            j = n if end < 0 else end + 1
            continue
        if ch == '"':
            k = j + 1
            while k < n and text[k] != '"':
                k += 2 if text[k] in "\\`" else 1
            j = k + 1
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def lex(text: str, dialect: Dialect) -> list[Tok]:
    ops = {"sh": _SH_OPS, "cmd": _CMD_OPS, "ps": _PS_OPS}[dialect]
    if dialect == "sh":
        text = text.replace("\\\r\n", "").replace("\\\n", "")
    elif dialect == "ps":
        text = re.sub(r"<#.*?#>", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
        text = text.replace("`\r\n", " ").replace("`\n", " ")
    text = text.replace("\r\n", "\n")
    out: list[Tok] = []
    line, i, n = 1, 0, len(text)
    word: list[str] = []
    heredocs: list[str] = []

    def flush() -> None:
        if word:
            out.append(Tok("word", "".join(word), line))
            word.clear()

    at_line_start = True
    while i < n:
        ch = text[i]
        if dialect == "cmd" and at_line_start:
            stripped = text[i:].lstrip(" \t@")
            low = stripped[:4].lower()
            if stripped.startswith("::") or low == "rem" or low.startswith("rem "):
                end = text.find("\n", i)
                i = n if end < 0 else end
                continue
        at_line_start = False
        if ch == "\n":
            flush()
            out.append(Tok("nl", "\n", line))
            line += 1
            i += 1
            at_line_start = True
            while heredocs:  # skip a here-document's body
                delim = heredocs.pop(0)
                while i < n:
                    end = text.find("\n", i)
                    body_line = text[i : n if end < 0 else end]
                    i = n if end < 0 else end + 1
                    line += 1
                    if body_line.strip() == delim:
                        break
            continue
        if ch in " \t":
            flush()
            i += 1
            continue
        if ch == "#" and not word and dialect in ("sh", "ps"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if dialect == "sh" and ch == "\\" and i + 1 < n:
            word.append(text[i : i + 2])
            i += 2
            continue
        if dialect == "cmd" and ch == "^" and i + 1 < n:
            word.append(text[i + 1])
            i += 2
            continue
        if dialect == "ps" and ch == "`" and i + 1 < n:
            word.append(text[i : i + 2])
            i += 2
            continue
        if ch == "'" and dialect in ("sh", "ps"):
            end = text.find("'", i + 1)
            if dialect == "ps":
                while 0 <= end < n - 1 and text[end + 1] == "'":
                    end = text.find("'", end + 2)
            end = n if end < 0 else end + 1
            line += text.count("\n", i, end)
            word.append(text[i:end])
            i = end
            continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if dialect != "cmd" and text[j] in ("\\" if dialect == "sh" else "`"):
                    j += 2
                    continue
                if dialect != "cmd" and text.startswith("$(", j):
                    j = _closing(text, j + 1, "(", ")")
                    continue
                j += 1
            end = min(j + 1, n)
            line += text.count("\n", i, end)
            word.append(text[i:end])
            i = end
            continue
        if dialect in ("sh", "ps") and text.startswith("$(", i):
            end = _closing(text, i + 1, "(", ")")
            word.append(text[i:end])
            i = end
            continue
        if dialect == "sh" and text.startswith("${", i):
            end = _closing(text, i + 1, "{", "}")
            word.append(text[i:end])
            i = end
            continue
        if dialect == "ps" and ch == "(":  # (Join-Path …), if ($x): one word
            end = _closing(text, i, "(", ")")
            word.append(text[i:end])
            i = end
            continue
        if dialect == "sh" and ch == "`":
            end = text.find("`", i + 1)
            end = n if end < 0 else end + 1
            word.append(text[i:end])
            i = end
            continue
        op = next((o for o in ops if text.startswith(o, i)), None)
        if dialect == "ps" and op in ("{", "}") and word:
            op = None  # ${env:X} and the like stay in the word
        if op is not None:
            fd = ""
            if word and "".join(word).isdigit() and op[0] in "<>":
                fd = "".join(word)
                word.clear()
            flush()
            out.append(Tok("op", fd + op, line))
            i += len(op)
            if op in ("<<", "<<-"):
                m = re.match(r"\s*(['\"]?)([\w.-]+)\1", text[i:])
                if m:
                    heredocs.append(m.group(2))
            continue
        word.append(ch)
        i += 1
    flush()
    return out


# --- commands -----------------------------------------------------------------------------------


@dataclass
class Cmd:
    words: list[str]  # raw words (quotes kept): expanded when the command is reached
    redirs: list[tuple[str, str]]  # (operator, raw target)
    line: int
    pipe_next: Cmd | None = None  # the next command of its pipeline
    piped: bool = False  # it reads another command's output


_REDIR = re.compile(r"^(\d*|\*|&)(>>|>|>\||>&|<|<&|<>)$")
_SEPARATORS = (";", "&&", "||", "&", ";;", "\n", "{", "}", "(", ")")


def split_commands(toks: Sequence[Tok]) -> list[Cmd]:
    cmds: list[Cmd] = []
    cur = Cmd([], [], toks[0].line if toks else 1)

    def end(piped: bool) -> None:
        nonlocal cur
        if cur.words or cur.redirs:
            cmds.append(cur)
        nxt = Cmd([], [], cur.line)
        if piped and (cur.words or cur.redirs):
            cur.pipe_next = nxt
            nxt.piped = True
        cur = nxt

    i = 0
    while i < len(toks):
        tok = toks[i]
        if not cur.words and not cur.redirs:
            cur.line = tok.line
        if tok.kind == "word" and tok.text in ("{", "}") and not cur.words and not cur.redirs:
            end(False)
            if tok.text == "{":
                cmds.append(Cmd(["{"], [], tok.line))
            else:
                cur.words.append("}")
                cur.line = tok.line
        elif tok.kind == "word":
            cur.words.append(tok.text)
        elif tok.kind == "nl" or tok.text in _SEPARATORS:
            end(False)
            if tok.text in ("{", "}") and tok.kind == "op":
                cmds.append(Cmd([tok.text], [], tok.line))
        elif tok.text in ("|", "|&"):
            end(True)
        elif _REDIR.match(tok.text) or tok.text in ("&>", "&>>", "*>", "*>>"):
            target = ""
            if i + 1 < len(toks) and toks[i + 1].kind == "word":
                target = toks[i + 1].text
                i += 1
            cur.redirs.append((tok.text, target))
        i += 1
    end(False)
    return cmds


# --- expansion ----------------------------------------------------------------------------------


@dataclass
class Value:
    text: str
    known: bool = True
    source: str | None = None  # where a value read at run time comes from: "file X"


UNKNOWN = "\x00?"


@dataclass
class State:
    ctx: Context
    dialect: Dialect
    script: str | None  # the script's path, None on a job's command line
    vars: dict[str, Value]
    exported: set[str]
    cwd: str | None
    out: str | None  # where output goes by default (exec >> log, Start-Transcript, the job's)
    allexport: bool = False
    positional: list[str] = field(default_factory=list)
    functions: dict[str, list[Cmd]] = field(default_factory=dict)
    depth: int = 0

    def get(self, name: str) -> Value | None:
        if self.dialect != "sh":
            for key, val in self.vars.items():
                if key.lower() == name.lower():
                    return val
            for key, text in self.ctx.env.items():
                if key.lower() == name.lower():
                    return Value(text)
            return _windows_default(name, self.ctx)
        if name in self.vars:
            return self.vars[name]
        if name in self.ctx.env:
            return Value(self.ctx.env[name])
        if name == "HOME" and self.ctx.home:
            return Value(self.ctx.home)
        if name in ("USER", "LOGNAME") and self.ctx.user:
            return Value(self.ctx.user)
        return None

    def script_dir(self) -> str | None:
        if self.script is None:
            return None
        return self.ctx.pathmod.dirname(self.script)


def _windows_default(name: str, ctx: Context) -> Value | None:
    low = name.lower()
    home = ctx.home
    fixed = {
        "programfiles": "C:\\Program Files",
        "programfiles(x86)": "C:\\Program Files (x86)",
        "programdata": "C:\\ProgramData",
        "systemroot": "C:\\Windows",
        "windir": "C:\\Windows",
        "systemdrive": "C:",
    }
    if low in fixed:
        return Value(fixed[low])
    if home is None:
        return None
    per_user = {
        "userprofile": home,
        "home": home,
        "appdata": ntpath.join(home, "AppData", "Roaming"),
        "localappdata": ntpath.join(home, "AppData", "Local"),
    }
    return Value(per_user[low]) if low in per_user else None


def _subst_sh(inner: str, st: State, reads: list[str]) -> str:
    """The value of ``$(inner)`` where it is knowable without running anything."""
    if _DIRNAME_OF_SCRIPT.search(inner):
        sd = st.script_dir()
        if sd is not None:
            return sd
    if inner.strip() == "pwd" and st.cwd is not None:
        return st.cwd
    m = _READS_FILE.match(inner)
    if m:
        reads.append(expand(m.group(1), st).text)
    return UNKNOWN


def _expand_sh(raw: str, st: State, reads: list[str]) -> str:
    out: list[str] = []
    i, n = 0, len(raw)
    m = re.match(r"^(?:[A-Za-z_]\w*=)?~(?=/|$)", raw)
    if m:  # ~ at the start of a word, or of an assignment's value
        out.append(m.group(0)[:-1] + (st.ctx.home if st.ctx.home else UNKNOWN))
        i = len(m.group(0))
    quote: str | None = None
    while i < n:
        ch = raw[i]
        if quote is None and ch == "'":
            end = raw.find("'", i + 1)
            end = n if end < 0 else end
            out.append(raw[i + 1 : end])
            i = end + 1
            continue
        if ch == '"':
            quote = None if quote else '"'
            i += 1
            continue
        if ch == "\\" and i + 1 < n:
            out.append(raw[i + 1])
            i += 2
            continue
        if ch == "`":
            end = raw.find("`", i + 1)
            end = n if end < 0 else end
            out.append(_subst_sh(raw[i + 1 : end], st, reads))
            i = end + 1
            continue
        if ch == "$" and i + 1 < n:
            nxt = raw[i + 1]
            if nxt == "(":
                end = _closing(raw, i + 1, "(", ")")
                out.append(_subst_sh(raw[i + 2 : end - 1], st, reads))
                i = end
                continue
            if nxt == "{":
                end = _closing(raw, i + 1, "{", "}")
                body = raw[i + 2 : end - 1]
                m = re.match(r"^([A-Za-z_]\w*|\d+)(?::?[-=](.*))?$", body, re.S)
                if m:
                    val = _lookup_sh(m.group(1), st)
                    if val is None and m.group(2) is not None:
                        out.append(_expand_sh(m.group(2), st, reads))
                    else:
                        out.append(val if val is not None else UNKNOWN)
                else:
                    out.append(UNKNOWN)
                i = end
                continue
            m = re.match(r"[A-Za-z_]\w*|\d|[@*#?$!]", raw[i + 1 :])
            if m:
                val = _lookup_sh(m.group(0), st)
                out.append(val if val is not None else UNKNOWN)
                i += 1 + len(m.group(0))
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _lookup_sh(name: str, st: State) -> str | None:
    if name.isdigit():
        if name == "0":
            return st.script
        k = int(name) - 1
        return st.positional[k] if k < len(st.positional) else None
    val = st.get(name)
    if val is None or not val.known:
        return None
    return val.text


def _expand_cmd(raw: str, st: State) -> str:
    text = raw.replace('"', "")

    def var(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("~"):
            sd = st.script_dir()
            if name[1:].lower() in ("dp0", "pd0") and sd is not None:
                return sd.rstrip("\\") + "\\"
            return UNKNOWN
        val = st.get(name)
        return val.text if val is not None and val.known else UNKNOWN

    return re.sub(r"%(~[a-z]*\d|[^%\s]+)%?", lambda m: var(m) if m.group(0) else "", text)


def _expand_ps(raw: str, st: State, reads: list[str]) -> str:
    if len(raw) >= 2 and raw[0] == "'" and raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    if raw.startswith("(") and raw.endswith(")"):
        inner = raw[1:-1].strip()
        m = re.match(r"(?i)^join-path\s+(\S+)\s+(?:-childpath\s+)?(\S+)$", inner)
        if m:
            a, b = expand(m.group(1), st).text, expand(m.group(2), st).text
            return ntpath.join(a, b)
        m = re.match(r"(?i)^get-content\s+(?:-(?:literal)?path\s+)?(\S+)", inner)
        if m:
            reads.append(expand(m.group(1), st).text)
        return UNKNOWN
    text = raw[1:-1] if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"' else raw

    def var(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        if name.lower() == "psscriptroot":
            sd = st.script_dir()
            return sd if sd is not None else UNKNOWN
        if name.lower() == "home" and st.ctx.home:
            return st.ctx.home
        key = name[4:] if name.lower().startswith("env:") else "$" + name
        val = st.get(key)
        if val is None and key.startswith("$"):
            return UNKNOWN
        return val.text if val is not None and val.known else UNKNOWN

    text = re.sub(r"\$\(.*?\)", UNKNOWN, text)
    text = re.sub(r"\$\{([^}]+)\}|\$((?:env:)?[A-Za-z_][\w]*)", var, text)
    return re.sub(r"`(.)", r"\1", text)


@dataclass(frozen=True)
class Expanded:
    text: str  # with UNKNOWN where a part cannot be known
    reads: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return UNKNOWN not in self.text

    @property
    def shown(self) -> str:
        return self.text.replace(UNKNOWN, "…")


def expand(raw: str, st: State) -> Expanded:
    reads: list[str] = []
    if st.dialect == "sh":
        text = _expand_sh(raw, st, reads)
    elif st.dialect == "cmd":
        text = _expand_cmd(raw, st)
    else:
        text = _expand_ps(raw, st, reads)
    return Expanded(text, tuple(reads))


# --- the walk -----------------------------------------------------------------------------------


_WRAPPERS_SIMPLE = ("exec", "command", "nohup", "time", "setsid", "chronic", "builtin", "&", ".",
                    "call", "caffeinate")  # fmt: skip
_PS_VALUE_OPTIONS = ("-executionpolicy", "-windowstyle", "-ep", "-encodedcommand", "-ec",
                     "-version", "-configurationname", "-inputformat", "-outputformat")  # fmt: skip
_KEYWORDS = ("if", "then", "else", "elif", "while", "until", "do", "!", "{", "}", "fi", "done",
             "esac", "time")  # fmt: skip


class Walker:
    def __init__(self) -> None:
        self.calls: list[BwdcCall] = []
        self.notes: list[str] = []
        self.scripts: list[str] = []
        self.suspect = False

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # --- paths ----------------------------------------------------------------------------------

    def absolute(self, path: str, st: State, what: str) -> tuple[str | None, str | None]:
        """``path`` made absolute against the working folder, with a note when it cannot be."""
        pm = st.ctx.pathmod
        if not path:
            return None, None
        if pm.isabs(path) or (st.ctx.os_name == "win32" and re.match(r"^[A-Za-z]:", path)):
            return pm.normpath(path), None
        if st.cwd is not None:
            return pm.normpath(pm.join(st.cwd, path)), None
        sd = st.script_dir()
        if sd is not None:
            return pm.normpath(pm.join(sd, path)), (
                f"the {what} {path!r} is relative and the job's working folder is unknown: "
                f"taken as relative to the script's folder {sd}"
            )
        return None, f"the {what} {path!r} is relative and the job's working folder is unknown"

    # --- entry points ---------------------------------------------------------------------------

    def run_text(self, text: str, st: State) -> None:
        self.walk(split_commands(lex(text, st.dialect)), st)

    def walk(self, cmds: list[Cmd], st: State) -> None:
        i = 0
        while i < len(cmds):
            cmd = cmds[i]
            words = list(cmd.words)
            while words and words[0] in _KEYWORDS and st.dialect == "sh":
                words.pop(0)
            if st.dialect == "sh" and len(words) >= 1 and _is_funcdef(cmds, i):
                name = words[-1] if words[0] != "function" else words[1]
                body, i, _close = _block(cmds, i + 1)
                st.functions[name.rstrip("()")] = body
                continue
            if st.dialect == "sh" and words[:1] == ["for"] and len(words) >= 2:
                i = self._for(cmds, i, words, st)
                continue
            if cmd.words[:1] == ["{"] and st.dialect == "sh":
                body, i, close = _block(cmds, i)
                inner = st
                target = self._redirect_target(close.redirs, st) if close else None
                if target is not None:
                    inner = replace(st, out=target)
                self.walk(body, inner)
                st.cwd = inner.cwd
                continue
            if not words:
                i += 1
                continue
            self.command(Cmd(words, cmd.redirs, cmd.line, cmd.pipe_next, cmd.piped), st)
            i += 1

    def _for(self, cmds: list[Cmd], i: int, words: list[str], st: State) -> int:
        var = words[1]
        items = words[3:] if len(words) > 3 and words[2] == "in" else ['"$@"']
        # the body runs from the `do` command to the matching `done`
        j, depth, start = i + 1, 0, None
        while j < len(cmds):
            first = cmds[j].words[:1]
            if first == ["do"]:
                depth += 1
                if start is None:
                    start = j
            elif first == ["done"]:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if start is None:
            return i + 1
        body = [Cmd(c.words[1:] if k == 0 else c.words, c.redirs, c.line, c.pipe_next, c.piped)
                for k, c in enumerate(cmds[start:j])]  # fmt: skip
        done = cmds[j] if j < len(cmds) else None
        inner = st
        if done is not None and done.redirs:
            log = self._redirect_target(done.redirs, st)
            if log is not None:
                inner = replace(st, out=log)
        values = [expand(w, st) for w in items]
        literal = all(v.known and not re.search(r"[*?\[]", v.text) for v in values)
        if literal and values:
            for v in values:
                inner.vars[var] = Value(v.text)
                self.walk(body, inner)
        else:
            shown = " ".join(v.shown for v in values)
            inner.vars[var] = Value(UNKNOWN, known=False)
            before = len(self.calls)
            self.walk(body, inner)
            for k in range(before, len(self.calls)):
                call = self.calls[k]
                self.calls[k] = replace(
                    call,
                    notes=(
                        *call.notes,
                        f"runs in a loop over {shown}: one call per item, which bwdc-tray "
                        "cannot list without running the script; adopt each folder by hand",
                    ),
                )
        return j + 1

    def _redirect_target(self, redirs: list[tuple[str, str]], st: State) -> str | None:
        for op, raw in redirs:
            if op.lstrip("1") in (">", ">>", "&>", "&>>", "*>", "*>>", ">|"):
                target = expand(raw, st)
                if not target.known:
                    self.note(f"output goes to {target.shown}, which could not be determined")
                    return None
                path, note = self.absolute(target.text, st, "log file")
                if note:
                    self.note(note)
                return path
        return None

    # --- one command ----------------------------------------------------------------------------

    def command(self, cmd: Cmd, st: State) -> None:
        if st.dialect == "ps" and self._ps_assignment(cmd, st):
            return
        words = cmd.words
        prefix: dict[str, Value] = {}
        k = 0
        if st.dialect == "sh":
            while k < len(words) and _assignment(words[k]):
                name, raw = words[k].split("=", 1)
                prefix[name] = self._value(name, raw, st)
                k += 1
            if k == len(words):  # assignments only
                for name, val in prefix.items():
                    st.vars[name] = val
                    if st.allexport:
                        st.exported.add(name)
                return
        rest = words[k:]
        if not rest:
            return
        first = expand(rest[0], st).text
        low = first.lower()
        # Builtins that change the state.
        if st.dialect == "sh":
            if low in ("export", "declare", "typeset", "local", "readonly"):
                self._export(rest[1:], st, export=low == "export" or "-x" in rest[1:])
                return
            if low == "set" and any(w in ("-a", "-o allexport") for w in rest[1:]):
                st.allexport = True
                return
            if low == "exec" and len(rest) == 1:
                if cmd.redirs:
                    st.out = self._redirect_target(cmd.redirs, st) or st.out
                return
            if low in (".", "source") and len(rest) > 1:
                self.note(
                    f"reads settings from {expand(rest[1], st).shown} at run time "
                    "(bwdc-tray does not read that file: variables set there are unknown here)"
                )
                return
            if low == "read" and cmd.redirs:
                names = [w for w in rest[1:] if not w.startswith("-")]
                for op, raw in cmd.redirs:
                    if op == "<" and names:
                        self._reads(names[-1], expand(raw, st).shown)
                        st.vars[names[-1]] = Value(UNKNOWN, known=False)
                return
        if low in ("cd", "pushd", "set-location", "push-location", "sl", "chdir"):
            self._cd(rest[1:], st)
            return
        if st.dialect == "cmd" and low == "set":
            self._cmd_set(rest[1:], cmd, st)
            return
        if st.dialect == "ps" and low == "start-transcript":
            path = _ps_option(rest[1:], ("-path", "-literalpath", "-outputdirectory"), st)
            if path:
                st.out = self.absolute(path, st, "log file")[0]
            return
        if st.dialect in ("sh", "cmd") and low in st.functions:
            self._call_function(low, rest[1:], cmd, st)
            return
        self._program(rest, prefix, cmd, st)

    def _value(self, name: str, raw: str, st: State) -> Value:
        exp = expand(raw, st)
        for path in exp.reads:
            self._reads(name, path)
        if name in SECRET_VARS and not exp.reads and exp.known and exp.text:
            self.note(f"sets {name} in the script itself, in clear: move it to bwdc-tray's keyring")
        return Value(exp.text, exp.known)

    def _reads(self, name: str, path: str) -> None:
        if name in SECRET_VARS or "secret" in name.lower() or "pass" in name.lower():
            self.note(f"reads {name} from {path}")

    def _export(self, words: list[str], st: State, export: bool) -> None:
        for w in words:
            if w.startswith("-"):
                continue
            if _assignment(w):
                name, raw = w.split("=", 1)
                st.vars[name] = self._value(name, raw, st)
            else:
                name = w
            if export and _NAME.match(name):
                st.exported.add(name)

    def _cd(self, args: list[str], st: State) -> None:
        args = [a for a in args if not (a.startswith("-") or a.lower() == "/d")]
        if not args:
            st.cwd = st.ctx.home
            return
        target = expand(args[0], st)
        if not target.known:
            st.cwd = None
            self.note(f"changes to the folder {target.shown}, which could not be determined")
            return
        st.cwd = self.absolute(target.text, st, "folder")[0]

    def _cmd_set(self, args: list[str], cmd: Cmd, st: State) -> None:
        text = " ".join(args).strip()
        prompt = text.lower().startswith("/p ")
        if text.lower().startswith(("/a ", "/p ")):
            text = text[3:].strip()
        if text.startswith('"') and text.endswith('"'):
            text = text[1:-1]
        if "=" not in text:
            return
        name, raw = text.split("=", 1)
        if prompt:
            for op, target in cmd.redirs:
                if op == "<":
                    self._reads(name, expand(target, st).shown)
            st.vars[name] = Value(UNKNOWN, known=False)
            return
        st.vars[name] = self._value(name, raw, st)
        st.exported.add(name)

    def _ps_assignment(self, cmd: Cmd, st: State) -> bool:
        text = " ".join(cmd.words)
        m = re.match(r"^\$(env:)?([A-Za-z_][\w]*)\s*=\s*(.*)$", text, re.I | re.S)
        if not m:
            m2 = re.match(r"^\$\{env:([^}]+)\}\s*=\s*(.*)$", text, re.I | re.S)
            if not m2:
                return False
            env, name, raw = "env:", m2.group(1), m2.group(2)
        else:
            env, name, raw = m.group(1), m.group(2), m.group(3)
        raw = raw.strip()
        if re.match(r"^[A-Za-z][\w-]*(\s|$)", raw):  # a cmdlet's result: (Join-Path …)
            raw = f"({raw})"
        key = name if env else "$" + name
        st.vars[key] = self._value(name, raw, st)
        if env:
            st.exported.add(key)
        return True

    def _call_function(self, name: str, args: list[str], cmd: Cmd, st: State) -> None:
        if st.depth >= MAX_DEPTH:
            return
        inner = replace(
            st,
            positional=[expand(a, st).text for a in args],
            depth=st.depth + 1,
        )
        target = self._redirect_target(cmd.redirs, st) if cmd.redirs else None
        if target is not None:
            inner.out = target
        self.walk(st.functions[name], inner)
        st.cwd = inner.cwd

    def _program(self, words: list[str], prefix: dict[str, Value], cmd: Cmd, st: State) -> None:
        # Peel wrappers: env, sudo, nice, timeout, flock, …; their assignments join the prefix.
        exp = [expand(w, st) for w in words]
        k = 0
        while k < len(exp):
            w = exp[k].text
            base = _base(w).lower()
            if base in _WRAPPERS_SIMPLE:
                k += 1
            elif base == "env":
                k += 1
                while k < len(exp) and (exp[k].text.startswith("-") or "=" in exp[k].text):
                    if "=" in exp[k].text and not exp[k].text.startswith("-"):
                        name, _eq, value = exp[k].text.partition("=")
                        prefix[name] = Value(value, UNKNOWN not in value)
                    k += 1
            elif base in ("nice", "ionice", "sudo", "runuser", "doas"):
                k += 1
                while k < len(exp) and exp[k].text.startswith("-"):
                    opt = exp[k].text
                    k += 1
                    if opt in ("-n", "-c", "-u", "-g", "-p", "-C"):
                        if opt == "-u" and k < len(exp) and base != "nice":
                            self.note(
                                f"runs bwdc as {exp[k].shown} ({base}): its home and "
                                "environment differ from the job's"
                            )
                        k += 1
                    if opt == "--":
                        break
                while base in ("sudo", "doas") and k < len(exp) and _assignment(exp[k].text):
                    name, _eq, value = exp[k].text.partition("=")
                    prefix[name] = Value(value, UNKNOWN not in value)
                    k += 1
            elif base == "su":
                texts = [e.text for e in exp[k + 1 :]]
                if "-c" in texts and texts.index("-c") + 1 < len(texts):
                    at = texts.index("-c")
                    others = [t for j, t in enumerate(texts) if j not in (at, at + 1)]
                    who = next((t for t in others if not t.startswith("-")), "root")
                    self.note(
                        f"runs bwdc as {who} (su): its home and environment differ from the job's"
                    )
                    self._nested(texts[at + 1], "sh", {}, cmd, st)
                return
            elif base in ("timeout", "flock"):
                k += 1
                while k < len(exp) and exp[k].text.startswith("-"):
                    k += 1
                k += 1  # the duration, or the lock file
            else:
                break
        if k >= len(exp):
            return
        prog = exp[k]
        args = exp[k + 1 :]
        base = _base(prog.text).lower()
        if bwdc_name(prog.text):
            self._bwdc(prog, args, prefix, cmd, st)
            return
        # Something that runs more text: sh -c, bash script, powershell -File, cmd /c, a script.
        if base.removesuffix(".exe") in _SHELLS and st.dialect == "sh":
            self._shell(args, prefix, cmd, st)
            return
        if base.removesuffix(".exe") in ("powershell", "pwsh"):
            self._powershell(args, prefix, cmd, st)
            return
        if base.removesuffix(".exe") == "cmd":
            rest = [a.text for a in args]
            for j, a in enumerate(rest):
                if a.lower() in ("/c", "/k"):
                    self._nested(" ".join(rest[j + 1 :]), "cmd", prefix, cmd, st)
                    return
            return
        if _looks_like_script(prog.text, st):
            self._script(prog.text, [a.text for a in args], prefix, cmd, st)

    def _shell(self, args: list[Expanded], prefix: dict[str, Value], cmd: Cmd, st: State) -> None:
        texts = [a.text for a in args]
        j = 0
        while j < len(texts) and texts[j].startswith("-"):
            if texts[j] == "-c" or (texts[j].startswith("-") and texts[j].endswith("c")):
                if j + 1 < len(texts):
                    self._nested(texts[j + 1], "sh", prefix, cmd, st)
                return
            j += 1
        if j < len(texts):
            self._script(texts[j], texts[j + 1 :], prefix, cmd, st, dialect="sh")

    def _powershell(
        self, args: list[Expanded], prefix: dict[str, Value], cmd: Cmd, st: State
    ) -> None:
        texts = [a.text for a in args]
        j = 0
        while j < len(texts):
            opt = texts[j].lower()
            if opt in ("-file", "-f"):
                if j + 1 < len(texts):
                    self._script(texts[j + 1], texts[j + 2 :], prefix, cmd, st, dialect="ps")
                return
            if opt in ("-command", "-c"):
                self._nested(" ".join(texts[j + 1 :]), "ps", prefix, cmd, st)
                return
            if opt in _PS_VALUE_OPTIONS:
                if opt in ("-encodedcommand", "-ec"):
                    self.note("runs an encoded PowerShell command, which bwdc-tray does not read")
                    self.suspect = True
                    return
                j += 2
                continue
            if opt.startswith("-"):
                j += 1
                continue
            if texts[j].lower().endswith(".ps1"):
                self._script(texts[j], texts[j + 1 :], prefix, cmd, st, dialect="ps")
            else:
                self._nested(" ".join(texts[j:]), "ps", prefix, cmd, st)
            return

    def _child_state(
        self, dialect: Dialect, script: str | None, prefix: dict[str, Value], cmd: Cmd, st: State
    ) -> State:
        env = {k: v for k, v in st.vars.items() if k in st.exported}
        env.update(prefix)
        out = self._redirect_target(cmd.redirs, st) if cmd.redirs else None
        if out is None:
            out = self._pipe_log(cmd, st)
        return State(
            ctx=st.ctx,
            dialect=dialect,
            script=script,
            vars=dict(env),
            exported=set(env),
            cwd=st.cwd,
            out=out if out is not None else st.out,
            depth=st.depth + 1,
        )

    def _nested(
        self, text: str, dialect: Dialect, prefix: dict[str, Value], cmd: Cmd, st: State
    ) -> None:
        if st.depth >= MAX_DEPTH:
            return
        child = self._child_state(dialect, st.script, prefix, cmd, st)
        child.positional = st.positional
        self.run_text(text, child)

    def _script(
        self,
        path_text: str,
        args: list[str],
        prefix: dict[str, Value],
        cmd: Cmd,
        st: State,
        dialect: Dialect | None = None,
    ) -> None:
        if st.depth >= MAX_DEPTH:
            return
        path, _note = self.absolute(path_text, st, "script")
        if path is None and st.ctx.home is not None and not re.search(r"[\\/]", path_text):
            path = st.ctx.pathmod.join(st.ctx.home, path_text)
        text = st.ctx.read(path) if path and UNKNOWN not in path else None
        clue = "bwdc" in _base(path_text).lower() and "bwdc-tray" not in path_text.lower()
        clue = clue or any(k in APPDATA_VARS for k in prefix)
        if text is None:
            if clue:
                self.suspect = True
                self.note(
                    f"the script {path or path_text} could not be read (missing, or not readable "
                    "by you): what it runs is unknown"
                )
            return
        self.scripts.append(path or path_text)
        if dialect is None:
            dialect = _dialect_of(path or path_text, text)
        child = self._child_state(dialect, path, prefix, cmd, st)
        child.positional = args
        self.run_text(text, child)

    # --- bwdc itself ----------------------------------------------------------------------------

    def _bwdc(
        self,
        prog: Expanded,
        args: list[Expanded],
        prefix: dict[str, Value],
        cmd: Cmd,
        st: State,
    ) -> None:
        texts = [a.text for a in args]
        verb = next((t for t in texts if not t.startswith("-")), None)
        if verb is None and any(t in _INFO_FLAGS for t in texts):
            return  # bwdc --version: not a sync
        where = "the command line" if st.script is None else f"{st.script} line {cmd.line}"
        notes: list[str] = []
        program = prog.text
        if not prog.known:
            notes.append(f"the bwdc program is {prog.shown}, which could not be determined")
        elif re.search(r"[\\/]", program):
            program = self.absolute(program, st, "bwdc program")[0] or program
        # The environment bwdc gets.
        env: dict[str, Value] = {k: v for k, v in st.vars.items() if k in st.exported}
        env.update(prefix)
        appdata: str | None = None
        appdata_set = False
        for name in APPDATA_VARS:
            val = _env_get(env, name, st)
            if val is None:
                unexported = _env_get(st.vars, name, st)
                if unexported is not None and name not in prefix:
                    notes.append(
                        f"{name} is set but not exported, so bwdc does not see it: "
                        "it uses its default folder"
                    )
                continue
            appdata_set = True
            if not val.known or UNKNOWN in val.text:
                notes.append(
                    f"the data folder comes from {name}="
                    f"{val.text.replace(UNKNOWN, '…')}, which could not be determined"
                )
                break
            appdata, note = self.absolute(val.text, st, "data folder")
            if note:
                notes.append(note)
            break
        if not appdata_set:
            appdata = default_appdata(st.ctx.os_name, st.ctx.home, _plain_env(st))
            notes.append(
                "no BITWARDENCLI_CONNECTOR_APPDATA_DIR: bwdc uses its default data folder"
                + (f" ({appdata})" if appdata else ", which depends on the user's home")
            )
        plain = _env_get(env, "BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS", st)
        if plain is not None and plain.text == "true":
            notes.append(
                "keeps its secrets in data.json (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS)"
            )
        log = self._log_of(cmd, st, notes)
        self.calls.append(
            BwdcCall(
                program=program,
                verb=verb,
                args=tuple(texts),
                where=where,
                appdata=appdata,
                appdata_set=appdata_set,
                log=log,
                notes=tuple(notes),
            )
        )

    def _log_of(self, cmd: Cmd, st: State, notes: list[str]) -> str | None:
        stdout: str | None = None
        stderr: str | None = None
        discarded = False
        for op, raw in cmd.redirs:
            fd = op.rstrip(">|&<")
            kind = op[len(fd) :]
            if kind.startswith("<"):
                continue
            target = expand(raw, st)
            if kind == ">&" or (kind == ">" and raw.isdigit()):
                continue  # 2>&1: a copy of a stream, not a file
            if not target.known:
                notes.append(f"output goes to {target.shown}, which could not be determined")
                return None
            if target.text in ("/dev/null", "$null", "NUL", "nul"):
                if fd in ("", "1", "&", "*"):
                    discarded = True
                continue
            path, note = self.absolute(target.text, st, "log file")
            if note:
                notes.append(note)
            if fd in ("", "1", "&", "*"):
                stdout = path
                if kind == ">" and path is not None:
                    notes.append(f"overwrites {path} on each run (>, not >>)")
            elif fd == "2":
                stderr = path
        if stdout is None and not discarded:
            stdout = self._pipe_log(cmd, st, notes)
        if stdout is None and not discarded:
            stdout = st.out
        if stderr is not None and stderr != stdout:
            notes.append(f"errors go to another file: {stderr}")
        if discarded:
            notes.append("its output is thrown away (> /dev/null): no log to keep")
        return stdout

    def _pipe_log(self, cmd: Cmd, st: State, notes: list[str] | None = None) -> str | None:
        nxt = cmd.pipe_next
        while nxt is not None:
            words = [expand(w, st) for w in nxt.words]
            if not words:
                break
            name = _base(words[0].text).lower()
            texts = [w.text for w in words[1:]]
            target: str | None = None
            if name in ("tee", "tee-object"):
                files = [t for t in texts if not t.startswith("-")]
                if name == "tee-object":
                    files = [_ps_option(nxt.words[1:], ("-filepath", "-path"), st) or ""]
                target = files[0] if files and files[0] else None
                appends = {"-a", "--append", "-append"} & {t.lower() for t in texts}
                if target is not None and not appends and notes is not None:
                    notes.append(f"overwrites {target} on each run (tee without -a)")
            elif name in ("out-file", "add-content", "set-content"):
                target = _ps_option(nxt.words[1:], ("-filepath", "-path", "-literalpath"), st)
            elif name == "logger":
                if notes is not None:
                    notes.append("its output goes to the system log (logger), not to a file")
                return None
            if target:
                return self.absolute(target, st, "log file")[0]
            nxt = nxt.pipe_next
        return None


def _ps_option(raw_words: list[str], names: tuple[str, ...], st: State) -> str | None:
    """The value of a PowerShell parameter by name, or the first positional argument."""
    positional: str | None = None
    j = 0
    while j < len(raw_words):
        w = raw_words[j]
        low = w.lower()
        if low in names and j + 1 < len(raw_words):
            return expand(raw_words[j + 1], st).text
        if low.startswith("-"):
            if low in ("-encoding", "-value", "-width", "-erroraction"):
                j += 1
            j += 1
            continue
        if positional is None:
            positional = expand(w, st).text
        j += 1
    return positional


def _env_get(env: Mapping[str, Value], name: str, st: State) -> Value | None:
    if st.dialect == "sh":
        if name in env:
            return env[name]
        if name in st.ctx.env:
            return Value(st.ctx.env[name])
        return None
    for key, val in env.items():
        if key.lower() == name.lower():
            return val
    for key, text in st.ctx.env.items():
        if key.lower() == name.lower():
            return Value(text)
    return None


def _plain_env(st: State) -> dict[str, str]:
    out = dict(st.ctx.env)
    for key, val in st.vars.items():
        if key in st.exported and val.known:
            out[key] = val.text
    return out


def _assignment(word: str) -> bool:
    name, eq, _rest = word.partition("=")
    return bool(eq) and bool(_NAME.match(name))


def _base(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def _is_funcdef(cmds: list[Cmd], i: int) -> bool:
    # `name() {` lexes as the word `name`, the ops `(` `)` (separators), then the word `{`.
    words = cmds[i].words
    if words[:1] == ["function"] and len(words) == 2:
        return True
    if len(words) != 1 or not _NAME.match(words[0].removesuffix("()")):
        return False
    return i + 1 < len(cmds) and cmds[i + 1].words[:1] == ["{"]


def _block(cmds: list[Cmd], i: int) -> tuple[list[Cmd], int, Cmd | None]:
    """The commands of the `{ … }` block starting at or after ``i``, the index after it, and
    its closing command (which carries the block's redirections)."""
    while i < len(cmds) and cmds[i].words[:1] != ["{"]:
        i += 1
    depth, j = 0, i
    while j < len(cmds):
        first = cmds[j].words[:1]
        if first == ["{"]:
            depth += 1
        elif first == ["}"]:
            depth -= 1
            if depth == 0:
                break
        j += 1
    close = cmds[j] if j < len(cmds) else None
    return cmds[i + 1 : j], j + 1, close


def _looks_like_script(path: str, st: State) -> bool:
    if not path or UNKNOWN in path:
        return False
    low = path.lower()
    if low.endswith(_SCRIPT_EXT):
        return True
    return bool(re.search(r"[\\/]", path)) and "bwdc-tray" not in low and "bwdc_tray" not in low


def _dialect_of(path: str, text: str) -> Dialect:
    low = path.lower()
    if low.endswith(".ps1"):
        return "ps"
    if low.endswith((".bat", ".cmd")):
        return "cmd"
    return "sh"


# --- public API ---------------------------------------------------------------------------------


def _state(ctx: Context, dialect: Dialect, script: str | None) -> State:
    return State(
        ctx=ctx,
        dialect=dialect,
        script=script,
        vars={},
        exported=set(),
        cwd=ctx.cwd,
        out=ctx.log,
    )


def _finish(w: Walker) -> Recipe:
    return Recipe(tuple(w.calls), tuple(w.scripts), tuple(w.notes), w.suspect and not w.calls)


def read_command(command: str, ctx: Context | None = None, dialect: Dialect = "sh") -> Recipe:
    """A job's command line (a crontab command, ``sh -c`` text, a cmd or PowerShell line), with
    the scripts it runs read as text."""
    ctx = ctx or Context()
    w = Walker()
    w.run_text(command, _state(ctx, dialect, None))
    return _finish(w)


def read_script(text: str, path: str, ctx: Context | None = None) -> Recipe:
    """A script's text, as if the job ran it (``path`` gives its folder and its dialect)."""
    ctx = ctx or Context()
    w = Walker()
    w.scripts.append(path)
    w.run_text(text, _state(ctx, _dialect_of(path, text), path))
    return _finish(w)


def read_argv(argv: Sequence[str], ctx: Context | None = None) -> Recipe:
    """A program and its arguments with no shell in between (launchd's ProgramArguments, a
    task's Command and Arguments)."""
    ctx = ctx or Context()
    w = Walker()
    st = _state(ctx, "cmd" if ctx.os_name == "win32" else "sh", None)
    if not argv:
        return Recipe()
    # Quote each argument for the walker, which expands words as it goes: launchd expands
    # nothing; Task Scheduler expands %VARIABLES%.
    quoted: list[str] = []
    for arg in argv:
        if st.dialect == "sh":
            quoted.append("'" + arg.replace("'", "'\\''") + "'")
        else:
            quoted.append('"' + arg + '"' if '"' not in arg else arg)
    w._program(quoted, {}, Cmd(quoted, [], 1), st)
    return _finish(w)


def split_windows_args(text: str) -> list[str]:
    """Windows command-line splitting (CommandLineToArgvW, simplified): quotes group, and a
    backslash is a plain character except before a quote."""
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    have = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
            have = True
        elif ch in " \t" and not quoted:
            if have or cur:
                out.append("".join(cur))
            cur, have = [], False
        else:
            cur.append(ch)
        i += 1
    if have or cur:
        out.append("".join(cur))
    return out

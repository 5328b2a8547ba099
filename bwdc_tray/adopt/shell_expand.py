"""Expanding a word the way its dialect would, as far as it can be known without running anything.

What only the run could tell (a command's output, a variable set elsewhere) becomes `UNKNOWN`;
a secret file the word reads (``$(cat file)``, ``Get-Content file``) is recorded, never read.
"""

from __future__ import annotations

import ntpath
import re
from dataclasses import dataclass, field

from bwdc_tray.adopt.calls import Context, Dialect
from bwdc_tray.adopt.shell_lexer import Cmd, closing

_DIRNAME_OF_SCRIPT = re.compile(r"dirname[^)]*(\$0|\$\{0\}|BASH_SOURCE)")
_READS_FILE = re.compile(r"^\s*(?:cat\s+(?:--\s+)?|<\s*)(\S+)\s*$")


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
                end = closing(raw, i + 1, "(", ")")
                out.append(_subst_sh(raw[i + 2 : end - 1], st, reads))
                i = end
                continue
            if nxt == "{":
                end = closing(raw, i + 1, "{", "}")
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

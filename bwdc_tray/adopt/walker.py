"""Walking a job's commands in order, in any dialect, to find the bwdc calls it makes.

Follows what runs more text (sh -c, cmd /c, powershell -File, a script, a function), peels
wrappers (env, sudo, nice, timeout…), and for each bwdc call works out its data folder and log.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from bwdc_tray.adopt.calls import (
    APPDATA_VARS,
    MAX_DEPTH,
    SCRIPT_EXT,
    BwdcCall,
    Dialect,
    bwdc_name,
    default_appdata,
)
from bwdc_tray.adopt.shell_expand import UNKNOWN, Expanded, State, Value, expand
from bwdc_tray.adopt.shell_lexer import Cmd
from bwdc_tray.adopt.shell_sh import ShReader, brace_block, is_assignment, is_funcdef
from bwdc_tray.adopt.shell_windows import WindowsReader, ps_option

_SHELLS = ("sh", "bash", "dash", "zsh", "ksh", "ash", "busybox")
_INFO_FLAGS = ("--version", "-v", "-V", "--help", "-h")
_WRAPPERS_SIMPLE = ("exec", "command", "nohup", "time", "setsid", "chronic", "builtin", "&", ".",
                    "call", "caffeinate")  # fmt: skip
_KEYWORDS = ("if", "then", "else", "elif", "while", "until", "do", "!", "{", "}", "fi", "done",
             "esac", "time")  # fmt: skip


class Walker(ShReader, WindowsReader):
    """Reads a job's text, or a program and its arguments, and gathers the bwdc calls."""

    def walk(self, cmds: list[Cmd], st: State) -> None:
        i = 0
        while i < len(cmds):
            cmd = cmds[i]
            words = list(cmd.words)
            while words and words[0] in _KEYWORDS and st.dialect == "sh":
                words.pop(0)
            if st.dialect == "sh" and len(words) >= 1 and is_funcdef(cmds, i):
                name = words[-1] if words[0] != "function" else words[1]
                body, i, _close = brace_block(cmds, i + 1)
                st.functions[name.rstrip("()")] = body
                continue
            if st.dialect == "sh" and words[:1] == ["for"] and len(words) >= 2:
                i = self._for(cmds, i, words, st)
                continue
            if cmd.words[:1] == ["{"] and st.dialect == "sh":
                body, i, close = brace_block(cmds, i)
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

    # --- one command ----------------------------------------------------------------------------

    def command(self, cmd: Cmd, st: State) -> None:
        if st.dialect == "ps" and self._ps_assignment(cmd, st):
            return
        words = cmd.words
        prefix: dict[str, Value] = {}
        k = 0
        if st.dialect == "sh":
            while k < len(words) and is_assignment(words[k]):
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
            path = ps_option(rest[1:], ("-path", "-literalpath", "-outputdirectory"), st)
            if path:
                st.out = self.absolute(path, st, "log file")[0]
            return
        if st.dialect in ("sh", "cmd") and low in st.functions:
            self._call_function(low, rest[1:], cmd, st)
            return
        self._program(rest, prefix, cmd, st)

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
                while base in ("sudo", "doas") and k < len(exp) and is_assignment(exp[k].text):
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
            dialect = dialect_of(path or path_text, text)
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
                    files = [ps_option(nxt.words[1:], ("-filepath", "-path"), st) or ""]
                target = files[0] if files and files[0] else None
                appends = {"-a", "--append", "-append"} & {t.lower() for t in texts}
                if target is not None and not appends and notes is not None:
                    notes.append(f"overwrites {target} on each run (tee without -a)")
            elif name in ("out-file", "add-content", "set-content"):
                target = ps_option(nxt.words[1:], ("-filepath", "-path", "-literalpath"), st)
            elif name == "logger":
                if notes is not None:
                    notes.append("its output goes to the system log (logger), not to a file")
                return None
            if target:
                return self.absolute(target, st, "log file")[0]
            nxt = nxt.pipe_next
        return None


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


def _base(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def _looks_like_script(path: str, st: State) -> bool:
    if not path or UNKNOWN in path:
        return False
    low = path.lower()
    if low.endswith(SCRIPT_EXT):
        return True
    return bool(re.search(r"[\\/]", path)) and "bwdc-tray" not in low and "bwdc_tray" not in low


def dialect_of(path: str, text: str) -> Dialect:
    low = path.lower()
    if low.endswith(".ps1"):
        return "ps"
    if low.endswith((".bat", ".cmd")):
        return "cmd"
    return "sh"

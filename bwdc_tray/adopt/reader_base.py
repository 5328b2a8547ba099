"""What every dialect's reader shares: the findings so far, paths, redirections, assignments.

`ShReader` (`shell_sh`) and `WindowsReader` (`shell_windows`) add their dialect's commands;
`Walker` (`walker`) puts them together and walks a job command by command.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from bwdc_tray.adopt.calls import SECRET_VARS, BwdcCall, Dialect
from bwdc_tray.adopt.shell_expand import State, Value, expand
from bwdc_tray.adopt.shell_lexer import Cmd, lex, split_commands


class ReaderBase(ABC):
    """The findings so far (calls, notes, scripts read) and the steps every dialect uses."""

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

    def run_text(self, text: str, st: State) -> None:
        self.walk(split_commands(lex(text, st.dialect)), st)

    @abstractmethod
    def walk(self, cmds: list[Cmd], st: State) -> None: ...

    @abstractmethod
    def _nested(
        self, text: str, dialect: Dialect, prefix: dict[str, Value], cmd: Cmd, st: State
    ) -> None: ...

    @abstractmethod
    def _script(
        self,
        path_text: str,
        args: list[str],
        prefix: dict[str, Value],
        cmd: Cmd,
        st: State,
        dialect: Dialect | None = None,
    ) -> None: ...

    # --- shared by the dialects -----------------------------------------------------------------

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

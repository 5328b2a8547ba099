"""The cmd and PowerShell reader: set, $env: and $x = assignments, powershell -File/-Command,
and PowerShell's named parameters.

Word expansion is in `shell_expand`; the rest of the walk, shared with sh, in `walker`.
"""

from __future__ import annotations

import re

from bwdc_tray.adopt.reader_base import ReaderBase
from bwdc_tray.adopt.shell_expand import UNKNOWN, Expanded, State, Value, expand
from bwdc_tray.adopt.shell_lexer import Cmd

_PS_VALUE_OPTIONS = ("-executionpolicy", "-windowstyle", "-ep", "-encodedcommand", "-ec",
                     "-version", "-configurationname", "-inputformat", "-outputformat")  # fmt: skip


class WindowsReader(ReaderBase):
    """The cmd- and PowerShell-only commands; a mixin of `Walker`."""

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


def ps_option(raw_words: list[str], names: tuple[str, ...], st: State) -> str | None:
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

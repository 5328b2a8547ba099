"""The POSIX sh (and bash) reader: for loops, export and friends, sh -c and sh script.sh,
function definitions and { … } blocks.

Word expansion is in `shell_expand`; the rest of the walk, shared with cmd and PowerShell, in
`walker`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bwdc_tray.adopt.reader_base import ReaderBase
from bwdc_tray.adopt.shell_expand import UNKNOWN, Expanded, State, Value, expand
from bwdc_tray.adopt.shell_lexer import Cmd

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ShReader(ReaderBase):
    """The sh-only commands; a mixin of `Walker`."""

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

    def _export(self, words: list[str], st: State, export: bool) -> None:
        for w in words:
            if w.startswith("-"):
                continue
            if is_assignment(w):
                name, raw = w.split("=", 1)
                st.vars[name] = self._value(name, raw, st)
            else:
                name = w
            if export and _NAME.match(name):
                st.exported.add(name)

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


def is_assignment(word: str) -> bool:
    name, eq, _rest = word.partition("=")
    return bool(eq) and bool(_NAME.match(name))


def is_funcdef(cmds: list[Cmd], i: int) -> bool:
    # `name() {` lexes as the word `name`, the ops `(` `)` (separators), then the word `{`.
    words = cmds[i].words
    if words[:1] == ["function"] and len(words) == 2:
        return True
    if len(words) != 1 or not _NAME.match(words[0].removesuffix("()")):
        return False
    return i + 1 < len(cmds) and cmds[i + 1].words[:1] == ["{"]


def brace_block(cmds: list[Cmd], i: int) -> tuple[list[Cmd], int, Cmd | None]:
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

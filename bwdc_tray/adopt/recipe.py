"""Reading a hand-made bwdc job: which bwdc it runs, on which data folder, logging where.

Text only: nothing here runs a command, and a secret's value is never read or repeated (a
script that reads one is reported as reading it, from where). Three dialects: ``sh`` (cron,
launchd, sh/bash scripts), ``cmd`` (.bat/.cmd and Task Scheduler command lines) and ``ps``
(PowerShell). What cannot be known for sure is said in notes rather than guessed.

The entry points are here; what they return is in `calls`, the reading itself in `walker`
(with `shell_sh` and `shell_windows` for each dialect's commands, `shell_lexer` and
`shell_expand` for its words).
"""

from __future__ import annotations

from collections.abc import Sequence

from bwdc_tray.adopt.calls import Context, Dialect, Recipe
from bwdc_tray.adopt.shell_expand import State
from bwdc_tray.adopt.shell_lexer import Cmd
from bwdc_tray.adopt.walker import Walker, dialect_of


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
    w.run_text(text, _state(ctx, dialect_of(path, text), path))
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

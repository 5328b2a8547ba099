"""`bwdc-tray uninstall`: what an installer's uninstaller (and a pipx user) runs.

The Windows uninstaller runs it hidden and reads only its exit code: 0 done, 2 bad usage (or not
confirmed), 3 an instance is running, 5 something could not be removed (the remedy is printed).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from bwdc_tray.errors import Exit, InvalidInput
from bwdc_tray.paths import Paths

if TYPE_CHECKING:
    from bwdc_tray.uninstall import Plan

# How the plan's words read before it is carried out, for the prompt and for --dry-run.
_FUTURE = {
    "prompt": {"remove": "will remove", "keep": "will keep", "skip": "skipped", "failed": "failed"},
    "dry-run": {
        "remove": "would remove",
        "keep": "would keep",
        "skip": "skipped",
        "failed": "failed",
    },
}


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    del parser_class  # one parser, no sub-commands
    un = sub.add_parser(
        "uninstall",
        help="remove bwdc-tray's scheduled jobs (--jobs) and its own files (--data)",
        description="Remove what bwdc-tray installed for you: its OS jobs (--jobs; the schedules "
        "stay in the configuration, paused, for a reinstall), and with --data also its "
        "configuration, keyring entries, logs and state. bwdc's data folders are never deleted.",
    )
    un.add_argument(
        "--jobs",
        action="store_true",
        help="remove the OS jobs bwdc-tray installed for you (and this --home)",
    )
    un.add_argument(
        "--data",
        action="store_true",
        help="also delete bwdc-tray's configuration, keyring entries, logs, status and backups "
        "(implies --jobs); bwdc's data folders and data.json stay",
    )
    un.add_argument(
        "--all-users",
        action="store_true",
        help="Windows, as administrator: remove every user's tasks in \\bwdc-tray\\",
    )
    un.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    un.add_argument(
        "--dry-run", action="store_true", help="show what would be removed; change nothing"
    )


def _line(word: str, text: str) -> str:
    return f"{word + ':':<14}{text}\n"


def _show_plan(todo: Plan, mode: str, out: TextIO) -> None:
    for word, text in todo.lines():
        out.write(_line(_FUTURE[mode][word], text))


def _confirmed(todo: Plan, a: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> bool:
    if a.yes or not todo.removable:
        return True
    flags = " ".join(f for f, on in (("--jobs", a.jobs), ("--data", a.data),
                                     ("--all-users", a.all_users)) if on)  # fmt: skip
    if not stdin.isatty():
        raise InvalidInput(
            "uninstall removes jobs and files, and there is no terminal to confirm it on; "
            "nothing was changed",
            f"add --yes to confirm: bwdc-tray uninstall {flags} --yes (see what it removes "
            f"first with --dry-run)",
        )
    _show_plan(todo, "prompt", out)
    out.flush()
    err.write(f"Remove these {todo.removable} item(s)? [y/N] ")
    err.flush()
    return stdin.readline().strip().lower() in ("y", "yes")


def dispatch(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if not (a.jobs or a.data):
        raise InvalidInput(
            "say what to remove: --jobs (bwdc-tray's scheduled jobs), --data (its configuration, "
            "keyring entries, logs and state; implies --jobs), or both",
            "bwdc-tray uninstall --jobs --dry-run shows what would go",
        )
    # Imported here: every command builds this parser, only `uninstall` needs the engine.
    from bwdc_tray import uninstall

    todo = uninstall.plan(paths, data=a.data, all_users=a.all_users)
    if a.dry_run:
        _show_plan(todo, "dry-run", out)
        out.write(f"dry run: {todo.removable} item(s) would be removed; nothing was changed\n")
        return int(Exit.ENVIRONMENT) if todo.failed else 0
    if not _confirmed(todo, a, out, err, stdin):
        err.write("bwdc-tray: not confirmed; nothing was changed\n")
        return int(Exit.USAGE)

    def emit(word: str, text: str) -> None:
        out.write(_line(word, text))
        out.flush()  # a hidden uninstaller's log gets each line as it happens

    done = uninstall.execute(paths, todo, emit)
    out.write(f"summary: {done.removed} removed, {done.kept} kept, {done.failed} failed\n")
    if done.failed:
        err.write(f"bwdc-tray: {done.failed} item(s) could not be removed\n")
        for remedy in done.remedies:
            err.write(f"  fix: {remedy}\n")
    return int(done.exit_code)

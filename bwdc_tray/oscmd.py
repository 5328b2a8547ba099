"""The one seam through which the engine runs OS commands (crontab, launchctl, schtasks, …).

Backends take a ``CommandRunner``; tests pass a fake that records argv and answers as the real
tool does, so every backend is exercised on Linux.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Completed:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


class CommandRunner(Protocol):
    def __call__(self, argv: Sequence[str], *, input_text: str | None = None) -> Completed: ...


class CommandNotFound(OSError):
    pass


def run_command(argv: Sequence[str], *, input_text: str | None = None) -> Completed:
    if sys.platform == "win32":
        # The console tools answer in the ANSI code page, which text mode decodes.
        return _run(argv, input_text, text=True)
    # Elsewhere bytes in, bytes out: text mode would turn a user's "\r\n" (or a lone "\r")
    # in a crontab into "\n", and a crontab line that is not UTF-8 into an error; every byte
    # we read back must be written back as it was.
    return _run(argv, input_text, text=False)


def _run(argv: Sequence[str], input_text: str | None, *, text: bool) -> Completed:
    data: str | bytes | None = input_text
    if input_text is not None and not text:
        data = input_text.encode("utf-8", "surrogateescape")
    try:
        proc = subprocess.run(
            list(argv),
            input=data,
            capture_output=True,
            text=text,
            timeout=120,
            check=False,
            stdin=None if input_text is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise CommandNotFound(f"{argv[0]}: command not found") from exc
    out, err = proc.stdout, proc.stderr
    if not text:
        out, err = out.decode("utf-8", "surrogateescape"), err.decode("utf-8", "surrogateescape")
    return Completed(tuple(argv), proc.returncode, out, err)


class ReadCache:
    """A runner that asks each command once: for read-only passes over many instances
    (`status`, the tray's refresh), where every instance would otherwise run `crontab -l`
    again. Never use it where something is written in between."""

    def __init__(self, runner: CommandRunner = run_command) -> None:
        self.runner = runner
        self.answers: dict[tuple[str, ...], Completed] = {}

    def __call__(self, argv: Sequence[str], *, input_text: str | None = None) -> Completed:
        key = tuple(argv)
        if input_text is not None:
            return self.runner(argv, input_text=input_text)
        if key not in self.answers:
            self.answers[key] = self.runner(argv)
        return self.answers[key]

"""A fake command runner for backends: records argv, answers from a script of handlers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bwdc_tray.oscmd import Completed

Handler = Callable[[tuple[str, ...], str | None], tuple[int, str, str]]


@dataclass
class FakeRunner:
    handler: Handler
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def __call__(self, argv: Sequence[str], *, input_text: str | None = None) -> Completed:
        args = tuple(argv)
        self.calls.append(args)
        rc, out, err = self.handler(args, input_text)
        return Completed(args, rc, out, err)


class FakeCrontab:
    """In-memory `crontab` for one user, with Debian's answers."""

    def __init__(self, table: str | None = None, user: str = "root") -> None:
        self.table = table
        self.user = user
        self.list_error: str | None = None
        self.runner = FakeRunner(self.handle)

    def handle(self, argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        args = list(argv[1:])
        if args[:1] == ["-u"]:
            args = args[2:]
        if args == ["-l"]:
            if self.list_error:
                return 1, "", self.list_error
            if self.table is None:
                return 1, "", f"no crontab for {self.user}\n"
            return 0, self.table, ""
        if args == ["-r"]:
            self.table = None
            return 0, "", ""
        with open(args[0], encoding="utf-8") as fh:
            data = fh.read()
        if data and not data.endswith("\n"):
            return 1, "", "new crontab file is missing newline before EOF, can't install.\n"
        self.table = data
        return 0, "", ""

#!/usr/bin/env python3
"""A fake `crontab` command that answers as Debian's does (reference/schedulers.md §3.1).

Tables live in $FAKE_CRONTAB_DIR/<user>. Set FAKE_CRONTAB_FAIL_LIST=1 to make `-l` fail with
another error, as a broken spool or a cron.deny entry would.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    store = Path(os.environ["FAKE_CRONTAB_DIR"])
    store.mkdir(parents=True, exist_ok=True)
    user = getpass.getuser()
    if argv[:1] == ["-u"]:
        user, argv = argv[1], argv[2:]
    table = store / user
    with (store / "calls.log").open("a", encoding="utf-8") as log:
        log.write(" ".join(argv) + "\n")
    if argv == ["-l"]:
        if os.environ.get("FAKE_CRONTAB_FAIL_LIST"):
            sys.stderr.write("crontab: cannot open your crontab: Permission denied\n")
            return 1
        if not table.exists():
            sys.stderr.write(f"no crontab for {user}\n")
            return 1
        sys.stdout.buffer.write(table.read_bytes())  # byte for byte, as cron's crontab does
        return 0
    if argv == ["-r"]:
        if not table.exists():
            sys.stderr.write(f"no crontab for {user}\n")
            return 1
        table.unlink()
        return 0
    if len(argv) == 1:
        data = sys.stdin.buffer.read() if argv[0] == "-" else Path(argv[0]).read_bytes()
        if data and not data.endswith(b"\n"):
            sys.stderr.write("new crontab file is missing newline before EOF, can't install.\n")
            return 1
        table.write_bytes(data)
        return 0
    sys.stderr.write("usage: crontab [-u user] { -l | -r | file }\n")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Read the real bwdc transcripts in ``shared/fixtures/bwdc-captures`` (beside the repo root).

Each capture file holds ``command:``, ``env:`` (indented ``KEY=VALUE`` lines), ``exit_code:`` and
the exact stdout and stderr, each between ``----- stdout (N bytes) -----`` and
``----- end stdout -----``; the byte count is authoritative.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CAPTURES_DIR = REPO_ROOT.parent / "shared" / "fixtures" / "bwdc-captures"
#: The appdata path the captures were rewritten to.
CAPTURE_APPDATA = "/srv/bwdc/instance-1"
CAPTURE_APPDATA_2 = "/srv/bwdc/instance-2"

_BLOCK = re.compile(rb"----- (stdout|stderr) \((\d+) bytes\) -----\n")


@dataclass(frozen=True)
class Capture:
    name: str
    command: list[str]  # argv after "bwdc"
    env: dict[str, str] = field(default_factory=dict)
    exit_code: int = 0
    stdout: bytes = b""
    stderr: bytes = b""

    def expected(self, appdata: Path | str) -> tuple[int, bytes, bytes]:
        """Exit code, stdout, stderr with the capture's appdata paths replaced by ``appdata``."""
        new = str(appdata).encode()
        out, err = self.stdout, self.stderr
        for old in (CAPTURE_APPDATA.encode(), CAPTURE_APPDATA_2.encode()):
            out, err = out.replace(old, new), err.replace(old, new)
        return self.exit_code, out, err


def _block(name: str, stream: str, body: bytes, size: int) -> bytes:
    """The ``size`` bytes of a block, given everything up to its end marker.

    The byte count is authoritative, with one exception: the counts were taken before the data
    folder was renamed to ``/srv/bwdc/instance-N``, so a block naming that folder may differ from
    its count by the same amount per occurrence (first-run-creates-appdata, data-file*).
    """
    if len(body) == size:
        return body
    occurrences = body.count(b"/srv/bwdc/instance-")
    if occurrences and (len(body) - size) % occurrences == 0:
        return body
    if len(body) == size + 1 and body.endswith(b"\n"):  # output without a final newline
        return body[:size]
    msg = f"{name}: {stream} block holds {len(body)} bytes, not {size}"
    raise ValueError(msg)


def captures_available() -> bool:
    return (CAPTURES_DIR / "INDEX.txt").is_file()


def load_capture(name: str, directory: Path = CAPTURES_DIR) -> Capture:
    """Parse ``<directory>/<name>.txt``."""
    raw = (directory / f"{name}.txt").read_bytes()
    command: list[str] = []
    env: dict[str, str] = {}
    exit_code = 0
    head = raw.split(b"----- stdout", 1)[0].decode("utf-8")
    in_env = False
    for line in head.splitlines():
        if line.startswith("command:"):
            command = shlex.split(line.removeprefix("command:").strip())[1:]
            in_env = False
        elif line.startswith("env:"):
            in_env = True
            rest = line.removeprefix("env:").strip()
            for item in rest.split():  # tty-* captures put env on one line
                key, _, value = item.partition("=")
                env[key] = value
        elif in_env and line.startswith("  ") and "=" in line:
            key, _, value = line.strip().partition("=")
            env[key] = value
        else:
            in_env = False
            if line.startswith("exit_code:"):
                exit_code = int(line.removeprefix("exit_code:").strip())
    blocks: dict[str, bytes] = {}
    pos = 0
    while (m := _BLOCK.search(raw, pos)) is not None:
        stream, size = m.group(1).decode(), int(m.group(2))
        start = m.end()
        end = raw.find(f"----- end {stream} -----".encode(), start)
        if end < 0:
            msg = f"{name}: no end marker for {stream}"
            raise ValueError(msg)
        blocks[stream] = _block(name, stream, raw[start:end], size)
        pos = end
    return Capture(
        name=name,
        command=command,
        env=env,
        exit_code=exit_code,
        stdout=blocks.get("stdout", b""),
        stderr=blocks.get("stderr", b""),
    )

"""The per-instance log: one block per run, written by the runner, read back from the end.

Format (UTF-8, lines end with ``\\n``)::

    <ts> ==== bwdc-tray start {"run":…,"instance":…,"trigger":…,"mode":…,"bwdc_version":…,"pid":…}
    <ts> out| <a line bwdc wrote to stdout>
    <ts> err| <a line bwdc wrote to stderr>
    <ts> app| <a note of bwdc-tray's own>
    <ts> ==== bwdc-tray end {"run":…,"result":…,"exit_code":…,"duration_s":…,"groups":…,
                             "users":…,"message":…,"mode":…}

``<ts>`` is local time with offset and milliseconds. The log is the source of truth for status;
it may also hold, or only hold, text appended by Bitwarden's hand-made recipe
(``bwdc sync >> bwdc.log 2>&1``, with or without ``date`` lines): such runs come back with
``source == "foreign"``.

Reading costs what the last runs cost, never what the file costs: the reader seeks to the end and
reads backwards in growing windows until it holds enough whole runs, and gives up on one run after
``MAX_SCAN_PER_RUN`` bytes without a new boundary (a huge file of junk stays cheap).

Nothing here raises on content: junk, invalid UTF-8, NUL bytes, UTF-16 text from PowerShell,
half-written lines and unpaired markers all parse to something sensible.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, NamedTuple, cast

from bwdc_tray.fsutil import open_private_append

__all__ = [
    "MAX_LINE_CHARS",
    "MAX_SCAN_PER_RUN",
    "MODES",
    "RESULTS",
    "STREAMS",
    "TRIGGERS",
    "LogWriter",
    "Run",
    "escape_controls",
    "format_end",
    "format_output_lines",
    "format_start",
    "iter_lines",
    "last_sync_run",
    "new_run_id",
    "now_ts",
    "read_runs",
    "rotate_if_needed",
    "rotated_paths",
]

STREAMS: Final = ("out", "err", "app")
TRIGGERS: Final = ("manual", "schedule")
MODES: Final = ("sync", "test")
RESULTS: Final = ("ok", "failed", "timeout", "error")

#: First backwards read; each further read doubles the window.
READ_BLOCK: Final = 64 * 1024
#: How far back the reader goes without finding one more run boundary before it stops. Keeps a
#: multi-GB log without recognisable boundaries (junk, one endless failure) as cheap as a small one.
MAX_SCAN_PER_RUN: Final = 4 * 1024 * 1024
#: LogWriter cuts longer output lines: ``bwdc test`` prints the whole directory as one JSON line,
#: which is useless to read in a log and would make every later read of that run expensive.
MAX_LINE_CHARS: Final = 16 * 1024
#: Longest ``Run.message`` taken from foreign text.
MAX_MESSAGE_CHARS: Final = 500
#: ``read_runs`` follows ``log.1``, ``log.2`` … at most this far.
MAX_ROTATED: Final = 99

# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


class _LazyPattern:
    """A regular expression compiled where it is first used.

    The runner only writes a log: compiling every reader's expression at import would cost each
    run ~2.5 ms. After the first use, its methods are plain attributes (no extra cost per call).
    """

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(*self._source)
        for attr in ("match", "fullmatch", "search", "sub", "subn", "findall", "finditer", "split"):
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)


def _lazy_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))


_TS_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
)
_TS_RE: Final = re.compile(_TS_PATTERN)
_MARKER_TAG: Final = " ==== bwdc-tray "
_MARKER_RE: Final = _lazy_re(rf"({_TS_PATTERN}) ==== bwdc-tray (start|end) (\{{.*\}})")
# Lines we wrote (markers included, even damaged ones): never foreign text.
_OURS_RE: Final = _lazy_re(rf"{_TS_PATTERN} (?:(?:out|err|app)\||==== bwdc-tray )")
# What a line of ours looks like when a crash (or a concurrent read) cut it short.
_OURS_CUT_RE: Final = _lazy_re(rf"[0-9T:.+\-Z]*|{_TS_PATTERN} .*")

# Every character that could end a line for some reader (str.splitlines splits on \n \r \v \f
# \x1c-\x1e \x85 \u2028 \u2029), other C0/C1 controls (terminal escapes), bidi overrides (text
# that displays as something else) and lone surrogates (not encodable). Tab stays readable.
_ESCAPE_RE: Final = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with line breaks and other control characters as visible ``\\x0b``/``\\u2028``.

    Backslashes are left alone (Windows paths stay readable), so this is for display and
    anti-forgery, not a reversible encoding.
    """
    return _ESCAPE_RE.sub(_escape_char, text)


def _json_escape_char(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def _dumps(obj: dict[str, Any]) -> str:
    # ensure_ascii=False keeps names readable but leaves \x85, \u2028 … raw: escape them the JSON
    # way so a marker is always exactly one line for every reader.
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _ESCAPE_RE.sub(_json_escape_char, text)


def now_ts() -> str:
    """Local time, ISO-8601 with offset and milliseconds: the ``<ts>`` of every log line."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def new_run_id() -> str:
    """A run id that sorts by start time and is unique enough: ``20261130T025656-3fa9c1``."""
    return f"{datetime.now():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def _check_ts(ts: str) -> None:
    # A caller-supplied ts is the one piece of a line we don't escape: it must be a timestamp.
    if not _TS_RE.fullmatch(ts) or _parse_ts(ts) is None:
        raise ValueError(f"not an aware ISO-8601 timestamp: {ts!r}")


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}: got {value!r}")


def format_start(
    ts: str,
    *,
    run_id: str,
    instance: str,
    trigger: str,
    mode: str,
    bwdc_version: str | None,
    pid: int,
) -> str:
    """The start marker line (without ``\\n``)."""
    _check_ts(ts)
    _check_choice("trigger", trigger, TRIGGERS)
    _check_choice("mode", mode, MODES)
    if not run_id:
        raise ValueError("run_id must not be empty")
    fields = {
        "run": run_id,
        "instance": instance,
        "trigger": trigger,
        "mode": mode,
        "bwdc_version": bwdc_version,
        "pid": pid,
    }
    return f"{ts}{_MARKER_TAG}start {_dumps(fields)}"


def format_end(
    ts: str,
    *,
    run_id: str,
    result: str,
    exit_code: int | None,
    duration_s: float,
    groups: int | None,
    users: int | None,
    message: str,
    mode: str,
) -> str:
    """The end marker line (without ``\\n``)."""
    _check_ts(ts)
    _check_choice("result", result, RESULTS)
    _check_choice("mode", mode, MODES)
    if not run_id:
        raise ValueError("run_id must not be empty")
    if not math.isfinite(duration_s):
        raise ValueError(f"duration_s must be finite: got {duration_s!r}")
    fields = {
        "run": run_id,
        "result": result,
        "exit_code": exit_code,
        "duration_s": round(float(duration_s), 3),
        "groups": groups,
        "users": users,
        "message": message,
        "mode": mode,
    }
    return f"{ts}{_MARKER_TAG}end {_dumps(fields)}"


def format_output_lines(
    ts: str, stream: str, text: str, *, max_chars: int | None = None
) -> list[str]:
    """``text`` as log lines (without ``\\n``), one per ``\\n``-separated line of it.

    One trailing ``\\n`` ends the last line rather than adding an empty one; a ``\\r`` before a
    ``\\n`` is dropped (Windows line ends). Every other control or line-separator character is
    escaped, so text (which holds directory-controlled strings such as group names) can never
    start a line of its own, let alone a marker. ``max_chars`` cuts longer lines.
    """
    _check_ts(ts)
    _check_choice("stream", stream, STREAMS)
    if text.endswith("\n"):
        text = text[:-1]
    lines = []
    for part in text.split("\n"):
        line = part.removesuffix("\r")
        if max_chars is not None and len(line) > max_chars:
            line = f"{line[:max_chars]} … [{len(line) - max_chars} more characters]"
        lines.append(f"{ts} {stream}| {escape_controls(line)}")
    return lines


class LogWriter:
    """Appends whole lines to an instance log (created or tightened to 0600).

    ``redact`` is applied to every free text (bwdc output, notes, the end message) before it is
    formatted, so secrets never reach the file. Thread-safe: stdout and stderr readers may share
    one writer; each call lands as one contiguous ``os.write``.

    A failed write (the disk is full) never raises: the file is cut back to the last whole line,
    ``error`` keeps the reason, and later lines are dropped so a block never has a hole in its
    middle; only the end marker is tried again, to close the block if space came back.
    """

    def __init__(
        self,
        path: Path,
        *,
        redact: Callable[[str], str] | None = None,
        max_line_chars: int | None = MAX_LINE_CHARS,
        clock: Callable[[], str] = now_ts,
    ) -> None:
        self.path = path
        self._redact = redact or (lambda text: text)
        self._max_line_chars = max_line_chars
        self._clock = clock
        self._lock = threading.Lock()
        self._fd: int | None = open_private_append(path)
        self.error: OSError | None = None

    def start(
        self,
        *,
        run_id: str,
        instance: str,
        trigger: str,
        mode: str,
        bwdc_version: str | None,
        pid: int | None = None,
    ) -> None:
        line = format_start(
            self._clock(),
            run_id=run_id,
            instance=instance,
            trigger=trigger,
            mode=mode,
            bwdc_version=bwdc_version,
            pid=os.getpid() if pid is None else pid,
        )
        # A hand-made recipe's output cut mid-line would glue our marker to its last line.
        self._write(["", line] if self._ends_mid_line() else [line])

    def _ends_mid_line(self) -> bool:
        try:
            with open(self.path, "rb") as fh:
                if fh.seek(0, os.SEEK_END) == 0:
                    return False
                fh.seek(-1, os.SEEK_END)
                return fh.read(1) != b"\n"
        except OSError:
            return False

    def output(self, stream: str, text: str) -> None:
        lines = format_output_lines(
            self._clock(), stream, self._redact(text), max_chars=self._max_line_chars
        )
        self._write(lines)

    def note(self, text: str) -> None:
        """A line of bwdc-tray's own (``app|``): "logging in", "cleared a stale lock" …"""
        self.output("app", text)

    def end(
        self,
        *,
        run_id: str,
        result: str,
        exit_code: int | None,
        duration_s: float,
        groups: int | None,
        users: int | None,
        message: str,
        mode: str,
    ) -> None:
        line = format_end(
            self._clock(),
            run_id=run_id,
            result=result,
            exit_code=exit_code,
            duration_s=duration_s,
            groups=groups,
            users=users,
            message=self._redact(message),
            mode=mode,
        )
        self._write([line], closing=True)
        # The end marker is the run's outcome: make it survive a power cut.
        with self._lock, contextlib.suppress(OSError):
            if self._fd is not None:
                os.fsync(self._fd)

    def _write(self, lines: list[str], *, closing: bool = False) -> bool:
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        with self._lock:
            if self._fd is None:
                raise ValueError("write to a closed LogWriter")
            if self.error is not None and not closing:
                return False
            size: int | None = None
            try:
                size = os.fstat(self._fd).st_size
                view = memoryview(data)
                while view:
                    view = view[os.write(self._fd, view) :]
            except OSError as exc:
                self.error = self.error or exc
                if size is not None:
                    # A half-written line would be read as another run's text: take it back.
                    with contextlib.suppress(OSError):
                        os.ftruncate(self._fd, size)
                return False
            return True

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> LogWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --------------------------------------------------------------------------------------------
# Rotation
# --------------------------------------------------------------------------------------------


def _rotated(path: Path, index: int) -> Path:
    return path.with_name(f"{path.name}.{index}")


def rotated_paths(path: Path) -> list[Path]:
    """The existing older logs, newest first: ``log.1``, ``log.2`` … up to the first gap."""
    found = []
    for index in range(1, MAX_ROTATED + 1):
        candidate = _rotated(path, index)
        if not candidate.exists():
            break
        found.append(candidate)
    return found


def rotate_if_needed(path: Path, max_bytes: int, keep: int = 3) -> bool:
    """Past ``max_bytes``, shift ``log.(keep-1)`` → ``log.keep`` … and ``log`` → ``log.1``.

    Call it under the instance lock, right before writing a start marker, so a run never spans
    two files and ``read_runs`` finds the last runs in ``log`` then ``log.1`` … Returns whether it
    rotated. A failed rename (on Windows: a reader holds the file open) leaves at worst a gap in
    the numbering and returns False; the next run tries again.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    try:
        if path.stat().st_size <= max_bytes:
            return False
        with contextlib.suppress(FileNotFoundError):
            _rotated(path, keep).unlink()
        for index in range(keep - 1, 0, -1):
            older = _rotated(path, index)
            if older.exists():
                older.replace(_rotated(path, index + 1))
        path.replace(_rotated(path, 1))
    except OSError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One run as the log tells it. ``result is None``: no outcome recorded (yet)."""

    run_id: str | None
    started: datetime | None  # aware
    finished: datetime | None  # aware
    result: str | None  # "ok" | "failed" | "timeout" | "error" | None
    exit_code: int | None
    groups: int | None
    users: int | None
    message: str
    trigger: str  # "schedule" | "manual" | "unknown"
    source: str  # "runner" | "foreign"
    mode: str  # "sync" | "test"
    bwdc_version: str | None
    pid: int | None
    lines: tuple[str, ...] = field(repr=False)  # the raw lines of this run, for `bwdc-tray log`


def read_runs(path: Path, limit: int, *, include_tests: bool = True) -> list[Run]:
    """The last ``limit`` runs of the log at ``path`` (then ``path.1`` …), newest LAST.

    A missing log (and no rotated one) gives ``[]``: the caller reports "never". Other ``OSError``
    (permissions, a directory) propagates: the caller reports "unknown". Content never raises.
    """
    if limit <= 0:
        return []

    def keep(run: Run) -> bool:
        return include_tests or run.mode != "test"

    collected: list[Run] = []
    for index, candidate in enumerate([path, *rotated_paths(path)]):
        try:
            runs, whole_file = _scan_file(candidate, limit - len(collected), keep)
        except FileNotFoundError:
            if index == 0:
                continue  # just rotated and the run hasn't created the new file yet
            break
        collected = runs + collected
        # Stopped by the scan cap: older files would not continue this one.
        if len(collected) >= limit or not whole_file:
            break
    return collected[-limit:]


def last_sync_run(path: Path) -> Run | None:
    """The newest run in sync mode (a dry run never counts as the sync state), or None."""
    runs = read_runs(path, 1, include_tests=False)
    return runs[-1] if runs else None


def _open_binary(path: Path) -> IO[bytes]:
    # A seam: tests count the bytes read through it.
    return path.open("rb")


def _scan_file(path: Path, want: int, keep: Callable[[Run], bool]) -> tuple[list[Run], bool]:
    """The last ``want`` runs of one file that ``keep`` accepts, and whether all was read."""
    with _open_binary(path) as fh:
        st = os.fstat(fh.fileno())
        size = st.st_size  # appends that land while we read are for the next read
        if size == 0:
            return [], True
        mtime = datetime.fromtimestamp(st.st_mtime, tz=UTC).astimezone()
        buf = b""
        start = size
        found = found_at = 0  # whole runs so far, and the window size when that last grew
        runs: list[Run] = []
        whole: list[Run] = []
        while start > 0:
            # Double the window each time (parsing stays linear overall), but never scan more
            # than MAX_SCAN_PER_RUN past the last run boundary found.
            step = min(max(READ_BLOCK, len(buf)), start, found_at + MAX_SCAN_PER_RUN - len(buf))
            if step <= 0:
                break
            fh.seek(start - step)
            buf = fh.read(step) + buf  # short only if truncated under us: still parses
            start -= step
            runs = _parse_window(buf, at_bof=start == 0, mtime=mtime)
            # Unless the window starts at the beginning of the file, its first run may have
            # begun earlier: only the runs after it are whole.
            whole = runs if start == 0 else runs[1:]
            if len(whole) > found:
                found, found_at = len(whole), len(buf)
            if sum(1 for run in whole if keep(run)) >= want:
                break
        if start > 0 and sum(1 for run in whole if keep(run)) < want:
            # Gave up at the cap: a run that began before the window beats no run at all.
            whole = runs
        return [run for run in whole if keep(run)][-want:], start == 0


# --- bytes to lines ---------------------------------------------------------------------------


def _decode_line(raw: bytes) -> str:
    # Windows PowerShell 5 writes `>>` redirections as UTF-16LE: split on b"\n", each such line
    # keeps the NUL high byte of the previous newline in front. Detect it line by line so a log
    # that switched encodings (recipe, then bwdc-tray) still reads.
    if raw.count(0) * 3 >= len(raw) >= 2:
        body = raw[1:] if len(raw) % 2 and raw[0] == 0 else raw
        high, low = body[1::2], body[0::2]
        if len(body) % 2 == 0 and high.count(0) * 2 >= len(high) and low.count(0) * 2 < len(low):
            return body.decode("utf-16-le", "replace").removesuffix("\r").lstrip("\ufeff")
    return raw.decode("utf-8", "replace").removesuffix("\r").lstrip("\ufeff")


def _parse_window(buf: bytes, *, at_bof: bool, mtime: datetime) -> list[Run]:
    if not at_bof:
        buf = buf[buf.find(b"\n") + 1 :] if b"\n" in buf else b""  # begins mid-line
    if b"\x00" in buf:
        pieces = buf.split(b"\n")  # NULs: junk or UTF-16, decide line by line
        tail = pieces.pop()
        cut_last = tail not in (b"", b"\x00")  # no final newline: crash, or being written
        if cut_last:
            pieces.append(tail)
        lines = [_decode_line(piece) for piece in pieces]
    else:
        # Plain UTF-8 (the usual case): one decode; invalid bytes never swallow a b"\n".
        lines = buf.decode("utf-8", "replace").split("\n")
        tail_text = lines.pop()
        cut_last = tail_text != ""
        if cut_last:
            lines.append(tail_text)
        lines = [line.removesuffix("\r") for line in lines]
        if lines and lines[0].startswith("\ufeff"):
            lines[0] = lines[0].lstrip("\ufeff")
    return _parse_lines(lines, cut_last=cut_last, mtime=mtime)


# --- runner blocks --------------------------------------------------------------------------


class _Marker(NamedTuple):
    kind: str  # "start" | "end"
    ts: datetime
    run_id: str
    data: dict[str, Any]


def _parse_ts(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _parse_marker(line: str) -> _Marker | None:
    if _MARKER_TAG not in line:  # cheap test first: most lines are output
        return None
    m = _MARKER_RE.fullmatch(line)
    if m is None:
        return None
    ts = _parse_ts(m.group(1))
    try:
        data = json.loads(m.group(3))
    except (ValueError, RecursionError):
        return None
    if ts is None or not isinstance(data, dict) or not isinstance(data.get("run"), str):
        return None
    return _Marker(m.group(2), ts, data["run"], data)


def _int_or_none(value: object, *, minimum: int | None = None) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return None if minimum is not None and value < minimum else value


@dataclass
class _Block:
    start: _Marker | None
    lines: list[str]
    last_ours: int  # index in lines of the last line we wrote; later ones may be foreign


def _runner_run(block: _Block, end: _Marker | None) -> Run:
    begin = block.start.data if block.start else {}
    done = end.data if end else {}
    duration = done.get("duration_s")
    started = block.start.ts if block.start else None
    if started is None and end is not None and isinstance(duration, int | float):
        # The start marker is lost (cut off by the scan cap, or damaged): the end knows how long.
        with contextlib.suppress(OverflowError, ValueError):
            started = end.ts - timedelta(seconds=float(duration))
    result = done.get("result") if end else None
    if end is not None and result not in RESULTS:
        result = "error"
    trigger = begin.get("trigger")
    mode = done.get("mode", begin.get("mode"))
    version = begin.get("bwdc_version")
    message = done.get("message")
    marker = block.start or end
    return Run(
        run_id=marker.run_id if marker is not None else None,
        started=started,
        finished=end.ts if end else None,
        result=result if isinstance(result, str) else None,
        exit_code=_int_or_none(done.get("exit_code")),
        groups=_int_or_none(done.get("groups"), minimum=0),
        users=_int_or_none(done.get("users"), minimum=0),
        message=message if isinstance(message, str) else "",
        trigger=trigger if trigger in TRIGGERS else "unknown",
        source="runner",
        mode=mode if mode in MODES else "sync",
        bwdc_version=version if isinstance(version, str) else None,
        pid=_int_or_none(begin.get("pid")),
        lines=tuple(block.lines),
    )


def _is_ours(line: str, *, cut: bool) -> bool:
    return bool(_OURS_RE.match(line) or (cut and _OURS_CUT_RE.fullmatch(line)))


def _parse_lines(lines: list[str], *, cut_last: bool, mtime: datetime) -> list[Run]:
    """Runs in file order. A block runs from its start to its end marker; text outside blocks
    (and after the last line of ours in an unterminated block) is foreign."""
    runs: list[Run] = []
    foreign: list[str] = []
    foreign_cut = False  # whether foreign[-1] is the file's last line, cut short
    block: _Block | None = None
    last = len(lines) - 1

    def flush_foreign() -> None:
        if foreign:
            runs.extend(_foreign_runs(foreign, cut_last=foreign_cut))
            foreign.clear()

    def close_open(open_block: _Block) -> bool:
        # A runner killed mid-run leaves its block open; text appended after its last line of
        # ours is a recipe writing into the same file, unless it is only noise (a crash's NULs).
        trailing = open_block.lines[open_block.last_ours + 1 :]
        moved = bool(trailing) and _has_outcome_text(trailing)
        if moved:
            del open_block.lines[open_block.last_ours + 1 :]
            foreign.extend(trailing)
        runs.append(_runner_run(open_block, None))
        return moved

    for index, line in enumerate(lines):
        cut = cut_last and index == last
        marker = _parse_marker(line)
        if marker is not None and marker.kind == "start":
            if block is not None:
                close_open(block)
                block = None
            flush_foreign()
            block = _Block(marker, [line], 0)
        elif marker is not None:
            if (
                block is not None
                and block.start is not None
                and block.start.run_id == marker.run_id
            ):
                block.lines.append(line)
                runs.append(_runner_run(block, marker))
                block = None
                continue
            if block is not None:
                close_open(block)
                block = None
            # An end without its start: our lines just before it are its lines.
            first = len(foreign)
            while first > 0 and _OURS_RE.match(foreign[first - 1]):
                first -= 1
            orphan = foreign[first:]
            del foreign[first:]
            flush_foreign()
            runs.append(_runner_run(_Block(None, [*orphan, line], len(orphan)), marker))
        elif block is not None:
            block.lines.append(line)
            if _is_ours(line, cut=cut):
                block.last_ours = len(block.lines) - 1
        else:
            foreign.append(line)
            foreign_cut = cut
    if block is not None and close_open(block):
        foreign_cut = cut_last
    flush_foreign()
    if runs and runs[-1].source == "foreign" and runs[-1].result and runs[-1].finished is None:
        # The recipe's last output is the file's last write.
        runs[-1] = replace(runs[-1], finished=mtime)
    return runs


# --- foreign text (Bitwarden's recipe) ------------------------------------------------------

_DATE, _OK, _FAIL_JSON, _ERROR, _TEXT, _CONT, _FRAME, _NOISE = range(8)
# What makes a stretch of foreign text a failed run; the first three can be its message.
_FAILISH: Final = frozenset({_FAIL_JSON, _ERROR, _TEXT, _CONT, _FRAME})
_MESSAGE_KINDS: Final = frozenset({_FAIL_JSON, _ERROR, _TEXT})

_ANSI_RE: Final = _lazy_re(r"\x1b\[[0-9;?]*[A-Za-z]")
_SYNCED_RE: Final = _lazy_re(r"Synced ([0-9]+) group\(s\) and ([0-9]+) user\(s\)\.")
_PRETTY_MESSAGE_RE: Final = _lazy_re(r'"message"\s*:\s*("(?:[^"\\]|\\.)*")\s*,?')
_PRETTY_JSON_RE: Final = _lazy_re(r'"\w+"\s*:.*|[\[\]{},]+')
_BAD_CHAR_RE: Final = _lazy_re("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
_FRAME_RE: Final = _lazy_re(r"\s+at\s")
_ERROR_RE: Final = _lazy_re(
    r"(?:Uncaught )?(?:[A-Z][\w$]*)?(?:Error|Exception)(?: \[[\w-]+\])?: .*", re.ASCII
)
# Continuations of a message above them: indented lines, the emails of "Emails must be unique",
# and Node's "file.js:12" source excerpts.
_CONT_RE: Final = _lazy_re(
    r"and [0-9]+ more\.\.\.|[^\s@]+@[^\s@]+|(?:/|[A-Za-z]:\\|node:|file:)\S*:[0-9]+"
)
# bwdc's and Node's chatter that says nothing about the outcome (reference/bwdc.md §5.2, §1.2).
_NOISE_RE: Final = _lazy_re(
    r"""Syncing\ complete\.
    | You\ are\ logged\ in!
    | You\ are\ already\ logged\ in\b.*
    | You\ have\ logged\ out\.
    | Could\ not\ find\ (?:dir|data\ file),\ .*
    | Cannot\ query\ deleted\ users\.
    | (?:NativeSecureStorageService|StateMigrationService):\ .*
    | \(node:[0-9]+\)\ .*
    | \(Use\ `node\ --trace-.*
    | Node\.js\ v[0-9].*
    | Initializing\ lowdb\ storage\ service\.
    | db\ file\ ".*
    | acquiring\ db\ file\ lock
    | (?:Attempting\ to\ create|Successfully\ created)\ lowdb\ storage\ adapter\.
    | (?:Deleted\ )?(?:User|Group)\ search:\ .*
    | Querying\ (?:users|groups)\b.*
    | \^+
    """,
    re.VERBOSE,
)

_DAY_NAMES: Final = frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
_DAYS = "|".join(sorted(_DAY_NAMES))
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_RE = "|".join(_MONTHS)
_ZONE = r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?|[A-Za-z]{1,6})"
# date -Is / -Iseconds / -Ins, date '+%F %T' (optionally with %z or %Z), bwdc last-sync.
_ISO_DATE_RE: Final = _lazy_re(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?"
    rf"(?: ?{_ZONE})?",
    re.ASCII,
)
# date (C and en_US locales: "Mon Nov 30 02:56:56 UTC 2026", "… 02:56:56 AM UTC 2026").
_CTIME_RE: Final = _lazy_re(
    rf"(?:{_DAYS}) +({_MONTH_RE}) +([0-9]{{1,2}}) +([0-9]{{1,2}}):([0-9]{{2}}):([0-9]{{2}})"
    rf"(?: +([AP]M))?(?: +{_ZONE})? +([0-9]{{4}})",
    re.ASCII | re.IGNORECASE,
)
# date -R: "Mon, 30 Nov 2026 02:56:56 +0000".
_RFC_DATE_RE: Final = _lazy_re(
    rf"(?:{_DAYS}), +([0-9]{{1,2}}) +({_MONTH_RE}) +([0-9]{{4}}) +([0-9]{{2}}):([0-9]{{2}}):"
    rf"([0-9]{{2}}) +{_ZONE}",
    re.ASCII | re.IGNORECASE,
)
_DATE_DECORATION: Final = " \t=-#*[]<>|:"


def _zone(text: str | None) -> timezone | None:
    """A fixed zone, or None for local time (no zone, or an abbreviation such as CET: those
    are ambiguous, and the recipe's `date` ran on this machine, so local time is the best bet)."""
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT", "UT"):
        return UTC
    m = re.fullmatch(r"([+-])([0-9]{2}):?([0-9]{2})?", text)
    if m is None:
        return None
    offset = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    return timezone(-offset if m.group(1) == "-" else offset)


def _aware(
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int,
    micro: int,
    zone: str | None,
) -> datetime | None:
    try:
        tz = _zone(zone)
        naive = datetime(year, month, day, hour, minute, second, micro)
        return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    except (ValueError, OverflowError, OSError):
        return None


def _parse_date_line(text: str) -> datetime | None:
    """The time of a ``date`` line (the whole line is a date, give or take ``===`` decoration)."""
    text = text.strip(_DATE_DECORATION)
    if not 16 <= len(text) <= 48:
        return None
    if m := _ISO_DATE_RE.fullmatch(text):
        micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
        year, month, day, hour, minute, second = (int(m.group(i) or 0) for i in range(1, 7))
        return _aware(year, month, day, hour, minute, second, micro, m.group(8))
    if m := _CTIME_RE.fullmatch(text):
        hour = int(m.group(3))
        if m.group(6):
            hour = hour % 12 + (12 if m.group(6).upper() == "PM" else 0)
        month = _MONTHS.index(m.group(1).lower()) + 1
        minute, second = int(m.group(4)), int(m.group(5))
        return _aware(int(m.group(8)), month, int(m.group(2)), hour, minute, second, 0, m.group(7))
    if m := _RFC_DATE_RE.fullmatch(text):
        month = _MONTHS.index(m.group(2).lower()) + 1
        hms = int(m.group(4)), int(m.group(5)), int(m.group(6))
        return _aware(int(m.group(3)), month, int(m.group(1)), *hms, 0, m.group(7))
    return None


class _Item(NamedTuple):
    line: str
    kind: int
    value: Any  # datetime for _DATE, (groups, users) for _OK, the message for _FAIL_JSON


def _synced(text: object) -> tuple[int, int] | None:
    if isinstance(text, str) and (m := _SYNCED_RE.fullmatch(text)):
        return int(m.group(1)), int(m.group(2))
    return None


def _classify(raw: str, *, cut: bool) -> _Item:
    if _is_ours(raw, cut=cut):
        return _Item(raw, _NOISE, None)
    line = _ANSI_RE.sub("", raw) if "\x1b" in raw else raw
    text = line.replace("\x00", "").strip()
    if not text or len(_BAD_CHAR_RE.findall(text)) * 10 >= len(text) * 3:
        return _Item(raw, _NOISE, None)  # blank, or binary junk
    if text[0].isdigit() or text[:3].lower() in _DAY_NAMES or text[0] in _DATE_DECORATION:
        when = _parse_date_line(text)
        if when is not None:
            return _Item(raw, _DATE, when)
    if counts := _synced(text):
        return _Item(raw, _OK, counts)
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("success"), bool):
            inner = data.get("data")
            if isinstance(inner, dict) and (counts := _synced(inner.get("message"))):
                return _Item(raw, _OK, counts)
            if data["success"]:
                return _Item(raw, _NOISE, None)  # login, logout, config … answers
            message = data.get("message")
            return _Item(raw, _FAIL_JSON, message if isinstance(message, str) else text)
    if m := _PRETTY_MESSAGE_RE.fullmatch(text):  # --pretty --response
        with contextlib.suppress(ValueError):
            message = json.loads(m.group(1))
            if counts := _synced(message):
                return _Item(raw, _OK, counts)
            return _Item(raw, _FAIL_JSON, message)
    if _NOISE_RE.fullmatch(text) or _PRETTY_JSON_RE.fullmatch(text):
        return _Item(raw, _NOISE, None)
    if _FRAME_RE.match(line):
        return _Item(raw, _FRAME, None)
    if _ERROR_RE.fullmatch(text):
        return _Item(raw, _ERROR, None)
    if line[:1].isspace() or _CONT_RE.fullmatch(text):
        return _Item(raw, _CONT, None)
    return _Item(raw, _TEXT, None)


def _has_outcome_text(lines: list[str]) -> bool:
    return any(_classify(line, cut=False).kind != _NOISE for line in lines)


def _clean_message(text: str) -> str:
    text = escape_controls(text.replace("\x00", "").strip())
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[: MAX_MESSAGE_CHARS - 1] + "…"
    return text


def _failure_message(items: list[_Item]) -> str:
    """The newest line that says what went wrong.

    Scanning backwards skips stack frames, indented details and chatter, so a Node crash gives
    its ``TypeError: …`` line and "Emails must be unique…" beats the emails listed under it.
    """
    for item in reversed(items):
        if item.kind == _FAIL_JSON:
            return _clean_message(str(item.value))
        if item.kind in _MESSAGE_KINDS:
            return _clean_message(_ANSI_RE.sub("", item.line))
    for item in items:
        if item.kind in _FAILISH:
            return _clean_message(_ANSI_RE.sub("", item.line))
    return ""


def _foreign_run(
    items: list[_Item], started: datetime | None = None, finished: datetime | None = None
) -> Run:
    ok_at = max((i for i, item in enumerate(items) if item.kind == _OK), default=None)
    after = items if ok_at is None else items[ok_at + 1 :]
    groups = users = None
    if any(item.kind in _FAILISH for item in after):
        # The last word wins: a retry loop that succeeded after a failure is a success.
        result, message = "failed", _failure_message(after)
    elif ok_at is not None:
        result = "ok"
        groups, users = items[ok_at].value
        message = f"Synced {groups} group(s) and {users} user(s)."
    else:
        # A date line and nothing yet: still running, or `bwdc --quiet sync`.
        result, message = None, ""
    return Run(
        run_id=None,
        started=started,
        finished=finished,
        result=result,
        exit_code=None,
        groups=groups,
        users=users,
        message=message,
        trigger="unknown",
        source="foreign",
        mode="sync",
        bwdc_version=None,
        pid=None,
        lines=tuple(item.line for item in items),
    )


def _undated_runs(items: list[_Item]) -> list[Run]:
    """Without date lines a success ends a run; failures before a success are one failed run,
    and what follows the last success is one failed run (or, if only chatter, the last run's)."""
    runs: list[Run] = []
    begin = 0
    for index, item in enumerate(items):
        if item.kind != _OK:
            continue
        segment = items[begin : index + 1]
        failing = [i for i, it in enumerate(segment[:-1]) if it.kind in _FAILISH]
        if failing:
            cut = failing[-1] + 1
            runs.append(_foreign_run(segment[:cut]))
            segment = segment[cut:]
        runs.append(_foreign_run(segment))
        begin = index + 1
    rest = items[begin:]
    if any(item.kind in _FAILISH for item in rest):
        runs.append(_foreign_run(rest))
    elif runs and rest:
        runs[-1] = replace(runs[-1], lines=runs[-1].lines + tuple(item.line for item in rest))
    return runs


def _foreign_runs(lines: list[str], *, cut_last: bool) -> list[Run]:
    # A recipe that failed for months repeats the same few lines: classify each text once.
    memo: dict[str, _Item] = {}
    items = []
    for line in lines[:-1] if cut_last else lines:
        item = memo.get(line)
        if item is None:
            item = memo[line] = _classify(line, cut=False)
        items.append(item)
    if cut_last and lines:
        items.append(_classify(lines[-1], cut=True))
    dates = [i for i, item in enumerate(items) if item.kind == _DATE]
    runs = _undated_runs(items[: dates[0] if dates else len(items)])
    closing_dates = False
    for n, at in enumerate(dates):
        block = items[at : dates[n + 1] if n + 1 < len(dates) else len(items)]
        is_last = n + 1 == len(dates)
        empty = not any(item.kind in _FAILISH or item.kind == _OK for item in block)
        prev = runs[-1] if runs else None
        # `date; bwdc sync; date`: a date with nothing after it, right after a finished run,
        # closes that run rather than starting one (for the newest, only once seen earlier).
        if (
            empty
            and prev is not None
            and prev.source == "foreign"
            and prev.result is not None
            and prev.started is not None
            and prev.finished is None
            and (not is_last or closing_dates)
        ):
            closing_dates = True
            lines_ = prev.lines + tuple(item.line for item in block)
            runs[-1] = replace(prev, finished=block[0].value, lines=lines_)
            continue
        runs.append(_foreign_run(block, started=block[0].value))
    return runs


def iter_lines(runs: list[Run]) -> Iterator[str]:
    """Every raw line of ``runs``, oldest first, escaped for a terminal (for ``bwdc-tray log``)."""
    for run in runs:
        for line in run.lines:
            yield escape_controls(line)

"""The system log channel: one entry per run end, in the log the machine's admins already read.

- Linux: journald's native protocol (a datagram of KEY=VALUE fields to
  /run/systemd/journal/socket, https://systemd.io/JOURNAL_NATIVE_PROTOCOL/) when journald runs,
  else a syslog line (RFC 3164, as glibc's syslog() writes it) to /dev/log, facility user.
- macOS: the unified log, through `/usr/bin/logger` (the command-runner seam).
- Windows: the Application event log, source "bwdc-tray", through advapi32 (ctypes).

The text never holds a secret: the runner redacts bwdc's output before the event is made, and
the event holds no more than names, the result, the message and the counts. Sending never
raises: every failure is a Delivery(ok=False) that the dispatcher records.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import struct
import sys
import time
from typing import Any

from bwdc_tray.alerts.model import Delivery, RunEvent
from bwdc_tray.oscmd import CommandRunner, run_command

CHANNEL = "system-log"
IDENT = "bwdc-tray"
JOURNAL_SOCKET = "/run/systemd/journal/socket"
SYSLOG_SOCKET = "/dev/log"
LOGGER = "/usr/bin/logger"
PROTOCOLS = ("journald", "syslog")

# The single-line text: a classic syslog packet is at most 1024 bytes (RFC 3164 §4.1), the
# header takes < 64 of them. The journal's own copy of bwdc's message may be longer and
# multi-line (BWDC_TRAY_MESSAGE), but is bounded too so a datagram always fits.
MAX_TEXT_BYTES = 960
MAX_FIELD_BYTES = 8192
SEND_TIMEOUT_S = 2.0

# syslog severities (RFC 5424 §6.2.1) and the facility "user".
LOG_ERR, LOG_NOTICE, LOG_INFO = 3, 5, 6
FACILITY_USER = 1

# Windows: ReportEventW's event types, and our event ids (1..1000 so that EventCreate.exe's
# message table, registered by the installer, has a "%1" text for each of them).
EVENTLOG_ERROR_TYPE = 0x0001
EVENTLOG_INFORMATION_TYPE = 0x0004
EVENT_ID_FAILURE, EVENT_ID_SUCCESS, EVENT_ID_TEST = 1, 2, 3

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def severity(event: RunEvent) -> int:
    """err for a failed run, notice for a recovery or a test, info for a plain success."""
    if event.kind == "failure" or (event.result is not None and not event.ok):
        return LOG_ERR
    if event.kind in ("recovery", "test"):
        return LOG_NOTICE
    return LOG_INFO


def escape(text: str) -> str:
    """One line: control characters (C0, DEL, C1, line and paragraph separators) escaped."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif code in (0x2028, 0x2029) or 0xD800 <= code < 0xE000:  # or a lone surrogate
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes, cut on a character boundary, marked with "…"."""
    data = _utf8(text)
    if len(data) <= limit:
        return text
    cut = data[: limit - 3].decode("utf-8", "ignore")
    return cut + "…"


def _utf8(text: str) -> bytes:
    """UTF-8; bytes that were not UTF-8 (surrogateescape'd) go back as they were."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def format_text(event: RunEvent) -> str:
    """`bwdc-tray: <instance> <result>: <message> (<G> groups, <U> users)`: one bounded line.

    It always starts with "bwdc-tray:", so it can never be read as an option by `logger`.
    """
    result = event.result or event.kind
    if event.kind in ("recovery", "test"):
        result = f"{result} ({event.kind})"
    counts = ""
    if event.groups is not None or event.users is not None:
        counts = f" ({_count(event.groups)} groups, {_count(event.users)} users)"
    head = f"{IDENT}: {escape(event.instance)[:128]} {escape(result)[:64]}: "
    message = escape(event.message.strip()) or "(no message)"
    room = MAX_TEXT_BYTES - len((head + counts).encode("utf-8"))
    return head + truncate(message, max(room, 16)) + counts


# --- the entry point ----------------------------------------------------------------------------


def send(
    event: RunEvent,
    *,
    platform: str = sys.platform,
    address: str | None = None,
    protocol: str | None = None,
    runner: CommandRunner = run_command,
) -> Delivery:
    """Write one entry for a run's end; a "start" event is skipped. Never raises.

    ``address`` replaces the socket path (tests bind their own); ``protocol`` ("journald" or
    "syslog") chooses what is spoken on it. Without either: journald where its socket exists,
    else syslog on /dev/log.
    """
    if event.kind == "start":
        return Delivery(CHANNEL, True, "skipped: the system log records run ends only", True)
    try:
        if platform == "darwin":
            return _send_macos(event, runner)
        if platform == "win32":
            return _send_windows(event)
        return _send_unix(event, address, protocol)
    except Exception as exc:  # never let the log channel break the run's end
        return Delivery(CHANNEL, False, f"failed: {type(exc).__name__}: {exc}")


# --- Linux and other Unix: journald, else syslog ------------------------------------------------


def _send_unix(event: RunEvent, address: str | None, protocol: str | None) -> Delivery:
    if protocol is not None and protocol not in PROTOCOLS:
        return Delivery(CHANNEL, False, f"failed: unknown protocol {protocol!r}")
    if protocol is None and address is None:
        if os.path.exists(JOURNAL_SOCKET):
            try:
                _send_datagram(JOURNAL_SOCKET, journal_payload(event))
                return Delivery(CHANNEL, True, "journald: written")
            except OSError:
                pass  # journald restarting or gone: the syslog socket may still be there
        return _syslog(event, SYSLOG_SOCKET)
    if protocol is None:
        protocol = "journald" if address == JOURNAL_SOCKET else "syslog"
    if protocol == "journald":
        path = address or JOURNAL_SOCKET
        try:
            _send_datagram(path, journal_payload(event))
        except OSError as exc:
            return Delivery(CHANNEL, False, f"journald ({path}): {_reason(exc)}")
        return Delivery(CHANNEL, True, "journald: written")
    return _syslog(event, address or SYSLOG_SOCKET)


def _syslog(event: RunEvent, path: str) -> Delivery:
    try:
        how = _send_syslog(path, syslog_packet(event))
    except OSError as exc:
        return Delivery(
            CHANNEL,
            False,
            f"syslog ({path}): {_reason(exc)}; is a syslog daemon or systemd-journald running?",
        )
    return Delivery(CHANNEL, True, f"syslog ({path}, {how}): written")


def _reason(exc: OSError) -> str:
    if exc.errno is not None and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _journal_field(name: str, value: str) -> bytes:
    """KEY=VALUE\\n, or for a value with a newline the binary-safe form:
    KEY\\n, the value's length as 64-bit little endian, the value, \\n."""
    data = _utf8(value)
    key = name.encode("ascii")
    if b"\n" in data:
        return key + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
    return key + b"=" + data + b"\n"


def journal_fields(event: RunEvent) -> list[tuple[str, str]]:
    fields = [
        ("MESSAGE", format_text(event)),
        ("PRIORITY", str(severity(event))),
        ("SYSLOG_IDENTIFIER", IDENT),
        ("SYSLOG_FACILITY", str(FACILITY_USER)),
        ("BWDC_TRAY_EVENT", event.kind),
        ("BWDC_TRAY_INSTANCE", event.instance),
        ("BWDC_TRAY_RESULT", event.result or ""),
        ("BWDC_TRAY_RUN_ID", event.run_id),
        ("BWDC_TRAY_TRIGGER", event.trigger),
    ]
    if event.groups is not None:
        fields.append(("BWDC_TRAY_GROUPS", str(event.groups)))
    if event.users is not None:
        fields.append(("BWDC_TRAY_USERS", str(event.users)))
    if event.duration_s is not None:
        fields.append(("BWDC_TRAY_DURATION_S", f"{event.duration_s:.3f}"))
    # bwdc's message as it was (it may span lines: the journal is binary-safe), bounded.
    fields.append(("BWDC_TRAY_MESSAGE", truncate(event.message, MAX_FIELD_BYTES)))
    return fields


def journal_payload(event: RunEvent) -> bytes:
    return b"".join(_journal_field(k, v) for k, v in journal_fields(event))


def syslog_packet(event: RunEvent, now: float | None = None) -> bytes:
    """`<PRI>Mmm dd hh:mm:ss bwdc-tray[pid]: text`, as glibc's syslog() writes to /dev/log
    (the local daemon adds the host name). English month names whatever the locale."""
    tm = time.localtime(time.time() if now is None else now)
    stamp = (
        f"{_MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} {tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}"
    )
    pri = FACILITY_USER * 8 + severity(event)
    line = f"<{pri}>{stamp} {IDENT}[{os.getpid()}]: {format_text(event)}"
    return _utf8(line)


def _send_datagram(path: str, data: bytes) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.settimeout(SEND_TIMEOUT_S)
        sock.sendto(data, path)


def _send_syslog(path: str, data: bytes) -> str:
    """A datagram; where /dev/log is a stream socket (some syslog-ng setups), a stream with
    a NUL after the message, as glibc frames it."""
    try:
        _send_datagram(path, data)
        return "datagram"
    except OSError as exc:
        if exc.errno not in (errno.EPROTOTYPE, errno.ENOTSOCK, errno.EOPNOTSUPP):
            raise
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(SEND_TIMEOUT_S)
        sock.connect(path)
        sock.sendall(data + b"\0")
    return "stream"


# --- macOS: the unified log ---------------------------------------------------------------------


def _send_macos(event: RunEvent, runner: CommandRunner) -> Delivery:
    # logger's user.info lands in the unified log's "info" level, which is not persisted by
    # default: a success is logged as notice (the "default" level), a failure as err.
    prio = "user.err" if severity(event) == LOG_ERR else "user.notice"
    argv = [LOGGER, "-t", IDENT, "-p", prio, format_text(event)]
    try:
        done = runner(argv)
    except OSError as exc:
        return Delivery(CHANNEL, False, f"unified log: {LOGGER}: {_reason(exc)}")
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        first = escape(why[0])[:200] if why else ""
        return Delivery(
            CHANNEL, False, f"unified log: logger exited {done.returncode}: {first}".rstrip(": ")
        )
    return Delivery(CHANNEL, True, "unified log: written (logger)")


# --- Windows: the Application event log ---------------------------------------------------------
#
# Without a registered message file for the source, Event Viewer shows "The description for
# Event ID 1 from source bwdc-tray cannot be found. …" before our string (the string itself is
# there, under "The following information was included with the event"). ReportEventW works
# without registration (the event goes to the Application log under our source name); only
# the display suffers. The installer (elevated: HKLM) fixes it by creating
#   HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\bwdc-tray
#     EventMessageFile  REG_EXPAND_SZ  %SystemRoot%\System32\EventCreate.exe
#     TypesSupported    REG_DWORD      7
#     CustomSource      REG_DWORD      1      (what eventcreate.exe itself writes)
# EventCreate.exe's message table maps every id 1..1000 to "%1" (why `eventcreate /id` refuses
# ids above 1000; Go's x/sys eventlog.InstallAsEventCreate does exactly this), hence our ids.


def windows_event(event: RunEvent) -> tuple[int, int]:
    """(event type, event id) for ReportEventW."""
    if event.kind == "test":
        kind = EVENTLOG_ERROR_TYPE if severity(event) == LOG_ERR else EVENTLOG_INFORMATION_TYPE
        return kind, EVENT_ID_TEST
    if severity(event) == LOG_ERR:
        return EVENTLOG_ERROR_TYPE, EVENT_ID_FAILURE
    return EVENTLOG_INFORMATION_TYPE, EVENT_ID_SUCCESS


def _advapi32() -> Any:
    """advapi32 with the prototypes we call (handles are pointer-sized on 64-bit Windows)."""
    if sys.platform == "win32":
        import ctypes

        lib = ctypes.WinDLL("advapi32", use_last_error=True)
        handle, word, dword = ctypes.c_void_p, ctypes.c_uint16, ctypes.c_uint32
        lib.RegisterEventSourceW.argtypes = [ctypes.c_wchar_p, ctypes.c_wchar_p]
        lib.RegisterEventSourceW.restype = handle
        lib.ReportEventW.argtypes = [
            handle,  # hEventLog
            word,  # wType
            word,  # wCategory
            dword,  # dwEventID
            ctypes.c_void_p,  # lpUserSid
            word,  # wNumStrings
            dword,  # dwDataSize
            ctypes.POINTER(ctypes.c_wchar_p),  # lpStrings
            ctypes.c_void_p,  # lpRawData
        ]
        lib.ReportEventW.restype = ctypes.c_int
        lib.DeregisterEventSource.argtypes = [handle]
        lib.DeregisterEventSource.restype = ctypes.c_int
        return lib
    raise OSError(errno.ENOSYS, "the Windows event log exists only on Windows")


def _last_error() -> int:
    if sys.platform == "win32":
        import ctypes

        return ctypes.get_last_error()
    return 0


def _send_windows(event: RunEvent) -> Delivery:
    import ctypes

    try:
        api = _advapi32()
    except (OSError, AttributeError) as exc:
        return Delivery(CHANNEL, False, f"event log: advapi32 unavailable: {exc}")
    text = format_text(event)
    kind, event_id = windows_event(event)
    source = api.RegisterEventSourceW(None, IDENT)
    if not source:
        code = _last_error()
        return Delivery(
            CHANNEL, False, f"event log: cannot open the Application log as {IDENT} (error {code})"
        )
    try:
        strings = (ctypes.c_wchar_p * 1)(text)
        ok = api.ReportEventW(source, kind, 0, event_id, None, 1, 0, strings, None)
        if not ok:
            code = _last_error()
            return Delivery(CHANNEL, False, f"event log: ReportEventW failed (error {code})")
    finally:
        with contextlib.suppress(Exception):
            api.DeregisterEventSource(source)
    return Delivery(CHANNEL, True, f"event log: Application/{IDENT}, event id {event_id}")

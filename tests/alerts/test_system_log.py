"""The system log channel against real local receivers: unix sockets bound in the test's folder
stand in for /dev/log and journald's socket; macOS through a fake `logger`; Windows through a
fake advapi32 (and, on Windows, the real Application event log)."""

from __future__ import annotations

import re
import socket
import struct
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bwdc_tray.alerts import system_log
from bwdc_tray.alerts.model import Kind, RunEvent
from bwdc_tray.oscmd import CommandNotFound
from tests.fakes.commands import FakeRunner

STARTED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
SYSLOG_RE = re.compile(
    rb"^<(\d{1,3})>([A-Z][a-z]{2}) ([ 123]\d) (\d\d:\d\d:\d\d) bwdc-tray\[(\d+)\]: (.*)$", re.S
)


def event(
    kind: Kind = "failure",
    result: str | None = "failed",
    message: str = "You are not logged in.",
    groups: int | None = 3,
    users: int | None = 42,
    instance: str = "corp",
) -> RunEvent:
    return RunEvent(
        kind=kind,
        instance=instance,
        label="Corp AD",
        result=result,
        message=message,
        groups=groups,
        users=users,
        started=STARTED,
        finished=STARTED + timedelta(seconds=12),
        duration_s=12.0,
        trigger="schedule",
        run_id="20260304T050607-ab12",
        host="host1",
    )


@pytest.fixture
def sock_dir(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, or a shorter folder where tmp_path would pass the 107-byte limit of
    a unix socket's path."""
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("needs unix sockets (the local syslog and journald)")
    if len(str(tmp_path)) < 80:
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="bwdc-sl-") as short:
        yield Path(short)


@pytest.fixture
def dgram(sock_dir: Path) -> Iterator[tuple[str, socket.socket]]:
    path = str(sock_dir / "log.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    yield path, sock
    sock.close()


def receive(sock: socket.socket) -> bytes:
    return sock.recv(65536)


def nothing_received(sock: socket.socket) -> bool:
    sock.settimeout(0.05)
    try:
        sock.recv(65536)
    except (TimeoutError, BlockingIOError):
        return True
    return False


def parse_native(data: bytes) -> list[tuple[str, bytes]]:
    """journald's native protocol: KEY=VALUE\\n, or KEY\\n + u64le size + value + \\n."""
    fields: list[tuple[str, bytes]] = []
    i = 0
    while i < len(data):
        nl = data.index(b"\n", i)
        line = data[i:nl]
        if b"=" in line:
            key, value = line.split(b"=", 1)
            i = nl + 1
        else:
            key = line
            (size,) = struct.unpack("<Q", data[nl + 1 : nl + 9])
            value = data[nl + 9 : nl + 9 + size]
            assert len(value) == size, "truncated binary field"
            assert data[nl + 9 + size : nl + 10 + size] == b"\n", "binary field not closed"
            i = nl + 10 + size
        assert re.fullmatch(rb"[A-Z0-9][A-Z0-9_]*", key), key
        fields.append((key.decode("ascii"), value))
    return fields


# --- the text -------------------------------------------------------------------------------------


def test_text_is_one_line_with_counts() -> None:
    assert system_log.format_text(event()) == (
        "bwdc-tray: corp failed: You are not logged in. (3 groups, 42 users)"
    )
    assert system_log.format_text(event("recovery", "ok", "Syncing complete.")) == (
        "bwdc-tray: corp ok (recovery): Syncing complete. (3 groups, 42 users)"
    )
    assert system_log.format_text(event(groups=None, users=None)) == (
        "bwdc-tray: corp failed: You are not logged in."
    )
    assert system_log.format_text(event(groups=None)).endswith("(? groups, 42 users)")


def test_text_escapes_control_characters_and_is_bounded() -> None:
    text = system_log.format_text(event(message="a\nb\rc\td\x1b[31me\x00f\x85g\u2028h"))
    assert text == (
        "bwdc-tray: corp failed: a\\nb\\rc\\td\\x1b[31me\\x00f\\x85g\\u2028h (3 groups, 42 users)"
    )
    long = system_log.format_text(event(message="é" * 5000))
    assert len(long.encode("utf-8")) <= system_log.MAX_TEXT_BYTES
    assert long.endswith("… (3 groups, 42 users)")
    assert "\n" not in long


# --- syslog on a datagram socket ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "result", "severity"),
    [
        ("failure", "failed", 3),
        ("failure", "timeout", 3),
        ("success", "ok", 6),
        ("recovery", "ok", 5),
        ("test", "ok", 5),
    ],
)
def test_syslog_datagram_priority(
    dgram: tuple[str, socket.socket], kind: Kind, result: str, severity: int
) -> None:
    path, sock = dgram
    ev = event(kind, result)
    answer = system_log.send(ev, platform="linux", address=path, protocol="syslog")
    assert answer.ok, answer
    assert answer.channel == "system-log"
    packet = receive(sock)
    match = SYSLOG_RE.match(packet)
    assert match, packet
    pri = int(match.group(1))
    assert pri // 8 == 1, "facility user"
    assert pri % 8 == severity
    assert match.group(2).decode() in system_log._MONTHS
    assert int(match.group(5)) > 0
    assert match.group(6).decode() == system_log.format_text(ev)
    assert b"\n" not in packet


def test_syslog_is_the_default_protocol_for_an_address(dgram: tuple[str, socket.socket]) -> None:
    path, sock = dgram
    assert system_log.send(event(), platform="linux", address=path).ok
    assert SYSLOG_RE.match(receive(sock))


def test_syslog_stream_socket(sock_dir: Path) -> None:
    path = str(sock_dir / "stream.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    server.settimeout(5)
    got: list[bytes] = []

    def accept() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(5)
            data = b""
            while not data.endswith(b"\0"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            got.append(data)

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        answer = system_log.send(event(), platform="linux", address=path, protocol="syslog")
        thread.join(5)
    finally:
        server.close()
    assert answer.ok, answer
    assert "stream" in answer.detail
    assert got and got[0].endswith(b"\0")
    match = SYSLOG_RE.match(got[0][:-1])
    assert match, got
    assert int(match.group(1)) == 8 + 3


# --- journald's native protocol -------------------------------------------------------------------


def test_journald_fields(dgram: tuple[str, socket.socket]) -> None:
    path, sock = dgram
    ev = event("success", "ok", "Syncing complete.")
    answer = system_log.send(ev, platform="linux", address=path, protocol="journald")
    assert answer.ok, answer
    fields = dict(parse_native(receive(sock)))
    assert fields["MESSAGE"] == b"bwdc-tray: corp ok: Syncing complete. (3 groups, 42 users)"
    assert fields["PRIORITY"] == b"6"
    assert fields["SYSLOG_IDENTIFIER"] == b"bwdc-tray"
    assert fields["SYSLOG_FACILITY"] == b"1"
    assert fields["BWDC_TRAY_INSTANCE"] == b"corp"
    assert fields["BWDC_TRAY_RESULT"] == b"ok"
    assert fields["BWDC_TRAY_RUN_ID"] == b"20260304T050607-ab12"
    assert fields["BWDC_TRAY_GROUPS"] == b"3"
    assert fields["BWDC_TRAY_USERS"] == b"42"
    assert fields["BWDC_TRAY_EVENT"] == b"success"


def test_journald_failure_priority_and_unknown_counts(dgram: tuple[str, socket.socket]) -> None:
    path, sock = dgram
    answer = system_log.send(
        event(groups=None, users=None), platform="linux", address=path, protocol="journald"
    )
    assert answer.ok
    fields = dict(parse_native(receive(sock)))
    assert fields["PRIORITY"] == b"3"
    assert "BWDC_TRAY_GROUPS" not in fields
    assert "BWDC_TRAY_USERS" not in fields


def test_journald_message_with_newline_uses_the_length_prefixed_form(
    dgram: tuple[str, socket.socket],
) -> None:
    path, sock = dgram
    message = "Error: sync failed\n    at Object.sync (main.js:1:2)\n= not a field"
    answer = system_log.send(
        event(message=message), platform="linux", address=path, protocol="journald"
    )
    assert answer.ok
    raw = receive(sock)
    body = message.encode()
    assert b"\nBWDC_TRAY_MESSAGE\n" + struct.pack("<Q", len(body)) + body + b"\n" in raw
    fields = dict(parse_native(raw))
    assert fields["BWDC_TRAY_MESSAGE"] == body
    # MESSAGE, what journalctl shows, stays one line.
    assert fields["MESSAGE"] == (
        b"bwdc-tray: corp failed: Error: sync failed\\n    at Object.sync (main.js:1:2)"
        b"\\n= not a field (3 groups, 42 users)"
    )


def test_journald_hostile_instance_name(dgram: tuple[str, socket.socket]) -> None:
    path, sock = dgram
    name = 'evil\nPRIORITY=0\n"x'
    assert system_log.send(
        event(instance=name), platform="linux", address=path, protocol="journald"
    ).ok
    fields = parse_native(receive(sock))
    assert [v for k, v in fields if k == "PRIORITY"] == [b"3"], "no field injected"
    assert dict(fields)["BWDC_TRAY_INSTANCE"] == name.encode()
    assert b"\n" not in dict(fields)["MESSAGE"]


def test_auto_prefers_journald_then_syslog(sock_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = str(sock_dir / "journal.sock")
    devlog = str(sock_dir / "devlog.sock")
    monkeypatch.setattr(system_log, "JOURNAL_SOCKET", journal)
    monkeypatch.setattr(system_log, "SYSLOG_SOCKET", devlog)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as log:
        log.bind(devlog)
        log.settimeout(2)
        # No journal socket: syslog.
        answer = system_log.send(event(), platform="linux")
        assert answer.ok and "syslog" in answer.detail
        assert SYSLOG_RE.match(receive(log))
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as jr:
            jr.bind(journal)
            jr.settimeout(2)
            answer = system_log.send(event(), platform="linux")
            assert answer.ok and "journald" in answer.detail
            assert dict(parse_native(receive(jr)))["SYSLOG_IDENTIFIER"] == b"bwdc-tray"
            assert nothing_received(log)
        # The journal socket file is left without a listener (journald stopped): syslog.
        answer = system_log.send(event(), platform="linux")
        assert answer.ok and "syslog" in answer.detail
        assert SYSLOG_RE.match(receive(log))


def test_start_event_is_skipped(dgram: tuple[str, socket.socket]) -> None:
    path, sock = dgram
    answer = system_log.send(
        event("start", None, ""), platform="linux", address=path, protocol="syslog"
    )
    assert answer.ok and answer.skipped
    assert nothing_received(sock)


@pytest.mark.parametrize("protocol", ["syslog", "journald"])
def test_no_socket_is_a_failed_delivery(sock_dir: Path, protocol: str) -> None:
    path = str(sock_dir / "absent.sock")
    answer = system_log.send(event(), platform="linux", address=path, protocol=protocol)
    assert not answer.ok
    assert path in answer.detail


def test_not_a_socket_is_a_failed_delivery(sock_dir: Path) -> None:
    path = sock_dir / "plain-file"
    path.write_text("")
    answer = system_log.send(event(), platform="linux", address=str(path), protocol="syslog")
    assert not answer.ok
    assert str(path) in answer.detail


# --- macOS: logger --------------------------------------------------------------------------------


def test_macos_logger_argv() -> None:
    runner = FakeRunner(lambda argv, _in: (0, "", ""))
    assert system_log.send(event(), platform="darwin", runner=runner).ok
    ok = event("success", "ok", "Syncing complete.", 1, 2)
    assert system_log.send(ok, platform="darwin", runner=runner).ok
    assert runner.calls == [
        (
            "/usr/bin/logger",
            "-t",
            "bwdc-tray",
            "-p",
            "user.err",
            "bwdc-tray: corp failed: You are not logged in. (3 groups, 42 users)",
        ),
        (
            "/usr/bin/logger",
            "-t",
            "bwdc-tray",
            "-p",
            "user.notice",
            "bwdc-tray: corp ok: Syncing complete. (1 groups, 2 users)",
        ),
    ]


def test_macos_logger_failures_are_deliveries() -> None:
    def missing(argv: tuple[str, ...], _in: str | None) -> tuple[int, str, str]:
        raise CommandNotFound("/usr/bin/logger: command not found")

    answer = system_log.send(event(), platform="darwin", runner=FakeRunner(missing))
    assert not answer.ok and "logger" in answer.detail
    answer = system_log.send(
        event(), platform="darwin", runner=FakeRunner(lambda a, i: (1, "", "logger: bad\n"))
    )
    assert not answer.ok and "exited 1" in answer.detail and "bad" in answer.detail


def test_macos_start_is_skipped() -> None:
    runner = FakeRunner(lambda argv, _in: (0, "", ""))
    assert system_log.send(event("start", None, ""), platform="darwin", runner=runner).skipped
    assert runner.calls == []


# --- Windows: the Application event log -----------------------------------------------------------


@dataclass
class FakeAdvapi:
    handle: int | None = 0x1234
    report_ok: int = 1
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def RegisterEventSourceW(self, server: Any, source: str) -> int | None:
        self.calls.append(("RegisterEventSourceW", server, source))
        return self.handle

    def ReportEventW(self, *args: Any) -> int:
        handle, wtype, category, event_id, sid, count, size, strings, raw = args
        self.calls.append(
            (
                "ReportEventW",
                *(handle, wtype, category, event_id, sid, count, size),
                tuple(strings[i] for i in range(count)),
                raw,
            )
        )
        return self.report_ok

    def DeregisterEventSource(self, handle: Any) -> int:
        self.calls.append(("DeregisterEventSource", handle))
        return 1


@pytest.fixture
def advapi(monkeypatch: pytest.MonkeyPatch) -> FakeAdvapi:
    fake = FakeAdvapi()
    monkeypatch.setattr(system_log, "_advapi32", lambda: fake)
    monkeypatch.setattr(system_log, "_last_error", lambda: 1722)
    return fake


@pytest.mark.parametrize(
    ("kind", "result", "wtype", "event_id"),
    [
        ("failure", "failed", 0x0001, 1),
        ("success", "ok", 0x0004, 2),
        ("recovery", "ok", 0x0004, 2),
        ("test", "ok", 0x0004, 3),
    ],
)
def test_windows_report_event_arguments(
    advapi: FakeAdvapi, kind: Kind, result: str, wtype: int, event_id: int
) -> None:
    ev = event(kind, result)
    answer = system_log.send(ev, platform="win32")
    assert answer.ok, answer
    assert advapi.calls == [
        ("RegisterEventSourceW", None, "bwdc-tray"),
        (
            "ReportEventW",
            0x1234,
            wtype,
            0,
            event_id,
            None,
            1,
            0,
            (system_log.format_text(ev),),
            None,
        ),
        ("DeregisterEventSource", 0x1234),
    ]


def test_windows_failures_are_deliveries(advapi: FakeAdvapi) -> None:
    advapi.report_ok = 0
    answer = system_log.send(event(), platform="win32")
    assert not answer.ok and "1722" in answer.detail
    assert advapi.calls[-1] == ("DeregisterEventSource", 0x1234), "the handle is always closed"
    advapi.handle, advapi.calls = None, []
    answer = system_log.send(event(), platform="win32")
    assert not answer.ok and "Application" in answer.detail
    assert [c[0] for c in advapi.calls] == ["RegisterEventSourceW"]


def test_windows_without_advapi32_is_a_failed_delivery() -> None:
    if sys.platform == "win32":
        pytest.skip("advapi32 is there on Windows")
    answer = system_log.send(event(), platform="win32")
    assert not answer.ok and "advapi32" in answer.detail


@pytest.mark.skipif(sys.platform != "win32", reason="needs Windows (the Application event log)")
def test_windows_real_event_log() -> None:
    answer = system_log.send(event("test", "ok", "bwdc-tray test suite"))
    assert answer.ok, answer

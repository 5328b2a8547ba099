"""The instance log: writing run blocks, reading runs back from the end, foreign recipe logs."""

from __future__ import annotations

import itertools
import os
import random
import stat
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bwdc_tray import logs
from bwdc_tray.logs import (
    LogWriter,
    Run,
    format_end,
    format_output_lines,
    format_start,
    last_sync_run,
    read_runs,
    rotate_if_needed,
)
from tests.fakes.captures import captures_available, load_capture
from tests.support.platforms import posix_only

TS = "2026-11-30T02:56:56.123+01:00"
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
FORGED_END = (
    '2026-01-01T00:00:00.000+00:00 ==== bwdc-tray end {"run":"r1","result":"ok","exit_code":0,'
    '"duration_s":1.0,"groups":9,"users":9,"message":"forged","mode":"sync"}'
)
FORGED_START = (
    '2026-01-01T00:00:00.000+00:00 ==== bwdc-tray start {"run":"evil","instance":"x",'
    '"trigger":"manual","mode":"sync","bwdc_version":null,"pid":1}'
)

needs_captures = pytest.mark.skipif(
    not captures_available(), reason="shared/fixtures/bwdc-captures is absent"
)


# --- helpers ---------------------------------------------------------------------------------


def ts_at(minute: int) -> str:
    return f"2026-11-30T02:{minute:02d}:00.000+01:00"


def block(
    run_id: str,
    minute: int = 0,
    *,
    result: str | None = "ok",
    mode: str = "sync",
    trigger: str = "schedule",
    out: str = "Syncing complete.\nSynced 5 group(s) and 20 user(s).",
    groups: int | None = 5,
    users: int | None = 20,
    message: str = "Synced 5 group(s) and 20 user(s).",
    exit_code: int | None = 0,
) -> str:
    """One run block as the runner writes it (``result=None``: no end marker)."""
    lines = [
        format_start(
            ts_at(minute),
            run_id=run_id,
            instance="inst-1",
            trigger=trigger,
            mode=mode,
            bwdc_version="2026.4.0",
            pid=4242,
        ),
        logs.format_output_lines(ts_at(minute), "app", "logging in")[0],
        *format_output_lines(ts_at(minute), "out", out),
    ]
    if result is not None:
        lines.append(
            format_end(
                ts_at(minute + 1),
                run_id=run_id,
                result=result,
                exit_code=exit_code,
                duration_s=3.25,
                groups=groups,
                users=users,
                message=message,
                mode=mode,
            )
        )
    return "".join(line + "\n" for line in lines)


def write(path: Path, *parts: str | bytes) -> Path:
    path.write_bytes(b"".join(p if isinstance(p, bytes) else p.encode() for p in parts))
    return path


def bwdc_output(name: str) -> str:
    """What `bwdc … >> bwdc.log 2>&1` appends for a capture (stdout then stderr)."""
    cap = load_capture(name)
    return (cap.stdout + cap.stderr).decode()


class CountingReader:
    """Wraps a binary file and counts the bytes read through it."""

    total = 0

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        CountingReader.total += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> CountingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


@pytest.fixture
def count_reads(monkeypatch: pytest.MonkeyPatch) -> type[CountingReader]:
    CountingReader.total = 0
    monkeypatch.setattr(logs, "_open_binary", lambda path: CountingReader(path.open("rb")))
    return CountingReader


# --- format ----------------------------------------------------------------------------------


def test_exact_marker_lines() -> None:
    start = format_start(
        TS,
        run_id="r1",
        instance="Café",
        trigger="manual",
        mode="test",
        bwdc_version=None,
        pid=12,
    )
    assert start == (
        f'{TS} ==== bwdc-tray start {{"run":"r1","instance":"Café","trigger":"manual",'
        '"mode":"test","bwdc_version":null,"pid":12}'
    )
    end = format_end(
        TS,
        run_id="r1",
        result="failed",
        exit_code=None,
        duration_s=1.23456,
        groups=None,
        users=None,
        message="line1\nline2\u2028",
        mode="sync",
    )
    assert end == (
        f'{TS} ==== bwdc-tray end {{"run":"r1","result":"failed","exit_code":null,'
        '"duration_s":1.235,"groups":null,"users":null,"message":"line1\\nline2\\u2028",'
        '"mode":"sync"}'
    )
    assert format_output_lines(TS, "err", "a\r\nb\n") == [f"{TS} err| a", f"{TS} err| b"]
    assert format_output_lines(TS, "out", "") == [f"{TS} out| "]
    assert format_output_lines(TS, "out", "a\tb\x1b[31m\x00") == [f"{TS} out| a\tb\\x1b[31m\\x00"]


def test_now_ts_is_a_valid_timestamp() -> None:
    assert format_output_lines(logs.now_ts(), "app", "x")
    stamp = datetime.fromisoformat(logs.now_ts())
    assert stamp.tzinfo is not None
    assert logs.new_run_id() != logs.new_run_id()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"trigger": "cron"}, "trigger"),
        ({"mode": "dry"}, "mode"),
        ({"ts": "2026-11-30T02:56:56"}, "timestamp"),  # no offset
        ({"ts": TS + "\n"}, "timestamp"),
        ({"run_id": ""}, "run_id"),
    ],
)
def test_format_start_rejects_bad_values(kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {
        "ts": TS,
        "run_id": "r",
        "instance": "i",
        "trigger": "manual",
        "mode": "sync",
        "bwdc_version": None,
        "pid": 1,
        **kwargs,
    }
    ts = args.pop("ts")
    with pytest.raises(ValueError, match=field):
        format_start(ts, **args)


def test_format_rejects_bad_stream_result_and_duration() -> None:
    with pytest.raises(ValueError, match="stream"):
        format_output_lines(TS, "stdout", "x")
    end: dict[str, Any] = {
        "run_id": "r",
        "result": "ok",
        "exit_code": 0,
        "duration_s": 1.0,
        "groups": 0,
        "users": 0,
        "message": "",
        "mode": "sync",
    }
    with pytest.raises(ValueError, match="result"):
        format_end(TS, **{**end, "result": "maybe"})
    with pytest.raises(ValueError, match="finite"):
        format_end(TS, **{**end, "duration_s": float("nan")})


# --- round trip ------------------------------------------------------------------------------


def test_round_trip_fields_order_and_limit(tmp_path: Path) -> None:
    log = write(
        tmp_path / "bwdc.log",
        block("r1", 0),
        block("r2", 10, result="failed", out="You are not logged in.", groups=None, users=None,
              message="You are not logged in.", exit_code=1, trigger="manual"),
        block("r3", 20, mode="test", out='{"groups":[]}', message="test ok"),
        block("r4", 30, result="timeout", exit_code=None, groups=None, users=None,
              message="timed out after 60 s"),
    )  # fmt: skip
    runs = read_runs(log, 10)
    assert [r.run_id for r in runs] == ["r1", "r2", "r3", "r4"]
    first = runs[0]
    assert first == Run(
        run_id="r1",
        started=datetime(2026, 11, 30, 2, 0, tzinfo=timezone(timedelta(hours=1))),
        finished=datetime(2026, 11, 30, 2, 1, tzinfo=timezone(timedelta(hours=1))),
        result="ok",
        exit_code=0,
        groups=5,
        users=20,
        message="Synced 5 group(s) and 20 user(s).",
        trigger="schedule",
        source="runner",
        mode="sync",
        bwdc_version="2026.4.0",
        pid=4242,
        lines=first.lines,
    )
    assert len(first.lines) == 5
    assert first.lines[0].startswith(ts_at(0) + " ==== bwdc-tray start ")
    assert first.lines[2] == f"{ts_at(0)} out| Syncing complete."
    assert (runs[1].result, runs[1].exit_code, runs[1].trigger) == ("failed", 1, "manual")
    assert (runs[1].groups, runs[1].users) == (None, None)
    assert runs[1].message == "You are not logged in."
    assert runs[2].mode == "test"
    assert (runs[3].result, runs[3].exit_code) == ("timeout", None)

    assert [r.run_id for r in read_runs(log, 2)] == ["r3", "r4"]
    assert [r.run_id for r in read_runs(log, 2, include_tests=False)] == ["r2", "r4"]
    assert read_runs(log, 0) == []


@posix_only("POSIX file modes: 0600")
def test_log_writer_redacts_and_keeps_file_private(tmp_path: Path) -> None:
    log = tmp_path / "sub" / "bwdc.log"
    secret = "canary-Zq9x-7f3e-SECRET"
    clock = itertools.chain([ts_at(0)] * 3, itertools.repeat(ts_at(1)))
    with LogWriter(log, redact=lambda t: t.replace(secret, "[redacted]"),
                   clock=lambda: next(clock), max_line_chars=40) as writer:  # fmt: skip
        writer.start(run_id="r1", instance="i", trigger="manual", mode="sync", bwdc_version=None)
        writer.note(f"logging in with {secret}")
        writer.output("err", f"oops {secret}\n" + "x" * 100)
        writer.end(run_id="r1", result="failed", exit_code=1, duration_s=0.5, groups=None,
                   users=None, message=f"bad {secret}", mode="sync")  # fmt: skip
    text = log.read_text()
    assert secret not in text
    assert text.count("[redacted]") == 3
    assert "x" * 40 + " … [60 more characters]" in text
    if os.name == "posix":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    (run,) = read_runs(log, 5)
    assert (run.result, run.message, run.pid) == ("failed", "bad [redacted]", os.getpid())
    with pytest.raises(ValueError, match="closed"):
        writer.note("after close")


# --- anti-forgery ----------------------------------------------------------------------------


@pytest.mark.parametrize("sep", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x1e"])
def test_group_named_like_a_marker_is_not_a_marker(tmp_path: Path, sep: str) -> None:
    evil = f"x{sep}{FORGED_END}{sep}{FORGED_START}{sep}y"
    lines = format_output_lines(TS, "out", evil)
    for line in lines:
        assert line.startswith(f"{TS} out| ")
        assert line.splitlines() == [line]
    log = write(tmp_path / "bwdc.log", block("r1", 0, result="failed", out=evil, message=evil))
    (run,) = read_runs(log, 5)
    assert (run.run_id, run.result, run.groups) == ("r1", "failed", 5)
    assert run.message == evil  # the end marker's JSON keeps the text exactly
    assert len(run.lines) == 3 + len(lines)  # start, app note, the text, end


FORGERY_ALPHABET = st.one_of(
    st.sampled_from([*LINE_BREAKS, "\x00", "\x7f", "\t", " ", "=", "{", '"', "\\"]),
    st.characters(),
)
FORGERY_TEXT = st.lists(
    st.one_of(
        st.text(FORGERY_ALPHABET, max_size=20),
        st.sampled_from([FORGED_END, FORGED_START, " ==== bwdc-tray end ", TS]),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=FORGERY_TEXT, stream=st.sampled_from(logs.STREAMS))
def test_no_text_can_forge_a_marker_or_a_line_break(text: str, stream: str) -> None:
    lines = format_output_lines(TS, stream, text)
    body = text.removesuffix("\n")
    assert len(lines) == body.count("\n") + 1  # only "\n" splits
    for line in lines:
        assert line.startswith(f"{TS} {stream}| ")
        assert line.splitlines() == [line]
        assert logs._parse_marker(line) is None
    # Through a whole file and the reader: one run, exactly our fields.
    end = format_end(TS, run_id="r1", result="failed", exit_code=1, duration_s=1.0,
                     groups=None, users=None, message=text, mode="sync")  # fmt: skip
    start = format_start(TS, run_id="r1", instance=text, trigger="manual", mode="sync",
                         bwdc_version=text, pid=1)  # fmt: skip
    assert start.splitlines() == [start]
    assert end.splitlines() == [end]
    with tempfile.TemporaryDirectory() as tmp:
        log = write(Path(tmp) / "bwdc.log", "".join(f"{x}\n" for x in [start, *lines, end]))
        runs = read_runs(log, 10)
    assert len(runs) == 1
    assert (runs[0].run_id, runs[0].message, runs[0].bwdc_version) == ("r1", text, text)
    assert len(runs[0].lines) == len(lines) + 2


# --- damaged logs ----------------------------------------------------------------------------


def test_running_and_killed_runs_have_no_result(tmp_path: Path) -> None:
    log = write(tmp_path / "bwdc.log", block("r1", 0), block("r2", 10, result=None))
    runs = read_runs(log, 5)
    assert [(r.run_id, r.result) for r in runs] == [("r1", "ok"), ("r2", None)]
    assert runs[1].finished is None
    assert runs[1].started == datetime(2026, 11, 30, 2, 10, tzinfo=timezone(timedelta(hours=1)))
    assert runs[1].pid == 4242  # the status code checks whether it still lives
    # A killed run followed by a new one stays unfinished.
    write(log, block("r1", 0), block("r2", 10, result=None), block("r3", 20))
    assert [(r.run_id, r.result) for r in read_runs(log, 5)] == [
        ("r1", "ok"),
        ("r2", None),
        ("r3", "ok"),
    ]


def test_end_without_start(tmp_path: Path) -> None:
    text = block("r1", 0)
    log = write(tmp_path / "bwdc.log", text.split("\n", 1)[1])  # start marker lost
    (run,) = read_runs(log, 5)
    assert (run.run_id, run.result, run.trigger) == ("r1", "ok", "unknown")
    assert run.finished is not None
    assert run.started == run.finished - timedelta(seconds=3.25)
    assert len(run.lines) == 4


def test_binary_junk_invalid_utf8_and_nuls(tmp_path: Path) -> None:
    rng = random.Random(1234)
    junk = rng.randbytes(5000).replace(b"\n", b"")
    bad_line = f"{ts_at(0)} out| caf".encode() + b"\xc3\x28\xff\xfe\x00name\n"
    r1 = block("r1", 0)
    r1 = r1.replace("Syncing complete.\n", "Syncing complete.\n" + bad_line.decode("latin-1"), 1)
    log = write(
        tmp_path / "bwdc.log",
        b"\x00" * 100 + junk + b"\n",
        r1.encode("latin-1"),
        b"\n" + junk + b"\n\x00\x00\n",
        block("r2", 10, result="failed", exit_code=1, groups=None, users=None, message="boom"),
        b"\x00" * 4096,  # the tail a power cut leaves behind
    )
    runs = read_runs(log, 10)
    runner = [r for r in runs if r.source == "runner"]
    assert [(r.run_id, r.result) for r in runner] == [("r1", "ok"), ("r2", "failed")]
    assert runs[-1].run_id == "r2"
    assert any("\ufffd" in line for line in runner[0].lines)
    assert last_sync_run(log) == runs[-1]


@settings(max_examples=150, deadline=None)
@given(
    before=st.binary(max_size=300),
    inside=st.binary(max_size=300),
    after=st.binary(max_size=300),
    limit=st.integers(1, 4),
)
def test_arbitrary_bytes_never_raise(
    before: bytes, inside: bytes, after: bytes, limit: int
) -> None:
    text = block("r1", 0).encode()
    cut = len(text) // 2
    with tempfile.TemporaryDirectory() as tmp:
        log = write(Path(tmp) / "bwdc.log", before, text[:cut], inside, text[cut:], after)
        runs = read_runs(log, limit)
        last_sync_run(log)
    assert len(runs) <= limit
    for run in runs:
        assert run.result in (None, *logs.RESULTS)
        assert run.started is None or run.started.tzinfo is not None


def test_truncated_last_line(tmp_path: Path) -> None:
    full = block("r1", 0) + block("r2", 10)
    # Crash while writing the end marker: the run has no outcome.
    log = write(tmp_path / "bwdc.log", full[: full.rindex('"result"') + 5])
    runs = read_runs(log, 5)
    assert [(r.run_id, r.result) for r in runs] == [("r1", "ok"), ("r2", None)]
    # Crash (or a concurrent read) in the middle of a new line's timestamp: no foreign run.
    for partial in ("2", "2026-11-3", ts_at(20), f"{ts_at(20)} ==== bwdc-tray sta"):
        write(log, full, partial)
        runs = read_runs(log, 5)
        assert [(r.run_id, r.result) for r in runs] == [("r1", "ok"), ("r2", "ok")], partial


def test_missing_and_empty_logs(tmp_path: Path) -> None:
    assert read_runs(tmp_path / "nope.log", 5) == []
    assert last_sync_run(tmp_path / "nope.log") is None
    assert read_runs(write(tmp_path / "empty.log", ""), 5) == []
    assert read_runs(write(tmp_path / "blank.log", "\n\n  \n"), 5) == []


# --- foreign logs (Bitwarden's recipe) -------------------------------------------------------

# bwdc's stderr on a first run (first-run-creates-appdata.txt).
WARNINGS = (
    'Could not find dir, "/srv/bwdc/instance-1"; creating it instead.\n'
    'Could not find data file, "/srv/bwdc/instance-1/data.json"; creating it instead.\n'
)
NODE_CRASH = """\
/snapshot/directory-connector/build-cli/bwdc.js:2
  throw e;
  ^

TypeError: Cannot read properties of null (reading 'message')
    at ApiService.handleError (/snapshot/directory-connector/build-cli/bwdc.js:2:1234)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async SyncService.sync (/snapshot/directory-connector/build-cli/bwdc.js:2:99) {
  [cause]: Error: connect ECONNREFUSED 127.0.0.1:8087
      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
    code: 'ECONNREFUSED'
  }
}

Node.js v20.20.2
"""


@needs_captures
@pytest.mark.parametrize(
    ("captures", "result", "message", "counts"),
    [
        (["sync-success"], "ok", "Synced 5 group(s) and 20 user(s).", (5, 20)),
        (["sync-success-response"], "ok", "Synced 5 group(s) and 20 user(s).", (5, 20)),
        (["sync-success-unchanged"], "ok", "Synced 0 group(s) and 0 user(s).", (0, 0)),
        (["not-logged-in-sync"], "failed", "You are not logged in.", (None, None)),
        (["not-logged-in-sync-response"], "failed", "You are not logged in.", (None, None)),
        (["sync-ldap-unreachable"], "failed", "connect ECONNREFUSED 127.0.0.1:1389", (None, None)),
        (["sync-ldap-unreachable-response"], "failed", "connect ECONNREFUSED 127.0.0.1:1389",
         (None, None)),
        (["sync-import-401-logs-out"], "failed",
         "Cannot read properties of null (reading 'directorySettings')", (None, None)),
        (["sync-import-401-response"], "failed",
         "Cannot read properties of null (reading 'directorySettings')", (None, None)),
        (["sync-server-unreachable"], "failed", "request to http://127.0.0.1:8087/api/public/"
         "organization/import failed, reason: connect ECONNREFUSED 127.0.0.1:8087", (None, None)),
        (["login-success", "sync-success"], "ok", "Synced 5 group(s) and 20 user(s).", (5, 20)),
        (["(warnings)", "login-success", "not-logged-in-sync"], "failed",
         "You are not logged in.", (None, None)),
    ],
)  # fmt: skip
def test_foreign_single_run_from_captures(
    tmp_path: Path,
    captures: list[str],
    result: str,
    message: str,
    counts: tuple[int | None, int | None],
) -> None:
    text = "".join(WARNINGS if name == "(warnings)" else bwdc_output(name) for name in captures)
    log = write(tmp_path / "bwdc.log", text)
    (run,) = read_runs(log, 5)
    mtime = datetime.fromtimestamp(log.stat().st_mtime, tz=UTC)
    assert (run.result, run.message, (run.groups, run.users)) == (result, message, counts)
    assert (run.source, run.trigger, run.run_id, run.exit_code, run.mode) == (
        "foreign", "unknown", None, None, "sync",
    )  # fmt: skip
    assert run.started is None
    assert run.finished == mtime


def test_foreign_node_stack_trace_message(tmp_path: Path) -> None:
    log = write(tmp_path / "bwdc.log", "You are logged in!\n", NODE_CRASH)
    (run,) = read_runs(log, 5)
    assert run.result == "failed"
    assert run.message == "TypeError: Cannot read properties of null (reading 'message')"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}\n',
         '{"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}'),
        ("Emails must be unique. Multiple entries pulled with the following emails:\n"
         "a@example.com\nb@example.com\nand 2 more...\n",
         "Emails must be unique. Multiple entries pulled with the following emails:"),
        ("(node:123) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.\n"
         "(Use `node --trace-deprecation ...` to show where the warning was created)\n"
         "fetch failed\n", "fetch failed"),
        ('{\n  "success": false,\n  "message": "Organization not set."\n}\n',
         "Organization not set."),
        ("\x1b[91mYou are not logged in.\x1b[39m\r\n", "You are not logged in."),
    ],
)  # fmt: skip
def test_foreign_failure_message(tmp_path: Path, text: str, message: str) -> None:
    (run,) = read_runs(write(tmp_path / "bwdc.log", text), 5)
    assert (run.result, run.message) == ("failed", message)


@needs_captures
def test_foreign_log_without_date_lines(tmp_path: Path) -> None:
    log = write(
        tmp_path / "bwdc.log",
        bwdc_output("login-success"),
        bwdc_output("sync-success"),
        bwdc_output("logout"),
        bwdc_output("sync-ldap-unreachable"),
        bwdc_output("not-logged-in-sync"),
        bwdc_output("sync-success-unchanged"),
        bwdc_output("logout"),
        bwdc_output("sync-import-401-logs-out"),
        NODE_CRASH,
    )
    runs = read_runs(log, 10)
    assert [(r.result, r.groups, r.users) for r in runs] == [
        ("ok", 5, 20),
        ("failed", None, None),  # failures before a success are one failed run
        ("ok", 0, 0),
        ("failed", None, None),  # everything after the last success
    ]
    assert runs[1].message == "You are not logged in."
    assert runs[3].message == "TypeError: Cannot read properties of null (reading 'message')"
    assert [r.finished is None for r in runs] == [True, True, True, False]
    # Chatter after the last success (a `bwdc logout`) is not a failed run.
    write(log, bwdc_output("sync-success"), bwdc_output("logout"), "\n")
    (run,) = read_runs(log, 10)
    assert run.result == "ok"
    assert run.lines[-2:] == ("You have logged out.", "")


LOCAL_0256 = datetime(2026, 11, 30, 2, 56, 56).astimezone()
UTC_0256 = datetime(2026, 11, 30, 2, 56, 56, tzinfo=UTC)


@needs_captures
@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Mon Nov 30 02:56:56 UTC 2026", "Tue Dec  1 02:56:56 UTC 2026", UTC_0256),  # date
        ("Mon Nov 30 02:56:56 AM UTC 2026", "Tue Dec 1 02:56:56 AM UTC 2026", UTC_0256),  # en_US
        ("2026-11-30T02:56:56+00:00", "2026-12-01T02:56:56+00:00", UTC_0256),  # date -Is
        ("2026-11-30T03:56:56+01:00", "2026-12-01T03:56:56+01:00", UTC_0256),
        ("2026-11-30T02:56:56,000000000+00:00", "2026-12-01T02:56:56,000000009+00:00", UTC_0256),
        ("2026-11-30 02:56:56", "2026-12-01 02:56:56", LOCAL_0256),  # date '+%F %T'
        ("Mon, 30 Nov 2026 02:56:56 +0000", "Tue, 01 Dec 2026 02:56:56 +0000", UTC_0256),  # -R
        ("=== Mon Nov 30 02:56:56 UTC 2026 ===", "=== Tue Dec  1 02:56:56 UTC 2026 ===", UTC_0256),
    ],
)
def test_foreign_log_with_date_lines(
    tmp_path: Path, first: str, second: str, expected: datetime
) -> None:
    log = write(
        tmp_path / "bwdc.log",
        f"{first}\n",
        bwdc_output("login-success"),
        bwdc_output("sync-success"),
        f"{second}\n",
        bwdc_output("sync-ldap-unreachable"),
    )
    runs = read_runs(log, 10)
    assert [(r.result, r.message) for r in runs] == [
        ("ok", "Synced 5 group(s) and 20 user(s)."),
        ("failed", "connect ECONNREFUSED 127.0.0.1:1389"),
    ]
    assert runs[0].started == expected
    assert runs[1].started == expected + timedelta(days=1)
    assert runs[0].finished is None
    assert runs[1].finished == datetime.fromtimestamp(log.stat().st_mtime, tz=UTC)
    assert runs[0].lines[0] == first
    # A date line with nothing after it yet: the recipe is running (or bwdc is --quiet).
    write(log, f"{first}\n", bwdc_output("sync-success"), f"{second}\n")
    runs = read_runs(log, 10)
    assert [r.result for r in runs] == ["ok", None]
    assert runs[1].started == expected + timedelta(days=1)


@needs_captures
def test_foreign_dates_before_and_after_each_run(tmp_path: Path) -> None:
    log = write(
        tmp_path / "bwdc.log",
        "2026-11-30T02:00:00+00:00\n",
        bwdc_output("sync-success"),
        "2026-11-30T02:00:05+00:00\n",
        "2026-12-01T02:00:00+00:00\n",
        bwdc_output("not-logged-in-sync"),
        "2026-12-01T02:00:03+00:00\n",
    )
    runs = read_runs(log, 10)
    day1, day2 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC), datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert [(r.result, r.started, r.finished) for r in runs] == [
        ("ok", day1, day1 + timedelta(seconds=5)),
        ("failed", day2, day2 + timedelta(seconds=3)),
    ]


def test_foreign_utf16_log_from_windows_powershell(tmp_path: Path) -> None:
    text = "Mon Nov 30 02:56:56 UTC 2026\r\nSynced 3 group(s) and 7 user(s).\r\n"
    log = write(tmp_path / "bwdc.log", b"\xff\xfe" + text.encode("utf-16-le"))
    (run,) = read_runs(log, 5)
    assert (run.result, run.groups, run.users, run.started) == ("ok", 3, 7, UTC_0256)


@needs_captures
def test_mixed_runner_blocks_then_recipe(tmp_path: Path) -> None:
    log = write(
        tmp_path / "bwdc.log",
        block("r1", 0),
        bwdc_output("sync-ldap-unreachable"),  # the recipe ran in between
        block("r2", 10),
        bwdc_output("not-logged-in-sync"),  # and it still writes into the same file
    )
    runs = read_runs(log, 10)
    assert [(r.source, r.run_id, r.result) for r in runs] == [
        ("runner", "r1", "ok"),
        ("foreign", None, "failed"),
        ("runner", "r2", "ok"),
        ("foreign", None, "failed"),
    ]
    assert runs[-1].message == "You are not logged in."
    assert last_sync_run(log) == runs[-1]
    assert read_runs(log, 1) == [runs[-1]]
    # Lines that are not markers inside a block belong to the block.
    write(log, block("r1", 0).replace("logging in", "logging in\nYou are not logged in."))
    (run,) = read_runs(log, 10)
    assert (run.source, run.result) == ("runner", "ok")
    # A killed runner, then the recipe: the recipe's run is the newest.
    write(log, block("r1", 0, result=None), bwdc_output("sync-success"))
    runs = read_runs(log, 10)
    assert [(r.source, r.result) for r in runs] == [("runner", None), ("foreign", "ok")]


def test_a_run_after_recipe_output_cut_mid_line_starts_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "bwdc.log"
    path.write_bytes(b"Syncing...\nSynced 2 group(s) and 3 us")  # the recipe was killed
    with LogWriter(path) as writer:
        writer.start(run_id="r1", instance="x", trigger="schedule", mode="sync", bwdc_version="1.0")
        writer.end(
            run_id="r1",
            result="ok",
            exit_code=0,
            duration_s=1.0,
            groups=1,
            users=2,
            message="Synced 1 group(s) and 2 user(s).",
            mode="sync",
        )
    ours = read_runs(path, 10)[-1]
    assert (ours.run_id, ours.trigger, ours.bwdc_version, ours.result) == (
        "r1",
        "schedule",
        "1.0",
        "ok",
    )
    assert path.read_bytes().startswith(b"Syncing...\nSynced 2 group(s) and 3 us\n")


# --- cost ------------------------------------------------------------------------------------


def test_huge_log_costs_what_a_small_one_costs(
    tmp_path: Path, count_reads: type[CountingReader]
) -> None:
    chunk = "".join(block(f"r{i}", i % 50) for i in range(2000)).encode()  # ~1.1 MB
    log = tmp_path / "bwdc.log"
    with log.open("wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
        fh.write(block("last-sync", 1).encode())
        fh.write(block("last-test", 2, mode="test").encode())
    assert log.stat().st_size > 50 * 1024 * 1024

    (run,) = read_runs(log, 1)
    assert run.run_id == "last-test"
    assert count_reads.total <= logs.READ_BLOCK
    count_reads.total = 0
    run2 = last_sync_run(log)
    assert run2 is not None
    assert run2.run_id == "last-sync"
    assert count_reads.total <= logs.READ_BLOCK
    count_reads.total = 0
    assert len(read_runs(log, 200)) == 200
    assert count_reads.total <= 4 * logs.READ_BLOCK


def test_huge_log_without_boundaries_stays_cheap(
    tmp_path: Path, count_reads: type[CountingReader]
) -> None:
    rng = random.Random(7)
    log = tmp_path / "junk.log"
    junk = rng.randbytes(1024 * 1024)
    with log.open("wb") as fh:
        for _ in range(50):
            fh.write(junk)
    read_runs(log, 5)
    assert count_reads.total <= logs.MAX_SCAN_PER_RUN + logs.READ_BLOCK

    # Years of the same failure, no date lines: one failed run, found within the cap.
    count_reads.total = 0
    line = b"You are not logged in.\n"
    write(log, line * (50 * 1024 * 1024 // len(line)))
    (run,) = read_runs(log, 3)
    assert (run.result, run.message) == ("failed", "You are not logged in.")
    assert count_reads.total <= logs.MAX_SCAN_PER_RUN + logs.READ_BLOCK


# --- rotation --------------------------------------------------------------------------------


def test_rotation_keeps_the_last_runs_readable(tmp_path: Path) -> None:
    log = tmp_path / "bwdc.log"
    assert not rotate_if_needed(log, 100)  # missing
    size = len(block("r00", 0).encode())
    rotated = 0
    for i in range(20):
        rotated += rotate_if_needed(log, 3 * size, keep=3)  # about 4 runs per file
        with log.open("a") as fh:
            fh.write(block(f"r{i:02d}", i))
    assert rotated >= 3
    assert [p.name for p in logs.rotated_paths(log)] == ["bwdc.log.1", "bwdc.log.2", "bwdc.log.3"]
    assert not (tmp_path / "bwdc.log.4").exists()
    runs = read_runs(log, 10)
    assert [r.run_id for r in runs] == [f"r{i:02d}" for i in range(10, 20)]
    everything = read_runs(log, 100)
    assert everything[-1].run_id == "r19"
    assert len(everything) == 16  # 4 files of 4 runs; older ones were rotated away
    assert not rotate_if_needed(log, 10 * size)
    with pytest.raises(ValueError, match="keep"):
        rotate_if_needed(log, 1, keep=0)
    # Rotated, and the new file not created yet: the last run is still found.
    assert rotate_if_needed(log, 1)
    assert read_runs(log, 1)[0].run_id == "r19"


# --- status helpers --------------------------------------------------------------------------


def test_last_sync_run_skips_dry_runs(tmp_path: Path) -> None:
    log = write(
        tmp_path / "bwdc.log",
        block("s1", 0, result="failed", exit_code=1, message="no"),
        block("t1", 10, mode="test"),
        block("t2", 20, mode="test", result=None),
    )
    run = last_sync_run(log)
    assert run is not None
    assert (run.run_id, run.result) == ("s1", "failed")
    assert [r.run_id for r in read_runs(log, 5, include_tests=False)] == ["s1"]
    write(log, block("t1", 10, mode="test"))
    assert last_sync_run(log) is None

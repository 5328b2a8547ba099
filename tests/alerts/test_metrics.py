"""The node-exporter textfile: written atomically, read back by a real Prometheus text-format
parser (prometheus_client.parser)."""

from __future__ import annotations

import os
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bwdc_tray.alerts import metrics
from bwdc_tray.alerts.model import Kind, RunEvent

STARTED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
FINISHED = STARTED + timedelta(seconds=12.5)
LAST_OK = datetime(2026, 3, 3, 5, 6, 0, tzinfo=UTC)

NAMES = {
    "bwdc_tray_last_run_timestamp_seconds",
    "bwdc_tray_last_success_timestamp_seconds",
    "bwdc_tray_last_run_success",
    "bwdc_tray_last_run_result",
    "bwdc_tray_last_run_duration_seconds",
    "bwdc_tray_last_run_groups",
    "bwdc_tray_last_run_users",
}


def event(
    kind: Kind = "success",
    result: str | None = "ok",
    *,
    instance: str = "corp",
    groups: int | None = 3,
    users: int | None = 42,
    duration: float | None = 12.5,
    finished: datetime | None = FINISHED,
    message: str = "Syncing complete.",
) -> RunEvent:
    return RunEvent(
        kind=kind,
        instance=instance,
        label="Corp",
        result=result,
        message=message,
        groups=groups,
        users=users,
        started=STARTED,
        finished=finished,
        duration_s=duration,
        trigger="schedule",
        run_id="r1",
        host="h",
    )


def read(path: Path) -> dict[str, Any]:
    """{family name: family}; every family a gauge with a HELP text."""
    families = {f.name: f for f in text_string_to_metric_families(path.read_text("utf-8"))}
    for family in families.values():
        assert family.type == "gauge", family
        assert family.documentation, family
    return families


def only(families: dict[str, Any], name: str) -> tuple[dict[str, str], float]:
    samples = families[name].samples
    assert len(samples) == 1, samples
    return samples[0].labels, samples[0].value


def test_success_every_metric(tmp_path: Path) -> None:
    answer = metrics.write(tmp_path, "corp", event(), LAST_OK)
    assert answer.ok and answer.channel == "metrics", answer
    path = tmp_path / "bwdc_tray_corp.prom"
    assert str(path) in answer.detail
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    fam = read(path)
    assert set(fam) == NAMES
    label = {"bwdc_instance": "corp"}
    assert only(fam, "bwdc_tray_last_run_timestamp_seconds") == (label, FINISHED.timestamp())
    # The caller's last success wins over the run's own end.
    assert only(fam, "bwdc_tray_last_success_timestamp_seconds") == (label, LAST_OK.timestamp())
    assert only(fam, "bwdc_tray_last_run_success") == (label, 1.0)
    assert only(fam, "bwdc_tray_last_run_result") == (
        {"bwdc_instance": "corp", "result": "ok"},
        1.0,
    )
    assert only(fam, "bwdc_tray_last_run_duration_seconds") == (label, 12.5)
    assert only(fam, "bwdc_tray_last_run_groups") == (label, 3.0)
    assert only(fam, "bwdc_tray_last_run_users") == (label, 42.0)
    assert sorted(os.listdir(tmp_path)) == ["bwdc_tray_corp.prom"], "no temp file left"


def test_failure_never_succeeded_unknown_counts(tmp_path: Path) -> None:
    ev = event("failure", "timeout", groups=None, users=None, duration=None, finished=None)
    assert metrics.write(tmp_path, "corp", ev, None).ok
    fam = read(tmp_path / "bwdc_tray_corp.prom")
    assert set(fam) == {
        "bwdc_tray_last_run_timestamp_seconds",
        "bwdc_tray_last_run_success",
        "bwdc_tray_last_run_result",
    }
    label = {"bwdc_instance": "corp"}
    # No end time nor duration: the start is the best time there is.
    assert only(fam, "bwdc_tray_last_run_timestamp_seconds") == (label, STARTED.timestamp())
    assert only(fam, "bwdc_tray_last_run_success") == (label, 0.0)
    assert only(fam, "bwdc_tray_last_run_result") == (
        {"bwdc_instance": "corp", "result": "timeout"},
        1.0,
    )


def test_failure_keeps_the_last_success(tmp_path: Path) -> None:
    assert metrics.write(tmp_path, "corp", event("failure", "failed", groups=0), LAST_OK).ok
    fam = read(tmp_path / "bwdc_tray_corp.prom")
    assert only(fam, "bwdc_tray_last_success_timestamp_seconds")[1] == LAST_OK.timestamp()
    assert only(fam, "bwdc_tray_last_run_success")[1] == 0.0
    assert only(fam, "bwdc_tray_last_run_groups")[1] == 0.0, "zero is known, not omitted"


def test_success_without_history_is_its_own_last_success(tmp_path: Path) -> None:
    assert metrics.write(tmp_path, "corp", event("recovery"), None).ok
    fam = read(tmp_path / "bwdc_tray_corp.prom")
    assert only(fam, "bwdc_tray_last_success_timestamp_seconds")[1] == FINISHED.timestamp()


def test_rewrite_replaces_the_result_sample(tmp_path: Path) -> None:
    metrics.write(tmp_path, "corp", event("failure", "failed"), None)
    metrics.write(tmp_path, "corp", event("recovery", "ok"), None)
    fam = read(tmp_path / "bwdc_tray_corp.prom")
    assert [s.labels["result"] for s in fam["bwdc_tray_last_run_result"].samples] == ["ok"]


@pytest.mark.parametrize(
    "name",
    ['quo"te', "back\\slash", "new\nline", 'all\\"\n\\n"', "ünï cødé", "a/../../b"],
)
def test_hostile_names_are_escaped(tmp_path: Path, name: str) -> None:
    result = 'fail"ed\\\nx'
    assert metrics.write(tmp_path, name, event("failure", result, instance=name), None).ok
    files = os.listdir(tmp_path)
    assert len(files) == 1 and files[0].startswith("bwdc_tray_") and files[0].endswith(".prom")
    assert "/" not in files[0] and "\n" not in files[0]
    fam = read(tmp_path / files[0])
    for family in fam.values():
        for sample in family.samples:
            assert sample.labels["bwdc_instance"] == name
    assert only(fam, "bwdc_tray_last_run_result")[0] == {"bwdc_instance": name, "result": result}
    # Two hostile names never share a file.
    assert metrics.file_name(name) != metrics.file_name(name + "x")


def test_escape_label() -> None:
    assert metrics.escape_label('a\\b"c\nd') == 'a\\\\b\\"c\\nd'


def test_instances_have_their_own_files(tmp_path: Path) -> None:
    assert metrics.write(tmp_path, "one", event(instance="one"), None).ok
    assert metrics.write(tmp_path, "two", event("failure", "failed", instance="two"), None).ok
    assert sorted(os.listdir(tmp_path)) == ["bwdc_tray_one.prom", "bwdc_tray_two.prom"]
    assert only(read(tmp_path / "bwdc_tray_one.prom"), "bwdc_tray_last_run_success")[1] == 1.0
    assert only(read(tmp_path / "bwdc_tray_two.prom"), "bwdc_tray_last_run_success")[1] == 0.0


def test_readers_never_see_half_a_file(tmp_path: Path) -> None:
    path = tmp_path / "bwdc_tray_corp.prom"
    assert metrics.write(tmp_path, "corp", event(), None).ok
    stop = threading.Event()
    errors: list[BaseException] = []
    parses = 0

    def reader() -> None:
        nonlocal parses
        while not stop.is_set():
            try:
                fam = read(path)
                assert {"bwdc_tray_last_run_success", "bwdc_tray_last_run_result"} <= set(fam)
                success = only(fam, "bwdc_tray_last_run_success")[1]
                result = only(fam, "bwdc_tray_last_run_result")[0]["result"]
                assert (success, result) in ((1.0, "ok"), (0.0, "failed"))
                assert ("bwdc_tray_last_run_groups" in fam) == (success == 1.0)
                parses += 1
            except BaseException as exc:
                errors.append(exc)
                return

    def writer() -> None:
        for i in range(200):
            # Files of different lengths: a torn read would show as a parse error or a mix.
            ev = event() if i % 2 else event("failure", "failed", groups=None, users=None)
            answer = metrics.write(tmp_path, "corp", ev, LAST_OK if i % 3 else None)
            if not answer.ok:
                errors.append(AssertionError(answer))
                return

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in readers:
        thread.start()
    writing = threading.Thread(target=writer)
    writing.start()
    writing.join(30)
    stop.set()
    for thread in readers:
        thread.join(30)
    assert not errors, errors[0]
    assert parses > 0
    assert os.listdir(tmp_path) == ["bwdc_tray_corp.prom"], "no temp file left"


def test_missing_folder_is_a_clear_failure(tmp_path: Path) -> None:
    folder = tmp_path / "textfile"
    answer = metrics.write(folder, "corp", event(), None)
    assert not answer.ok
    assert str(folder) in answer.detail
    assert "does not exist" in answer.detail and "fix:" in answer.detail
    assert not folder.exists(), "the folder is node_exporter's: never created by us"


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "textfile"
    folder.write_text("")
    answer = metrics.write(folder, "corp", event(), None)
    assert not answer.ok and "is not a folder" in answer.detail


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        answer = metrics.write(folder, "corp", event(), None)
    finally:
        folder.chmod(0o755)
    assert not answer.ok and "not writable" in answer.detail and str(folder) in answer.detail


def test_write_error_is_a_delivery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(metrics, "atomic_write_text", full)
    answer = metrics.write(tmp_path, "corp", event(), None)
    assert not answer.ok and "No space left" in answer.detail


def test_start_is_skipped_and_test_only_probes(tmp_path: Path) -> None:
    answer = metrics.write(tmp_path, "corp", event("start", None), None)
    assert answer.ok and answer.skipped
    answer = metrics.write(tmp_path, "corp", event("test", "ok"), None)
    assert answer.ok and "writable" in answer.detail
    assert os.listdir(tmp_path) == [], "a test event changes no metric"
    assert not metrics.write(tmp_path / "nope", "corp", event("test", "ok"), None).ok


def test_remove(tmp_path: Path) -> None:
    assert metrics.write(tmp_path, "corp", event(), None).ok
    assert metrics.write(tmp_path, "other", event(instance="other"), None).ok
    assert metrics.remove(tmp_path, "corp").ok
    assert os.listdir(tmp_path) == ["bwdc_tray_other.prom"]
    again = metrics.remove(tmp_path, "corp")
    assert again.ok, "already gone is fine"
    assert metrics.remove(tmp_path / "missing", "corp").ok


def test_render_format() -> None:
    text = metrics.render("corp", event(), LAST_OK)
    assert text.endswith("\n") and "\r" not in text
    lines = text.splitlines()
    assert lines[:3] == [
        "# HELP bwdc_tray_last_run_timestamp_seconds "
        "When the last bwdc sync run of this instance ended (Unix time).",
        "# TYPE bwdc_tray_last_run_timestamp_seconds gauge",
        f'bwdc_tray_last_run_timestamp_seconds{{bwdc_instance="corp"}} {FINISHED.timestamp()!r}',
    ]
    assert 'bwdc_tray_last_run_users{bwdc_instance="corp"} 42' in lines

"""Alerts around real runs: which fire, what they carry, and that they never change a run."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bwdc_tray.alerts import dispatch, model, settings
from bwdc_tray.alerts.model import AlertSettings, HealthcheckSettings, WebhookSettings
from bwdc_tray.config import ConfigStore
from bwdc_tray.paths import resolve
from bwdc_tray.secrets import open_store
from tests.conftest import CANARY, World
from tests.fakes.http_receiver import Receiver, serving

TOKEN = "tok-Hq7v-CANARY"


@pytest.fixture
def hooks() -> Iterator[tuple[Receiver, Receiver]]:
    with serving() as webhook, serving() as healthcheck:
        yield webhook, healthcheck


def configure(world: World, name: str, webhook: str, healthcheck: str, metrics: Path) -> None:
    paths = resolve(world.home)
    with ConfigStore(paths).edit() as cfg:
        settings.save(
            cfg,
            name,
            AlertSettings(
                webhook=WebhookSettings(format="generic"),
                healthcheck=HealthcheckSettings(style="healthchecks"),
                metrics_dir=metrics,
            ),
        )
    store = open_store(False, paths.cache_dir)
    settings.set_url(store, name, model.WEBHOOK_URL, f"{webhook}/hook/{TOKEN}")
    settings.set_url(store, name, model.HEALTHCHECK_URL, f"{healthcheck}/ping/{TOKEN}")


def scenario(world: World, name: str, which: str) -> None:
    (world.tmp / "data" / name / "simulator.json").write_text(json.dumps({"scenario": which}))


def test_webhook_on_failure_and_recovery_pings_and_metrics_every_run(
    world: World, hooks: tuple[Receiver, Receiver], tmp_path: Path
) -> None:
    webhook, hc = hooks
    metrics = tmp_path / "textfile"
    metrics.mkdir()
    world.add("corp")
    configure(world, "corp", webhook.url, hc.url, metrics)

    assert world.cli("run", "corp").code == 0  # the first run, ok: no news for the webhook
    assert webhook.hits == []
    scenario(world, "corp", "ldap-unreachable")
    assert world.cli("run", "corp").code == 1
    assert world.cli("run", "corp").code == 1  # still failing: said once
    scenario(world, "corp", "ok")
    assert world.cli("run", "corp").code == 0

    events = [h.json() for h in webhook.hits]
    assert [(e["event"], e["result"]) for e in events] == [
        ("failure", "failed"),
        ("recovery", "ok"),
    ]
    assert events[0]["instance"] == "corp" and "ECONNREFUSED" in events[0]["message"]
    assert events[1]["groups"] is not None and events[1]["host"]
    ends = [h.path.rsplit(TOKEN, 1)[1] for h in hc.hits]
    assert ends == ["/start", "", "/start", "/fail", "/start", "/fail", "/start", ""]
    assert (metrics / "bwdc_tray_corp.prom").read_text().count("bwdc_tray_last_run_success") >= 1
    everything = b"".join(h.body + h.raw_query.encode() for h in webhook.hits + hc.hits)
    assert CANARY.encode() not in everything  # the API secret never leaves the machine


def test_a_receiver_that_fails_changes_nothing_about_the_run_and_doctor_says_so(
    world: World, tmp_path: Path
) -> None:
    world.add("corp", "ldap-unreachable")
    with serving(mode="error") as broken, serving() as hc:
        configure(world, "corp", broken.url, hc.url, tmp_path)
        res = world.cli("run", "corp")
    assert res.code == 1  # the sync's own result, not the alert's
    log = (world.tmp / "data" / "corp" / "bwdc.log").read_text()
    assert "alert not delivered: webhook: HTTP 500 after 3 attempts" in log
    assert TOKEN not in log
    state = json.loads(resolve(world.home).status_file("corp").read_text())
    assert state["result"] == "failed"
    assert state["alerts"] == [{"channel": "webhook", "detail": "HTTP 500 after 3 attempts"}]
    doctor = world.cli("doctor", "corp")
    assert "the last run's webhook alert was not delivered: HTTP 500 after 3 attempts" in doctor.out
    assert TOKEN not in doctor.out + res.out + res.err
    status = world.cli("status", "corp", "--json")
    assert json.loads(status.out)[0]["last_run"]["result"] == "failed"


def test_a_receiver_that_hangs_costs_the_run_at_most_the_alert_budget(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatch, "BUDGET_S", 1.0)
    world.add("corp")
    with serving(mode="slow", delay=30) as slow, serving(mode="slow", delay=30) as hc:
        configure(world, "corp", slow.url, hc.url, tmp_path)
        scenario(world, "corp", "ldap-unreachable")  # a failure: the webhook fires
        began = time.monotonic()
        res = world.cli("run", "corp")
        took = time.monotonic() - began
    assert res.code == 1
    assert took < 20  # the budget (1 s here), the start ping's 5 s and the run: not 30 s
    log = (world.tmp / "data" / "corp" / "bwdc.log").read_text()
    assert "alert not delivered: webhook" in log


def test_notify_test_goes_through_every_channel_without_touching_state(
    world: World, hooks: tuple[Receiver, Receiver], tmp_path: Path
) -> None:
    webhook, hc = hooks
    world.add("corp")
    configure(world, "corp", webhook.url, hc.url, tmp_path)
    answers = dispatch.send_test(resolve(world.home), "corp")
    assert sorted((a.channel, a.ok) for a in answers) == [
        ("healthcheck", True),
        ("metrics", True),
        ("webhook", True),
    ]
    assert webhook.hits[0].json()["event"] == "test"
    assert hc.hits[0].path.endswith("/log")  # logged by healthchecks.io, the check's state kept
    assert list(tmp_path.glob("*.prom")) == []  # a test is no run: the metrics are not touched


def test_without_alerts_a_run_loads_none_of_their_modules(world: World) -> None:
    import subprocess
    import sys

    world.add("corp")
    code = (
        "import sys; from bwdc_tray import cli; "
        f"cli.main(['--home', {str(world.home)!r}, 'run', 'corp']); "
        "print(sorted(m for m in sys.modules if m.startswith('bwdc_tray.alerts')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_removing_an_instance_removes_its_metrics(
    world: World, hooks: tuple[Receiver, Receiver], tmp_path: Path
) -> None:
    webhook, hc = hooks
    world.add("corp")
    configure(world, "corp", webhook.url, hc.url, tmp_path)
    assert world.cli("run", "corp").code == 0
    assert (tmp_path / "bwdc_tray_corp.prom").exists()
    assert world.cli("instance", "remove", "corp").code == 0
    assert not (tmp_path / "bwdc_tray_corp.prom").exists()  # no series frozen at its last run


def test_a_failure_whose_webhook_was_lost_is_told_at_the_next_failure(
    world: World, tmp_path: Path
) -> None:
    world.add("corp", "ldap-unreachable")
    with serving(mode="error") as down, serving() as hc:
        configure(world, "corp", down.url, hc.url, tmp_path)
        assert world.cli("run", "corp").code == 1  # the webhook's receiver is down
    with serving() as up, serving() as hc:
        configure(world, "corp", up.url, hc.url, tmp_path)
        assert world.cli("run", "corp").code == 1  # still failing: told now
        assert world.cli("run", "corp").code == 1  # and then once only
    assert [h.json()["event"] for h in up.hits] == ["failure"]


def test_the_last_success_outlives_the_logs_memory(
    world: World, hooks: tuple[Receiver, Receiver], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    webhook, hc = hooks
    world.add("corp")
    configure(world, "corp", webhook.url, hc.url, tmp_path)
    assert world.cli("run", "corp").code == 0
    monkeypatch.setattr(dispatch, "HISTORY", 1)  # the log remembers one run only
    scenario(world, "corp", "ldap-unreachable")
    for _ in range(2):
        assert world.cli("run", "corp").code == 1
    text = (tmp_path / "bwdc_tray_corp.prom").read_text()
    names = {s.name for f in text_string_to_metric_families(text) for s in f.samples}
    assert "bwdc_tray_last_success_timestamp_seconds" in names


def test_a_channel_without_its_url_says_so_and_a_kuma_test_is_skipped(
    world: World, tmp_path: Path
) -> None:
    paths = resolve(world.home)
    world.add("corp")
    with ConfigStore(paths).edit() as cfg:
        settings.save(
            cfg,
            "corp",
            AlertSettings(
                webhook=WebhookSettings(), healthcheck=HealthcheckSettings(style="uptime-kuma")
            ),
        )
    store = open_store(False, paths.cache_dir)
    settings.set_url(store, "corp", model.HEALTHCHECK_URL, "http://127.0.0.1:9/push/abc")
    answers = {a.channel: a for a in dispatch.send_test(paths, "corp")}
    assert not answers["webhook"].ok and "no URL is stored" in answers["webhook"].detail
    assert (
        answers["healthcheck"].skipped
        and "sets the monitor's state" in answers["healthcheck"].detail
    )


def test_an_interrupt_while_alerts_are_sent_still_ends_the_run(tmp_path: Path) -> None:
    from bwdc_tray import runner
    from bwdc_tray.errors import Exit

    class Stuck:
        def finish(self, **_: object) -> None:
            raise runner.Interrupted("SIGTERM")

    lines: list[str] = []
    outcome = runner.Outcome(Exit.OK, "ok", "Synced 1 group(s) and 2 user(s).")
    failed = runner._finish_alerts(Stuck(), outcome, str, 1.0, lambda _s, t: lines.append(t))
    assert failed == [{"channel": "all", "detail": "cut short: Interrupted"}]
    assert lines == ["alerts cut short: Interrupted"]


def test_turning_metrics_off_or_uninstalling_leaves_no_frozen_file(
    world: World, hooks: tuple[Receiver, Receiver], tmp_path: Path
) -> None:
    webhook, hc = hooks
    world.add("corp")
    world.add("edge")
    configure(world, "corp", webhook.url, hc.url, tmp_path)
    configure(world, "edge", webhook.url, hc.url, tmp_path)
    for name in ("corp", "edge"):
        assert world.cli("run", name).code == 0
    assert world.cli("notify", "set", "corp", "--no-metrics").code == 0
    assert not (tmp_path / "bwdc_tray_corp.prom").exists()
    assert (tmp_path / "bwdc_tray_edge.prom").exists()  # another instance's: kept
    res = world.cli("uninstall", "--data", "--yes")
    assert res.code == 0, res.out + res.err
    assert not (tmp_path / "bwdc_tray_edge.prom").exists()

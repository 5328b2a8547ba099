"""`doctor`: each check, and a remedy for each failure."""

from __future__ import annotations

import json

from tests.conftest import World
from tests.support.platforms import posix_only


def _checks(world: World, *args: str) -> tuple[int, dict[str, dict]]:
    res = world.cli("doctor", *args, "--json")
    return res.code, {c["subject"]: c for c in json.loads(res.out)}


def test_healthy_instance(world: World) -> None:
    world.add("corp")
    code, checks = _checks(world, "corp")
    assert code == 0, checks
    assert "version 2026.4.0" in checks["corp: bwdc"]["detail"]
    assert checks["corp: secrets"]["level"] == "ok"
    assert checks["corp: log"]["level"] == "ok"
    assert world.verbs() == ["--version"]
    # The version probe never touched the instance's data folder.
    assert world.calls()[0]["appdata"] != str(world.tmp / "data" / "corp")


@posix_only("POSIX file modes: a data folder others can enter")
def test_every_failure_has_a_remedy(world: World) -> None:
    appdata = world.add("corp", secrets=False)
    (appdata / "data.json").write_text("{broken")
    appdata.chmod(0o755)
    world.bwdc.unlink()
    code, checks = _checks(world, "corp")
    assert code == 5
    failing = [c for c in checks.values() if c["level"] != "ok"]
    assert {c["subject"] for c in failing} >= {
        "corp: bwdc",
        "corp: data.json",
        "corp: secrets",
        "corp: data folder",
    }
    assert all(c["remedy"] for c in failing)
    text = world.cli("doctor", "corp").out
    assert "fix:" in text and "[FAIL]" in text


def test_no_keyring_is_reported(world: World) -> None:
    world.add("corp")
    res = world.proc("doctor", env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert res.returncode == 5
    assert "keyring" in res.stdout and "fix:" in res.stdout


def test_scheduled_job_checks(world: World, fake_crontab) -> None:
    world.add("corp")
    assert world.cli("schedule", "set", "corp", "daily", "02:00").code == 0
    code, checks = _checks(world, "corp")
    assert checks["corp: job"]["level"] == "ok"
    # The test keyring is chosen by an environment variable cron would not pass on: the job
    # could not read the secrets, and doctor says so, with what to do instead.
    context = checks["corp: secrets from the job"]
    assert context["level"] == "fail" and "cron" in context["detail"]
    assert "systemd" in context["remedy"]
    assert code == 5


def test_dedicated_user_contexts_are_explained(world: World, fake_crontab) -> None:
    from bwdc_tray.doctor import _UNREACHABLE

    assert {k[0] for k in _UNREACHABLE} == {"launchd", "taskscheduler", "cron", "systemd"}
    assert all(remedy for _detail, remedy in _UNREACHABLE.values())


@posix_only("kill -9: SIGKILL")
def test_secrets_a_killed_run_left_behind_are_reported_until_the_next_run(world: World) -> None:
    import os
    import signal
    import time

    world.add("corp", delay=1.0)
    runner = world.proc("run", "corp", background=True)
    deadline = time.monotonic() + 30
    while "sync" not in world.verbs() and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(runner.pid, signal.SIGKILL)
    runner.communicate(timeout=10)
    code, checks = _checks(world, "corp")
    left = checks["corp: leftover secrets"]
    assert code == 5 and left["level"] == "fail"
    assert "data.json" in left["detail"] and "bwdc-tray run corp" in left["remedy"]
    assert world.cli("run", "corp").code == 0
    assert "corp: leftover secrets" not in _checks(world, "corp")[1]


@posix_only("POSIX file modes")
def test_loosened_config_and_log_modes_are_reported(world: World) -> None:
    appdata = world.add("corp")
    assert world.cli("run", "corp").code == 0
    (appdata / "bwdc.log").chmod(0o644)
    (world.home / "instances.json").chmod(0o644)
    _code, checks = _checks(world, "corp")
    for subject in ("corp: log", "configuration"):
        assert checks[subject]["level"] == "warn", checks[subject]
        assert "chmod 600" in checks[subject]["remedy"]


def test_a_user_cron_refuses_is_reported(world: World, fake_crontab, monkeypatch) -> None:
    from bwdc_tray.schedule.backends import crontab

    world.add("corp")
    assert world.cli("schedule", "set", "corp", "daily", "02:00").code == 0
    monkeypatch.setattr(
        crontab,
        "cron_access_problem",
        lambda user, etc=None: f"/etc/cron.allow exists and does not list {user}",
    )
    code, checks = _checks(world, "corp")
    assert code == 5
    assert checks["corp: cron access"]["level"] == "fail"
    assert "cron.allow" in checks["corp: cron access"]["remedy"]


def test_an_old_clear_api_secret_left_by_bwdcs_migration_is_reported(world: World) -> None:
    appdata = world.add("corp")
    data = json.loads((appdata / "data.json").read_text())
    data.update(stateVersion=8, directoryType=0, organizationId="org-1")
    data["org-1"] = {"keys": {"apiKeyClientSecret": "old-clear-secret"}}
    (appdata / "data.json").write_text(json.dumps(data))
    res = world.cli("doctor", "corp", "--json")
    checks = {c["subject"]: c for c in json.loads(res.out)}
    stale = checks["corp: old API secret"]
    assert stale["level"] == "warn" and "org-1.keys.apiKeyClientSecret" in stale["detail"]
    assert "old-clear-secret" not in res.out

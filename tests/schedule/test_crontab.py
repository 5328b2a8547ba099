"""The crontab backend: our block in, every other byte kept, no write on doubt."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bwdc_tray.errors import BwdcTrayError, InvalidInput
from bwdc_tray.schedule import cron
from bwdc_tray.schedule.backends.base import JobSpec
from bwdc_tray.schedule.backends.crontab import CrontabBackend, splice, split_blocks
from tests.conftest import World
from tests.fakes.commands import FakeCrontab
from tests.support.platforms import linux_only


def _spec(name: str = "corp", expr: str = "30 2 * * *", *args: str) -> JobSpec:
    command = (
        "/opt/bwdc tray/python",
        "-m",
        "bwdc_tray",
        "run",
        name,
        "--trigger",
        "schedule",
        *args,
    )
    return JobSpec(instance=name, expr=cron.parse(expr), command=command)


def test_render_quotes_and_escapes_percent() -> None:
    block = CrontabBackend().render(_spec("corp", "30 2 * * *", "--home", "/srv/50%/x"))
    assert block.splitlines() == [
        "# BEGIN bwdc-tray corp (managed by bwdc-tray; edit with `bwdc-tray schedule`)",
        "30 2 * * * '/opt/bwdc tray/python' -m bwdc_tray run corp --trigger schedule --home "
        "/srv/50\\%/x >/dev/null 2>&1",
        "# END bwdc-tray corp",
    ]
    assert block.endswith("\n")


def test_a_newline_in_a_path_is_refused() -> None:
    with pytest.raises(InvalidInput, match="line break"):
        CrontabBackend().render(_spec("corp", "30 2 * * *", "--home", "/srv/a\nb"))


USER_TABLE = "# m h dom mon dow command\nMAILTO=admin@example.com\n\n0 4 * * * /usr/bin/backup\n"


def test_install_update_remove_keep_the_users_lines() -> None:
    fake = FakeCrontab(USER_TABLE)
    backend = CrontabBackend(fake.runner)
    backend.install(_spec("corp", "30 2 * * *"))
    backend.install(_spec("other", "0 * * * *"))
    assert fake.table is not None and fake.table.startswith(USER_TABLE)
    backend.install(_spec("corp", "0 3 * * *"))  # update in place
    assert fake.table.count("bwdc-tray corp") == 2 and "0 3 * * *" in fake.table
    assert backend.inspect("corp") == backend.render(_spec("corp", "0 3 * * *"))
    assert backend.remove("corp") and backend.remove("other")
    assert fake.table == USER_TABLE
    assert not backend.remove("corp")


def test_no_write_when_listing_fails_for_another_reason() -> None:
    fake = FakeCrontab(USER_TABLE)
    fake.list_error = "crontab: cannot open your crontab: Permission denied\n"
    backend = CrontabBackend(fake.runner)
    with pytest.raises(BwdcTrayError, match="nothing was changed"):
        backend.install(_spec())
    assert all(call[1:] == ("-l",) for call in fake.runner.calls)


def test_first_job_in_an_empty_crontab_and_removal_of_the_last() -> None:
    fake = FakeCrontab(None)
    backend = CrontabBackend(fake.runner)
    backend.install(_spec())
    assert fake.table == backend.render(_spec())
    backend.remove("corp")
    assert fake.table is None  # `crontab -r`, never an empty table installed
    assert ("crontab", "-r") in fake.runner.calls


def test_a_last_line_without_newline_gets_one_and_nothing_else_changes() -> None:
    fake = FakeCrontab("0 4 * * * /usr/bin/backup")
    CrontabBackend(fake.runner).install(_spec())
    assert fake.table is not None and fake.table.startswith("0 4 * * * /usr/bin/backup\n# BEGIN")


@pytest.mark.parametrize(
    ("table", "why"),
    [
        ("# BEGIN bwdc-tray corp (x)\n* * * * * x\n", "no END line"),
        ("# END bwdc-tray corp\n", "without its BEGIN"),
        (
            "# BEGIN bwdc-tray corp\n# END bwdc-tray corp\n# BEGIN bwdc-tray corp\n"
            "# END bwdc-tray corp\n",
            "two bwdc-tray blocks",
        ),
    ],
)
def test_damaged_blocks_stop_the_write(table: str, why: str) -> None:
    fake = FakeCrontab(table)
    with pytest.raises(BwdcTrayError, match=why):
        CrontabBackend(fake.runner).install(_spec())
    assert fake.table == table


@linux_only("root and crontab -u")
def test_dedicated_user_uses_crontab_u() -> None:
    if os.geteuid() != 0:
        pytest.skip("crontab -u needs root")
    fake = FakeCrontab(None, user="bwdc")
    spec = JobSpec("corp", cron.parse("0 2 * * *"), ("/x", "run", "corp"), run_as="bwdc")
    CrontabBackend(fake.runner).install(spec)
    assert all(call[1:3] == ("-u", "bwdc") for call in fake.runner.calls)


# --- property tests: every byte that is not ours survives -----------------------------------

_line = st.one_of(
    st.sampled_from(
        [
            "",
            "# a comment",
            'MAILTO=""',
            "SHELL=/bin/bash",
            "PATH=/usr/bin:/bin",
            "0 4 * * * /usr/bin/backup >/dev/null 2>&1",
            "@reboot /usr/local/bin/start",
            "# BEGIN whenever-generated tasks for: app",
            "# END whenever-generated tasks for: app",
            "### this content was generated by resticprofile, please leave this line intact ###",
            "#Ansible: nightly",
            "  \t",
            "*/5 * * * * echo '50%' | mail -s x root",
            "# BEGIN bwdc-tray-ish but not ours",
            "#BEGIN bwdc-tray corp",
        ]
    ),
    st.text(
        alphabet=st.characters(blacklist_characters="\n\r\x00", blacklist_categories=("Cs",)),
        max_size=40,
    ).filter(lambda s: not s.startswith(("# BEGIN bwdc-tray ", "# END bwdc-tray "))),
)
_table = st.builds(
    lambda lines, end: "\n".join(lines) + ("\n" if end and lines else ""),
    st.lists(_line, max_size=12),
    st.booleans(),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=_table, expr=st.sampled_from(["30 2 * * *", "0 */4 * * *", "0 9 * * 1-5"]))
def test_splice_round_trip_keeps_every_other_byte(table: str, expr: str) -> None:
    block = CrontabBackend().render(_spec("corp", expr))
    with_ours = splice(table, "corp", block)
    lines, blocks = split_blocks(with_ours)
    assert "".join(lines[slice(*blocks["corp"])]) == block
    # Removing it gives back the table, plus at most the newline crontab needs at the end.
    back = splice(with_ours, "corp", None)
    assert back in (table, table + "\n")
    # Updating in place touches only our lines.
    other = splice(with_ours, "corp", CrontabBackend().render(_spec("corp", "15 1 * * *")))
    assert splice(other, "corp", None) == back


@settings(max_examples=200, deadline=None)
@given(table=_table)
def test_install_and_remove_through_the_command(table: str) -> None:
    fake = FakeCrontab(table or None)
    backend = CrontabBackend(fake.runner)
    backend.install(_spec())
    backend.remove("corp")
    if table.strip() or table:
        assert fake.table in (table, table + "\n")
    else:
        assert fake.table is None


# --- the CLI, with a fake `crontab` on PATH ----------------------------------------------


def test_schedule_set_show_status_clear(world: World, fake_crontab: Path) -> None:
    world.add("corp", secrets=False)
    (fake_crontab).mkdir(parents=True, exist_ok=True)
    user_table = fake_crontab / os.environ.get("USER", "root")
    import getpass

    user_table = fake_crontab / getpass.getuser()
    user_table.write_text(USER_TABLE)
    res = world.cli("schedule", "set", "corp", "weekly", "mon,thu", "02:30")
    assert res.code == 0, res.err
    assert "30 2 * * 1,4" in res.out and "job: in-sync" in res.out
    assert "Monday" in res.out or "lundi" in res.out
    shown = json.loads(world.cli("schedule", "show", "corp", "--json").out)
    assert shown["schedule"] == "30 2 * * 1,4" and shown["job"] == "in-sync"
    assert shown["backend"] == "cron" and shown["context"] == "user"
    assert len(shown["next_runs"]) == 5
    status = json.loads(world.cli("status", "corp", "--json").out)[0]
    assert status["schedule"] == "30 2 * * 1,4" and status["job"] == "in-sync"
    assert status["next_run"] == shown["next_runs"][0]
    assert user_table.read_text().startswith(USER_TABLE)

    # Drift: an edit by hand is seen, and `schedule sync` repairs it.
    user_table.write_text(user_table.read_text().replace("30 2 * * 1,4", "0 5 * * *"))
    assert json.loads(world.cli("status", "corp", "--json").out)[0]["job"] == "drifted"
    res = world.cli("schedule", "sync")
    assert res.code == 0 and "corp: repaired" in res.out
    assert json.loads(world.cli("status", "corp", "--json").out)[0]["job"] == "in-sync"
    # Missing: the block removed by hand.
    user_table.write_text(USER_TABLE)
    assert json.loads(world.cli("schedule", "show", "corp", "--json").out)["job"] == "missing"
    assert "corp: installed" in world.cli("schedule", "sync").out

    res = world.cli("schedule", "clear", "corp")
    assert res.code == 0 and "OS job removed" in res.out and "to undo" in res.out
    assert user_table.read_text() == USER_TABLE
    assert json.loads(world.cli("status", "corp", "--json").out)[0]["job"] == "none"


def test_a_users_carriage_returns_and_non_utf8_bytes_survive_our_edits(
    world: World, fake_crontab: Path
) -> None:
    """crontab hands back bytes; reading it as text would turn "\r\n" and a lone "\r" into
    "\n" and stop at a byte that is not UTF-8."""
    import getpass

    world.add("corp", secrets=False)
    fake_crontab.mkdir(parents=True, exist_ok=True)
    table = fake_crontab / getpass.getuser()
    theirs = b"MAILTO=ops\r\n# caf\xe9 (latin-1)\n15 4 * * * /opt/backup.sh --tag a\rb\n"
    table.write_bytes(theirs)
    assert world.cli("schedule", "set", "corp", "daily", "03:00").code == 0
    assert table.read_bytes().startswith(theirs)
    assert world.cli("schedule", "clear", "corp").code == 0
    assert table.read_bytes() == theirs


def test_instance_remove_removes_its_job(world: World, fake_crontab: Path) -> None:
    world.add("corp", secrets=False)
    assert world.cli("schedule", "set", "corp", "daily", "03:00").code == 0
    assert world.cli("instance", "remove", "corp").code == 0
    import getpass

    assert not (fake_crontab / getpass.getuser()).exists()


def test_render_prints_the_block_without_touching_cron(world: World, fake_crontab: Path) -> None:
    world.add("corp", secrets=False)
    assert world.cli("schedule", "set", "corp", "hourly", "--no-apply").code == 0
    res = world.cli("schedule", "render", "corp", "--backend", "cron")
    assert res.code == 0 and res.out.startswith("# BEGIN bwdc-tray corp")
    assert "run corp --trigger schedule" in res.out and "--home" in res.out
    import getpass

    assert not (fake_crontab / getpass.getuser()).exists()


def test_bad_expression_exits_2_and_saves_nothing(world: World, fake_crontab: Path) -> None:
    world.add("corp", secrets=False)
    res = world.cli("schedule", "set", "corp", "*/2 * * * *")
    assert res.code == 2 and "--allow-frequent" in res.err
    res = world.cli("schedule", "set", "corp", "0 0 30 2 *")
    assert res.code == 2 and "never run" in res.err
    assert json.loads(world.cli("schedule", "show", "corp", "--json").out)["schedule"] is None


def test_secrets_never_reach_the_crontab(world: World, fake_crontab: Path) -> None:
    from tests.conftest import CANARY

    world.add("corp")
    assert world.cli("schedule", "set", "corp", "daily", "01:00").code == 0
    for path in fake_crontab.iterdir():
        assert CANARY not in path.read_text()


# --- the real cron daemon ---------------------------------------------------------------


@linux_only("Debian's cron daemon, started as root")
@pytest.mark.slow
@pytest.mark.realservice
def test_real_cron_fires_the_job(world: World, tmp_path: Path) -> None:
    cron_bin = shutil.which("cron") or "/usr/sbin/cron"
    if not (shutil.which("crontab") and Path(cron_bin).exists()) or os.geteuid() != 0:
        pytest.skip("needs Debian's cron (apt install cron) and root to start the daemon")
    before = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    home = tmp_path / "demo"
    assert world.proc("--home", str(home), "demo", "--no-gui").returncode == 0
    res = world.proc(
        "--home", str(home), "schedule", "set", "corp-ad", "* * * * *", "--allow-frequent"
    )
    assert res.returncode == 0, res.stderr
    daemon = None
    import psutil

    from bwdc_tray.schedule.backends.crontab import cron_daemon_running

    if not cron_daemon_running():
        daemon = subprocess.Popen(
            [cron_bin, "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + 150
        last = None
        while time.monotonic() < deadline:
            status = json.loads(
                world.proc("--home", str(home), "status", "corp-ad", "--json").stdout
            )[0]
            last = status["last_run"]
            if last and last["trigger"] == "schedule" and status["state"] != "running":
                break
            time.sleep(2)
        assert last is not None and last["trigger"] == "schedule", last
        assert last["result"] == "ok" and status["job"] == "in-sync"
        # This home's processes only: other bwdc-tray processes on a shared machine are not ours.
        ours = [
            p
            for p in psutil.process_iter(["cmdline"])
            if "bwdc_tray" in " ".join(p.info["cmdline"] or [])
            and str(home) in " ".join(p.info["cmdline"] or [])
            and "run" not in (p.info["cmdline"] or [])
        ]
        assert ours == []  # nothing of ours stays resident between runs
    finally:
        world.proc("--home", str(home), "schedule", "clear", "corp-ad")
        if daemon is not None:
            daemon.terminate()
            daemon.wait(timeout=10)
        after = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
        assert after.stdout == before.stdout


@pytest.mark.parametrize(
    ("allow", "deny", "problem"),
    [
        (None, None, None),
        ("root\nbwdc\n", None, None),
        ("root\n", None, "does not list bwdc"),
        (None, "bwdc\n", "lists bwdc"),
        (None, "other\n", None),
    ],
)
def test_cron_allow_and_deny(
    tmp_path: Path, allow: str | None, deny: str | None, problem: str | None
) -> None:
    from bwdc_tray.schedule.backends.crontab import cron_access_problem

    if allow is not None:
        (tmp_path / "cron.allow").write_text(allow)
    if deny is not None:
        (tmp_path / "cron.deny").write_text(deny)
    found = cron_access_problem("bwdc", tmp_path)
    assert (found is None) if problem is None else (problem in (found or ""))
    assert not (tmp_path / "cron.allow").exists() or allow is not None  # never created


def test_run_as_needs_a_machine_wide_home(
    world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.add("corp", secrets=False)
    monkeypatch.delenv("BWDC_TRAY_HOME")
    res = world.cli(
        "--home",
        str(world.home),
        "schedule",
        "set",
        "corp",
        "hourly",
        "--run-as",
        "bwdc",
        "--no-apply",
    )
    assert res.code == 0, res.err
    monkeypatch.setenv("XDG_CONFIG_HOME", str(world.home.parent / "xdg"))
    assert (
        world.cli(
            "instance",
            "add",
            "solo",
            "--appdata",
            str(world.tmp / "solo"),
            "--bwdc",
            str(world.bwdc),
        ).code
        == 0
    )
    res = world.cli("schedule", "set", "solo", "hourly", "--run-as", "bwdc")
    assert res.code == 2 and "machine-wide home" in res.err


def test_bsd_crontab_says_no_crontab_with_a_prefix() -> None:
    from bwdc_tray.schedule.backends.crontab import current_user
    from tests.fakes.commands import FakeRunner

    user = current_user()
    runner = FakeRunner(lambda argv, _i: (1, "", f"crontab: no crontab for {user}\n"))
    assert CrontabBackend(runner).read() == ""


def test_a_refused_install_leaves_config_and_old_job(
    world: World, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.add("corp", secrets=False)
    assert world.cli("schedule", "set", "corp", "daily", "02:00").code == 0
    monkeypatch.setenv("FAKE_CRONTAB_FAIL_LIST", "1")
    res = world.cli("schedule", "set", "corp", "daily", "04:00")
    assert res.code == 5 and "nothing was changed" in res.err
    monkeypatch.delenv("FAKE_CRONTAB_FAIL_LIST")
    shown = json.loads(world.cli("schedule", "show", "corp", "--json").out)
    assert shown["schedule"] == "0 2 * * *" and shown["job"] == "in-sync"


def test_clear_and_remove_where_the_backend_cannot_exist(world: World, fake_crontab: Path) -> None:
    import sys

    if sys.platform in ("darwin", "win32"):
        pytest.skip("Linux: Task Scheduler cannot exist here")
    world.add("corp", secrets=False)
    assert (
        world.cli(
            "schedule", "set", "corp", "hourly", "--backend", "taskscheduler", "--no-apply"
        ).code
        == 0
    )
    assert world.cli("schedule", "clear", "corp").code == 0
    assert world.cli("instance", "remove", "corp").code == 0


def test_sync_goes_on_after_one_instance_fails(world: World, fake_crontab: Path) -> None:
    world.add("a", secrets=False)
    world.add("b", secrets=False)
    assert (
        world.cli("schedule", "set", "a", "hourly", "--backend", "launchd", "--no-apply").code == 0
    )
    assert world.cli("schedule", "set", "b", "hourly", "--no-apply").code == 0
    res = world.cli("schedule", "sync")
    assert res.code == 5 and "a: " in res.err and "b: installed" in res.out

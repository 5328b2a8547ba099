"""Finding bwdc jobs in the user's crontab, /etc/cron.d and (as root) other users' crontabs."""

from __future__ import annotations

from pathlib import Path

from bwdc_tray.adopt.discover import discover
from tests.fakes.machine import Machine, fixture

# --- the user's crontab -------------------------------------------------------------------------

ALICE_TABLE = """\
# m h  dom mon dow   command
MAILTO=alice@example.com
BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/bwdc/corp
15 1 * * 1-5 /usr/local/bin/bwdc sync >> /var/log/bwdc/corp.log 2>&1
# 0 0 * * * bwdc sync >> /tmp/old.log
*/30 * * * * echo "bwdc sync is not run here"
0 4 * * * grep -q bwdc /etc/passwd || logger "no bwdc user"
@reboot bwdc --version > /tmp/v
# BEGIN bwdc-tray corp (managed by bwdc-tray; edit with `bwdc-tray schedule`)
30 2 * * * '/opt/bwdc tray/python' -m bwdc_tray run corp --trigger schedule >/dev/null 2>&1
# END bwdc-tray corp
@daily BITWARDENCLI_CONNECTOR_APPDATA_DIR=~/lab bwdc sync
"""


def test_the_users_crontab_jobs_that_sync_are_found_with_folder_log_and_schedule(
    machine: Machine,
) -> None:
    found, fake = machine.run({("crontab", "-l"): (0, ALICE_TABLE, "")})
    assert fake.calls == [("crontab", "-l")]
    assert [f.location for f in found] == ["crontab of alice, line 4", "crontab of alice, line 12"]
    first, second = found
    assert first.kind == "crontab"
    assert first.raw == "15 1 * * 1-5 /usr/local/bin/bwdc sync >> /var/log/bwdc/corp.log 2>&1"
    assert first.schedule == "15 1 * * 1-5"
    assert first.schedule_text == "15 1 * * 1-5"
    assert first.appdata == "/srv/bwdc/corp"  # from the crontab's own environment line
    assert first.log == "/var/log/bwdc/corp.log"
    assert first.bwdc == "/usr/local/bin/bwdc"
    assert first.run_as is None
    assert first.command == "/usr/local/bin/bwdc sync >> /var/log/bwdc/corp.log 2>&1"
    assert second.schedule == "0 0 * * *"
    assert second.schedule_text == "@daily"
    assert second.appdata == f"{machine.home}/lab"
    assert second.log is None
    assert any("cron mails its output" in n for n in second.notes)


def test_bwdc_trays_own_crontab_blocks_are_never_reported(machine: Machine) -> None:
    table = (
        "# BEGIN bwdc-tray corp (managed by bwdc-tray; edit with `bwdc-tray schedule`)\n"
        "30 2 * * * BITWARDENCLI_CONNECTOR_APPDATA_DIR=/x bwdc sync\n"
        "# END bwdc-tray corp\n"
        "0 * * * * /usr/bin/bwdc-tray run lab --trigger schedule\n"
    )
    found, _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert found == []


def test_no_crontab_at_all_is_not_an_error(machine: Machine) -> None:
    found, fake = machine.run()
    assert found == []
    assert fake.calls == [("crontab", "-l")]


def test_a_machine_without_the_crontab_command_finds_nothing_and_does_not_fail(
    machine: Machine,
) -> None:
    from bwdc_tray.oscmd import CommandNotFound, Completed

    def missing(argv: object, *, input_text: str | None = None) -> Completed:
        raise CommandNotFound("crontab: command not found")

    found = discover(
        machine.paths, runner=missing, etc=machine.etc, home=machine.home, platform="linux",
        env={}, user="alice", is_root=False, reader=machine.reader,
    )  # fmt: skip
    assert found == []


def test_a_reboot_job_has_no_cron_schedule_but_says_what_it_was(machine: Machine) -> None:
    table = "@reboot sleep 60 && bwdc sync >> /tmp/b.log\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.schedule is None
    assert finding.schedule_text == "@reboot"
    assert any("at boot" in n for n in finding.notes)


def test_a_very_frequent_job_keeps_its_schedule_and_is_flagged(machine: Machine) -> None:
    table = "* * * * * bwdc sync\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.schedule == "* * * * *"
    assert any("5-minute floor" in n for n in finding.notes)


def test_a_percent_in_a_cron_line_ends_the_command(machine: Machine) -> None:
    table = "0 3 * * * bwdc sync >> /var/log/b-$(date +\\%F).log%ignored input\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.command == "bwdc sync >> /var/log/b-$(date +%F).log"
    assert finding.log is None
    assert any("could not be determined" in n for n in finding.notes)


def test_a_job_running_the_documented_script_reads_it_but_not_its_secrets(
    machine: Machine,
) -> None:
    script = f"{machine.home}/bwdcSyncService.sh"
    machine.files[script] = fixture("bwdcSyncService.sh")
    table = "0 0 * * 2 ~/bwdcSyncService.sh\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert machine.read == [script]
    assert finding.script == script
    assert finding.appdata == f"{machine.home}/.config/Bitwarden Directory Connector"
    assert finding.log == "/home/bwdc/bwdc.log"  # the script cds to /home/bwdc first
    assert "reads BW_CLIENTSECRET from /home/bwdc/.bw_clientsecret" in finding.notes


def test_a_missing_script_that_clearly_is_the_bwdc_job_is_reported_with_a_note(
    machine: Machine,
) -> None:
    table = "0 0 * * 2 /home/alice/bwdcSyncService.sh\n0 1 * * * /opt/backup.sh\n"
    (finding,), _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert finding.location == "crontab of alice, line 1"
    assert finding.bwdc is None
    assert finding.appdata is None
    assert any("could not be read" in n for n in finding.notes)


def test_several_syncs_in_one_script_give_several_findings_with_distinct_ids(
    machine: Machine,
) -> None:
    machine.files["/opt/bwdc/sync-all.sh"] = fixture("multi-instance.sh")
    table = "0 */4 * * * /opt/bwdc/sync-all.sh\n"
    found, _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert [f.appdata for f in found] == ["/opt/bwdc/instance-1", "/opt/bwdc/instance-2"]
    assert {f.location for f in found} == {"crontab of alice, line 1"}
    assert [f.part for f in found] == [
        "sync 1 of 2 (/opt/bwdc/sync-all.sh line 15)",
        "sync 2 of 2 (/opt/bwdc/sync-all.sh line 15)",
    ]
    assert len({f.id for f in found}) == 2
    again, _fake = machine.run({("crontab", "-l"): (0, table, "")})
    assert [f.id for f in again] == [f.id for f in found]


# --- /etc/cron.d and other users' crontabs ------------------------------------------------------

CRON_D = """\
# Bitwarden Directory Connector, as the dedicated bwdc user
SHELL=/bin/bash
PATH=/usr/local/bin:/usr/bin:/bin
0 0 * * 2 bwdc /home/bwdc/bwdcSyncService.sh
30 3 * * * root /usr/sbin/logrotate /etc/logrotate.d/bwdc
"""


def test_a_cron_d_file_is_read_with_its_user_field(machine: Machine) -> None:
    (machine.etc / "cron.d" / "bwdc-sync").write_text(CRON_D, encoding="utf-8")
    machine.files["/home/bwdc/bwdcSyncService.sh"] = fixture("bwdcSyncService.sh")
    (finding,), _fake = machine.run()
    assert finding.kind == "cron.d"
    assert finding.location == f"{machine.etc}/cron.d/bwdc-sync, line 4"
    assert finding.artifact_path == str(machine.etc / "cron.d" / "bwdc-sync")
    assert finding.raw == CRON_D  # the whole file: what a replacement removes
    assert finding.run_as == "bwdc"
    assert finding.schedule == "0 0 * * 2"
    assert finding.command == "/home/bwdc/bwdcSyncService.sh"
    assert finding.appdata == "/home/bwdc/.config/Bitwarden Directory Connector"
    assert finding.log == "/home/bwdc/bwdc.log"


def test_cron_d_files_of_bwdc_tray_and_editor_backups_are_skipped(machine: Machine) -> None:
    line = "0 0 * * * bwdc BITWARDENCLI_CONNECTOR_APPDATA_DIR=/x bwdc sync\n"
    for name in ("bwdc-tray-corp", "bwdc~", "bwdc.dpkg-old", ".placeholder"):
        (machine.etc / "cron.d" / name).write_text(line, encoding="utf-8")
    found, _fake = machine.run()
    assert found == []


def test_a_cron_d_file_with_a_dot_in_its_name_is_reported_with_a_warning(
    machine: Machine,
) -> None:
    (machine.etc / "cron.d" / "bwdc.cron").write_text(
        "0 0 * * * bwdc bwdc sync >> /home/bwdc/bwdc.log\n", encoding="utf-8"
    )
    (finding,), _fake = machine.run()
    assert any("ignores /etc/cron.d files whose names hold a dot" in n for n in finding.notes)


def test_as_root_the_crontabs_of_bwdc_and_of_cron_d_users_are_read(machine: Machine) -> None:
    (machine.etc / "cron.d" / "other").write_text(
        "0 5 * * * svc-sync /usr/bin/true\n", encoding="utf-8"
    )
    bwdc_table = "0 6 * * 1 BITWARDENCLI_CONNECTOR_APPDATA_DIR=$HOME/corp bwdc sync >> sync.log\n"
    found, fake = machine.run(
        {("crontab", "-u", "bwdc", "-l"): (0, bwdc_table, "")}, is_root=True, user="root",
        home=Path("/root"),
    )  # fmt: skip
    assert fake.calls == [
        ("crontab", "-l"),
        ("crontab", "-u", "bwdc", "-l"),
        ("crontab", "-u", "svc-sync", "-l"),
    ]
    (finding,) = found
    assert finding.location == "crontab of bwdc, line 1"
    assert finding.run_as == "bwdc"
    assert finding.appdata == "/home/bwdc/corp"
    assert finding.log == "/home/bwdc/sync.log"


def test_other_users_crontabs_are_not_read_unless_root(machine: Machine) -> None:
    _found, fake = machine.run()
    assert fake.calls == [("crontab", "-l")]


def test_an_unrelated_job_of_the_bwdc_user_is_not_adopted(machine: Machine) -> None:
    table = "0 3 * * * /usr/local/bin/cleanup.sh\n15 * * * * echo bwdc >> /tmp/x\n"
    found, _fake = machine.run(
        {("crontab", "-u", "bwdc", "-l"): (0, table, "")}, is_root=True, user="root"
    )
    assert found == []

"""Reading a hand-made job: which bwdc it runs, on which data folder, logging where."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bwdc_tray.adopt.calls import BwdcCall, Context, Recipe, bwdc_name, default_appdata
from bwdc_tray.adopt.recipe import read_argv, read_command, read_script, split_windows_args

FIXTURES = Path(__file__).parent / "fixtures"
HOME = "/home/bwdc"
DEFAULT = f"{HOME}/.config/Bitwarden Directory Connector"


def ctx(**kw: object) -> Context:
    base: dict[str, object] = {"home": HOME, "user": "bwdc", "cwd": HOME}
    base.update(kw)
    return Context(**base)  # type: ignore[arg-type]


def only_sync(recipe: Recipe) -> BwdcCall:
    assert len(recipe.syncs) == 1, recipe
    return recipe.syncs[0]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- which programs are bwdc --------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "bwdc",
        "/usr/local/bin/bwdc",
        "./bwdc",
        "bwdc.exe",
        "C:\\Program Files\\Bitwarden Directory Connector\\bwdc.exe",
        "BWDC.EXE",
        "/opt/bwdc/bwdc-linux",
    ],
)
def test_bwdc_is_recognised_by_any_path_and_spelling(word: str) -> None:
    assert bwdc_name(word)


@pytest.mark.parametrize(
    "word",
    ["bwdc-tray", "/usr/bin/bwdc-tray", "bwdc-sync.sh", "bwdcSyncService.sh", "xbwdc", "bwdc.ps1"],
)
def test_bwdc_tray_and_scripts_named_after_bwdc_are_not_bwdc(word: str) -> None:
    assert not bwdc_name(word)


# --- command lines ------------------------------------------------------------------------------


def test_an_env_prefix_names_the_data_folder_and_an_append_names_the_log() -> None:
    call = only_sync(
        read_command(
            "BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/bwdc/corp /usr/local/bin/bwdc sync "
            ">> /var/log/bwdc/corp.log 2>&1",
            ctx(),
        )
    )
    assert call.program == "/usr/local/bin/bwdc"
    assert call.appdata == "/srv/bwdc/corp"
    assert call.appdata_set
    assert call.log == "/var/log/bwdc/corp.log"
    assert call.notes == ()


def test_the_desktop_apps_variable_also_names_the_data_folder() -> None:
    call = only_sync(read_command("BITWARDEN_CONNECTOR_APPDATA_DIR=/srv/x bwdc sync", ctx()))
    assert call.appdata == "/srv/x"


def test_the_cli_variable_wins_over_the_desktop_apps_variable() -> None:
    line = (
        "BITWARDEN_CONNECTOR_APPDATA_DIR=/srv/app BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/cli "
        "bwdc sync"
    )
    assert only_sync(read_command(line, ctx())).appdata == "/srv/cli"


def test_without_a_data_folder_variable_bwdcs_default_folder_is_reported_with_a_note() -> None:
    call = only_sync(read_command("bwdc sync", ctx()))
    assert call.appdata == DEFAULT
    assert not call.appdata_set
    assert any("default data folder" in n for n in call.notes)


def test_the_default_folder_follows_the_os() -> None:
    assert default_appdata("darwin", "/Users/a", {}) == (
        "/Users/a/Library/Application Support/Bitwarden Directory Connector"
    )
    assert default_appdata("win32", "C:\\Users\\a", {}) == (
        "C:\\Users\\a\\AppData\\Roaming\\Bitwarden Directory Connector"
    )
    assert default_appdata("linux", "/home/a", {"XDG_CONFIG_HOME": "/x"}) == (
        "/x/Bitwarden Directory Connector"
    )


@pytest.mark.parametrize(
    ("line", "log"),
    [
        ("bwdc sync >> bwdc.log", f"{HOME}/bwdc.log"),
        ("bwdc sync >>bwdc.log 2>&1", f"{HOME}/bwdc.log"),
        ("bwdc sync &>> /var/log/b.log", "/var/log/b.log"),
        ("bwdc sync &> /var/log/b.log", "/var/log/b.log"),
        ("bwdc sync 1>>/var/log/b.log 2>>/var/log/b.log", "/var/log/b.log"),
        ("bwdc sync 2>&1 | tee -a /var/log/b.log", "/var/log/b.log"),
        ("bwdc sync | tee --append ~/b.log > /dev/null", f"{HOME}/b.log"),
        ('bwdc sync >> "$HOME/logs/b.log" 2>&1', f"{HOME}/logs/b.log"),
        ("exec bwdc --response sync >> ~/b.log", f"{HOME}/b.log"),
    ],
)
def test_every_usual_redirection_gives_the_log_file(line: str, log: str) -> None:
    assert only_sync(read_command(line, ctx())).log == log


def test_a_truncating_redirection_is_reported() -> None:
    call = only_sync(read_command("bwdc sync > /var/log/b.log", ctx()))
    assert call.log == "/var/log/b.log"
    assert any("overwrites" in n for n in call.notes)


def test_a_plain_tee_overwrites_and_says_so() -> None:
    call = only_sync(read_command("bwdc sync | tee /tmp/b.log", ctx()))
    assert call.log == "/tmp/b.log"
    assert any("tee without -a" in n for n in call.notes)


def test_output_thrown_away_gives_no_log() -> None:
    call = only_sync(read_command("bwdc sync >/dev/null 2>&1", ctx()))
    assert call.log is None
    assert any("thrown away" in n for n in call.notes)


def test_output_sent_to_syslog_gives_no_log_file() -> None:
    call = only_sync(read_command("bwdc sync 2>&1 | logger -t bwdc", ctx()))
    assert call.log is None
    assert any("system log" in n for n in call.notes)


def test_env_and_wrappers_before_bwdc_are_seen_through() -> None:
    line = (
        "cd /srv && env BITWARDENCLI_CONNECTOR_APPDATA_DIR=~/corp nice -n 10 timeout 3600 "
        "flock -n /tmp/bwdc.lock bwdc sync >> corp.log"
    )
    call = only_sync(read_command(line, ctx()))
    assert call.appdata == f"{HOME}/corp"
    assert call.log == "/srv/corp.log"


def test_a_relative_data_folder_is_resolved_against_the_folder_cd_went_to() -> None:
    call = only_sync(
        read_command("cd /srv/bwdc && BITWARDENCLI_CONNECTOR_APPDATA_DIR=./corp ./bwdc sync", ctx())
    )
    assert call.appdata == "/srv/bwdc/corp"
    assert call.program == "/srv/bwdc/bwdc"


def test_a_relative_path_with_no_known_working_folder_is_not_guessed() -> None:
    call = only_sync(
        read_command("BITWARDENCLI_CONNECTOR_APPDATA_DIR=corp bwdc sync", ctx(cwd=None))
    )
    assert call.appdata is None
    assert any("relative" in n for n in call.notes)


def test_login_is_noted_but_only_sync_is_a_sync() -> None:
    recipe = read_command("bwdc login --apikey && bwdc sync", ctx())
    assert [c.verb for c in recipe.calls] == ["login", "sync"]
    assert len(recipe.syncs) == 1
    assert len(recipe.logins) == 1


@pytest.mark.parametrize(
    "line",
    [
        "echo bwdc sync",
        "grep bwdc /var/log/syslog",
        "bwdc --version",
        "/opt/bwdc-tray/bwdc-tray run corp --trigger schedule",
        "/usr/bin/python3 -m bwdc_tray run corp",
        "cp /home/bwdc/bwdc.log /backup/",
        "logrotate /etc/logrotate.d/bwdc",
        "# bwdc sync",
        "true # bwdc sync",
    ],
)
def test_lines_that_merely_mention_bwdc_find_nothing(line: str) -> None:
    recipe = read_command(line, ctx(read=lambda _p: None))
    assert recipe.calls == ()
    assert not recipe.suspect


def test_sh_c_text_is_read_too() -> None:
    call = only_sync(read_command("/bin/sh -c 'bwdc sync >> /tmp/x.log'", ctx()))
    assert call.log == "/tmp/x.log"


def test_a_quoted_program_path_with_spaces_is_bwdc() -> None:
    call = only_sync(read_command('"/opt/Bitwarden DC/bwdc" sync', ctx()))
    assert call.program == "/opt/Bitwarden DC/bwdc"


# --- scripts ------------------------------------------------------------------------------------


def test_the_documented_sync_service_script_is_read_without_reading_its_secrets() -> None:
    text = fixture("bwdcSyncService.sh")
    read: list[str] = []

    def reader(path: str) -> str | None:
        read.append(path)
        return text if path == f"{HOME}/bwdcSyncService.sh" else None

    recipe = read_command("/home/bwdc/bwdcSyncService.sh", ctx(read=reader))
    call = only_sync(recipe)
    assert read == [f"{HOME}/bwdcSyncService.sh"]  # the secret files are never opened
    assert recipe.scripts == (f"{HOME}/bwdcSyncService.sh",)
    assert call.log == f"{HOME}/bwdc.log"
    assert call.appdata == DEFAULT
    assert call.where == f"{HOME}/bwdcSyncService.sh line 12"
    assert "reads BW_CLIENTID from /home/bwdc/.bw_clientid" in recipe.notes
    assert "reads BW_CLIENTSECRET from /home/bwdc/.bw_clientsecret" in recipe.notes
    assert any("PLAINTEXT_SECRETS" in n for n in call.notes)
    assert [c.verb for c in recipe.calls] == ["logout", "login", "sync", "logout"]


def test_a_secret_written_in_the_script_is_reported_without_its_value() -> None:
    recipe = read_script(
        "export BW_CLIENTSECRET=s3cr3t-value\nbwdc login --apikey\nbwdc sync\n",
        "/opt/sync.sh",
        ctx(),
    )
    assert any("BW_CLIENTSECRET in the script itself" in n for n in recipe.notes)
    everything = repr(recipe)
    assert "s3cr3t-value" not in everything


def test_several_syncs_in_one_script_give_one_result_each() -> None:
    recipe = read_script(fixture("multi-instance.sh"), "/opt/bwdc/sync-all.sh", ctx())
    assert [(c.appdata, c.log, c.program) for c in recipe.syncs] == [
        ("/opt/bwdc/instance-1", "/var/log/bwdc/instance-1.log", "/opt/bwdc/bwdc"),
        ("/opt/bwdc/instance-2", "/var/log/bwdc/instance-2.log", "/opt/bwdc/bwdc"),
    ]
    assert "reads BW_CLIENTSECRET from /etc/bwdc/client_secret" in recipe.notes
    assert recipe.syncs[0].args == ("--response", "sync")


def test_a_log_variable_and_an_exported_folder_carry_into_functions() -> None:
    recipe = read_script(fixture("functions.sh"), "/home/bwdc/bin/sync.sh", ctx())
    call = only_sync(recipe)
    assert call.appdata == f"{HOME}/bwdc/ldap"
    assert call.log == f"{HOME}/logs/bwdc-sync.log"
    assert call.program == "/usr/local/bin/bwdc"


def test_a_folder_variable_that_is_not_exported_does_not_reach_bwdc() -> None:
    recipe = read_script(
        "BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/a\nbwdc sync\n", "/opt/s.sh", ctx()
    )
    call = only_sync(recipe)
    assert call.appdata == DEFAULT
    assert any("not exported" in n for n in call.notes)


def test_set_a_exports_every_assignment() -> None:
    recipe = read_script(
        "set -a\nBITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/a\nbwdc sync\n", "/opt/s.sh", ctx()
    )
    assert only_sync(recipe).appdata == "/srv/a"


def test_exec_redirection_at_the_top_of_a_script_is_the_log() -> None:
    recipe = read_script(
        "#!/bin/sh\nexec >> /var/log/bwdc.log 2>&1\nbwdc sync\n", "/opt/s.sh", ctx()
    )
    assert only_sync(recipe).log == "/var/log/bwdc.log"


def test_a_redirected_group_gives_its_log_to_the_calls_inside() -> None:
    recipe = read_script("{\n  date\n  bwdc sync\n} >> /var/log/g.log 2>&1\n", "/opt/s.sh", ctx())
    assert only_sync(recipe).log == "/var/log/g.log"


def test_a_loop_over_a_literal_list_gives_one_result_per_folder() -> None:
    text = (
        "for d in /srv/a /srv/b; do\n"
        '  BITWARDENCLI_CONNECTOR_APPDATA_DIR="$d" bwdc sync >> "$d/bwdc.log"\n'
        "done\n"
    )
    recipe = read_script(text, "/opt/s.sh", ctx())
    assert [(c.appdata, c.log) for c in recipe.syncs] == [
        ("/srv/a", "/srv/a/bwdc.log"),
        ("/srv/b", "/srv/b/bwdc.log"),
    ]


def test_a_loop_over_a_glob_says_what_cannot_be_known() -> None:
    recipe = read_script(fixture("loop.sh"), "/opt/loop.sh", ctx())
    call = only_sync(recipe)
    assert call.appdata is None
    assert call.log is None
    assert any("loop over /srv/bwdc/*/" in n for n in call.notes)
    assert any("could not be determined" in n for n in call.notes)


def test_a_script_full_of_lookalikes_finds_nothing() -> None:
    recipe = read_script(fixture("lookalike.sh"), "/opt/lookalike.sh", ctx())
    assert recipe.calls == ()


def test_a_here_document_is_not_read_as_commands() -> None:
    text = "cat > /tmp/readme <<'EOF'\nbwdc sync >> /tmp/no.log\nEOF\nbwdc sync >> /tmp/yes.log\n"
    assert only_sync(read_script(text, "/opt/s.sh", ctx())).log == "/tmp/yes.log"


def test_sourced_settings_are_not_read_and_this_is_said() -> None:
    read: list[str] = []

    def reader(path: str) -> str | None:
        read.append(path)
        return None

    recipe = read_script(". /etc/bwdc/env\nbwdc sync\n", "/opt/s.sh", ctx(read=reader))
    assert read == []
    assert any("/etc/bwdc/env" in n and "unknown" in n for n in recipe.notes)


def test_a_missing_script_named_after_bwdc_is_reported_as_unknown() -> None:
    recipe = read_command("/home/bwdc/bwdcSyncService.sh", ctx(read=lambda _p: None))
    assert recipe.suspect
    assert recipe.calls == ()
    assert any("could not be read" in n for n in recipe.notes)


def test_a_missing_script_with_no_bwdc_clue_is_ignored() -> None:
    recipe = read_command("/usr/local/bin/backup.sh", ctx(read=lambda _p: None))
    assert not recipe.suspect
    assert recipe.notes == ()


def test_a_script_called_through_bash_is_read_and_cwd_stays_the_jobs() -> None:
    script = "bwdc sync >> bwdc.log\n"
    recipe = read_command(
        "bash /opt/bwdc/run.sh",
        ctx(read=lambda p: script if p == "/opt/bwdc/run.sh" else None),
    )
    # cron starts the job in the home folder, not in the script's folder.
    assert only_sync(recipe).log == f"{HOME}/bwdc.log"


def test_a_script_that_cds_to_its_own_folder_logs_there() -> None:
    script = 'cd "$(dirname "$0")"\nbwdc sync >> bwdc.log\n'
    recipe = read_command(
        "/opt/bwdc/run.sh",
        ctx(read=lambda p: script if p == "/opt/bwdc/run.sh" else None),
    )
    assert only_sync(recipe).log == "/opt/bwdc/bwdc.log"


def test_the_jobs_log_reaches_the_calls_of_its_script() -> None:
    script = "bwdc sync\n"
    recipe = read_command(
        "/opt/bwdc/run.sh >> /var/log/run.log 2>&1",
        ctx(read=lambda p: script if p == "/opt/bwdc/run.sh" else None),
    )
    assert only_sync(recipe).log == "/var/log/run.log"


def test_an_env_prefix_on_the_job_reaches_its_script() -> None:
    script = "bwdc sync\n"
    recipe = read_command(
        "BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/a /opt/bwdc/run.sh",
        ctx(read=lambda p: script if p == "/opt/bwdc/run.sh" else None),
    )
    assert only_sync(recipe).appdata == "/srv/a"


def test_a_binary_on_the_command_line_is_not_read_as_a_script() -> None:
    recipe = read_command("/usr/bin/rsync -a /a /b", ctx(read=lambda _p: None))
    assert recipe.calls == ()


# --- Windows ------------------------------------------------------------------------------------

WIN_HOME = "C:\\Users\\svc-bwdc"


def wctx(**kw: object) -> Context:
    base: dict[str, object] = {
        "os_name": "win32",
        "home": WIN_HOME,
        "user": "svc-bwdc",
        "cwd": "C:\\Windows\\System32",
    }
    base.update(kw)
    return Context(**base)  # type: ignore[arg-type]


def test_a_powershell_script_gives_each_sync_its_folder_and_log() -> None:
    text = (FIXTURES / "bwdc-sync.ps1").read_text(encoding="utf-8")
    recipe = read_script(text, "C:\\scripts\\bwdc-sync.ps1", wctx())
    exe = "C:\\Program Files\\Bitwarden Directory Connector\\bwdc.exe"
    assert [(c.program, c.appdata, c.log) for c in recipe.syncs] == [
        (exe, "C:\\bwdc\\corp", "C:\\bwdc\\logs\\sync.log"),
        (exe, "C:\\scripts\\lab", "C:\\bwdc\\logs\\lab.log"),
    ]
    assert len(recipe.logins) == 1
    assert "reads BW_CLIENTSECRET from C:\\bwdc\\secrets\\client_secret.txt" in recipe.notes


@pytest.mark.parametrize(
    ("line", "log"),
    [
        ("bwdc.exe sync *>> C:\\l\\a.log", "C:\\l\\a.log"),
        ("bwdc.exe sync | Out-File -Append C:\\l\\a.log", "C:\\l\\a.log"),
        ("bwdc.exe sync | Add-Content -Path 'C:\\l\\a.log'", "C:\\l\\a.log"),
        ("bwdc.exe sync 2>&1 | Tee-Object -FilePath C:\\l\\a.log -Append", "C:\\l\\a.log"),
        ("Start-Transcript -Path C:\\l\\t.log -Append; bwdc.exe sync", "C:\\l\\t.log"),
    ],
)
def test_powershell_redirections_give_the_log(line: str, log: str) -> None:
    assert only_sync(read_command(line, wctx(), dialect="ps")).log == log


def test_a_batch_file_with_set_and_dp0_resolves_folder_and_log() -> None:
    text = (FIXTURES / "bwdc-lab.cmd").read_text(encoding="utf-8")
    recipe = read_script(text, "C:\\scripts\\bwdc-lab.cmd", wctx())
    call = only_sync(recipe)
    assert call.appdata == "C:\\scripts\\lab"
    assert call.log == "C:\\scripts\\logs\\lab.log"


def test_cmd_set_before_a_call_on_one_line_sets_the_folder() -> None:
    recipe = read_command(
        "set BITWARDENCLI_CONNECTOR_APPDATA_DIR=%ProgramData%\\bwdc\\a&& "
        "bwdc sync >> C:\\a.log 2>&1",
        wctx(),
        dialect="cmd",
    )
    call = only_sync(recipe)
    assert call.appdata == "C:\\ProgramData\\bwdc\\a"
    assert call.log == "C:\\a.log"


def test_a_task_running_bwdc_exe_directly_resolves_against_its_working_directory() -> None:
    argv = ["C:\\Program Files\\Bitwarden Directory Connector\\bwdc.exe", "sync"]
    call = only_sync(read_argv(argv, wctx(cwd="D:\\bwdc\\corp")))
    assert call.appdata == f"{WIN_HOME}\\AppData\\Roaming\\Bitwarden Directory Connector"
    assert call.log is None


def test_powershell_file_arguments_lead_to_the_script() -> None:
    argv = ["powershell.exe", "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", "C:\\s\\b.ps1"]
    script = '$env:BITWARDENCLI_CONNECTOR_APPDATA_DIR = "C:\\d"\nbwdc sync\n'
    recipe = read_argv(argv, wctx(read=lambda p: script if p == "C:\\s\\b.ps1" else None))
    assert only_sync(recipe).appdata == "C:\\d"
    assert recipe.scripts == ("C:\\s\\b.ps1",)


def test_windows_arguments_split_like_windows() -> None:
    assert split_windows_args('-File "C:\\my scripts\\a.ps1" -x') == [
        "-File",
        "C:\\my scripts\\a.ps1",
        "-x",
    ]


# --- launchd-style argv -------------------------------------------------------------------------


def test_program_arguments_are_taken_literally_with_no_shell() -> None:
    call = only_sync(
        read_argv(
            ["/usr/local/bin/bwdc", "sync"],
            ctx(
                env={"BITWARDENCLI_CONNECTOR_APPDATA_DIR": "/Users/Shared/bwdc/corp"},
                log="/var/log/b.log",
            ),
        )
    )
    assert call.appdata == "/Users/Shared/bwdc/corp"
    assert call.log == "/var/log/b.log"


def test_program_arguments_through_sh_c_are_read_as_shell() -> None:
    call = only_sync(read_argv(["/bin/sh", "-c", "exec bwdc sync >> /tmp/l.log"], ctx()))
    assert call.log == "/tmp/l.log"


def test_sudo_with_an_assignment_still_names_the_folder_and_the_other_user_is_noted() -> None:
    recipe = read_command("sudo -u bwdc BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/a bwdc sync", ctx())
    assert only_sync(recipe).appdata == "/srv/a"
    assert any("runs bwdc as bwdc (sudo)" in n for n in recipe.notes)


def test_su_c_text_is_read_and_the_other_user_is_noted() -> None:
    recipe = read_command('su - bwdc -c "bwdc sync >> /var/log/b.log"', ctx())
    assert only_sync(recipe).log == "/var/log/b.log"
    assert any("runs bwdc as bwdc (su)" in n for n in recipe.notes)


def test_a_powershell_loop_is_reported_without_guessing_its_folders() -> None:
    text = (
        'foreach ($d in @("C:\\a", "C:\\b")) {\n'
        "  $env:BITWARDENCLI_CONNECTOR_APPDATA_DIR = $d\n"
        '  bwdc sync *>> "$d\\bwdc.log"\n'
        "}\n"
    )
    call = only_sync(read_script(text, "C:\\s\\all.ps1", wctx()))
    assert call.appdata is None
    assert call.log is None
    assert any("could not be determined" in n for n in call.notes)


def test_a_case_branch_and_an_if_body_are_still_read() -> None:
    text = (
        'case "$1" in\n  corp) bwdc sync >> /l/corp.log ;;\nesac\n'
        "if [ -d /srv/a ]; then BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/a bwdc sync; fi\n"
    )
    recipe = read_script(text, "/opt/s.sh", ctx())
    assert [(c.appdata, c.log) for c in recipe.syncs] == [
        (DEFAULT, "/l/corp.log"),
        ("/srv/a", None),
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.sampled_from(list("bwdc sync$(){}[]'\"`\\%^;|&<>=~*#\n\t-/:.ex12")),
                 max_size=80),
    dialect=st.sampled_from(["sh", "cmd", "ps"]),
)  # fmt: skip
def test_any_text_is_read_without_crashing(text: str, dialect: str) -> None:
    recipe = read_command(text, ctx(read=lambda _p: None), dialect=dialect)  # type: ignore[arg-type]
    assert isinstance(recipe, Recipe)


def test_a_log_variable_assigned_earlier_is_followed() -> None:
    recipe = read_script(
        'LOG=/var/log/bwdc/sync.log\nbwdc sync >> "$LOG" 2>&1 || echo failed >> "$LOG"\n',
        "/opt/s.sh",
        ctx(),
    )
    assert only_sync(recipe).log == "/var/log/bwdc/sync.log"

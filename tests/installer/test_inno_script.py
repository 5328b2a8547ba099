"""Static checks of the Windows installer (installer/windows/bwdc-tray.iss), its icon and its CI
workflow, run on any OS: Inno Setup's compiler only runs on Windows (the workflow compiles it).

What they hold the script to: per-user by default with per-machine allowed; the "start at
login" value is exactly the one the app reads and writes; the uninstaller calls the CLI's own
clean-up commands, keeps the user's data unless asked, and never kills processes by name; the
version comes from the build, not from the script."""

from __future__ import annotations

import argparse
import importlib.util
import re
import struct
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

import pytest

import bwdc_tray
from bwdc_tray import autostart

REPO = Path(__file__).resolve().parents[2]
ISS = REPO / "installer" / "windows" / "bwdc-tray.iss"
ICO = REPO / "resources" / "icons" / "bwdc-tray.ico"
WORKFLOW = REPO / ".github" / "workflows" / "windows.yml"
MAKE_ICO = REPO / "installer" / "windows" / "make_ico.py"
ICO_SIZES = {16, 24, 32, 48, 64, 128, 256}
RUN_COMMAND = '"{app}\\bwdc-tray-runner.exe" tray'
JOBS = ["uninstall", "--jobs", "--yes"]
DATA = ["uninstall", "--data", "--yes"]


# --- a small reader of Inno Setup scripts ----------------------------------------------------


@dataclass
class Script:
    defines: dict[str, str] = field(default_factory=dict)
    directives: dict[str, dict[str, str]] = field(default_factory=dict)  # [Setup], [CustomMessages]
    entries: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # Name: "..."; ...
    code: str = ""  # [Code], as written (after {#define} expansion)
    text: str = ""


KEY_VALUE_SECTIONS = {"setup", "custommessages", "messages", "langoptions"}


def split_params(line: str) -> dict[str, str]:
    """One entry line -> {lowercased parameter: value}: Inno's entry syntax (parameters separated
    by ';', values optionally in double quotes, an inner quote doubled)."""
    params: dict[str, str] = {}
    pos = 0
    while pos < len(line):
        match = re.compile(r"\s*([A-Za-z]+)\s*:\s*").match(line, pos)
        if not match:
            raise ValueError(f"cannot parse entry at {line[pos:]!r}")
        key, pos = match.group(1).lower(), match.end()
        if line.startswith('"', pos):
            value, pos = [], pos + 1
            while True:
                end = line.index('"', pos)
                value.append(line[pos:end])
                if line.startswith('""', end):
                    value.append('"')
                    pos = end + 2
                    continue
                pos = end + 1
                break
            params[key] = "".join(value)
        else:
            end = line.find(";", pos)
            end = len(line) if end < 0 else end
            params[key] = line[pos:end].strip()
            pos = end
        rest = re.compile(r"\s*(;|$)").match(line, pos)
        if not rest:
            raise ValueError(f"expected ';' at {line[pos:]!r}")
        pos = rest.end()
    return params


def parse(path: Path = ISS) -> Script:
    text = path.read_text(encoding="utf-8-sig")
    script = Script(text=text)
    for name, value in re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', text, flags=re.M):
        script.defines.setdefault(name, value)

    def expand(line: str) -> str:
        return re.sub(r"\{#(\w+)\}", lambda m: script.defines[m.group(1)], line)

    section = ""
    code: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if section != "code" and (not line or line.startswith((";", "#"))):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            section = header.group(1).lower()
            continue
        if section == "code":
            code.append(expand(raw))
        elif section in KEY_VALUE_SECTIONS:
            key, _, value = line.partition("=")
            script.directives.setdefault(section, {})[key.strip().lower()] = expand(value.strip())
        elif section:
            script.entries.setdefault(section, []).append(split_params(expand(line)))
    script.code = "\n".join(code)
    return script


@pytest.fixture(scope="module")
def iss() -> Script:
    return parse()


def setup(iss: Script, key: str) -> str:
    return iss.directives["setup"][key.lower()]


def pascal_const(iss: Script, name: str) -> str:
    match = re.search(rf"^\s*{name}\s*=\s*'((?:[^']|'')*)'\s*;", iss.code, flags=re.M)
    assert match, f"no constant {name} in [Code]"
    return match.group(1).replace("''", "'")


def pascal_tokens(code: str) -> list[str]:
    """Words of Pascal code outside string literals and comments."""
    # One pass, left to right: a quote inside a comment opens no string, and the reverse.
    code = re.sub(r"//[^\n]*|\{[^}]*\}|\(\*.*?\*\)|'(?:[^'\n]|'')*'", " ", code, flags=re.S)
    return re.findall(r"[A-Za-z_]\w*|[()]", code)


def windows_path(iss_relative: str) -> Path:
    return ISS.parent.joinpath(*PureWindowsPath(iss_relative).parts).resolve()


# --- the script ------------------------------------------------------------------------------


def test_the_reader_understands_inno_entries() -> None:
    line = 'Name: "a ""b"" c"; Flags: x y; Tasks: t'
    assert split_params(line) == {"name": 'a "b" c', "flags": "x y", "tasks": "t"}


def test_per_user_by_default_per_machine_on_request(iss: Script) -> None:
    assert setup(iss, "PrivilegesRequired") == "lowest"
    assert set(setup(iss, "PrivilegesRequiredOverridesAllowed").split()) == {
        "dialog",
        "commandline",
    }
    assert setup(iss, "DefaultDirName") == "{autopf}\\bwdc-tray"
    assert setup(iss, "ArchitecturesAllowed") == "x64compatible"
    assert setup(iss, "ArchitecturesInstallIn64BitMode") == "x64compatible"
    # A fixed GUID ({{ is Inno's escaped brace): upgrades and uninstalls find the copy by it.
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup(iss, "AppId"))


def test_files_it_names_exist_or_are_the_builds(iss: Script) -> None:
    assert windows_path(setup(iss, "SetupIconFile")) == ICO
    assert ICO.is_file()
    assert windows_path(setup(iss, "OutputDir")) == REPO / "dist"
    (files,) = iss.entries["files"]
    # dist\bwdc-tray\ is what installer/build.py (PyInstaller's COLLECT "bwdc-tray") produces.
    source = PureWindowsPath(files["source"])
    assert source.name == "*"
    assert windows_path(str(source.parent)) == REPO / "dist" / "bwdc-tray"
    assert {"recursesubdirs", "createallsubdirs"} <= set(files["flags"].split())
    assert files["destdir"] == "{app}"
    languages = {e["name"]: e["messagesfile"] for e in iss.entries["languages"]}
    assert languages == {"en": "compiler:Default.isl", "fr": "compiler:Languages\\French.isl"}


def test_the_start_menu_opens_the_gui(iss: Script) -> None:
    from bwdc_tray import bundle

    (icon,) = iss.entries["icons"]
    assert icon["name"] == "{autoprograms}\\bwdc-tray"
    assert icon["filename"] == f"{{app}}\\{bundle.GUI}.exe"
    assert setup(iss, "UninstallDisplayIcon") == f"{{app}}\\{bundle.GUI}.exe"
    (launch,) = iss.entries["run"]
    assert launch["filename"] == f"{{app}}\\{bundle.GUI}.exe"
    assert {"postinstall", "skipifsilent", "nowait"} <= set(launch["flags"].split())


def test_start_at_login_writes_the_apps_own_run_value(iss: Script) -> None:
    (task,) = iss.entries["tasks"]
    assert task["name"] == "startatlogin"
    (value,) = [e for e in iss.entries["registry"] if e["root"] == "HKCU"]
    assert value["subkey"] == autostart.RUN_KEY
    assert value["valuename"] == autostart.RUN_VALUE
    assert value["valuetype"] == "string"
    assert value["valuedata"] == RUN_COMMAND
    assert value["tasks"] == "startatlogin"
    assert "uninsdeletevalue" in value["flags"].split()
    # HKCU on purpose, also per machine: the app's checkbox reads HKCU only.
    assert setup(iss, "UsedUserAreasWarning") == "no"


def test_the_run_value_is_what_the_frozen_app_writes(
    iss: Script, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The value the app itself writes (autostart.set_enabled: list2cmdline of tray_command)
    when frozen, in an install folder with a space (then list2cmdline quotes, as Setup does)."""
    from bwdc_tray import bundle
    from bwdc_tray.paths import Paths

    app = PureWindowsPath(r"C:\Program Files\bwdc-tray")
    monkeypatch.setattr(bundle, "is_frozen", lambda: True)
    monkeypatch.setattr(bundle, "program", lambda name: app / f"{name}.exe")
    paths = Paths(config_dir=tmp_path, state_dir=tmp_path / "state")
    written = subprocess.list2cmdline(autostart.tray_command(paths))
    (value,) = [e for e in iss.entries["registry"] if e["root"] == "HKCU"]
    assert value["valuedata"].replace("{app}", str(app)) == written


def test_uninstall_runs_the_clis_clean_up_commands(iss: Script) -> None:
    assert pascal_const(iss, "JobsCommand").split() == JOBS
    assert pascal_const(iss, "AllUsersOption").split() == ["--all-users"]
    assert pascal_const(iss, "DataCommand").split() == DATA
    assert pascal_const(iss, "RunKey") == autostart.RUN_KEY
    assert pascal_const(iss, "RunValue") == autostart.RUN_VALUE
    code = iss.code
    # Hidden, waited for, from the installed runner; a non-zero exit code is reported.
    assert re.search(
        r"Exec\(ExpandConstant\('\{app\}\\bwdc-tray-runner\.exe'\),\s*Command,\s*'',\s*SW_HIDE,"
        r"\s*ewWaitUntilTerminated,\s*ResultCode\)",
        code,
    )
    assert re.search(r"ResultCode <> 0 then\s+begin\s+Report\(", code)
    assert re.search(r"procedure Report\(.*?SuppressibleMsgBox\(Msg, mbError", code, re.S)
    # --all-users exactly for a per-machine (administrative) install.
    assert re.search(r"if IsAdminInstallMode then\s+Command := Command \+ AllUsersOption", code)
    # Before any file is deleted: at usUninstall, not usPostUninstall.
    step = re.search(r"procedure CurUninstallStepChanged.*?\nend;", code, re.S)
    assert step
    assert "if CurUninstallStep <> usUninstall then" in step.group(0)
    assert "usPostUninstall" not in code
    assert step.group(0).index("JobsCommand") < step.group(0).index("DataCommand")


def test_the_cli_accepts_the_uninstallers_commands() -> None:
    from bwdc_tray.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if "uninstall" not in commands:
        pytest.skip("the CLI has no `uninstall` command yet (being added alongside)")
    for argv in (JOBS, [*JOBS, "--all-users"], DATA):
        parser.parse_args(argv)  # exits (status 2) on an unknown option


def test_silent_and_default_answers_keep_data_and_remove_jobs(iss: Script) -> None:
    code = iss.code
    # Silent: tasks pointing at a deleted runner would fail at every run -> removed; the
    # user's configuration, logs and secrets -> kept unless /DELETEDATA.
    assert "RemoveJobs := not HasSwitch('/KEEPJOBS');" in code
    assert "RemoveData := HasSwitch('/DELETEDATA');" in code
    # Asked: the jobs question defaults to Yes, the data question to No (default button No).
    assert re.search(
        r"SuppressibleMsgBox\(CustomMessage\('AskRemoveJobs'\), mbConfirmation, MB_YESNO, IDYES\)",
        code,
    )
    assert re.search(
        r"SuppressibleMsgBox\(CustomMessage\('AskRemoveData'\), mbConfirmation, "
        r"MB_YESNO or MB_DEFBUTTON2, IDNO\) = IDYES",
        code,
    )
    messages = iss.directives["custommessages"]
    assert "bwdc's own data folders are kept" in messages["en.askremovedata"]


def test_never_kills_by_name(iss: Script) -> None:
    for path in (ISS, WORKFLOW):
        text = path.read_text(encoding="utf-8-sig").lower()
        assert "taskkill" not in text
        assert "stop-process" not in text
    assert ".terminate" not in iss.code.lower()
    # Running copies are asked to close: Restart Manager on install, a question on uninstall.
    assert setup(iss, "CloseApplications") == "yes"
    assert "MB_ABORTRETRYIGNORE" in iss.code


def test_the_version_comes_from_the_build(iss: Script) -> None:
    text = iss.text
    assert "#ifndef AppVersion" in text
    assert setup(iss, "AppVersion") == iss.defines["AppVersion"]
    assert "{#AppVersion}" in text.split("[Setup]", 1)[1].split("\n[", 1)[0]
    raw_setup = {
        k.strip().lower(): v.strip()
        for k, _, v in (
            line.partition("=")
            for line in text.split("[Setup]", 1)[1].split("\n[", 1)[0].splitlines()
            if "=" in line and not line.lstrip().startswith(";")
        )
    }
    assert raw_setup["appversion"] == "{#AppVersion}"
    assert raw_setup["outputbasefilename"] == "{#AppName}-{#AppVersion}-setup"
    lines = [line for line in text.splitlines() if not line.lstrip().startswith((";", "//"))]
    assert not [line for line in lines if bwdc_tray.__version__ in line]
    workflow = WORKFLOW.read_text(encoding="utf-8")
    assert "bwdc_tray.__version__" in workflow
    assert "/DAppVersion=" in workflow


def test_every_custom_message_is_in_english_and_french(iss: Script) -> None:
    messages = iss.directives["custommessages"]
    names = {key.split(".", 1)[1] for key in messages}
    for name in names:
        assert f"en.{name}" in messages and f"fr.{name}" in messages, name
        assert messages[f"en.{name}"] != messages[f"fr.{name}"], name
    used = set(re.findall(r"CustomMessage\('(\w+)'\)", iss.code))
    used |= set(re.findall(r"\{cm:(\w+)", iss.text))
    builtin = {"LaunchProgram"}  # Default.isl and French.isl define it
    assert {u.lower() for u in used - builtin} <= names


def test_the_pascal_code_is_balanced(iss: Script) -> None:
    """No compiler here: at least every begin/try/case has its end, every ( its )."""
    tokens = [t.lower() for t in pascal_tokens(iss.code)]
    opened = sum(tokens.count(word) for word in ("begin", "try", "case"))
    assert opened == tokens.count("end")
    assert tokens.count("(") == tokens.count(")")
    for name in ("InitializeUninstall", "CurUninstallStepChanged"):
        assert re.search(rf"^(function|procedure) {name}\(", iss.code, re.M), name


def test_the_script_is_utf8_with_a_bom() -> None:
    # Inno Setup reads a script without BOM in the system code page: the French would break.
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


# --- the icon --------------------------------------------------------------------------------


def test_the_icon_is_an_ico_with_every_size() -> None:
    data = ICO.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, height, _colors, _res, planes, bpp, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        size = width or 256
        assert (width or 256) == (height or 256)
        assert (planes, bpp) == (1, 32)
        blob = data[offset : offset + length]
        assert len(blob) == length > 0
        if blob.startswith(b"\x89PNG\r\n\x1a\n"):
            assert struct.unpack(">II", blob[16:24]) == (size, size)
        else:
            header, dib_w, dib_h, _planes, dib_bpp = struct.unpack_from("<IiiHH", blob)
            assert (header, dib_w, dib_h, dib_bpp) == (40, size, 2 * size, 32)
        sizes.add(size)
    assert sizes == ICO_SIZES


def test_the_icon_is_made_from_the_current_pngs() -> None:
    spec = importlib.util.spec_from_file_location("make_ico", MAKE_ICO)
    assert spec and spec.loader
    make_ico = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_ico)
    assert set(make_ico.SIZES) == ICO_SIZES
    hicolor = REPO / "resources" / "icons" / "hicolor"
    images = {s: (hicolor / f"{s}x{s}" / "apps" / "bwdc-tray.png").read_bytes() for s in ICO_SIZES}
    assert make_ico.build_ico(images) == ICO.read_bytes(), (
        "resources/icons/bwdc-tray.ico is stale: run python installer/windows/make_ico.py"
    )


# --- the workflow ----------------------------------------------------------------------------


def test_the_workflow_builds_compiles_and_round_trips() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        doc = yaml.safe_load(text)
        triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as True
        assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
        (job,) = doc["jobs"].values()
        assert job["runs-on"] == "windows-latest"
        runs = [step["run"] for step in job["steps"] if "run" in step]
        assert runs and all("$ErrorActionPreference = 'Stop'" in run for run in runs)
    else:
        for trigger in ("push:", "pull_request:", "workflow_dispatch:"):
            assert re.search(rf"^  {trigger}", text, re.M), trigger
        assert "runs-on: windows-latest" in text
        assert text.count("run: |") == text.count("$ErrorActionPreference = 'Stop'")
    assert "shell: pwsh" in text
    assert 'python-version: "3.11"' in text
    assert "pip install -e . pyinstaller" in text
    assert "python installer/build.py --smoke" in text
    assert r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe" in text
    assert "choco install innosetup -y" in text
    (iss_path,) = set(re.findall(r"& \$env:ISCC \S+ (\S+\.iss)", text))
    assert windows_path(f"..\\..\\{iss_path}") == ISS
    # Every native command's exit code is checked.
    native = len(re.findall(r"^\s*(?:\$\w+ = )?(?:python |choco |& )", text, re.M))
    assert native and text.count("$LASTEXITCODE -ne 0") >= native
    for flag in ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/CURRENTUSER", '/TASKS=""'):
        assert flag in text
    assert "unins000.exe" in text and "--version" in text
    assert "actions/upload-artifact" in text


def test_a_per_machine_install_registers_the_event_log_source(iss: Script) -> None:
    # For the system-log alerts: the Application log's source "bwdc-tray", shown through
    # EventCreate.exe's message table; HKLM, so only when installing for every user.
    source = r"SYSTEM\CurrentControlSet\Services\EventLog\Application\bwdc-tray"
    entries = [e for e in iss.entries["registry"] if e["root"] == "HKLM"]
    assert {e["subkey"] for e in entries} == {source}
    assert all(e["check"] == "IsAdminInstallMode" for e in entries)
    values = {e["valuename"]: (e["valuetype"], e["valuedata"]) for e in entries}
    assert values["EventMessageFile"] == ("expandsz", r"%SystemRoot%\System32\EventCreate.exe")
    assert values["TypesSupported"] == ("dword", "7")
    assert any("uninsdeletekey" in e.get("flags", "") for e in entries)

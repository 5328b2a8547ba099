"""The macOS packaging scripts, checked statically (they run on macOS only): they are runnable
bash that stops at errors, every setting they read is documented, the entitlements parse, the
workflow runs scripts that exist, and no secret is ever printed or traced."""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.platforms import posix_only

# bash, execute bits and #! lines: checked on Linux and macOS, where the scripts run or are made.
pytestmark = posix_only("bash and execute bits")

MACOS = REPO / "installer" / "macos"
SCRIPTS = ("make_app_icon.sh", "sign_and_notarize.sh", "make_dmg.sh")
WORKFLOW = REPO / ".github" / "workflows" / "macos.yml"
SECRETS = ("BWDC_TRAY_APP_PASSWORD", "BWDC_TRAY_CERT_P12", "BWDC_TRAY_CERT_PASSWORD")


def _text(name: str) -> str:
    return (MACOS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_script_is_strict_bash_that_parses(name: str) -> None:
    path = MACOS / name
    assert os.access(path, os.X_OK), f"chmod +x {path}"
    lines = _text(name).splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in (line.strip() for line in lines[:20])
    done = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", SCRIPTS)
def test_shellcheck_finds_nothing(name: str) -> None:
    tool = shutil.which("shellcheck")
    if tool is None:
        pytest.skip("shellcheck is not installed")
    done = subprocess.run([tool, str(MACOS / name)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


def test_every_setting_the_scripts_and_workflow_read_is_documented() -> None:
    readme = _text("README.md")
    read = set()
    for text in [*map(_text, SCRIPTS), WORKFLOW.read_text(encoding="utf-8")]:
        read |= set(re.findall(r"\bBWDC_TRAY_[A-Z0-9_]+", text))
    read.discard("BWDC_TRAY_KEYCHAIN")  # the workflow's own, between two of its steps
    assert {"BWDC_TRAY_SIGN_IDENTITY", "BWDC_TRAY_NOTARY_PROFILE", *SECRETS} <= read
    missing = sorted(v for v in read if f"`{v}`" not in readme)
    assert not missing, f"not in installer/macos/README.md: {missing}"


def test_no_secret_is_echoed_or_traced() -> None:
    for text in [*map(_text, SCRIPTS), WORKFLOW.read_text(encoding="utf-8")]:
        for line in text.splitlines():
            code = line.split("#", 1)[0]
            assert not re.search(r"\bset\s+-[a-z]*x", code), line  # no tracing
            if not re.search(r"\b(echo|printf|say|die)\b", code):
                continue
            for secret in SECRETS:
                # Naming one is fine; its value goes nowhere but into a file (the .p12, decoded).
                if re.search(rf"\$\{{?{secret}\b", code) and "| base64 --decode >" not in code:
                    pytest.fail(f"a secret is printed: {line.strip()}")


def test_the_entitlements_are_the_hardened_runtime_exceptions_pyinstaller_needs() -> None:
    doc = plistlib.loads((MACOS / "entitlements.plist").read_bytes())
    assert doc == {
        "com.apple.security.cs.allow-unsigned-executable-memory": True,
        "com.apple.security.cs.disable-library-validation": True,
    }


def test_signing_uses_the_hardened_runtime_and_falls_back_to_ad_hoc() -> None:
    text = _text("sign_and_notarize.sh")
    for part in (
        "--options runtime",
        "--timestamp",
        "--entitlements",
        "codesign --verify --deep --strict",
        "notarytool submit",
        "--wait",
        "stapler staple",
        "--sign -",
    ):
        assert part in text, part


def test_the_app_icon_is_made_where_the_spec_looks_for_it() -> None:
    assert "$root/build/bwdc-tray.icns" in _text("make_app_icon.sh")
    spec = (REPO / "installer" / "bwdc-tray.spec").read_text(encoding="utf-8")
    assert re.search(r"""["']build["'] / ["']bwdc-tray\.icns["']""", spec)


def test_the_workflow_runs_the_scripts_in_order_on_a_macos_runner() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert re.search(r"runs-on:.*macos|runner: macos-\d+", text)
    used = re.findall(r"installer/macos/([\w.-]+\.sh)", text)
    assert used, "the workflow runs none of the scripts"
    assert all((MACOS / name).is_file() for name in used), used
    for name in (*used, "build.py"):
        assert name in text
    order = [text.index(s) for s in ("make_app_icon.sh", "build.py", "sign_and_notarize.sh")]
    assert order == sorted(order), "the icon is made before the build, the app signed after"
    assert text.index("sign_and_notarize.sh") < text.index("make_dmg.sh")
    assert "upload-artifact" in text and "hdiutil verify" in text


# --- sign_and_notarize.sh, run against stand-ins for macOS's tools --------------------------------

FAKE_TOOLS = {
    "codesign": 'echo "codesign $*" >> "$LOG"',
    "file": 'if grep -q MACHO "$2"; then echo "Mach-O 64-bit executable"; else echo text; fi',
    "ditto": 'echo "ditto $*" >> "$LOG"; touch "${@: -1}"',
    "xcrun": 'echo "xcrun $*" >> "$LOG"\n'
    'if [[ "$2" == submit ]]; then echo "<plist><dict><key>status</key>'
    '<string>Accepted</string></dict></plist>"; fi',
    "plutil": 'grep -q "<string>Accepted</string>" "$4" && echo Accepted',
}


def _sign(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    tools = tmp_path / "bin"
    tools.mkdir(exist_ok=True)
    for name, body in FAKE_TOOLS.items():
        (tools / name).write_text(f"#!/usr/bin/env bash\n{body}\n")
        (tools / name).chmod(0o755)
    app = tmp_path / "bwdc-tray.app"
    for rel in ("MacOS/bwdc-tray-gui", "Frameworks/PySide6/QtCore.abi3.so", "Resources/a.txt"):
        (app / "Contents" / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / "Contents" / rel).write_text("text" if rel.endswith(".txt") else "MACHO")
    (app / "Contents" / "MacOS" / "bwdc-tray-gui").chmod(0o755)
    log = tmp_path / "log"
    log.unlink(missing_ok=True)
    done = subprocess.run(
        ["bash", "-x", str(MACOS / "sign_and_notarize.sh"), str(app)],  # traced by the caller
        env={"PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "LOG": str(log), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    calls = log.read_text().replace(str(tmp_path) + "/", "").splitlines() if log.exists() else []
    return done, calls


def test_without_an_identity_the_app_is_ad_hoc_signed_and_the_build_goes_on(
    tmp_path: Path,
) -> None:
    done, calls = _sign(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ad-hoc" in done.stdout and "BWDC_TRAY_SIGN_IDENTITY" in done.stdout
    assert all("--sign -" in c for c in calls if "--verify" not in c)
    assert not any(c.startswith("xcrun") for c in calls)  # no notarisation


def test_with_credentials_the_app_is_signed_inside_out_then_notarised_without_leaking(
    tmp_path: Path,
) -> None:
    secret = "pw-Hunter2-" + tmp_path.name
    done, calls = _sign(
        tmp_path,
        BWDC_TRAY_SIGN_IDENTITY="Developer ID Application: Example (ABCDE12345)",
        BWDC_TRAY_APPLE_ID="admin@example.org",
        BWDC_TRAY_TEAM_ID="ABCDE12345",
        BWDC_TRAY_APP_PASSWORD=secret,
    )
    assert done.returncode == 0, done.stderr
    assert secret not in done.stdout + done.stderr  # not even in the caller's `bash -x` trace
    signed = [c.rsplit(" ", 1)[-1] for c in calls if c.startswith("codesign --force")]
    assert signed == [
        "bwdc-tray.app/Contents/Frameworks/PySide6/QtCore.abi3.so",
        "bwdc-tray.app/Contents/MacOS/bwdc-tray-gui",
        "bwdc-tray.app",
    ]
    entitled = [c.rsplit(" ", 1)[-1] for c in calls if "--entitlements" in c]
    assert entitled == ["bwdc-tray.app/Contents/MacOS/bwdc-tray-gui", "bwdc-tray.app"]
    assert all("--options runtime" in c for c in calls if c.startswith("codesign --force"))
    assert [c.split(" ", 2)[:2] for c in calls if c.startswith("xcrun")] == [
        ["xcrun", "notarytool"],
        ["xcrun", "stapler"],
        ["xcrun", "stapler"],
    ]

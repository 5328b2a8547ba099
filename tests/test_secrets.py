"""`secret set/clear/check`: the keyring under our own service name, never echoed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import CANARY, CLIENT_ID, DIR_CANARY, World


def _keyring(world: World) -> dict[str, str]:
    return json.loads((world.tmp / "keyring.json").read_text())


def test_set_from_stdin_stores_under_our_service_per_instance(world: World) -> None:
    world.add("a", secrets=False)
    world.add("b", secrets=False)
    res = world.cli("secret", "set", "a", "--stdin", stdin=f"{CLIENT_ID}\n{CANARY}\n{DIR_CANARY}\n")
    assert res.code == 0, res.err
    assert CANARY not in res.out + res.err and DIR_CANARY not in res.out + res.err
    stored = _keyring(world)
    assert stored == {
        "bwdc-tray\na:client_id": CLIENT_ID,
        "bwdc-tray\na:client_secret": CANARY,
        "bwdc-tray\na:directory_secret": DIR_CANARY,
    }
    check = world.cli("secret", "check", "b")
    assert check.code == 5
    assert "MISSING" in check.out and "secret set b" in check.err


def test_check_never_prints_values(world: World) -> None:
    world.add("a")
    res = world.cli("secret", "check", "a")
    assert res.code == 0
    assert "stored" in res.out
    assert CANARY not in res.out + res.err and CLIENT_ID not in res.out


def test_clear_removes_every_entry(world: World) -> None:
    world.add("a")
    world.set_secrets("a", directory="d")
    res = world.cli("secret", "clear", "a")
    assert res.code == 0 and "deleted 3" in res.out
    assert _keyring(world) == {}


def test_remove_instance_removes_its_secrets_only(world: World) -> None:
    world.add("a")
    world.add("b")
    assert world.cli("instance", "remove", "a").code == 0
    assert set(_keyring(world)) == {"bwdc-tray\nb:client_id", "bwdc-tray\nb:client_secret"}


@pytest.mark.parametrize(
    ("stdin", "field"),
    [("not-an-org\nx\n", "client_id"), (f"{CLIENT_ID}\n\n", "client_secret"), ("", "client_id")],
)
def test_bad_values_name_the_field(world: World, stdin: str, field: str) -> None:
    world.add("a", secrets=False)
    res = world.cli("secret", "set", "a", "--stdin", stdin=stdin)
    assert res.code == 2
    assert field in res.err


def test_no_terminal_and_no_stdin_flag_is_a_clear_error(world: World) -> None:
    world.add("a", secrets=False)
    res = world.cli("secret", "set", "a")
    assert res.code == 2 and "--stdin" in res.err


def test_no_usable_keyring_exits_5_with_a_remedy(world: World) -> None:
    world.add("a", secrets=False)
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for args in (["secret", "set", "a", "--stdin"], ["secret", "check", "a"], ["run", "a"]):
        res = world.proc(*args, stdin=f"{CLIENT_ID}\n{CANARY}\n", env=env)
        assert res.returncode == 5, (args, res.stderr)
        assert "keyring" in (res.stderr + res.stdout).lower()
        assert "Traceback" not in res.stderr


def test_locked_keyring_is_reported_not_a_traceback(world: World) -> None:
    world.add("a")
    res = world.proc("secret", "check", "a", env={"FAKE_KEYRING_LOCKED": "1"})
    assert res.returncode == 5
    assert "locked" in res.stderr and "Traceback" not in res.stderr


def test_prompt_hides_the_secret(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Interactive: client_id is asked with input(), the secrets with getpass (no echo)."""
    world.add("a", secrets=False)
    import getpass
    import io

    from bwdc_tray import cli

    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return CANARY if len(prompts) == 1 else ""

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    monkeypatch.setattr("builtins.input", lambda prompt="": CLIENT_ID)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["secret", "set", "a"], out=out, err=err, stdin=Tty()) == 0
    assert len(prompts) == 2 and "not shown" in prompts[0]
    assert CANARY not in out.getvalue()


@pytest.mark.realservice
def test_real_secret_service(world: World, tmp_path: Path) -> None:
    """The real Secret Service (gnome-keyring) under a private D-Bus session."""
    import shutil
    import subprocess
    import sys

    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        pytest.skip("needs dbus-run-session and gnome-keyring-daemon (apt: dbus gnome-keyring)")
    world.add("a", secrets=False)
    fake_home = tmp_path / "user-home"
    fake_home.mkdir()
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND",)}
    env.update(
        HOME=str(fake_home),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_DATA_HOME=str(fake_home / ".local" / "share"),
    )
    py = sys.executable
    script = (
        'out=$(printf "%s" "keyring-pass" | gnome-keyring-daemon --unlock --components=secrets '
        '--daemonize); pid=$(printf "%s\\n" "$out" | sed -n "s/^GNOME_KEYRING_PID=//p"); '
        f'printf "{CLIENT_ID}\\n{CANARY}\\n" | "{py}" -m bwdc_tray secret set a --stdin; rc1=$?; '
        f'"{py}" -m bwdc_tray secret check a; rc2=$?; '
        '[ -n "$pid" ] && kill "$pid"; echo "rc=$rc1,$rc2"'
    )
    res = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "rc=0,0" in res.stdout, res.stdout + res.stderr
    assert CANARY not in res.stdout + res.stderr


def test_a_multi_line_directory_secret_from_stdin(world: World) -> None:
    world.add("a", secrets=False)
    pem = "-----BEGIN PRIVATE KEY-----\nMIIabc\ndef==\n-----END PRIVATE KEY-----"
    res = world.cli("secret", "set", "a", "--stdin", stdin=f"{CLIENT_ID}\n{CANARY}\n{pem}\n")
    assert res.code == 0, res.err
    assert _keyring(world)["bwdc-tray\na:directory_secret"] == pem


def test_a_plaintext_file_keyring_is_refused(world: World, tmp_path: Path) -> None:
    """keyrings.alt's PlaintextKeyring writes secrets to a file in clear: not a keyring."""
    package = tmp_path / "fakepkgs" / "keyrings" / "alt"
    package.mkdir(parents=True)
    (package / "file.py").write_text(
        "from keyring.backend import KeyringBackend\n"
        "class PlaintextKeyring(KeyringBackend):\n"
        "    priority = 1\n"
        "    def get_password(self, s, u): return None\n"
        "    def set_password(self, s, u, p): raise AssertionError('stored in clear')\n"
        "    def delete_password(self, s, u): pass\n"
    )
    world.add("corp", secrets=False)
    env = {
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "PYTHONPATH": f"{tmp_path / 'fakepkgs'}{os.pathsep}{os.environ['PYTHONPATH']}",
    }
    res = world.proc("secret", "set", "corp", "--stdin", stdin="organization.x\ny\n\n", env=env)
    assert res.returncode == 5, res.stderr
    assert "plaintext file" in res.stderr and "stored in clear" not in res.stderr

"""What the runner does to start fast (issue 5, point 2), with behaviour unchanged: the keyring
backend that discovery chose is remembered, process start times are read without psutil."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bwdc_tray import secrets
from bwdc_tray.errors import SecretsUnavailable
from tests.conftest import CANARY, CLIENT_ID, World
from tests.fakes.keyring_backend import FileKeyring, MemoryKeyring

FILE_KEYRING = "tests.fakes.keyring_backend.FileKeyring"


@pytest.fixture
def discovery(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No PYTHON_KEYRING_BACKEND; keyring's discovery finds the file keyring and is counted."""
    import keyring.core

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    asked: list[str] = []

    def discover() -> FileKeyring:
        asked.append("discover")
        return FileKeyring()

    monkeypatch.setattr(secrets, "_discover", discover)
    return asked


def _remember(cache: Path, backend: str, **fingerprint: object) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    entry = {"backend": backend, "fingerprint": {**secrets._backend_fingerprint(), **fingerprint}}
    (cache / secrets.BACKEND_CACHE_FILE).write_text(json.dumps(entry))


def test_the_backend_discovery_chose_is_remembered_and_loaded_directly(
    tmp_path: Path, discovery: list[str]
) -> None:
    first = secrets.KeyringStore(tmp_path)
    assert discovery == ["discover"] and not first.remembered
    saved = json.loads((tmp_path / secrets.BACKEND_CACHE_FILE).read_text())
    assert saved["backend"] == FILE_KEYRING
    second = secrets.KeyringStore(tmp_path)
    assert discovery == ["discover"], "the second store must not run discovery"
    assert second.remembered and second.backend_name == FILE_KEYRING
    second.set("a", "client_id", CLIENT_ID)
    assert first.get("a", "client_id") == CLIENT_ID


def test_without_a_cache_folder_discovery_runs_every_time(
    tmp_path: Path, discovery: list[str]
) -> None:
    secrets.KeyringStore()
    secrets.KeyringStore()
    assert discovery == ["discover", "discover"]
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("backend", "fingerprint"),
    [
        ("keyring.backends.fail.Keyring", {}),  # no longer usable
        ("tests.fakes.no_such_module.Keyring", {}),  # uninstalled
        (FILE_KEYRING, {"sites": {"/elsewhere/site-packages": 1}}),  # packages changed
        (FILE_KEYRING, {"executable": "/another/python"}),
        (FILE_KEYRING, {"desktop": "KDE"}),
    ],
)
def test_a_stale_remembered_backend_falls_back_to_discovery(
    tmp_path: Path, discovery: list[str], backend: str, fingerprint: dict[str, object]
) -> None:
    _remember(tmp_path, backend, **fingerprint)
    store = secrets.KeyringStore(tmp_path)
    assert discovery == ["discover"] and not store.remembered
    assert store.backend_name == FILE_KEYRING
    saved = json.loads((tmp_path / secrets.BACKEND_CACHE_FILE).read_text())
    assert saved == {"backend": FILE_KEYRING, "fingerprint": secrets._backend_fingerprint()}


def test_python_keyring_backend_is_honoured_over_the_remembered_one(
    tmp_path: Path, discovery: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring.core

    _remember(tmp_path, FILE_KEYRING)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(secrets, "_discover", keyring.core.get_keyring)
    with pytest.raises(SecretsUnavailable, match="no usable keyring"):
        secrets.KeyringStore(tmp_path)


def test_a_keyring_config_file_is_honoured_over_the_remembered_one(
    tmp_path: Path, discovery: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.util import platform_

    config = Path(platform_.config_root())
    config.mkdir(parents=True, exist_ok=True)
    (config / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=" + FILE_KEYRING + "\n")
    _remember(tmp_path / "cache", "tests.fakes.keyring_backend.MemoryKeyring")
    store = secrets.KeyringStore(tmp_path / "cache")
    assert discovery == ["discover"] and not store.remembered


def test_an_api_key_missing_from_the_remembered_backend_is_looked_for_by_discovery(
    tmp_path: Path, discovery: list[str]
) -> None:
    FileKeyring().set_password(secrets.SERVICE, "a:client_id", CLIENT_ID)
    FileKeyring().set_password(secrets.SERVICE, "a:client_secret", CANARY)
    MemoryKeyring.entries.clear()
    _remember(tmp_path, "tests.fakes.keyring_backend.MemoryKeyring")
    store = secrets.open_store(cache_dir=tmp_path)
    assert isinstance(store, secrets.KeyringStore) and store.remembered
    found = secrets.load(store, "a")
    assert found.client_secret == CANARY and discovery == ["discover"]
    saved = json.loads((tmp_path / secrets.BACKEND_CACHE_FILE).read_text())
    assert saved["backend"] == FILE_KEYRING


_LOADED = (
    "import json, sys\n"
    "from bwdc_tray import cli\n"
    "code = cli.main(sys.argv[1:])\n"
    "names = ('tests.fakes.keyring_backend', 'keyring.backends.macOS', 'psutil', 'filelock',\n"
    "         'bwdc_tray.cli_schedule', 'bwdc_tray.schedule.jobs')\n"
    "print(json.dumps({n: n in sys.modules for n in names}), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def test_the_runner_uses_the_remembered_backend_and_imports_only_what_it_needs(
    world: World,
) -> None:
    """A run started without PYTHON_KEYRING_BACKEND (as cron starts it) reads its API key from
    the backend remembered in its cache folder, without discovery, and loads neither psutil,
    filelock (Linux) nor the schedule's modules."""
    world.add("a")
    _remember(world.home / "state" / "cache", FILE_KEYRING)
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    res = subprocess.run(
        [sys.executable, "-c", _LOADED, "run", "a"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    loaded = json.loads(res.stderr.strip().splitlines()[-1])
    assert loaded["tests.fakes.keyring_backend"]
    # Discovery imports every backend module; the remembered one alone is loaded.
    assert not loaded["keyring.backends.macOS"]
    assert not loaded["bwdc_tray.cli_schedule"] and not loaded["bwdc_tray.schedule.jobs"]
    if sys.platform.startswith("linux"):
        assert not loaded["psutil"] and not loaded["filelock"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_process_start_times_match_psutils_clock_proof_ones() -> None:
    import psutil

    from bwdc_tray.locking import process_start_time

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        for pid in (os.getpid(), child.pid, 1):
            # Seconds since boot: what psutil adds the (clock-dependent) boot time to.
            since_boot = psutil.Process(pid).create_time() - psutil.boot_time()
            assert process_start_time(pid) == pytest.approx(since_boot, abs=0.01)
    finally:
        child.kill()
        child.wait()
    assert process_start_time(child.pid) is None  # reaped: gone (unless the pid was reused)


def test_storing_or_clearing_secrets_forgets_the_remembered_backend(world: World) -> None:
    """They went to the backend discovery chooses now: the next run must read from that one."""
    world.add("a")
    cache = world.home / "state" / "cache"
    _remember(cache, FILE_KEYRING)
    world.set_secrets("a")
    assert not (cache / secrets.BACKEND_CACHE_FILE).exists()
    _remember(cache, FILE_KEYRING)
    assert world.cli("secret", "clear", "a").code == 0
    assert not (cache / secrets.BACKEND_CACHE_FILE).exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "a"],
        ["--home", "/x", "run", "a", "--trigger", "schedule"],
        ["--home=/x", "run", "a", "--json", "--dry-run", "--only-at-schedule"],
        ["run", "--trigger", "manual", "a"],
    ],
)
def test_the_run_only_parser_parses_run_as_the_whole_cli(argv: list[str]) -> None:
    from bwdc_tray import cli

    assert cli._command_word(argv) == "run"
    whole = cli.build_parser().parse_args(argv)
    alone = cli.build_parser("run").parse_args(argv)
    assert vars(alone) == vars(whole)


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["status"], "status"),
        (["--home", "run", "status"], "status"),  # "run" is --home's value here
        (["--version"], None),
        (["-h", "run"], None),
        (["--hom", "/x", "run", "a"], None),  # an abbreviation: left to the whole parser
        ([], None),
    ],
)
def test_the_command_word_is_only_guessed_when_sure(argv: list[str], word: str | None) -> None:
    from bwdc_tray import cli

    assert cli._command_word(argv) == word


def test_run_usage_errors_and_help_are_those_of_the_whole_cli(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bwdc_tray import cli

    for argv in (["run"], ["run", "a", "--trigger", "cron"], ["run", "--help"]):
        with pytest.raises(SystemExit) as whole:
            cli.build_parser().parse_args(argv)
        whole_text = capsys.readouterr()
        with pytest.raises(SystemExit) as alone:
            cli.build_parser("run").parse_args(argv)
        assert whole.value.code == alone.value.code
        assert capsys.readouterr() == whole_text


@pytest.mark.skipif(os.name != "posix", reason="flock(2)")
def test_the_instance_lock_excludes_other_lock_objects_and_processes(tmp_path: Path) -> None:
    from bwdc_tray.locking import AlreadyRunning, InstanceLock

    first = InstanceLock(tmp_path, "corp")
    first.acquire("r1", "now", "manual")
    with pytest.raises(AlreadyRunning) as busy:
        InstanceLock(tmp_path, "corp").acquire("r2", "now", "manual")
    assert busy.value.holder is not None and busy.value.holder.run_id == "r1"
    probe = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n"
        "    sys.exit(3)\n"
    )
    lock_file = str(tmp_path / "corp.lock")
    assert subprocess.run([sys.executable, "-c", probe, lock_file], check=False).returncode == 3
    first.release()
    assert subprocess.run([sys.executable, "-c", probe, lock_file], check=False).returncode == 0
    again = InstanceLock(tmp_path, "corp")
    again.acquire("r3", "now", "manual")
    again.release()


@pytest.mark.skipif(os.name != "posix", reason="flock(2)")
def test_without_flock_the_instance_lock_falls_back_to_filelock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import fcntl

    from bwdc_tray import locking

    real_flock = fcntl.flock

    def no_flock(fd: int, operation: int) -> None:
        if operation & fcntl.LOCK_EX and not operation & fcntl.LOCK_UN:
            raise OSError(errno.ENOLCK, "no locks on this file system")
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", no_flock)
    used: list[str] = []
    real_filelock = __import__("filelock").FileLock

    class CountingFileLock(real_filelock):  # type: ignore[misc, valid-type]
        def acquire(self, *args: object, **kwargs: object) -> object:
            used.append(self.lock_file)
            monkeypatch.setattr(fcntl, "flock", real_flock)  # filelock's own flock may work
            return super().acquire(*args, **kwargs)

    monkeypatch.setattr("filelock.FileLock", CountingFileLock)
    lock = locking.InstanceLock(tmp_path, "corp")
    lock.acquire("r1", "now", "manual")
    lock.release()
    assert used == [str(tmp_path / "corp.lock")]


def test_remove_and_move_are_refused_while_a_run_holds_the_lock_before_its_login(
    world: World,
) -> None:
    """The run has left nothing to scrub yet (no marker), but it is running: a faster start
    must not open a window where its instance can be moved or removed under it."""
    from bwdc_tray.locking import InstanceLock
    from bwdc_tray.paths import resolve

    world.add("corp")
    paths = resolve(world.home)
    lock = InstanceLock(paths.locks_dir, "corp")
    lock.acquire("r", "now", "schedule")
    try:
        moved = world.cli("instance", "set", "corp", "--login", "keychain")
        removed = world.cli("instance", "remove", "corp")
    finally:
        lock.release()
    assert moved.code == 3 and "running" in moved.err
    assert removed.code == 3 and "running" in removed.err
    assert world.cli("instance", "set", "corp", "--login", "keychain").code == 0
    assert world.cli("instance", "remove", "corp").code == 0


def test_python_m_run_ends_without_teardown_but_flushes_everything(world: World) -> None:
    """`python -m bwdc_tray ... run` (the OS job) leaves through os._exit: its output, exit code,
    log and status are those of a normal exit."""
    world.add("a")
    world.add("nokey", secrets=False)
    res = world.proc("run", "a", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["result"] == "ok"
    failed = world.proc("run", "nokey")
    assert failed.returncode == 5 and "no API key stored for nokey" in failed.stderr
    status = json.loads((world.home / "state" / "status" / "a.json").read_text())
    assert status["result"] == "ok" and status["state"] == "ok"
    log = (world.tmp / "data" / "a" / "bwdc.log").read_text()
    assert log.rstrip().splitlines()[-1].split(" ", 1)[1].startswith("==== bwdc-tray end")
    # Other commands still exit the usual way.
    assert world.proc("status", "a", "--json").returncode == 0

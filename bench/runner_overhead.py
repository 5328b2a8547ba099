"""Issue 5, point 2: the runner's overhead, `bwdc-tray run NAME` against the hand-made recipe.

The recipe is what an admin writes by hand after Bitwarden's documentation: a POSIX sh script
that reads the API key from a file only its owner can read, exports it with the data folder for
bwdc, runs `bwdc login`, `bwdc sync` and `bwdc logout` (the logout takes the API key back out of
data.json) and appends everything bwdc says to a log. The subject is the exact command an OS job
starts (`schedule.jobs.runner_command` + `run NAME --trigger schedule`), a process of its own,
reading its API key from the real keyring: the Secret Service (gnome-keyring, unlocked, in a
private `dbus-run-session`), found as on a user's machine (keyring's own discovery at the first
run, then the backend bwdc-tray remembered). Both are started as an OS job starts them: no
input, output to /dev/null, not from the repository, and without PYTHONDONTWRITEBYTECODE.

Both run the same bwdc: the simulator (bwdc_tray/demo/simbwdc.py) behind a tiny `.py` wrapper that
notes each call (its verb and the sample it belongs to, never its environment) and runs the
simulator in-process; bwdc-tray starts a `.py` bwdc with its own interpreter, the recipe names
the same interpreter. Each side has its own data folder, set up identically (the same seeded
data.json and simulator.json); after one warm-up run each, both start every sample in the same
state (logged out, the same sync hash). Samples alternate (recipe, bwdc-tray, ...).

- runner.instant: a bwdc that answers at once; target: under 150 ms of overhead (median).
- runner.slow: a bwdc as slow as the real one (scenario "slow": 2.7 s per call, 1 s of it CPU);
  target: under 5 % overhead.
- runner.calls: bwdc calls per run; target: no more than the recipe's login + sync + logout.

Each sample is waited for without a timeout (a timer stops a hung one): Popen.wait(timeout)
polls in sleeps of up to 50 ms and would round every sample up to its next step.

The measurement runs in a child process (inside `dbus-run-session`) so that it can own its
environment; without dbus-run-session or gnome-keyring it falls back to the file keyring of
bench_env() and says so in the notes.
"""

from __future__ import annotations

import itertools
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import PY, REPO, Result, Series, alternate, bench_env, cli

CLIENT_ID = "organization.3f2c6f1e-8b0a-4c1e-9a57-2d4f5b6a7c8d"
SERVER = "http://127.0.0.1:8087"
RECIPE_CALLS = 3  # login, sync, logout
SAMPLE_ENV = "BENCH_RUNNER_SAMPLE"
RUN_TIMEOUT_S = 300.0

# What the profile of the instant case found (pyinstrument and -X importtime on `python -m
# bwdc_tray run NAME`, Secret Service keyring, 2 noisy cores, 2026-11-30; before -> after).
PROFILE_NOTES = [
    "Before the changes (this bench, 2026-11-30): bwdc-tray 277 ms against the recipe's 70 ms, "
    "+208 ms; the profile (pyinstrument, -X importtime; Secret Service) found what follows.",
    "keyring's backend discovery cost 74 ms per run, 52 ms of it importing "
    "keyring.backends.macOS, whose ctypes.util.find_library() runs ldconfig even on Linux: "
    "the backend discovery chose is now remembered in the state's cache folder and loaded "
    "directly (~15 ms, keyring's viability check kept).",
    "Leaving the interpreter cost ~20 ms (unloading ~300 modules, keyring's dependencies "
    "mostly): `python -m bwdc_tray ... run` now ends with os._exit once stdout and stderr are "
    "flushed and atexit handlers have run.",
    "The run-lock holder was fsynced at the start and end of every bwdc call (7 writes a run, "
    "~2 ms each): it only names live processes, so it is now replaced atomically without fsync, "
    "as is the 'running' status (the outcome keeps its fsync).",
    "Imports the run did not need: psutil (~9 ms, for process start times: now read from "
    "/proc on Linux, same values), filelock (~13 ms: flock(2) on POSIX, filelock kept elsewhere), "
    "the whole CLI parser with the schedule modules (~16 ms: `run` builds only its own), "
    "the log reader's regular expressions (~2.5 ms: compiled at first use).",
    "Left: keyring ~70 ms (imports ~40 ms: jaraco.context pulls urllib.request, http, ssl and "
    "email ~10 ms, secretstorage + cryptography ~12 ms; reading the API key ~30 ms: each secret "
    "found opens its own D-Bus session with a 1024-bit Diffie-Hellman in pure Python, and the "
    "first AES use costs ~6 ms), Python's start-up ~18 ms (this interpreter is built without "
    "PGO/LTO), bwdc-tray's own modules ~12 ms.",
    "bwdc calls: login, sync, logout; the version is probed once per bwdc binary and cached.",
    "Harness: Popen.wait(timeout) polls in sleeps of up to 50 ms, which rounded every sample up "
    "(..., 113.5, 163.5, 263.5 ms); samples are waited for without a timeout.",
]

_COUNTING_BWDC = '''\
"""bwdc for the runner benchmark: note the call, then run the simulator in this process."""
import os
import sys

_verbs = [a for a in sys.argv[1:] if not a.startswith("-")]
with open({calls!r}, "a", encoding="utf-8") as _fh:
    _fh.write(
        os.environ.get({tag_env!r}, "?") + "\\t" + (_verbs[0] if _verbs else " ".join(sys.argv[1:]))
        + "\\n"
    )
sys.path.insert(0, {repo!r})
from bwdc_tray.demo.simbwdc import main  # noqa: E402

sys.exit(main())
'''

_RECIPE = """\
#!/bin/sh
# The hand-made recipe: Bitwarden's documented bwdc job. The API key comes from a file only its
# owner can read and goes to bwdc through the environment; login, sync, then logout (it takes
# the API key back out of data.json); everything bwdc says is appended to a log.
umask 077
BITWARDENCLI_CONNECTOR_APPDATA_DIR={appdata}
BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true
export BITWARDENCLI_CONNECTOR_APPDATA_DIR BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS
{{ IFS= read -r BW_CLIENTID && IFS= read -r BW_CLIENTSECRET; }} < {key} || exit 2
export BW_CLIENTID BW_CLIENTSECRET
log={log}
rc=0
if {py} {bwdc} login >> "$log" 2>&1; then
    {py} {bwdc} sync >> "$log" 2>&1 || rc=$?
else
    rc=$?
fi
{py} {bwdc} logout >> "$log" 2>&1
exit $rc
"""


# --- the parent: start the measuring child in a private D-Bus session -------------------------


def _have_secret_service() -> bool:
    return bool(shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"))


_DROPPED_PREFIXES = ("BW_", "BITWARDEN", "SIMBWDC_", "FAKE_", "DBUS_", "GNOME_KEYRING")
# PYTHONDONTWRITEBYTECODE too: an installed bwdc-tray has its bytecode compiled (pip does it) and
# an OS job's environment does not forbid writing it; with it, every module edited since its
# last .pyc would be compiled again on every run (the warm-up run writes them).
_DROPPED_NAMES = (
    "PYTHON_KEYRING_BACKEND",
    "BWDC_TRAY_HOME",
    "PYTHONPATH",
    "PYTHONDONTWRITEBYTECODE",
)


def _child_env(root: Path) -> dict[str, str]:
    """The environment of the measuring child: its own user folders, nothing of ours."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_DROPPED_PREFIXES) and k not in _DROPPED_NAMES
    }
    user = root / "user-home"
    runtime = root / "runtime"
    for folder in (user, runtime):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    env.update(
        HOME=str(user),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_DATA_HOME=str(user / ".local" / "share"),
        XDG_CONFIG_HOME=str(user / ".config"),
        XDG_CACHE_HOME=str(user / ".cache"),
        XDG_STATE_HOME=str(user / ".local" / "state"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def _stop_group(proc: subprocess.Popen[str]) -> None:
    """The child and what it started (its own session, created for it): TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except OSError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run(quick: bool = False) -> list[Result]:
    root = Path(tempfile.mkdtemp(prefix="bwdc-bench-runner-"))
    try:
        mode = "secret-service" if _have_secret_service() else "file"
        argv = [PY, "-m", "bench.runner_overhead", "--inner", str(root), "--keyring", mode]
        if quick:
            argv.append("--quick")
        if mode == "secret-service":
            argv = ["dbus-run-session", "--", *argv]
        proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env=_child_env(root),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=120 if quick else 1800)
        except subprocess.TimeoutExpired:
            _stop_group(proc)
            raise
        results_file = root / "results.json"
        if proc.returncode != 0 or not results_file.exists():
            raise RuntimeError(
                f"the measuring process exited {proc.returncode}:\n{out[-3000:]}\n{err[-3000:]}"
            )
        return [_result_from_json(item) for item in json.loads(results_file.read_text())]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _result_from_json(item: dict[str, Any]) -> Result:
    def series(value: dict[str, Any] | None) -> Series | None:
        if value is None:
            return None
        return Series(value["label"], value["unit"], [float(x) for x in value["samples"]])

    subject = series(item["subject"])
    assert subject is not None
    return Result(
        key=item["key"],
        title=item["title"],
        baseline=series(item["baseline"]),
        subject=subject,
        measure=item["measure"],
        limit=item["limit"],
        target=item["target"],
        notes=list(item["notes"]),
        extra=dict(item["extra"]),
    )


# --- the child: set up, measure, write results.json ---------------------------------------------


def _start_gnome_keyring(env: dict[str, str]) -> tuple[subprocess.Popen[str] | None, str | None]:
    """gnome-keyring's Secret Service, unlocked, on this D-Bus session: (the daemon, None) once
    it answers there, or (None, the problem). In the foreground, so that it is ours to stop by
    its PID (with --daemonize it forks away and, here, prints no GNOME_KEYRING_PID)."""
    try:
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError as exc:
        return None, f"gnome-keyring-daemon did not start: {exc}"
    assert daemon.stdin is not None
    daemon.stdin.write("bench-keyring-password")  # the keyring's own password, not a bwdc secret
    daemon.stdin.close()
    problem = _wait_for_secret_service(daemon)
    if problem is not None:
        _stop(daemon)
        return None, problem
    return daemon, None


def _wait_for_secret_service(daemon: subprocess.Popen[str], timeout: float = 20.0) -> str | None:
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        return "jeepney (keyring's D-Bus library) is not installed"
    bus = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    deadline = time.monotonic() + timeout
    try:
        with open_dbus_connection(bus="SESSION") as conn:
            while time.monotonic() < deadline:
                if daemon.poll() is not None:
                    return f"gnome-keyring-daemon exited {daemon.returncode}"
                asked = new_method_call(bus, "NameHasOwner", "s", ("org.freedesktop.secrets",))
                if conn.send_and_get_reply(asked, timeout=5).body[0]:
                    return None
                time.sleep(0.02)
    except Exception as exc:  # no session bus, a refused connection, ...
        return f"the D-Bus session bus did not answer: {exc!r}"
    return "gnome-keyring-daemon did not take the Secret Service's name on D-Bus in time"


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _run_exact(argv: tuple[str, ...], cwd: Path, env: dict[str, str]) -> int:
    """Run ``argv`` as an OS job would (no input, output to /dev/null); its exit code.

    Waits without a timeout: ``Popen.wait(timeout)`` (so ``subprocess.run(timeout=…)``) polls in
    sleeps that grow to 50 ms, which would round every sample up to the next step of its
    schedule (…, 63.5, 113.5, 163.5 ms). A timer stops a process that hangs instead.
    """
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,  # as an OS job: `... >/dev/null 2>&1`
        stderr=subprocess.DEVNULL,
    )
    watchdog = threading.Timer(RUN_TIMEOUT_S, proc.kill)
    watchdog.start()
    try:
        return proc.wait()
    finally:
        watchdog.cancel()


def _count_calls(calls_file: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if calls_file.exists():
        for line in calls_file.read_text(encoding="utf-8").splitlines():
            tag, _, verb = line.partition("\t")
            found.setdefault(tag, []).append(verb)
    return found


class _Bench:
    def __init__(self, root: Path, env: dict[str, str], keyring_note: str) -> None:
        self.root = root
        self.env = env
        self.keyring_note = keyring_note
        self.home = root / "home"
        self.cwd = root
        self.calls_file = root / "calls.log"
        self.secret = "bench-" + os.urandom(18).hex()  # a fresh API client_secret
        self.key_file = root / "recipe.key"
        fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{CLIENT_ID}\n{self.secret}\n")
        self.bwdc = root / "bin" / "bwdc.py"
        self.bwdc.parent.mkdir(mode=0o700)
        self.bwdc.write_text(
            _COUNTING_BWDC.format(calls=str(self.calls_file), tag_env=SAMPLE_ENV, repo=str(REPO)),
            encoding="utf-8",
        )
        from bwdc_tray.paths import resolve
        from bwdc_tray.schedule.jobs import runner_command

        self.job_base = runner_command(resolve(self.home))

    def _data_folder(self, name: str, sim: dict[str, Any]) -> Path:
        from bwdc_tray.demo.setup import _seed_data_json

        folder = self.root / "data" / name
        folder.mkdir(mode=0o700, parents=True)
        _seed_data_json(folder, 0, SERVER)
        (folder / "simulator.json").write_text(json.dumps(sim), encoding="utf-8")
        return folder

    def instance(self, name: str, sim: dict[str, Any]) -> tuple[tuple[str, ...], Path]:
        """A bwdc-tray instance: its job command and its data folder."""
        appdata = self._data_folder(f"{name}-tray", sim)
        cli(self.home, "instance", "add", name, "--appdata", str(appdata), "--bwdc",
            str(self.bwdc), "--timeout", "600", env=self.env)  # fmt: skip
        done = subprocess.run(
            [PY, "-m", "bwdc_tray", "--home", str(self.home), "secret", "set", name, "--stdin"],
            input=f"{CLIENT_ID}\n{self.secret}\n",
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"secret set exited {done.returncode}: {done.stderr}")
        return (*self.job_base, "run", name, "--trigger", "schedule"), appdata

    def recipe(self, name: str, sim: dict[str, Any]) -> tuple[tuple[str, ...], Path]:
        appdata = self._data_folder(f"{name}-hand", sim)
        script = self.root / f"recipe-{name}.sh"
        q = shlex.quote
        script.write_text(
            _RECIPE.format(
                appdata=q(str(appdata)),
                key=q(str(self.key_file)),
                log=q(str(appdata / "bwdc.log")),
                py=q(PY),
                bwdc=q(str(self.bwdc)),
            ),
            encoding="utf-8",
        )
        script.chmod(0o700)
        return ("/bin/sh", str(script)), appdata

    def _runner(self, argv: tuple[str, ...], tags: list[str], prefix: str) -> Callable[[], None]:
        counter = itertools.count()

        def once() -> None:
            tag = f"{prefix}-{next(counter)}"
            tags.append(tag)
            code = _run_exact(
                argv,
                cwd=self.cwd,  # as an OS job: not the repository (`-m` would import from it)
                env={**os.environ, **self.env, SAMPLE_ENV: tag},
            )
            if code != 0:
                raise RuntimeError(f"{' '.join(argv)} exited {code} ({tag})")

        return once

    def compare(
        self, name: str, sim: dict[str, Any], repeat: int
    ) -> tuple[list[float], list[float], dict[str, list[int]]]:
        """(recipe seconds, bwdc-tray seconds, bwdc calls per run of each, warm-up first)."""
        tray_argv, tray_dir = self.instance(name, sim)
        hand_argv, hand_dir = self.recipe(name, sim)
        tags: dict[str, list[str]] = {"recipe": [], "bwdc-tray": []}
        baseline = self._runner(hand_argv, tags["recipe"], f"{name}-recipe")
        subject = self._runner(tray_argv, tags["bwdc-tray"], f"{name}-tray")
        b, s = alternate(baseline, subject, repeat, warmup=1)
        seen = _count_calls(self.calls_file)
        calls = {
            side: [len(seen.get(tag, [])) for tag in side_tags] for side, side_tags in tags.items()
        }
        for folder in (tray_dir, hand_dir):
            log = (folder / "bwdc.log").read_text(encoding="utf-8", errors="replace")
            if self.secret in log:
                raise RuntimeError(f"the API key appeared in {folder / 'bwdc.log'}")
        return b, s, calls


def _median_run(argv: list[str], env: dict[str, str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, env={**os.environ, **env}, check=True, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 4)


def _python_startup(env: dict[str, str], repeat: int) -> dict[str, float]:
    return {"python -c pass (s)": _median_run([PY, "-c", "pass"], env, repeat)}


def _keyring_costs(repeat: int) -> dict[str, float]:
    """What the runner no longer pays (discovery) against what it pays (the backend it
    remembered), each in a process of its own."""
    discover = "import keyring; keyring.get_keyring()"
    direct = (
        "import keyring.backends.SecretService as s\nassert s.Keyring.priority > 0\ns.Keyring()"
    )
    return {
        "python: import keyring + discovery (s)": _median_run([PY, "-c", discover], {}, repeat),
        "python: import + the remembered backend (s)": _median_run([PY, "-c", direct], {}, repeat),
    }


def measure(root: Path, quick: bool, keyring: str) -> list[Result]:
    env: dict[str, str] = {}
    notes: list[str] = []
    daemon: subprocess.Popen[str] | None = None
    if keyring == "secret-service":
        daemon, problem = _start_gnome_keyring({**os.environ})
        if problem is not None:
            keyring = "file"
            notes.append(f"Fell back to the file keyring of bench_env(): {problem}.")
    else:
        notes.append(
            "Fell back to the file keyring of bench_env(): dbus-run-session or "
            "gnome-keyring-daemon is not installed."
        )
    try:
        if keyring == "file":
            env = bench_env(root / "home")
            env.pop("BWDC_TRAY_HOME")  # the job command names its home
            keyring_note = "keyring: the file keyring of bench_env() (PYTHON_KEYRING_BACKEND)"
        else:
            keyring_note = (
                "keyring: the Secret Service (gnome-keyring, unlocked, in a private "
                "dbus-run-session), found as on a user's machine: keyring's own discovery at "
                "the first run, the backend bwdc-tray remembered at the others"
            )
        bench = _Bench(root, env, keyring_note)
        instant_n, slow_n = (3, 2) if quick else (31, 7)
        slow_sim: dict[str, Any] = {"scenario": "slow"}
        if quick:
            slow_sim.update(delay=0.2, cpu=0.05)
        ib, is_, icalls = bench.compare("instant", {"scenario": "ok"}, instant_n)
        sb, ss, scalls = bench.compare("slow", slow_sim, slow_n)
        startup = _python_startup(env, 3 if quick else 9)
        if keyring == "secret-service" and not quick:
            startup.update(_keyring_costs(7))
    finally:
        if daemon is not None:
            _stop(daemon)
    return _results(bench, notes, quick, slow_sim, (ib, is_, icalls), (sb, ss, scalls), startup)


def _results(
    bench: _Bench,
    notes: list[str],
    quick: bool,
    slow_sim: dict[str, Any],
    instant: tuple[list[float], list[float], dict[str, list[int]]],
    slow: tuple[list[float], list[float], dict[str, list[int]]],
    startup: dict[str, float],
) -> list[Result]:
    base = [("HOME" if part == str(bench.home) else part) for part in bench.job_base]
    command = " ".join((*base, "run", "NAME", "--trigger", "schedule"))
    common_notes = [
        bench.keyring_note + ".",
        f"bwdc-tray: the OS job's command `{command}`; recipe: `/bin/sh recipe.sh` "
        "(login, sync, logout; API key from a 0600 file; output appended to a log).",
        *notes,
    ]
    ib, is_, icalls = instant
    sb, ss, scalls = slow
    delay = slow_sim.get("delay", 2.7)
    cpu = slow_sim.get("cpu", 1.0)
    results = [
        Result(
            key="runner.instant",
            title="Runner overhead, bwdc answering at once",
            baseline=Series("recipe (sh)", "s", ib),
            subject=Series("bwdc-tray run", "s", is_),
            measure="overhead",
            limit=0.150,
            target="under 150 ms of overhead at the median, with a bwdc that answers at once",
            notes=[*common_notes, *PROFILE_NOTES],
            extra={**startup, "samples": len(is_)},
        ),
        Result(
            key="runner.slow",
            title="Runner overhead, bwdc as slow as the real one",
            baseline=Series("recipe (sh)", "s", sb),
            subject=Series("bwdc-tray run", "s", ss),
            measure="overhead_pct",
            limit=5.0,
            target=f"under 5 % overhead with a bwdc taking {delay:g} s per call "
            f"({cpu:g} s of it CPU)",
            notes=common_notes,
            extra={"samples": len(ss), "simulator": slow_sim},
        ),
    ]
    # Calls per timed run (the warm-up runs, first of each list, are reported apart).
    tray_calls = icalls["bwdc-tray"][1:] + scalls["bwdc-tray"][1:]
    hand_calls = icalls["recipe"][1:] + scalls["recipe"][1:]
    first = icalls["bwdc-tray"][0]
    calls_notes = [
        f"Counted by the bwdc wrapper, per run: bwdc-tray {min(tray_calls)}-{max(tray_calls)}, "
        f"recipe {min(hand_calls)}-{max(hand_calls)}.",
        f"The first run of a new bwdc binary makes {first} calls: it asks bwdc its version once "
        "(`--version`, against a throw-away data folder) and keeps it, keyed by the binary's "
        "path, size and mtime; every later run makes none.",
    ]
    if max(tray_calls) > RECIPE_CALLS:
        calls_notes.append(f"Some run made {max(tray_calls)} calls: over the target.")
    results.append(
        Result(
            key="runner.calls",
            title="bwdc calls per run",
            baseline=Series("recipe (sh)", "calls", [float(c) for c in hand_calls]),
            subject=Series("bwdc-tray run", "calls", [float(c) for c in tray_calls]),
            measure="value",
            limit=RECIPE_CALLS + 0.5,
            target="no more bwdc calls per run than the recipe's login + sync + logout (3)",
            notes=calls_notes,
            extra={"first run (version probe)": first},
        )
    )
    if quick:
        for result in results:
            result.notes.insert(0, "Quick run: few samples, tiny delays; not figures to quote.")
    return results


def _inner(root: Path, quick: bool, keyring: str) -> int:
    # The parent stops us with SIGTERM on a timeout: still stop gnome-keyring (finally clauses).
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit(143))
    results = measure(root, quick, keyring)
    (root / "results.json").write_text(
        json.dumps([r.to_json() for r in results], indent=1), encoding="utf-8"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.runner_overhead", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few samples, tiny delays")
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keyring", default="secret-service", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner is not None:
        return _inner(args.inner, args.quick, args.keyring)
    from bench.report import one_line

    for result in run(quick=args.quick):
        print(one_line(result))
        print(json.dumps(result.to_json(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

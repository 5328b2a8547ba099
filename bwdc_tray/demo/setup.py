"""`bwdc-tray demo`: a home with simulated bwdc instances, run for real through the runner.

Nothing here touches the admin's own configuration: the demo lives in its own home, its bwdc is
the simulator shipped with bwdc-tray, and its credentials are fixed fakes (secrets.DemoStore).
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any, TextIO

from bwdc_tray.config import Config, ConfigStore, Instance
from bwdc_tray.errors import InvalidInput
from bwdc_tray.fsutil import atomic_write_text, ensure_private_dir
from bwdc_tray.paths import Paths, cli_program, resolve

ORG_ID = "00000000-0000-4000-8000-000000000000"

# name, label, directory type, simulator scenario, server
DEMO_INSTANCES: list[tuple[str, str, int, str, str]] = [
    ("corp-ad", "Corp Active Directory", 0, "ok", "https://vault.example.com"),
    ("cloud-entra", "Entra ID, EU tenant", 1, "unchanged", "https://vault.bitwarden.eu"),
    (
        "okta-contractors",
        "Okta: contractors (API key rotated)",
        3,
        "invalid-client",
        "https://vault.example.com",
    ),
]


def default_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("bwdc-tray", appauthor=False)) / "demo"


def _seed_data_json(appdata: Path, directory_type: int, server: str) -> None:
    """A bwdc 2026.4.0-style data.json, as the desktop app leaves it after setup."""
    path = appdata / "data.json"
    if path.exists():
        return
    doc: dict[str, Any] = {
        "global": {
            "stateVersion": 3,
            "installedVersion": "2026.4.0",
            "environmentUrls": {"base": server, "api": None, "identity": None, "webVault": None},
        },
        "authenticatedAccounts": [],
        "appId": "demo-" + appdata.name,
        ORG_ID: {
            "profile": {"userId": ORG_ID, "entityId": ORG_ID},
            "directorySettings": {
                "directoryType": directory_type,
                "organizationId": ORG_ID,
                "lastUserSync": None,
                "lastGroupSync": None,
                "sync": {"users": True, "groups": True, "interval": 5},
            },
        },
    }
    atomic_write_text(path, json.dumps(doc, indent=2))


def _simulator(module_file: str) -> Path:
    # In the frozen app the module's __file__ names a .pyc inside the bundle's archive; the
    # spec ships the source beside it, for the bundle's programs to run (bundle.RUN_PYTHON_FILE).
    return Path(module_file).with_suffix(".py").resolve()


def create(paths: Paths) -> Config:
    from bwdc_tray.demo import simbwdc

    store = ConfigStore(paths)
    with store.edit() as cfg:
        if cfg.instances and not cfg.demo:
            raise InvalidInput(
                f"{paths.config_dir} holds real instances, not a demo",
                "run the demo with --home pointing at an empty folder",
            )
        cfg.demo = True
        for name, label, dtype, scenario, server in DEMO_INSTANCES:
            appdata = ensure_private_dir(paths.config_dir / "instances" / name)
            _seed_data_json(appdata, dtype, server)
            atomic_write_text(
                appdata / "simulator.json", json.dumps({"scenario": scenario, "delay": 0.3})
            )
            # Always this installation's simulator, even in a demo home made by another one.
            cfg.instances[name] = Instance(
                name=name,
                appdata=appdata,
                bwdc=str(_simulator(simbwdc.__file__)),
                label=label,
                timeout=120,
            )
        return cfg


def display_available() -> bool:
    import os

    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_demo(home: str | None, out: TextIO, gui: bool = True) -> int:
    from bwdc_tray import cli, runner

    paths = resolve(home if home is not None else default_home())
    out.write(f"demo home: {paths.config_dir}\n")
    cfg = create(paths)
    for name in cfg.instances:
        out.write(f"  running {name} (simulated bwdc)…\n")
        outcome = runner.execute(paths, name, trigger="manual")
        out.write(f"    {outcome.result}: {outcome.message}\n")
        if outcome.hint:
            out.write(f"    fix: {outcome.hint}\n")
    out.write("\n")
    cli.main(["--home", str(paths.config_dir), "status"], out=out)
    if gui and display_available():
        out.write("\nstarting the tray for the demo home (quit it from its menu)…\n")
        out.flush()
        from bwdc_tray.gui.app import main as gui_main

        return gui_main(["--home", str(paths.config_dir), "--window"])
    h = shlex.quote(str(paths.config_dir))
    me = cli_program()  # not on PATH (a venv, the unpacked app): exactly what to type
    out.write(
        "\nthe simulated okta-contractors fails on purpose (a rotated API key). Try:\n"
        f"  {me} --home {h} status --json\n"
        f"  {me} --home {h} log corp-ad\n"
        f"  {me} --home {h} run corp-ad --dry-run\n"
        f"  {me} --home {h} doctor\n"
    )
    return 0

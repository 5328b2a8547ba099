"""Where bwdc-tray keeps its configuration and state.

``--home DIR`` (or ``BWDC_TRAY_HOME``) puts everything under one folder, so a demo, a test or a
dedicated-user job never touches the admin's own files; without it, platformdirs' per-user dirs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bwdc_tray import APP_NAME

HOME_ENV = "BWDC_TRAY_HOME"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    state_dir: Path
    home: Path | None = None

    @property
    def config_file(self) -> Path:
        return self.config_dir / "instances.json"

    @property
    def status_dir(self) -> Path:
        return self.state_dir / "status"

    @property
    def locks_dir(self) -> Path:
        return self.state_dir / "locks"

    @property
    def cache_dir(self) -> Path:
        return self.state_dir / "cache"

    def cli(self) -> str:
        """How to call bwdc-tray on this home, for the commands we suggest."""
        if self.home is None:
            return cli_program()
        return f"{cli_program()} --home {_quote(str(self.home))}"

    def status_file(self, name: str) -> Path:
        return self.status_dir / f"{name}.json"


def _quote(arg: str) -> str:
    if sys.platform == "win32":
        import subprocess

        return subprocess.list2cmdline([arg])
    import shlex

    return shlex.quote(arg)


def cli_program() -> str:
    """How to type `bwdc-tray` in the commands we suggest: the name when PATH finds this very
    program, else its full path (a virtual environment, the unpacked app)."""
    from bwdc_tray import bundle

    if bundle.is_frozen():
        invoked: Path | None = bundle.program(bundle.CLI)
    else:
        invoked = Path(sys.argv[0]).absolute() if sys.argv and sys.argv[0] else None
        if invoked is not None and invoked.stem != "bwdc-tray":
            invoked = None  # `python -m bwdc_tray`, a test: the plain name
    if invoked is None:
        return "bwdc-tray"
    import shutil

    found = shutil.which("bwdc-tray")
    if found is not None and Path(found).absolute() == invoked:
        return "bwdc-tray"
    return _quote(str(invoked))


def resolve(home: str | os.PathLike[str] | None = None) -> Paths:
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return Paths(config_dir=root, state_dir=root / "state", home=root)
    import platformdirs

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
    )

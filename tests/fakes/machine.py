"""A fake machine for discovery tests: /etc, a home, a root for /Library, scripts on "disk",
and a command runner that answers `crontab` and `schtasks` as told."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bwdc_tray.adopt.discover import discover
from bwdc_tray.adopt.model import Finding
from bwdc_tray.paths import Paths
from tests.fakes.commands import FakeRunner

FIXTURES = Path(__file__).resolve().parents[1] / "adopt" / "fixtures"
BWDC_HOME = "/home/bwdc"

Answers = Mapping[tuple[str, ...], tuple[int, str, str]]


def runner(answers: Answers) -> FakeRunner:
    def handle(argv: tuple[str, ...], _input: str | None) -> tuple[int, str, str]:
        assert argv[0] in ("crontab", "schtasks"), f"unexpected command {argv}"
        if argv in answers:
            return answers[argv]
        if argv[0] == "crontab":
            user = argv[2] if argv[1] == "-u" else "alice"
            return 1, "", f"no crontab for {user}\n"
        return 1, "", "ERROR: The system cannot find the file specified.\n"

    return FakeRunner(handle)


class Machine:
    """A fake machine: /etc, a home, a root for /Library, and scripts on "disk"."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.etc = tmp / "etc"
        (self.etc / "cron.d").mkdir(parents=True)
        self.home = tmp / "home" / "alice"
        self.home.mkdir(parents=True)
        self.root = tmp / "root"
        self.paths = Paths(config_dir=tmp / "config", state_dir=tmp / "state")
        self.files: dict[str, str] = {}
        self.read: list[str] = []
        self.homes = {"bwdc": BWDC_HOME, "alice": str(self.home)}

    def reader(self, path: str) -> str | None:
        self.read.append(path)
        return self.files.get(path)

    def run(
        self,
        answers: Answers | None = None,
        *,
        platform: str = "linux",
        is_root: bool = False,
        env: Mapping[str, str] | None = None,
        root: bool = False,
        user: str = "alice",
        home: Path | None = None,
    ) -> tuple[list[Finding], FakeRunner]:
        fake = runner(answers or {})
        found = discover(
            self.paths,
            runner=fake,
            etc=self.etc,
            home=home or self.home,
            platform=platform,
            env=env or {},
            root=self.root if root else None,
            user=user,
            is_root=is_root,
            user_home=self.homes.get,
            reader=self.reader,
        )
        return found, fake


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")

"""The hub between the engine and the widgets: rows, file watching, actions.

No polling loop: the config file, the status and lock folders and every instance log are
watched with QFileSystemWatcher; a change (from the tray, the CLI or an OS job) refreshes the
rows after a short debounce, so a burst of writes costs one refresh.

The rows are read on a worker thread (reading them asks the OS scheduler: `crontab -l`,
`schtasks /Query`, `launchctl print`), so the GUI never waits for that; requests made while a
read is going are folded into one more read.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from bwdc_tray import launch, overview
from bwdc_tray.errors import BwdcTrayError
from bwdc_tray.overview import InstanceRow
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import jobs

DEBOUNCE_MS = 250


@dataclass(frozen=True)
class Snapshot:
    rows: list[InstanceRow]
    paused: bool
    error: str | None = None


def read_snapshot(paths: Paths) -> Snapshot:
    """Everything the widgets show, read without Qt (safe on any thread)."""
    try:
        return Snapshot(*overview.snapshot(paths))
    except BwdcTrayError as exc:
        return Snapshot([], False, str(exc))
    except OSError as exc:
        text = QCoreApplication.translate("Controller", "cannot read the instances: {error}")
        return Snapshot([], False, text.format(error=exc))


class Controller(QObject):
    rowsChanged = Signal()
    # (instance, old state, new state): for notifications, one per change of state
    stateChanged = Signal(str, str, str)
    error = Signal(str)  # a message for the user
    _read = Signal(object)  # a Snapshot from the worker thread, delivered on the GUI thread

    def __init__(self, paths: Paths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.rows: list[InstanceRow] = []
        self.paused = False
        self._states: dict[str, str] = {}
        self._reading = False
        self._again = False
        self._read.connect(self._apply)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._schedule_refresh)
        self._watcher.directoryChanged.connect(self._schedule_refresh)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        # The first read is made here, so the tray starts with its true icon.
        self._apply(read_snapshot(paths))

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the rows again, off the GUI thread; rowsChanged follows."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        threading.Thread(target=self._read_in_thread, name="bwdc-tray-refresh", daemon=True).start()

    @property
    def busy(self) -> bool:
        """A read is going or queued (tests wait for this to end)."""
        return self._reading or self._debounce.isActive()

    def _read_in_thread(self) -> None:
        snapshot = read_snapshot(self.paths)
        # RuntimeError: the controller was deleted meanwhile (the app is quitting).
        with contextlib.suppress(RuntimeError):
            self._read.emit(snapshot)

    def _apply(self, snapshot: Snapshot) -> None:
        self._reading = False
        self.rows, self.paused = snapshot.rows, snapshot.paused
        if snapshot.error:
            self.error.emit(snapshot.error)
        launch.reap()
        for row in self.rows:
            before = self._states.get(row.name)
            if before is not None and before != row.state:
                self.stateChanged.emit(row.name, before, row.state)
            self._states[row.name] = row.state
        self._watch()
        self.rowsChanged.emit()
        if self._again:
            self._again = False
            self.refresh()

    def row(self, name: str) -> InstanceRow | None:
        return next((r for r in self.rows if r.name == name), None)

    def worst_state(self) -> str:
        return overview.worst_state(self.rows)

    def _watch(self) -> None:
        wanted: set[str] = set()
        for folder in (self.paths.config_dir, self.paths.status_dir, self.paths.locks_dir):
            folder.mkdir(parents=True, exist_ok=True)
            wanted.add(str(folder))
        if self.paths.config_file.exists():
            wanted.add(str(self.paths.config_file))
        for row in self.rows:
            # A log that does not exist yet shows up through its folder.
            wanted.add(str(row.log) if row.log.exists() else str(row.log.parent))
        current = set(self._watcher.files()) | set(self._watcher.directories())
        if gone := current - wanted:
            self._watcher.removePaths(sorted(gone))
        if new := [p for p in wanted - current if Path(p).exists()]:
            self._watcher.addPaths(sorted(new))

    def _schedule_refresh(self, _path: str = "") -> None:
        self._debounce.start()

    # --- actions ---------------------------------------------------------------------------------

    def sync_now(self, name: str | None = None) -> None:
        """One instance, or all of them (None): each a runner process of its own."""
        names = [name] if name else [r.name for r in self.rows]
        for each in names:
            try:
                launch.start_run(self.paths, each)
            except OSError as exc:
                self.error.emit(
                    self.tr("{name}: could not start the run: {error}").format(name=each, error=exc)
                )
        self._schedule_refresh()

    def set_paused(self, paused: bool) -> None:
        try:
            jobs.set_paused(self.paths, paused)
            self.paused = paused  # the menu flips at once; the rows follow the refresh
        except BwdcTrayError as exc:
            self.error.emit(str(exc))
        self.refresh()

    def open_log(self, name: str) -> None:
        row = self.row(name)
        if row is not None and row.log.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(row.log)))
        elif row is not None:
            self.error.emit(self.tr("{name} has no log yet ({log})").format(name=name, log=row.log))

"""The hub between the engine and the widgets: rows, file watching, actions.

No polling loop: the config file, the status and lock folders and every instance log are
watched with QFileSystemWatcher; a change (from the tray, the CLI or an OS job) refreshes the
rows after a short debounce, so a burst of writes costs one refresh. A steady stream of writes
(runs back to back, a run writing its log line after line) still refreshes them every second.

The rows are read on a worker thread (reading them asks the OS scheduler: `crontab -l`,
`schtasks /Query`, `launchctl print`), so the GUI never waits for that; requests made while a
read is going are folded into one more read.

The engine (overview, status, logs, the schedule backends) is imported where it is used, not
here: the tray puts its icon up before any of it is loaded, and the first read (on the worker
thread, `read_now=False`) loads it.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QTimer, QUrl, Signal

from bwdc_tray.gui.courier import Courier, courier
from bwdc_tray.paths import Paths

if TYPE_CHECKING:
    from bwdc_tray.overview import InstanceRow

DEBOUNCE_MS = 250
DEBOUNCE_MAX_MS = 1000  # the longest a stream of changes can hold a refresh back


@dataclass(frozen=True)
class Snapshot:
    rows: list[InstanceRow]
    paused: bool
    error: str | None = None


def read_snapshot(paths: Paths) -> Snapshot:
    """Everything the widgets show, read without Qt (safe on any thread)."""
    from bwdc_tray import overview
    from bwdc_tray.errors import BwdcTrayError

    try:
        return Snapshot(*overview.snapshot(paths))
    except BwdcTrayError as exc:
        return Snapshot([], False, str(exc))
    except OSError as exc:
        text = QCoreApplication.translate("Controller", "cannot read the instances: {error}")
        return Snapshot([], False, text.format(error=exc))


def _read_in_thread(paths: Paths, ref: weakref.ref[Controller], courier: Courier) -> None:
    courier.send(ref, "_apply", read_snapshot(paths))


class Controller(QObject):
    rowsChanged = Signal()
    # (instance, old state, new state): for notifications, one per change of state
    stateChanged = Signal(str, str, str)
    error = Signal(str)  # a message for the user

    def __init__(
        self, paths: Paths, parent: QObject | None = None, *, read_now: bool = True
    ) -> None:
        """``read_now``: read the rows here, before returning (the default); False leaves the
        first read to `refresh()` (the tray calls it once its icon is up), and until it ends
        `loaded` is False and the worst state is "unknown"."""
        super().__init__(parent)
        self.paths = paths
        self.rows: list[InstanceRow] = []
        self.paused = False
        self.loaded = False  # the rows have been read at least once
        self._states: dict[str, str] = {}
        self._reading = False
        self._again = False
        self._burst_since = 0.0  # monotonic time of the first change the debounce is holding
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._schedule_refresh)
        self._watcher.directoryChanged.connect(self._schedule_refresh)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        if read_now:
            self._apply(read_snapshot(paths))
        else:
            self._watch()  # a change made during the first read is read again after it

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the rows again, off the GUI thread; rowsChanged follows."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        threading.Thread(
            target=_read_in_thread,
            args=(self.paths, weakref.ref(self), courier()),
            name="bwdc-tray-refresh",
            daemon=True,
        ).start()

    @property
    def busy(self) -> bool:
        """A read is going or queued (tests wait for this to end)."""
        return self._reading or self._debounce.isActive()

    def _apply(self, snapshot: Snapshot) -> None:
        from bwdc_tray import launch

        self._reading = False
        self.rows, self.paused = snapshot.rows, snapshot.paused
        self.loaded = True
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
        """The state the tray's icon shows: "unknown" until the rows have been read."""
        if not self.loaded:
            return "unknown"
        from bwdc_tray import overview

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
        now = time.monotonic()
        if not self._debounce.isActive():
            self._burst_since = now
        elif now - self._burst_since >= DEBOUNCE_MAX_MS / 1000:
            # Each change restarts the debounce: without this, changes closer together than
            # DEBOUNCE_MS would hold the rows back for as long as they keep coming.
            self._debounce.stop()
            self.refresh()
            return
        self._debounce.start()

    # --- actions ---------------------------------------------------------------------------------

    def sync_now(self, name: str | None = None) -> None:
        """One instance, or all of them (None): each a runner process of its own."""
        from bwdc_tray import launch

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
        from bwdc_tray.errors import BwdcTrayError
        from bwdc_tray.schedule import jobs

        try:
            jobs.set_paused(self.paths, paused)
            self.paused = paused  # the menu flips at once; the rows follow the refresh
        except BwdcTrayError as exc:
            self.error.emit(str(exc))
        self.refresh()

    def open_log(self, name: str) -> None:
        row = self.row(name)
        if row is not None and row.log.exists():
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(row.log)))
        elif row is not None:
            self.error.emit(self.tr("{name} has no log yet ({log})").format(name=name, log=row.log))

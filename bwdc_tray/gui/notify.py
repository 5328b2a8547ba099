"""One notification per change of state: a run that failed, and the first success after."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject

from bwdc_tray.gui.controller import Controller

BAD = ("failed", "timeout")


class Notifier(QObject):
    def __init__(
        self,
        controller: Controller,
        show: Callable[[str, str, bool], None],
        muted: Callable[[], bool],
    ) -> None:
        """``show(title, message, is_error)`` displays it (the tray's balloon)."""
        super().__init__(controller)
        self.controller = controller
        self.show = show
        self.muted = muted
        # The last notifications (for tests and a future history): bounded, the tray lives long.
        self.sent: deque[tuple[str, str]] = deque(maxlen=50)
        controller.stateChanged.connect(self.on_state)

    def on_state(self, name: str, before: str, after: str) -> None:
        if self.muted() or after == "running":
            return
        row = self.controller.row(name)
        message = (row.last_run or {}).get("message", "") if row else ""
        if after in BAD and before not in BAD:
            title = QCoreApplication.translate("Notifier", "{name}: sync failed").format(name=name)
            if after == "timeout":
                title = QCoreApplication.translate("Notifier", "{name}: sync timed out").format(
                    name=name
                )
            self.sent.append((title, message))
            self.show(title, message, True)
        elif after == "ok" and before in BAD:
            title = QCoreApplication.translate("Notifier", "{name}: syncing again").format(
                name=name
            )
            self.sent.append((title, message))
            self.show(title, message, False)

"""Brings a worker thread's result to a QObject, on the GUI thread.

The worker holds its receiver by a weak reference only. If it held the receiver itself, the last
reference could go with the thread, and the receiver (a Controller with its timer and file
watcher, a dialog) would be destroyed on the worker thread: Qt's state gets corrupted ("Timers
cannot be stopped from another thread", then malloc aborts). One courier for the process, made
on the GUI thread (`courier()` is called there, before the thread starts) and never deleted.
"""

from __future__ import annotations

import contextlib
import weakref
from typing import Any

from PySide6.QtCore import QObject, Signal


class Courier(QObject):
    delivered = Signal(object, str, object)  # (weakref to the receiver, its method, the value)

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._deliver)

    def send(self, ref: weakref.ref[Any], method: str, value: object) -> None:
        """From any thread: call ``ref()``'s ``method`` with ``value`` on the GUI thread, if the
        receiver is still there then."""
        self.delivered.emit(ref, method, value)

    @staticmethod
    def _deliver(ref: weakref.ref[Any], method: str, value: object) -> None:
        receiver = ref()
        if receiver is not None:
            with contextlib.suppress(RuntimeError):  # its C++ side was deleted meanwhile
                getattr(receiver, method)(value)


_COURIER: list[Courier] = []


def courier() -> Courier:
    if not _COURIER:
        _COURIER.append(Courier())
    return _COURIER[0]

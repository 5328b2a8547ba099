"""The tray icon: the worst state at a glance, a tooltip that sums it up, and the menu.

It only renders the controller's rows and calls its actions: Sync now starts runner processes
of their own, so quitting the tray never stops a run. The menu is rebuilt each time it opens
(and when the rows change while it is closed), so it never shows stale results.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.icons import state_icon, state_label, tray_icon
from bwdc_tray.gui.plaintext import tip

if TYPE_CHECKING:
    from bwdc_tray.overview import InstanceRow

SEP = " ▸ "  # between a submenu's title and an entry, in menu_entries() and action()
MAX_TOOLTIP_LINES = 5  # beyond this many instances, the worst ones and "…and N more"
MAX_LINE = 90  # characters per tooltip line
MAX_MESSAGE = 60  # characters of a failure message
MAX_MENU_INSTANCES = 10  # per-instance submenus; the rest are in the window
WINDOWS_TOOLTIP_MAX = 127  # the Shell's limit for a notification-area tooltip
TOOLTIP_REFRESH_MS = 60_000  # "4 min ago" ages: the text is redrawn, no file is read


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _shorten_lines(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _escape(text: str) -> str:
    """A menu text shown as is: a single "&" would become a mnemonic."""
    return text.replace("&", "&&")


def _unescape(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _submenus(menu: QMenu) -> dict[QAction, QMenu]:
    """The submenus of a menu by their action. Not QAction.menu(): in PySide6 6.12 it drops a
    reference to None each time it returns None, and Python aborts at exit (none_dealloc)."""
    return {
        sub.menuAction(): sub
        for sub in menu.findChildren(QMenu, options=Qt.FindChildOption.FindDirectChildrenOnly)
    }


def _severity(row: InstanceRow) -> int:
    # Imported here: the engine is loaded by the controller's first read, after the icon shows.
    from bwdc_tray.overview import STATE_ORDER

    return STATE_ORDER.index(row.state) if row.state in STATE_ORDER else 0


@dataclass(frozen=True)
class Toggle:
    """A checkable setting in the tray menu."""

    text: str
    tip: str
    get: Callable[[], bool]
    set: Callable[[bool], None]


class Tray(QObject):
    """The tray icon and its menu over a Controller.

    `open_window()` on "Instances…" and on a left click (not on macOS), `edit_schedule(name)` on
    "Edit schedule…", `quit_app()` on Quit (default QCoreApplication.quit). The icon shows itself
    when a tray is available (`available()`); `icon` is the QSystemTrayIcon (for showMessage).
    """

    def __init__(
        self,
        controller: Controller,
        open_window: Callable[[], None],
        edit_schedule: Callable[[str], None],
        parent: QObject | None = None,
        *,
        quit_app: Callable[[], None] | None = None,
        toggles: Sequence[Toggle] = (),
        template: bool | None = None,
    ) -> None:
        """``toggles``: checkable settings for the menu (start at login, mute notifications);
        ``template``: show the calm states as template images (default: on macOS; see
        icons.tray_icon)."""
        super().__init__(parent)
        self._template = sys.platform == "darwin" if template is None else template
        self.controller = controller
        self._open_window = open_window
        self._edit_schedule = edit_schedule
        self._quit_app = quit_app or QCoreApplication.quit
        self._toggles = list(toggles)
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.menu.setAccessibleName(self.tr("bwdc-tray menu"))
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        controller.rowsChanged.connect(self._on_rows_changed)
        self._clock = QTimer(self)
        self._clock.setInterval(TOOLTIP_REFRESH_MS)
        self._clock.timeout.connect(self._update_tooltip)
        self._clock.start()
        self._on_rows_changed()
        self.show()  # in the tray when there is one; the app goes window-only otherwise

    # --- showing -------------------------------------------------------------------------------

    @staticmethod
    def available() -> bool:
        """False without a tray host: the app then runs window-only, with a notice."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> bool:
        """Put the icon in the tray; False when there is no tray to put it in."""
        if not self.available():
            return False
        self.icon.show()
        return True

    def hide(self) -> None:
        self.icon.hide()

    def _on_rows_changed(self) -> None:
        state = self.controller.worst_state()
        self.icon.setIcon(tray_icon(state, self._template))
        self._update_tooltip()
        if not self.menu.isVisible():
            # Keeps menus exported to the platform (DBus, macOS) current too.
            self.rebuild_menu()

    def _update_tooltip(self) -> None:
        text = self.tooltip()
        if sys.platform.startswith("linux"):
            # Qt (XEmbed) and KDE (StatusNotifierItem) render it as HTML when it looks like
            # some; Windows and macOS show the text as it is.
            text = tip(text) or ""
        self.icon.setToolTip(text)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # On macOS any click opens the menu (Qt does that); elsewhere a left click is "open".
        if reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin":
            self._open_window()

    # --- words ---------------------------------------------------------------------------------

    def _ago(self, when: datetime | None, now: datetime) -> str:
        if when is None:
            return self.tr("at an unknown time")
        seconds = (now - when).total_seconds()
        if seconds < 60:
            return self.tr("just now")
        minutes = int(seconds // 60)
        if minutes < 60:
            return self.tr("%n min ago", "", minutes)
        hours = minutes // 60
        if hours < 48:
            return self.tr("%n h ago", "", hours)
        return self.tr("%n days ago", "", hours // 24)

    def format_when(self, when: datetime, now: datetime | None = None) -> str:
        """A coming time, short: "02:00" today, "Mon 02:00" this week, else the date too."""
        now = now or datetime.now().astimezone()
        local = when.astimezone(now.tzinfo) if when.tzinfo else when
        locale = QLocale()
        clock = locale.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
        days = (local.date() - now.date()).days
        if days == 0:
            return clock
        if 0 < days < 7:
            day = locale.dayName(local.isoweekday(), QLocale.FormatType.ShortFormat)
            return f"{day} {clock}"
        return f"{local.date().isoformat()} {clock}"

    def last_result(
        self, row: InstanceRow, now: datetime | None = None, *, detail: bool = True
    ) -> str:
        """The last result in words: "synced 4 min ago, 3 groups, 42 users", "running…";
        without `detail`, no counts and no message ("synced 4 min ago", "failed 1 h ago")."""
        now = now or datetime.now().astimezone()
        if row.state == "running":
            return self.tr("running…")
        last = row.last_run
        if not last:
            if row.state == "unknown":
                return self.tr("status unknown")
            return self.tr("never synced")
        ago = self._ago(row.last_finished, now)
        result = last.get("result")
        if result == "ok":
            text = self.tr("synced {ago}").format(ago=ago)
            if detail and last.get("groups") is not None:
                text += ", " + self.tr("%n groups", "", int(last["groups"]))
            if detail and last.get("users") is not None:
                text += ", " + self.tr("%n users", "", int(last["users"]))
            return text
        if result == "timeout":
            return self.tr("timed out {ago}").format(ago=ago)
        message = _shorten(str(last.get("message") or ""), MAX_MESSAGE)
        if detail and message:
            return self.tr("failed {ago}: {message}").format(ago=ago, message=message)
        return self.tr("failed {ago}").format(ago=ago)

    def next_run(self, row: InstanceRow, now: datetime | None = None) -> str:
        if self.controller.paused and row.schedule:
            return self.tr("paused")
        if row.next_run is None:
            return self.tr("not scheduled")
        return self.format_when(row.next_run, now)

    def tooltip(self) -> str:
        """One line per instance (the worst first when there are many)."""
        rows = self.controller.rows
        if not self.controller.loaded:
            text = f"bwdc-tray: {state_label('unknown')}"  # the first read is going
        elif not rows:
            text = self.tr("bwdc-tray: no instances yet")
        else:
            now = datetime.now().astimezone()
            lines = []
            if self.controller.paused:
                lines.append(self.tr("All schedules are paused"))
            shown = rows
            if len(rows) > MAX_TOOLTIP_LINES:
                shown = sorted(rows, key=_severity)[: MAX_TOOLTIP_LINES - 1]
            for row in shown:
                line = f"{row.name}: {self.last_result(row, now)}"
                if row.next_run is not None and not self.controller.paused:
                    line += "; " + self.tr("next run {when}").format(
                        when=self.format_when(row.next_run, now)
                    )
                lines.append(_shorten(line, MAX_LINE))
            if len(shown) < len(rows):
                lines.append(self.tr("…and %n more", "", len(rows) - len(shown)))
            text = "\n".join(lines)
        if sys.platform == "win32":
            text = _shorten_lines(text, WINDOWS_TOOLTIP_MAX)
        return text

    # --- menu ----------------------------------------------------------------------------------

    def _clear(self, menu: QMenu) -> None:
        # Not QMenu.clear(): it deletes actions at once, and this may run from a slot of one
        # of them (Pause refreshes the rows); deleteLater waits until that slot has returned.
        subs = _submenus(menu)
        for action in menu.actions():
            menu.removeAction(action)
            sub = subs.get(action)
            if sub is not None:
                self._clear(sub)
                sub.deleteLater()
            action.deleteLater()

    def _add(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], None] | None = None,
        *,
        tip: str | None = None,
        icon: QIcon | None = None,
        enabled: bool = True,
    ) -> QAction:
        action = QAction(_escape(text), menu)
        if icon is not None:
            action.setIcon(icon)
        if tip:
            # Menu items have no accessible name of their own: screen readers read the text,
            # and the tip (status tip / tooltip) tells what the item does.
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setEnabled(enabled)
        if slot is not None:
            action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _submenu(self, menu: QMenu, title: str, icon: QIcon | None = None) -> QMenu:
        sub = QMenu(_escape(title), menu)
        sub.setAccessibleName(title)
        if icon is not None:
            sub.setIcon(icon)
        menu.addMenu(sub)
        return sub

    def rebuild_menu(self) -> None:
        menu = self.menu
        self._clear(menu)
        rows = self.controller.rows
        now = datetime.now().astimezone()

        sync = self._submenu(menu, self.tr("Sync now"))
        for row in rows:
            self._add(
                sync,
                row.name,
                self._slot(self.controller.sync_now, row.name),
                tip=self.tr("Sync {name} now").format(name=row.name),
                icon=state_icon(row.state, 16),
                enabled=row.state != "running",
            )
        sync.addSeparator()
        self._add(
            sync,
            self.tr("All instances"),
            self._slot(self.controller.sync_now, None),
            tip=self.tr("Sync every instance now"),
            enabled=any(r.state != "running" for r in rows),
        )
        sync.setEnabled(bool(rows))
        menu.addSeparator()

        for row in rows[:MAX_MENU_INSTANCES]:
            self._instance_menu(menu, row, now)
        if len(rows) > MAX_MENU_INSTANCES:
            more = len(rows) - MAX_MENU_INSTANCES
            self._add(menu, self.tr("…and %n more (see Instances…)", "", more), enabled=False)
        if rows:
            menu.addSeparator()

        self._add(
            menu,
            self.tr("Instances…"),
            self._slot(self._open_window),
            tip=self.tr("Open the window with every instance"),
        )
        if self.controller.paused:
            self._add(
                menu,
                self.tr("Resume all schedules"),
                self._slot(self.controller.set_paused, False),
                tip=self.tr("Install the scheduled jobs again"),
            )
        else:
            self._add(
                menu,
                self.tr("Pause all schedules"),
                self._slot(self.controller.set_paused, True),
                tip=self.tr("Remove the scheduled jobs and keep the schedules"),
            )
        for toggle in self._toggles:
            action = self._add(menu, toggle.text, tip=toggle.tip)
            action.setCheckable(True)
            action.setChecked(toggle.get())
            action.toggled.connect(toggle.set)
        menu.addSeparator()
        self._add(
            menu,
            self.tr("Quit"),
            self._slot(self._quit),
            tip=self.tr("Close the tray; runs already started go on"),
        )

    def _instance_menu(self, menu: QMenu, row: InstanceRow, now: datetime) -> None:
        summary = self.last_result(row, now)
        title = _shorten(f"{row.name} — {self.last_result(row, now, detail=False)}", MAX_LINE)
        sub = self._submenu(menu, title, state_icon(row.state, 16))
        sub.setAccessibleName(f"{row.name}: {state_label(row.state)}")
        if row.label:
            self._add(sub, row.label, enabled=False)
        self._add(sub, self.tr("Last run: {result}").format(result=summary), enabled=False)
        when = self.next_run(row, now)
        self._add(sub, self.tr("Next run: {when}").format(when=when), enabled=False)
        if row.problem:
            problem = _shorten(row.problem, MAX_LINE)
            self._add(sub, self.tr("Problem: {problem}").format(problem=problem), enabled=False)
        sub.addSeparator()
        self._add(
            sub,
            self.tr("Open log"),
            self._slot(self.controller.open_log, row.name),
            tip=self.tr("Open the log of {name}").format(name=row.name),
            enabled=row.log.exists(),
        )
        self._add(
            sub,
            self.tr("Edit schedule…"),
            self._slot(self._edit_schedule, row.name),
            tip=self.tr("Edit the schedule of {name}").format(name=row.name),
        )

    @staticmethod
    def _slot(func: Callable[..., object], *args: object) -> Callable[[], None]:
        # QAction.triggered passes `checked`; the actions take their own arguments only.
        def slot(*_ignored: object) -> None:
            func(*args)

        return slot

    def _quit(self) -> None:
        # Runs are processes of their own (launch.start_run): they go on after this.
        self.icon.hide()
        self._quit_app()

    # --- for tests and screenshots --------------------------------------------------------------

    def menu_entries(self) -> list[str]:
        """The menu's texts, submenu entries as "Sync now ▸ corp"; separators left out."""
        out: list[str] = []

        def walk(menu: QMenu, prefix: str) -> None:
            subs = _submenus(menu)
            for action in menu.actions():
                if action.isSeparator():
                    continue
                text = prefix + _unescape(action.text())
                out.append(text)
                if action in subs:
                    walk(subs[action], text + SEP)

        walk(self.menu, "")
        return out

    def action(self, *path: str) -> QAction | None:
        """The action at a path of texts, e.g. action("Sync now", "corp")."""
        menu: QMenu | None = self.menu
        found: QAction | None = None
        for text in path:
            if menu is None:
                return None
            subs = _submenus(menu)
            found = next(
                (a for a in menu.actions() if not a.isSeparator() and _unescape(a.text()) == text),
                None,
            )
            if found is None:
                return None
            menu = subs.get(found)
        return found

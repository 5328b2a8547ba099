"""The main window: the instances, their actions, and the history of the selected one.

Everything shown comes from the controller's rows (the same `overview` rows behind `status`)
and from the instance log (`logs.read_runs`); every change goes through the engine; every run,
the dry run of Test included, is a runner process of its own, so the window never waits on one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QProcess,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QCloseEvent, QFontDatabase, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwdc_tray import logs
from bwdc_tray.errors import BwdcTrayError
from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.dialogs import AddInstanceDialog, SecretsDialog, error_text
from bwdc_tray.gui.plaintext import plain, tip
from bwdc_tray.instances import Removal, remove_instance, restore_instance
from bwdc_tray.overview import InstanceRow

HISTORY_RUNS = 20
UNDO_MS = 30_000
PREVIEW_LIMIT = 500  # items per category shown in the dry-run dialog

Confirm = Callable[[str, str], bool]


# --- formatting (what the cells say) ---------------------------------------------------------


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """'4 min ago', '3 h ago', '2 d ago'; a future time (clock skew) as the time itself."""
    if when is None:
        return "—"
    now = now or datetime.now().astimezone()
    seconds = (now - when).total_seconds()
    if seconds < -60:
        return when.astimezone().strftime("%Y-%m-%d %H:%M")
    seconds = max(seconds, 0)
    if seconds < 60:
        return QCoreApplication.translate("MainWindow", "just now")
    for size, text in (
        (86400, QCoreApplication.translate("MainWindow", "{n} d ago")),
        (3600, QCoreApplication.translate("MainWindow", "{n} h ago")),
        (60, QCoreApplication.translate("MainWindow", "{n} min ago")),
    ):
        if seconds >= size:
            return text.format(n=int(seconds // size))
    return QCoreApplication.translate("MainWindow", "just now")


def when_text(when: datetime | None) -> str:
    if when is None:
        return "—"
    local = when.astimezone()
    today = datetime.now().astimezone().date()
    if local.date() == today:
        return QCoreApplication.translate("MainWindow", "today {time}").format(
            time=local.strftime("%H:%M")
        )
    return local.strftime("%a %d %b %H:%M")


def state_words() -> dict[str, str]:
    return {
        "ok": QCoreApplication.translate("MainWindow", "OK"),
        "failed": QCoreApplication.translate("MainWindow", "failed"),
        "running": QCoreApplication.translate("MainWindow", "running…"),
        "timeout": QCoreApplication.translate("MainWindow", "timed out"),
        "never": QCoreApplication.translate("MainWindow", "never synced"),
        "unknown": QCoreApplication.translate("MainWindow", "unknown"),
        "paused": QCoreApplication.translate("MainWindow", "paused"),
    }


def job_words() -> dict[str, str]:
    return {
        "in-sync": QCoreApplication.translate("MainWindow", "in sync"),
        "drifted": QCoreApplication.translate("MainWindow", "drifted"),
        "missing": QCoreApplication.translate("MainWindow", "missing"),
        "none": "—",
    }


def counts_text(groups: int | None, users: int | None) -> str:
    if groups is None and users is None:
        return ""
    return QCoreApplication.translate("MainWindow", "{g} groups, {u} users").format(
        g="?" if groups is None else groups, u="?" if users is None else users
    )


def last_result_text(row: InstanceRow, now: datetime | None = None) -> str:
    """The state in words first (never colour alone), then when and what."""
    parts = [state_words().get(row.state, row.state)]
    last = row.last_run or {}
    if last:
        if row.state in ("running", "paused"):
            parts.append(
                QCoreApplication.translate("MainWindow", "last: {result}").format(
                    result=last.get("result", "?")
                )
            )
        parts.append(ago(row.last_finished, now))
        counts = counts_text(last.get("groups"), last.get("users"))
        if counts and last.get("result") == "ok":
            parts.append(counts)
    return " · ".join(parts)


_ICONS: dict[str, QIcon | None] = {}


def state_icon(state: str) -> QIcon | None:
    """The tray's icon for a state, if `bwdc_tray.gui.icons` provides one."""
    if state not in _ICONS:
        try:
            from bwdc_tray.gui import icons  # written alongside; optional here
        except ImportError:
            icon = None
        else:
            make = getattr(icons, "state_icon", None)
            try:
                icon = make(state) if make is not None else None
            except Exception:  # an icon is decoration: never let it break the table
                icon = None
        _ICONS[state] = icon if isinstance(icon, QIcon) else None
    return _ICONS[state]


# --- the table model -------------------------------------------------------------------------


class InstanceTableModel(QAbstractTableModel):
    NAME, LABEL, DIRECTORY, SCHEDULE, NEXT_RUN, LAST_RESULT, JOB = range(7)
    NameRole = Qt.ItemDataRole.UserRole
    StateRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[InstanceRow] = []
        self.headers = [
            QCoreApplication.translate("MainWindow", "Name"),
            QCoreApplication.translate("MainWindow", "Label"),
            QCoreApplication.translate("MainWindow", "Directory"),
            QCoreApplication.translate("MainWindow", "Schedule"),
            QCoreApplication.translate("MainWindow", "Next run"),
            QCoreApplication.translate("MainWindow", "Last result"),
            QCoreApplication.translate("MainWindow", "Job"),
        ]

    def set_rows(self, rows: list[InstanceRow]) -> None:
        """New rows; when the same instances are listed, cells change in place (the view keeps
        its selection and scroll position)."""
        if [r.name for r in rows] == [r.name for r in self.rows]:
            self.rows = list(rows)
            if rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(self.headers) - 1)
                )
            return
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: QModelIndex | int) -> InstanceRow | None:
        number = index if isinstance(index, int) else index.row()
        return self.rows[number] if 0 <= number < len(self.rows) else None

    def row_of(self, name: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.name == name), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def text(self, row: InstanceRow, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.LABEL:
            return row.label or ""
        if column == self.DIRECTORY:
            return row.directory or (
                QCoreApplication.translate("MainWindow", "? (see tooltip)") if row.problem else "?"
            )
        if column == self.SCHEDULE:
            return row.description or (
                row.schedule or QCoreApplication.translate("MainWindow", "no schedule")
            )
        if column == self.NEXT_RUN:
            if row.state == "paused":
                return QCoreApplication.translate("MainWindow", "paused")
            return when_text(row.next_run)
        if column == self.LAST_RESULT:
            return last_result_text(row)
        return job_words().get(row.job, row.job)

    def tooltip(self, row: InstanceRow, column: int) -> str:
        if column == self.NAME:
            return QCoreApplication.translate("MainWindow", "{name}: {state}").format(
                name=row.name, state=state_words().get(row.state, row.state)
            )
        if column == self.DIRECTORY:
            lines = [QCoreApplication.translate("MainWindow", "Data folder") + f": {row.appdata}"]
            if row.organization:
                lines.append(
                    QCoreApplication.translate("MainWindow", "Organization")
                    + f": {row.organization}"
                )
            if row.problem:
                lines.append(row.problem)
            return "\n".join(lines)
        if column == self.SCHEDULE:
            if not row.schedule:
                return ""
            who = (
                QCoreApplication.translate("MainWindow", "as a dedicated user")
                if row.context == "dedicated"
                else QCoreApplication.translate("MainWindow", "as you")
            )
            return f"{row.schedule}\n{row.backend}, {who}"
        if column == self.NEXT_RUN and row.next_run is not None:
            return row.next_run.astimezone().strftime("%Y-%m-%d %H:%M %Z")
        if column == self.LAST_RESULT and row.last_run:
            return str(row.last_run.get("message") or "")
        if column == self.JOB and row.problem:
            return row.problem
        return ""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(self.tooltip(row, column)) or None
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            return state_icon(row.state)
        if role == self.NameRole:
            return row.name
        if role == self.StateRole:
            return row.state
        return None


# --- the dry-run result ------------------------------------------------------------------------


class DryRunDialog(QDialog):
    """What a dry run (`bwdc test`) would sync: groups, users, disabled and deleted users."""

    def __init__(
        self,
        name: str,
        payload: dict[str, Any] | None,
        error: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            QCoreApplication.translate("MainWindow", "Test of {name} (dry run) — bwdc-tray").format(
                name=name
            )
        )
        self.setAccessibleName(QCoreApplication.translate("MainWindow", "Dry run result"))
        self.summary = plain(QLabel())
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName(QCoreApplication.translate("MainWindow", "Summary"))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(
            [
                QCoreApplication.translate("MainWindow", "Name"),
                QCoreApplication.translate("MainWindow", "Details"),
            ]
        )
        self.tree.setAccessibleName(
            QCoreApplication.translate("MainWindow", "What would be synced")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)
        if payload is None:
            self.summary.setText(
                error or QCoreApplication.translate("MainWindow", "the dry run gave no answer")
            )
            self.tree.hide()
            return
        text = f"{payload.get('result', '?')}: {payload.get('message', '')}"
        if payload.get("hint"):
            text += "\n" + QCoreApplication.translate("MainWindow", "Fix:") + f" {payload['hint']}"
        self.summary.setText(text)
        preview = payload.get("preview")
        if not isinstance(preview, dict):
            self.tree.hide()
            return
        for key, title in (
            ("groups", QCoreApplication.translate("MainWindow", "Groups")),
            ("enabledUsers", QCoreApplication.translate("MainWindow", "Users")),
            ("disabledUsers", QCoreApplication.translate("MainWindow", "Disabled users")),
            ("deletedUsers", QCoreApplication.translate("MainWindow", "Deleted users")),
        ):
            items = preview.get(key)
            if not isinstance(items, list) or not items:
                continue
            top = QTreeWidgetItem([f"{title} ({len(items)})", ""])
            self.tree.addTopLevelItem(top)
            for item in items[:PREVIEW_LIMIT]:
                top.addChild(QTreeWidgetItem(self._describe(item)))
            if len(items) > PREVIEW_LIMIT:
                more = QCoreApplication.translate("MainWindow", "… and {n} more").format(
                    n=len(items) - PREVIEW_LIMIT
                )
                top.addChild(QTreeWidgetItem([more, ""]))
            top.setExpanded(key == "groups")
        self.tree.resizeColumnToContents(0)

    @staticmethod
    def _describe(item: object) -> list[str]:
        if not isinstance(item, dict):
            return [logs.escape_controls(str(item)), ""]
        name = item.get("displayName") or item.get("email") or item.get("externalId") or "?"
        members = item.get("userIds")
        if isinstance(members, list):
            detail = QCoreApplication.translate("MainWindow", "{n} members").format(n=len(members))
        else:
            detail = str(item.get("externalId") or "")
        return [logs.escape_controls(str(name)), logs.escape_controls(detail)]

    def names(self) -> list[str]:
        """Every name listed (for tests and screen readers' summaries)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out += [top.child(j).text(0) for j in range(top.childCount())]
        return out


# --- the window ----------------------------------------------------------------------------------


class MainWindow(QMainWindow):
    """The instance list with Add, Edit schedule, Remove, Secrets, Test and Sync now.

    ``close_hides``: closing only hides the window (the tray stays); the app sets it to False in
    window-only mode. ``confirm(title, text)`` asks before a removal (default: a message box);
    tests inject one.
    """

    def __init__(
        self,
        controller: Controller,
        parent: QWidget | None = None,
        *,
        confirm: Confirm | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.paths = controller.paths
        self.close_hides = True
        self.confirm: Confirm = confirm or self._ask
        self.removal: Removal | None = None
        self.test_process: QProcess | None = None
        self.test_name: str | None = None
        self.test_dialog: DryRunDialog | None = None
        self.dialog: QDialog | None = None  # the dialog opened last (add, secrets, schedule)
        self.message_box: QMessageBox | None = None
        self._runs: list[logs.Run] = []
        self._refreshing = False
        self._select_when_listed: str | None = None

        self.setWindowTitle("bwdc-tray")
        self.setAccessibleName("bwdc-tray")
        self._build()
        self._make_actions()
        controller.rowsChanged.connect(self.on_rows_changed)
        controller.error.connect(self.show_error)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_test)
        self.on_rows_changed()
        self.resize(1100, 680)

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.model = InstanceTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(QCoreApplication.translate("MainWindow", "Instances"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(InstanceTableModel.LAST_RESULT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 140), (1, 140), (2, 170), (3, 190), (4, 120), (6, 80)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda _index: self.edit_schedule())
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)

        self.buttons: dict[str, QPushButton] = {}
        button_row = QHBoxLayout()
        for key, text in (
            ("add", QCoreApplication.translate("MainWindow", "&Add…")),
            ("props", QCoreApplication.translate("MainWindow", "&Properties…")),
            ("edit", QCoreApplication.translate("MainWindow", "&Edit schedule…")),
            ("remove", QCoreApplication.translate("MainWindow", "&Remove…")),
            ("secrets", QCoreApplication.translate("MainWindow", "Se&crets…")),
            ("alerts", QCoreApplication.translate("MainWindow", "A&lerts…")),
            ("test", QCoreApplication.translate("MainWindow", "&Test")),
            ("sync", QCoreApplication.translate("MainWindow", "&Sync now")),
        ):
            button = QPushButton(text)
            self.buttons[key] = button
            button_row.addWidget(button)
        button_row.addStretch(1)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(button_row)

        self.history_label = QLabel(QCoreApplication.translate("MainWindow", "History"))
        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("MainWindow", "Time"),
                QCoreApplication.translate("MainWindow", "Trigger"),
                QCoreApplication.translate("MainWindow", "Result"),
                QCoreApplication.translate("MainWindow", "Counts"),
                QCoreApplication.translate("MainWindow", "Message"),
            ]
        )
        self.history.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Run history of the selected instance")
        )
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setTabKeyNavigation(False)
        self.history.setWordWrap(False)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 150), (1, 110), (2, 80), (3, 140)):
            self.history.setColumnWidth(column, width)
        self.history.itemSelectionChanged.connect(self.on_run_selected)
        self.history_label.setBuddy(self.history)

        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_view.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Log of the selected run")
        )
        self.log_view.setPlaceholderText(
            QCoreApplication.translate("MainWindow", "Select a run to see its log")
        )
        self.log_view.setTabChangesFocus(True)

        history_box = QWidget()
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.history_label)
        hl.addWidget(self.history, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(history_box)
        lower.addWidget(self.log_view)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

        status = self.statusBar()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(QCoreApplication.translate("MainWindow", "Run in progress"))
        self.progress.hide()
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Runs in progress")
        )
        self.progress_label.hide()
        self.undo_button = QPushButton(QCoreApplication.translate("MainWindow", "&Undo"))
        self.undo_button.setAccessibleName(
            QCoreApplication.translate("MainWindow", "Undo the removal")
        )
        self.undo_button.hide()
        self.undo_button.clicked.connect(self.undo_remove)
        status.addPermanentWidget(self.progress_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.undo_button)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_MS)
        self._undo_timer.timeout.connect(self.drop_undo)

        chain = [self.table, *self.buttons.values(), self.history, self.log_view]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _make_actions(self) -> None:
        def action(
            text: str, slot: Callable[[], object], *keys: QKeySequence | str, button: str = ""
        ) -> QAction:
            act = QAction(text, self)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
            act.triggered.connect(lambda _checked=False: slot())
            self.addAction(act)
            if button:
                btn = self.buttons[button]
                btn.clicked.connect(lambda _checked=False, a=act: a.trigger())
                btn.setAccessibleName(act.text().replace("&", "").rstrip("…"))
                shortcut = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                btn.setToolTip(f"{btn.accessibleName()} ({shortcut})" if shortcut else "")
                act.changed.connect(lambda b=btn, a=act: b.setEnabled(a.isEnabled()))
            return act

        self.add_action = action(
            QCoreApplication.translate("MainWindow", "&Add…"),
            self.add_instance,
            "Ctrl+N",
            button="add",
        )
        self.adopt_action = action(
            QCoreApplication.translate("MainWindow", "A&dopt existing setups…"),
            self.adopt_existing,
        )
        self.props_action = action(
            QCoreApplication.translate("MainWindow", "&Properties…"),
            self.edit_instance,
            "Ctrl+I",
            "Alt+Return",
            button="props",
        )
        self.edit_action = action(
            QCoreApplication.translate("MainWindow", "&Edit schedule…"),
            self.edit_schedule,
            "Ctrl+E",
            button="edit",
        )
        self.remove_action = action(
            QCoreApplication.translate("MainWindow", "&Remove…"),
            self.remove_selected,
            QKeySequence(Qt.Key.Key_Delete),
            button="remove",
        )
        self.secrets_action = action(
            QCoreApplication.translate("MainWindow", "Se&crets…"),
            self.edit_secrets,
            "Ctrl+K",
            button="secrets",
        )
        self.alerts_action = action(
            QCoreApplication.translate("MainWindow", "A&lerts…"),
            self.edit_alerts,
            button="alerts",
        )
        self.default_alerts_action = action(
            QCoreApplication.translate("MainWindow", "De&fault alerts…"),
            self.edit_default_alerts,
        )
        self.test_action = action(
            QCoreApplication.translate("MainWindow", "&Test (dry run)"),
            self.test_selected,
            "Ctrl+T",
            button="test",
        )
        self.sync_action = action(
            QCoreApplication.translate("MainWindow", "&Sync now"),
            self.sync_selected,
            "F5",
            button="sync",
        )
        self.sync_all_action = action(
            QCoreApplication.translate("MainWindow", "Sync &all"), self.sync_all, "Shift+F5"
        )
        self.open_log_action = action(
            QCoreApplication.translate("MainWindow", "Open &log file"), self.open_log, "Ctrl+L"
        )
        self.undo_action = action(
            QCoreApplication.translate("MainWindow", "&Undo removal"),
            self.undo_remove,
            QKeySequence.StandardKey.Undo,
        )
        self.refresh_action = action(
            QCoreApplication.translate("MainWindow", "&Refresh"), self.controller.refresh, "Ctrl+R"
        )
        self.close_action = action(
            QCoreApplication.translate("MainWindow", "&Close window"),
            self.close,
            QKeySequence.StandardKey.Close,
        )

        menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Instance"))
        for act in (
            self.add_action,
            self.adopt_action,
            self.props_action,
            self.edit_action,
            self.secrets_action,
            self.alerts_action,
            self.default_alerts_action,
            self.remove_action,
        ):
            menu.addAction(act)
        menu.addSeparator()
        for act in (self.test_action, self.sync_action, self.sync_all_action, self.open_log_action):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.close_action)
        edit = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Edit"))
        edit.addAction(self.undo_action)
        view = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&View"))
        view.addAction(self.refresh_action)
        self.update_actions()

    # --- selection ---------------------------------------------------------------------------

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0]) if rows else None
        return row.name if row else None

    def selected_row(self) -> InstanceRow | None:
        name = self.selected_name()
        return self.controller.row(name) if name else None

    def select(self, name: str) -> bool:
        number = self.model.row_of(name)
        if number < 0:
            return False
        index = self.model.index(number, 0)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        return True

    def on_rows_changed(self) -> None:
        keep = self.selected_name()
        wanted = self._select_when_listed
        if wanted and any(r.name == wanted for r in self.controller.rows):
            keep, self._select_when_listed = wanted, None
        self._refreshing = True  # one history load below, not one per selection step
        try:
            self.model.set_rows(self.controller.rows)
            if not (keep and self.select(keep)) and self.model.rows and not self.selected_name():
                self.select(self.model.rows[0].name)
        finally:
            self._refreshing = False
        self.update_actions()
        self.update_progress()
        self.load_history()

    def on_selection_changed(self, *_args: object) -> None:
        if self._refreshing:
            return
        self.update_actions()
        self.load_history()

    def update_actions(self) -> None:
        row = self.selected_row()
        chosen = row is not None
        for act in (
            self.props_action,
            self.edit_action,
            self.remove_action,
            self.secrets_action,
            self.alerts_action,
            self.open_log_action,
        ):
            act.setEnabled(chosen)
        self.test_action.setEnabled(chosen and self.test_process is None)
        self.sync_action.setEnabled(chosen and row is not None and row.state != "running")
        self.sync_all_action.setEnabled(bool(self.model.rows))
        self.undo_action.setEnabled(self.removal is not None)
        for key, act in (
            ("props", self.props_action),
            ("edit", self.edit_action),
            ("remove", self.remove_action),
            ("secrets", self.secrets_action),
            ("alerts", self.alerts_action),
            ("test", self.test_action),
            ("sync", self.sync_action),
        ):
            self.buttons[key].setEnabled(act.isEnabled())

    def update_progress(self) -> None:
        running = [r.name for r in self.model.rows if r.state == "running"]
        if self.test_process is not None and self.test_name:
            running.append(
                QCoreApplication.translate("MainWindow", "{name} (dry run)").format(
                    name=self.test_name
                )
            )
        self.progress.setVisible(bool(running))
        self.progress_label.setVisible(bool(running))
        self.progress_label.setText(
            QCoreApplication.translate("MainWindow", "Running: {names}").format(
                names=", ".join(running)
            )
            if running
            else ""
        )

    # --- history -------------------------------------------------------------------------------

    def load_history(self) -> None:
        row = self.selected_row()
        previous = self._selected_run_key()
        self._runs = []
        self.history.setRowCount(0)
        if row is None:
            self.history_label.setText(QCoreApplication.translate("MainWindow", "History"))
            self.log_view.clear()
            return
        self.history_label.setText(
            QCoreApplication.translate("MainWindow", "History of {name}").format(name=row.name)
        )
        try:
            runs = logs.read_runs(row.log, HISTORY_RUNS)
        except OSError as exc:
            self.log_view.setPlainText(
                QCoreApplication.translate("MainWindow", "cannot read {path}: {error}").format(
                    path=row.log, error=exc.strerror or exc
                )
            )
            return
        self._runs = list(reversed(runs))  # newest first
        self.history.setRowCount(len(self._runs))
        for number, run in enumerate(self._runs):
            trigger = {
                "schedule": QCoreApplication.translate("MainWindow", "schedule"),
                "manual": QCoreApplication.translate("MainWindow", "manual"),
            }.get(run.trigger, QCoreApplication.translate("MainWindow", "unknown"))
            if run.mode == "test":
                trigger += " " + QCoreApplication.translate("MainWindow", "(dry run)")
            if run.result is None:
                result = (
                    QCoreApplication.translate("MainWindow", "running…")
                    if run.finished is None
                    else QCoreApplication.translate("MainWindow", "no outcome")
                )
            else:
                result = state_words().get(run.result, run.result)
            started = run.started or run.finished
            cells = [
                started.astimezone().strftime("%Y-%m-%d %H:%M:%S") if started else "—",
                trigger,
                result,
                counts_text(run.groups, run.users),
                logs.escape_controls(run.message),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 4:
                    item.setToolTip(tip(text) or "")
                self.history.setItem(number, column, item)
        if not self._runs:
            self.log_view.setPlainText(
                QCoreApplication.translate("MainWindow", "No runs in {path} yet.").format(
                    path=row.log
                )
            )
            return
        keys = [self._run_key(r) for r in self._runs]
        self.history.selectRow(keys.index(previous) if previous in keys else 0)
        self.on_run_selected()

    @staticmethod
    def _run_key(run: logs.Run) -> tuple[str | None, str | None]:
        return run.run_id, run.started.isoformat() if run.started else None

    def _selected_run_key(self) -> tuple[str | None, str | None] | None:
        run = self.selected_run()
        return self._run_key(run) if run else None

    def selected_run(self) -> logs.Run | None:
        rows = self.history.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self._runs):
            return None
        return self._runs[rows[0].row()]

    def on_run_selected(self) -> None:
        run = self.selected_run()
        if run is None:
            self.log_view.clear()
            return
        text = "\n".join(logs.iter_lines([run]))
        if text != self.log_view.toPlainText():
            self.log_view.setPlainText(text)

    # --- actions -------------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self._forget_dialog(d))
        dialog.open()  # window-modal, never a nested event loop
        return dialog

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def add_instance(self) -> AddInstanceDialog:
        dialog = AddInstanceDialog(self.paths, self)
        dialog.added.connect(self._added)
        self._open(dialog)
        return dialog

    def _added(self, name: str) -> None:
        self._select_when_listed = name  # the rows arrive from the controller's worker
        self.controller.refresh()
        self.statusBar().showMessage(
            QCoreApplication.translate(
                "MainWindow", "Added {name}. Next: store its API key with Secrets… (Ctrl+K)."
            ).format(name=name),
            15_000,
        )

    def adopt_existing(self) -> QDialog:
        from bwdc_tray.gui.adopt import AdoptDialog

        dialog = AdoptDialog(self.paths, self, confirm=self.confirm)
        dialog.adopted.connect(self._adopted)
        self._open(dialog)
        return dialog

    def _adopted(self, name: str, done: list[str]) -> None:
        self._select_when_listed = name
        self.controller.refresh()
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Adopted {name}.").format(name=name), 15_000
        )
        if done:
            self.show_error("\n".join(done), QMessageBox.Icon.Information)

    def edit_instance(self, name: str | None = None) -> AddInstanceDialog | None:
        name = name or self.selected_name()
        if not name:
            return None
        dialog = AddInstanceDialog(self.paths, self, name=name)
        dialog.changed.connect(lambda who, d=dialog: self._changed(who, d.warnings))
        self._open(dialog)
        return dialog

    def _changed(self, name: str, warnings: list[str]) -> None:
        self.controller.refresh()
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Saved the changes to {name}.").format(
                name=name
            ),
            10_000,
        )
        if warnings:
            self.show_error("\n".join(warnings))

    def edit_schedule(self, name: str | None = None) -> QDialog | None:
        name = name or self.selected_name()
        if not name:
            return None
        from bwdc_tray.gui.editor import ScheduleEditor

        editor = ScheduleEditor(self.paths, name, self)
        editor.applied.connect(self.controller.refresh)
        editor.finished.connect(lambda _result: self.controller.refresh())
        return self._open(editor)

    def edit_secrets(self, name: str | None = None) -> SecretsDialog | None:
        name = name or self.selected_name()
        if not name:
            return None
        dialog = SecretsDialog(self.paths, name, self)
        dialog.stored.connect(
            lambda who: self.statusBar().showMessage(
                QCoreApplication.translate(
                    "MainWindow", "Stored the secrets of {name} in the keyring."
                ).format(name=who),
                10_000,
            )
        )
        self._open(dialog)
        return dialog

    def edit_alerts(self, name: str | None = None) -> QDialog | None:
        name = name or self.selected_name()
        if not name:
            return None
        return self._open_alerts(name)

    def edit_default_alerts(self) -> QDialog:
        from bwdc_tray.alerts.model import DEFAULT_SCOPE

        return self._open_alerts(DEFAULT_SCOPE)

    def _open_alerts(self, scope: str) -> QDialog:
        from bwdc_tray.alerts.model import DEFAULT_SCOPE
        from bwdc_tray.gui.alerts import AlertsDialog

        dialog = AlertsDialog(self.paths, scope, self)

        def saved(who: str) -> None:
            if who == DEFAULT_SCOPE:
                text = QCoreApplication.translate("MainWindow", "Saved the default alerts.")
            else:
                text = QCoreApplication.translate(
                    "MainWindow", "Saved the alerts of {name}."
                ).format(name=who)
            self.statusBar().showMessage(text, 10_000)

        dialog.saved.connect(saved)
        return self._open(dialog)

    def remove_selected(self) -> bool:
        name = self.selected_name()
        if not name:
            return False
        row = self.controller.row(name)
        question = QCoreApplication.translate(
            "MainWindow",
            "Remove {name}?\n\nIts OS job and its keyring entries are removed; its data folder "
            "and its log are kept.",
        ).format(name=name)
        if row is not None and row.schedule:
            question += "\n" + QCoreApplication.translate(
                "MainWindow", "Its schedule: {words}."
            ).format(words=row.description or row.schedule)
        if not self.confirm(
            QCoreApplication.translate("MainWindow", "Remove an instance"), question
        ):
            return False
        try:
            removal = remove_instance(self.paths, name)
        except BwdcTrayError as exc:
            self.show_error(error_text(exc))
            return False
        except OSError as exc:
            self.show_error(
                QCoreApplication.translate("MainWindow", "could not remove {name}: {error}").format(
                    name=name, error=exc
                )
            )
            return False
        self.drop_undo()
        self.removal = removal
        self.controller.refresh()
        message = QCoreApplication.translate("MainWindow", "Removed {name}.").format(name=name)
        if removal.warnings:
            message += " " + "; ".join(removal.warnings)
        self.statusBar().showMessage(message, UNDO_MS)
        self.undo_button.show()
        self._undo_timer.start()
        self.update_actions()
        return True

    def undo_remove(self) -> bool:
        removal = self.removal
        if removal is None:
            return False
        try:
            warnings = restore_instance(self.paths, removal)
        except BwdcTrayError as exc:
            self.drop_undo()
            self.show_error(error_text(exc))
            return False
        self.drop_undo()
        self.controller.refresh()
        self.select(removal.inst.name)
        message = QCoreApplication.translate("MainWindow", "Restored {name}.").format(
            name=removal.inst.name
        )
        if warnings:
            message += " " + "; ".join(warnings)
        self.statusBar().showMessage(message, 15_000)
        return True

    def drop_undo(self) -> None:
        """The Undo offer ends: the secrets kept for it are forgotten."""
        if self.removal is not None:
            self.removal.forget_secrets()
        self.removal = None
        self._undo_timer.stop()
        self.undo_button.hide()
        self.update_actions()

    def sync_selected(self) -> None:
        name = self.selected_name()
        if name:
            self.controller.sync_now(name)
            self.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Started a sync of {name}.").format(
                    name=name
                ),
                5000,
            )

    def sync_all(self) -> None:
        self.controller.sync_now(None)
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Started a sync of every instance."), 5000
        )

    def open_log(self) -> None:
        name = self.selected_name()
        if name:
            self.controller.open_log(name)

    # --- Test: a dry run in its own process --------------------------------------------------

    def test_selected(self) -> bool:
        name = self.selected_name()
        if not name or self.test_process is not None:
            return False
        from bwdc_tray.schedule.jobs import runner_command

        argv = [*runner_command(self.paths), "run", name, "--dry-run", "--json"]
        proc = QProcess(self)
        proc.setProgram(argv[0])
        proc.setArguments(argv[1:])
        proc.finished.connect(lambda code, _status: self._test_finished(proc, name, code))
        proc.errorOccurred.connect(lambda error: self._test_failed(proc, name, error))
        self.test_process = proc
        self.test_name = name
        proc.start()
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Testing {name} (dry run)…").format(name=name)
        )
        self.update_actions()
        self.update_progress()
        return True

    def _test_failed(self, proc: QProcess, name: str, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart:
            return  # finished follows
        self._test_done(proc)
        self._show_test(
            name,
            None,
            QCoreApplication.translate("MainWindow", "could not start the dry run: {error}").format(
                error=proc.errorString()
            ),
        )

    def _test_finished(self, proc: QProcess, name: str, code: int) -> None:
        out = bytes(proc.readAllStandardOutput().data()).decode("utf-8", "replace")
        err = bytes(proc.readAllStandardError().data()).decode("utf-8", "replace")
        self._test_done(proc)
        payload: Any = None
        try:
            payload = json.loads(out) if out.strip() else None
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            self._show_test(name, payload, None)
        else:
            detail = (
                err.strip()
                or out.strip()
                or QCoreApplication.translate("MainWindow", "exit code {code}").format(code=code)
            )
            self._show_test(name, None, detail)
        self.controller.refresh()  # the dry run wrote a block to the log

    def _test_done(self, proc: QProcess) -> None:
        if self.test_process is proc:
            self.test_process = None
            self.test_name = None
        proc.deleteLater()
        self.statusBar().clearMessage()
        self.update_actions()
        self.update_progress()

    def _show_test(self, name: str, payload: dict[str, Any] | None, error: str | None) -> None:
        if self.test_dialog is not None:
            self.test_dialog.close()
        dialog = DryRunDialog(name, payload, error, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self._forget_test_dialog(d))
        self.test_dialog = dialog
        dialog.show()  # not modal: the window stays usable

    def _forget_test_dialog(self, dialog: DryRunDialog) -> None:
        if self.test_dialog is dialog:
            self.test_dialog = None

    def stop_test(self) -> None:
        """Quitting during a dry run: ask the runner to stop cleanly (it removes the API key
        it may have put in the data folder), rather than leave a child behind."""
        proc = self.test_process
        if proc is None:
            return
        self.test_process = None
        proc.terminate()
        if not proc.waitForFinished(10_000):
            proc.kill()
            proc.waitForFinished(2000)

    # --- messages ------------------------------------------------------------------------------

    def show_error(self, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> None:
        self.statusBar().showMessage(text.splitlines()[0] if text else "", 15_000)
        box = QMessageBox(icon, "bwdc-tray", text, QMessageBox.StandardButton.Ok, self)
        plain(box)  # a bwdc message may hold directory text that looks like HTML
        box.setModal(False)  # never a nested event loop
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.finished.connect(lambda _result, b=box: self._forget_box(b))
        box.show()

    def _forget_box(self, box: QMessageBox) -> None:
        if self.message_box is box:
            self.message_box = None

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_hides:
            event.ignore()
            self.hide()
            return
        self.stop_test()
        super().closeEvent(event)

"""The "Adopt existing setups" wizard: the bwdc jobs and data folders already on this machine.

A thin layer over the engine's `adopt.discover` (what is there) and `adopt.apply.adopt` (import
one as an instance, replacing its old job only when asked, after a confirmation, with a backup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwdc_tray.adopt.model import Finding, masked
from bwdc_tray.errors import BwdcTrayError
from bwdc_tray.gui.plaintext import plain, tip
from bwdc_tray.gui.theme import error_label, set_tone, show_error
from bwdc_tray.paths import Paths

Confirm = Callable[[str, str], bool]


def kind_label(kind: str) -> str:
    return {
        "crontab": QCoreApplication.translate("Adopt", "crontab"),
        "cron.d": "/etc/cron.d",
        "launchd": "launchd",
        "taskscheduler": QCoreApplication.translate("Adopt", "Task Scheduler"),
        "desktop-app": QCoreApplication.translate("Adopt", "Desktop app"),
    }.get(kind, kind)


def _words(expr: str) -> str:
    from bwdc_tray.schedule.describe import describe

    try:
        return describe(expr)
    except Exception:  # cron-descriptor has its own exceptions: words are optional
        return expr


class AdoptDialog(QDialog):
    """Lists what `discover` finds; imports the chosen one under a name."""

    adopted = Signal(str, list)  # (instance name, what was done: lines for the user)

    COLUMNS = ("kind", "location", "schedule", "appdata", "log")

    def __init__(
        self,
        paths: Paths,
        parent: QWidget | None = None,
        *,
        confirm: Confirm | None = None,
        discover: Callable[[Paths], list[Finding]] | None = None,
        adopt: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.confirm = confirm or (lambda _title, _text: False)
        self._discover = discover
        self._adopt = adopt
        self.findings: list[Finding] = []
        self.setWindowTitle(self.tr("Adopt existing setups"))
        self.setAccessibleName(self.tr("Adopt existing bwdc setups"))

        intro = QLabel(
            self.tr(
                "bwdc jobs and data folders already on this computer: a hand-made recipe "
                "(cron, launchd, Task Scheduler) or the Directory Connector desktop app. "
                "Import one to manage it here; its log stays as its history."
            )
        )
        intro.setWordWrap(True)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Found in"),
                self.tr("Where"),
                self.tr("Schedule"),
                self.tr("Data folder"),
                self.tr("Log"),
            ]
        )
        self.table.setAccessibleName(self.tr("What was found"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_selection)

        self.details = plain(QLabel())
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAccessibleName(self.tr("Details of the selected one"))
        self.notes = plain(QLabel())
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName(self.tr("Warnings about the selected one"))
        set_tone(self.notes, "warning")

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Name of the new instance"))
        self.replace_box = QCheckBox(
            self.tr("&Replace the old job with bwdc-tray's (a backup of it is kept)")
        )
        self.replace_box.setAccessibleName(self.tr("Replace the old job"))
        self.error = error_label(self.tr("Import error"))
        form = QFormLayout()
        name_label = QLabel(self.tr("&Name:"))
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow(self.replace_box)

        self.status = plain(QLabel())
        self.status.setAccessibleName(self.tr("Search status"))
        buttons = QDialogButtonBox()
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setDefault(True)
        self.search_button = QPushButton(self.tr("Search &again"))
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.search_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.import_selected)
        self.search_button.clicked.connect(self.search)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.notes)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(820, 520)
        self._on_selection()
        # Shown first, then searched: reading crontabs or tasks may take a moment.
        QTimer.singleShot(0, self.search)

    # --- searching -----------------------------------------------------------------------------

    def search(self) -> None:
        from bwdc_tray.adopt.discover import discover

        finder = self._discover or discover
        self.status.setText(self.tr("Looking for bwdc jobs and data folders…"))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = finder(self.paths)
        except BwdcTrayError as exc:
            found = []
            show_error(self.error, str(exc))
        except OSError as exc:
            found = []
            show_error(self.error, self.tr("could not look: {error}").format(error=exc))
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.show_findings(found)

    def show_findings(self, found: list[Finding]) -> None:
        self.findings = list(found)
        self.table.setRowCount(len(self.findings))
        for row, finding in enumerate(self.findings):
            cells = [
                kind_label(finding.kind),
                finding.location,
                finding.schedule or finding.schedule_text or "—",
                finding.appdata or "—",
                finding.log or "—",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text) or "")
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if self.findings:
            self.status.setText(
                self.tr("Found %n setup(s). Choose one to import.", "", len(self.findings))
            )
            self.table.selectRow(0)
        else:
            self.status.setText(
                self.tr("No bwdc job or desktop-app data folder was found on this computer.")
            )
        self._on_selection()

    # --- the selected finding ------------------------------------------------------------------

    def selected(self) -> Finding | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.findings):
            return None
        return self.findings[rows[0].row()]

    def _on_selection(self) -> None:
        finding = self.selected()
        show_error(self.error, None)
        self.import_button.setEnabled(finding is not None and finding.appdata is not None)
        self.name_edit.setEnabled(finding is not None)
        if finding is None:
            self.details.setText("")
            self.notes.hide()
            self.replace_box.setChecked(False)
            self.replace_box.setEnabled(False)
            return
        lines = []
        if finding.command:
            # A recipe may carry a secret in its job line: not on screen.
            lines.append(self.tr("Runs: {command}").format(command=masked(finding.command)))
        if finding.script:
            lines.append(self.tr("Script: {script}").format(script=finding.script))
        if finding.run_as:
            lines.append(self.tr("As the user: {user}").format(user=finding.run_as))
        if finding.schedule:
            lines.append(
                self.tr("When: {words} ({expr})").format(
                    words=_words(finding.schedule), expr=finding.schedule
                )
            )
        if finding.schedule_text and finding.schedule_text != finding.schedule:
            lines.append(self.tr("Schedule as found: {text}").format(text=finding.schedule_text))
        imported = self._imported_as(finding)
        if imported:
            lines.append(
                self.tr("Already imported as {name}: import again to replace its old job.").format(
                    name=imported
                )
            )
        self.details.setText("\n".join(lines))
        self.notes.setText("\n".join(finding.notes))
        self.notes.setVisible(bool(finding.notes))
        replaceable = finding.kind != "desktop-app" and bool(finding.raw)
        self.replace_box.setEnabled(replaceable)
        self.replace_box.setChecked(bool(imported) and replaceable)
        self.name_edit.setText(imported or self._suggest(finding))
        self.name_edit.setEnabled(not imported)

    def _imported_as(self, finding: Finding) -> str | None:
        from bwdc_tray.adopt.apply import imported_as

        try:
            return imported_as(self.paths, finding)
        except BwdcTrayError:
            return None

    def _suggest(self, finding: Finding) -> str:
        from bwdc_tray.adopt.apply import suggest_name
        from bwdc_tray.config import ConfigStore

        try:
            taken = set(ConfigStore(self.paths).load().instances)
        except BwdcTrayError:
            taken = set()
        return suggest_name(finding, taken)

    # --- importing -----------------------------------------------------------------------------

    def import_selected(self) -> bool:
        from bwdc_tray.adopt.apply import adopt

        finding = self.selected()
        if finding is None:
            return False
        name = self.name_edit.text().strip()
        replace = self.replace_box.isChecked() and self.replace_box.isEnabled()
        if replace and not self.confirm(
            self.tr("Replace the old job?"),
            self.tr(
                "The job at {location} will be removed and bwdc-tray's job installed in its "
                "place. A backup of the old job is kept; `bwdc-tray adopt --restore` puts it "
                "back."
            ).format(location=finding.location),
        ):
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = (self._adopt or adopt)(self.paths, finding, name, replace=replace)
        except BwdcTrayError as exc:
            show_error(self.error, str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.adopted.emit(name, [*result.done, *result.notes, *result.warnings])
        self.accept()
        return True

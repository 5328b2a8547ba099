"""The schedule editor: presets or a raw cron field, validated live, previewed, applied.

The first half of this module is Qt-free and mirrors `bwdc-tray schedule set / clear / sync`
(cli_schedule.py): the new OS job first, the old one removed if it moved, the config saved last.
It belongs in the engine (say `bwdc_tray/schedule/jobs.py`, called by cli_schedule.py too); it
lives here until then.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from bwdc_tray.config import ConfigStore, Instance
from bwdc_tray.errors import BwdcTrayError, InvalidInput
from bwdc_tray.gui.plaintext import plain
from bwdc_tray.gui.theme import error_label, set_tone, show_error
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, cron, jobs
from bwdc_tray.schedule.manage import (
    PasswordAsker,
    ScheduleResult,
    apply_schedule,
    check_run_as,
    clear_schedule,
    repair_job,
)

# Presets: how the editor writes them, in `cron.from_preset`'s words.
PRESETS = ("custom", "minutes", "hours", "hourly", "daily", "weekly", "monthly")
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class PresetValues:
    kind: str = "custom"
    every: int = 15
    hour: int = 2
    minute: int = 0
    days: tuple[str, ...] = ("mon",)
    day_of_month: int = 1

    def text(self) -> str | None:
        """The preset as `schedule set` takes it, or None for a raw expression."""
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "minutes":
            return f"every {self.every}m"
        if self.kind == "hours":
            return f"every {self.every}h"
        if self.kind == "hourly":
            return "hourly"
        if self.kind == "daily":
            return f"daily {at}"
        if self.kind == "weekly":
            if not self.days:
                raise InvalidInput("choose at least one day of the week")
            return f"weekly {','.join(self.days)} {at}"
        if self.kind == "monthly":
            return f"monthly {self.day_of_month} {at}"
        return None


def preset_of(expression: str) -> PresetValues:
    """The preset an expression was written with, or ``custom``."""
    try:
        expr = cron.parse(expression)
    except InvalidInput:
        return PresetValues()
    minute, hour, dom, month, dow = expr.fields
    if expr.text == "0 * * * *":
        return PresetValues("hourly")
    if (hour, dom, month, dow) == ("*", "*", "*", "*"):
        if minute == "*":
            return PresetValues("minutes", every=1)
        if minute.startswith("*/"):
            return PresetValues("minutes", every=int(minute[2:]))
    if minute == "0" and hour.startswith("*/") and (dom, month, dow) == ("*", "*", "*"):
        return PresetValues("hours", every=int(hour[2:]))
    if not (minute.isdigit() and hour.isdigit() and month == "*"):
        return PresetValues()
    at = {"hour": int(hour), "minute": int(minute)}
    if dom == "*" and dow == "*":
        return PresetValues("daily", **at)
    if dom == "*":
        days = tuple(
            DAY_KEYS[(d - 1) % 7] for d in sorted(expr.weekdays, key=lambda d: (d - 1) % 7)
        )
        return PresetValues("weekly", days=days, **at)
    if dow == "*" and dom.isdigit():
        return PresetValues("monthly", day_of_month=int(dom), **at)
    return PresetValues()


# =============================================================================================
# The dialog
# =============================================================================================

JOB_WORDS = {"in-sync": "in sync", "drifted": "drifted", "missing": "missing", "none": "none"}


class ScheduleEditor(QDialog):
    """Edit one instance's schedule; Apply installs the OS job through the engine.

    ``applied`` is emitted after a successful Apply, Repair or Remove schedule. ``password``
    answers the dedicated user's Windows password for a Task Scheduler job (default: a dialog).
    """

    applied = Signal()

    def __init__(
        self,
        paths: Paths,
        name: str,
        parent: QWidget | None = None,
        *,
        password: PasswordAsker | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.name = name
        self._password = password or self._ask_password
        self._syncing = False
        self._preset_error: str | None = None
        self.expr: cron.CronExpr | None = None
        self.inst: Instance | None = None
        self.paused = False
        self.job_state = "none"
        self.setWindowTitle(self.tr("Schedule of {name} — bwdc-tray").format(name=name))
        self.setAccessibleName(self.tr("Schedule of {name}").format(name=name))
        self._build()
        self._load()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName(self.tr("Preset"))
        for key, text in (
            ("custom", self.tr("Custom cron expression")),
            ("minutes", self.tr("Every N minutes")),
            ("hours", self.tr("Every N hours")),
            ("hourly", self.tr("Hourly")),
            ("daily", self.tr("Daily at")),
            ("weekly", self.tr("Weekly on days at")),
            ("monthly", self.tr("Monthly on day at")),
        ):
            self.preset_combo.addItem(text, key)
        self.every_spin = QSpinBox()
        self.every_spin.setRange(1, 59)
        self.every_spin.setAccessibleName(self.tr("Every how many minutes or hours"))
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName(self.tr("Time of day"))
        self.monthday_spin = QSpinBox()
        self.monthday_spin.setRange(1, 31)
        self.monthday_spin.setAccessibleName(self.tr("Day of the month"))
        self.day_checks: dict[str, QCheckBox] = {}
        days_row = QHBoxLayout()
        names = (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        )
        for key, text in zip(DAY_KEYS, names, strict=True):
            box = QCheckBox(text)
            box.setAccessibleName(text)
            self.day_checks[key] = box
            days_row.addWidget(box)
        self.days_box = QWidget()
        self.days_box.setLayout(days_row)
        days_row.setContentsMargins(0, 0, 0, 0)
        self.every_label = QLabel(self.tr("&Every:"))
        self.every_label.setBuddy(self.every_spin)
        self.time_label = QLabel(self.tr("&At:"))
        self.time_label.setBuddy(self.time_edit)
        self.monthday_label = QLabel(self.tr("On &day:"))
        self.monthday_label.setBuddy(self.monthday_spin)
        self.days_label = QLabel(self.tr("On:"))

        self.cron_edit = QLineEdit()
        self.cron_edit.setAccessibleName(self.tr("Cron expression"))
        self.cron_edit.setPlaceholderText(self.tr("minute hour day-of-month month day-of-week"))
        self.cron_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.cron_error = error_label(self.tr("Schedule error"))
        self.allow_frequent_check = QCheckBox(self.tr("Allow runs closer than 5 minutes apart"))
        self.allow_frequent_check.setAccessibleName(
            self.tr("Allow runs closer than 5 minutes apart")
        )
        self.description_label = plain(QLabel())
        self.description_label.setWordWrap(True)
        self.description_label.setAccessibleName(self.tr("The schedule in words"))
        self.next_runs_list = QListWidget()
        self.next_runs_list.setAccessibleName(self.tr("The next 5 runs"))
        self.next_runs_list.setMaximumHeight(
            self.next_runs_list.fontMetrics().height() * (jobs.NEXT_RUNS + 1) + 8
        )

        self.backend_combo = QComboBox()
        self.backend_combo.setAccessibleName(self.tr("Scheduler backend"))
        self.backend_combo.addItem(
            self.tr("Automatic ({name})").format(name=backends.default_name()), "auto"
        )
        for key, text in (
            ("cron", self.tr("cron (crontab)")),
            ("launchd", self.tr("launchd (macOS)")),
            ("taskscheduler", self.tr("Task Scheduler (Windows)")),
            ("systemd", self.tr("systemd timer (Linux)")),
        ):
            if key in backends.NAMES:
                self.backend_combo.addItem(text, key)
        self.backend_note = QLabel()
        self.backend_note.setWordWrap(True)
        set_tone(self.backend_note, "warning")
        self.backend_note.setAccessibleName(self.tr("Backend note"))
        self.as_me_radio = QRadioButton(self.tr("As &me, when I'm logged in"))
        self.dedicated_radio = QRadioButton(self.tr("Always, as a dedicated &user:"))
        self.context_group = QButtonGroup(self)
        self.context_group.addButton(self.as_me_radio)
        self.context_group.addButton(self.dedicated_radio)
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName(self.tr("Dedicated user name"))
        self.user_edit.setPlaceholderText(self.tr("e.g. bwdc"))
        self.user_error = error_label(self.tr("User name error"))
        self.context_note = QLabel(
            self.tr(
                "The dedicated user cannot reach your login keyring: run `doctor` to check "
                "the secrets from the job's context."
            )
        )
        self.context_note.setWordWrap(True)

        self.preview_edit = QPlainTextEdit()
        self.preview_edit.setReadOnly(True)
        self.preview_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview_edit.setAccessibleName(self.tr("What will be installed"))
        self.preview_edit.setMinimumHeight(160)

        self.job_label = plain(QLabel())
        self.job_label.setWordWrap(True)
        self.job_label.setAccessibleName(self.tr("State of the installed job"))
        self.repair_button = QPushButton(self.tr("&Repair"))
        self.repair_button.setAccessibleName(self.tr("Repair the installed job"))
        self.message_label = plain(QLabel())
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName(self.tr("Result"))

        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            self.tr("A&pply"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.apply_button.setAccessibleName(self.tr("Apply: install the OS job"))
        self.apply_button.setDefault(True)
        self.remove_button = self.buttons.addButton(
            self.tr("Remo&ve schedule"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setAccessibleName(self.tr("Remove the schedule and its OS job"))
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)

        # Schedule group
        when = QGroupBox(self.tr("When"))
        form = QFormLayout(when)
        form.addRow(self.tr("&Preset:"), self.preset_combo)
        form.addRow(self.every_label, self.every_spin)
        form.addRow(self.days_label, self.days_box)
        form.addRow(self.monthday_label, self.monthday_spin)
        form.addRow(self.time_label, self.time_edit)
        form.addRow(self.tr("&Cron:"), self.cron_edit)
        form.addRow("", self.cron_error)
        form.addRow("", self.allow_frequent_check)
        form.addRow(self.tr("In words:"), self.description_label)
        form.addRow(self.tr("Next runs:"), self.next_runs_list)
        self._form = form

        how = QGroupBox(self.tr("How"))
        hform = QFormLayout(how)
        hform.addRow(self.tr("&Backend:"), self.backend_combo)
        hform.addRow("", self.backend_note)
        hform.addRow(self.tr("Runs:"), self.as_me_radio)
        user_row = QHBoxLayout()
        user_row.addWidget(self.dedicated_radio)
        user_row.addWidget(self.user_edit, 1)
        hform.addRow("", user_row)
        hform.addRow("", self.user_error)
        hform.addRow("", self.context_note)

        preview = QGroupBox(self.tr("What will be installed"))
        pl = QVBoxLayout(preview)
        pl.addWidget(self.preview_edit)

        job_row = QHBoxLayout()
        job_row.addWidget(self.job_label, 1)
        job_row.addWidget(self.repair_button)

        layout = QVBoxLayout(self)
        layout.addWidget(when)
        layout.addWidget(how)
        layout.addWidget(preview, 1)
        layout.addLayout(job_row)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        self.every_spin.valueChanged.connect(self._preset_input_changed)
        self.time_edit.timeChanged.connect(self._preset_input_changed)
        self.monthday_spin.valueChanged.connect(self._preset_input_changed)
        for box in self.day_checks.values():
            box.toggled.connect(self._preset_input_changed)
        self.cron_edit.textEdited.connect(self._cron_edited)
        self.cron_edit.textChanged.connect(self.revalidate)
        self.allow_frequent_check.toggled.connect(self.revalidate)
        self.backend_combo.currentIndexChanged.connect(self.revalidate)
        self.as_me_radio.toggled.connect(self.revalidate)
        self.user_edit.textChanged.connect(self._user_edited)
        self.apply_button.clicked.connect(self.apply)
        self.remove_button.clicked.connect(self.remove_schedule)
        self.repair_button.clicked.connect(self.repair)
        self.close_button.clicked.connect(self.reject)

        for a, b in (
            (self.preset_combo, self.every_spin),
            (self.every_spin, self.day_checks["mon"]),
            *itertools.pairwise([self.day_checks[k] for k in DAY_KEYS]),
            (self.day_checks["sun"], self.monthday_spin),
            (self.monthday_spin, self.time_edit),
            (self.time_edit, self.cron_edit),
            (self.cron_edit, self.allow_frequent_check),
            (self.allow_frequent_check, self.next_runs_list),
            (self.next_runs_list, self.backend_combo),
            (self.backend_combo, self.as_me_radio),
            (self.as_me_radio, self.dedicated_radio),
            (self.dedicated_radio, self.user_edit),
            (self.user_edit, self.preview_edit),
            (self.preview_edit, self.repair_button),
            (self.repair_button, self.apply_button),
            (self.apply_button, self.remove_button),
            (self.remove_button, self.close_button),
        ):
            QWidget.setTabOrder(a, b)
        self.resize(680, 820)

    # --- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        """Fill the form from the saved instance."""
        try:
            cfg = ConfigStore(self.paths).load()
            inst = cfg.get(self.name)
        except BwdcTrayError as exc:
            self._message(exc.message, error=True)
            for widget in (self.apply_button, self.remove_button, self.repair_button):
                widget.setEnabled(False)
            return
        self.inst = inst
        self.paused = cfg.paused
        self._syncing = True
        try:
            values = preset_of(inst.schedule) if inst.schedule else PresetValues("daily")
            self._show_preset(values)
            self.cron_edit.setText(inst.schedule or (cron.from_preset(values.text() or "") or ""))
            index = self.backend_combo.findData(inst.backend or "auto")
            self.backend_combo.setCurrentIndex(max(index, 0))
            self.dedicated_radio.setChecked(inst.run_as is not None)
            self.as_me_radio.setChecked(inst.run_as is None)
            self.user_edit.setText(inst.run_as or "")
            if inst.schedule:
                try:
                    cron.resolve(inst.schedule)
                except InvalidInput:
                    self.allow_frequent_check.setChecked(True)  # saved with --allow-frequent
        finally:
            self._syncing = False
        self._update_preset_inputs()
        self.revalidate()
        self.refresh_job()

    def _show_preset(self, values: PresetValues) -> None:
        self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(values.kind), 0))
        self.every_spin.setValue(values.every)
        self.time_edit.setTime(QTime(values.hour, values.minute))
        self.monthday_spin.setValue(values.day_of_month)
        for key, box in self.day_checks.items():
            box.setChecked(key in values.days)

    def preset_values(self) -> PresetValues:
        time = self.time_edit.time()
        return PresetValues(
            kind=str(self.preset_combo.currentData()),
            every=self.every_spin.value(),
            hour=time.hour(),
            minute=time.minute(),
            days=tuple(k for k in DAY_KEYS if self.day_checks[k].isChecked()),
            day_of_month=self.monthday_spin.value(),
        )

    def _update_preset_inputs(self) -> None:
        kind = str(self.preset_combo.currentData())
        shown = {
            "every": kind in ("minutes", "hours"),
            "days": kind == "weekly",
            "monthday": kind == "monthly",
            "time": kind in ("daily", "weekly", "monthly"),
        }
        for key, (label, widget) in {
            "every": (self.every_label, self.every_spin),
            "days": (self.days_label, self.days_box),
            "monthday": (self.monthday_label, self.monthday_spin),
            "time": (self.time_label, self.time_edit),
        }.items():
            label.setVisible(shown[key])
            widget.setVisible(shown[key])
        self.every_spin.setSuffix(
            self.tr(" minute(s)") if kind == "minutes" else self.tr(" hour(s)")
        )
        self.every_spin.setMaximum(59 if kind == "minutes" else 23)

    # --- live validation -----------------------------------------------------------------------

    def _preset_changed(self) -> None:
        self._update_preset_inputs()
        self._preset_input_changed()

    def _preset_input_changed(self) -> None:
        if self._syncing:
            return
        values = self.preset_values()
        if values.kind == "custom":
            self.revalidate()
            return
        self._syncing = True
        try:
            text = values.text()
            expression = cron.from_preset(text or "")
            self.cron_edit.setText(expression or "")
            self._preset_error = None
        except InvalidInput as exc:
            self._preset_error = exc.message
        finally:
            self._syncing = False
        self.revalidate()

    def _cron_edited(self, _text: str) -> None:
        # Typing in the raw field makes it the schedule; the preset no longer applies.
        if self.preset_combo.currentData() != "custom":
            self._syncing = True
            try:
                self.preset_combo.setCurrentIndex(self.preset_combo.findData("custom"))
                self._update_preset_inputs()
            finally:
                self._syncing = False
            self.revalidate()

    def _user_edited(self, text: str) -> None:
        if text and not self.dedicated_radio.isChecked():
            self.dedicated_radio.setChecked(True)
        self.revalidate()

    def schedule_text(self) -> str:
        """What Apply hands to the engine: the preset (as `schedule set` takes it) or the raw
        field."""
        values = self.preset_values()
        if values.kind != "custom":
            try:
                return values.text() or self.cron_edit.text()
            except InvalidInput:
                return self.cron_edit.text()
        return self.cron_edit.text()

    def backend_choice(self) -> str | None:
        data = self.backend_combo.currentData()
        return None if data in (None, "auto") else str(data)

    def run_as_choice(self) -> str | None:
        return self.user_edit.text().strip() if self.dedicated_radio.isChecked() else None

    def revalidate(self) -> bool:
        """Check everything and refresh words, next runs and preview; True if Apply may run."""
        if self._syncing:
            return False
        self.expr = None
        error = self._preset_error if self.preset_combo.currentData() != "custom" else None
        if error is None:
            try:
                self.expr = cron.resolve(
                    self.schedule_text(), allow_frequent=self.allow_frequent_check.isChecked()
                )
            except InvalidInput as exc:
                error = exc.message
        show_error(self.cron_error, error)
        self.next_runs_list.clear()
        if self.expr is not None:
            from bwdc_tray.schedule.describe import describe

            try:
                words = describe(self.expr.text)
            except Exception:  # cron-descriptor has its own exceptions: words are optional
                words = self.expr.text
            self.description_label.setText(words)
            self.description_label.setToolTip(self.expr.text)
            for when in self.expr.next_runs(jobs.NEXT_RUNS):
                self.next_runs_list.addItem(when.strftime("%a %Y-%m-%d %H:%M %Z"))
        else:
            self.description_label.setText("—")

        run_as = self.run_as_choice()
        self.context_note.setVisible(run_as is not None)
        user_problem = None
        if self.dedicated_radio.isChecked():
            if not run_as:
                user_problem = self.tr("give the dedicated user's name")
            else:
                try:
                    check_run_as(self.paths, run_as)
                except InvalidInput as exc:
                    user_problem = exc.message
        show_error(self.user_error, user_problem)

        backend = backends.get(self.backend_choice())
        why_not = backends.unavailable_here(backend.name)
        note = why_not or ""
        if self.paused:
            note = self.tr(
                "Schedules are paused: Apply saves the schedule; its job is installed at Resume."
            )
        self.backend_note.setText(note)
        self.backend_note.setVisible(bool(note))

        self._render_preview(backend)
        ok = (
            self.inst is not None
            and self.expr is not None
            and user_problem is None
            and (not why_not or self.paused)
        )
        self.apply_button.setEnabled(ok)
        return ok

    def _render_preview(self, backend: backends.Backend) -> None:
        if self.inst is None or self.expr is None:
            self.preview_edit.setPlainText(self.tr("(no valid schedule yet)"))
            return
        inst = replace(
            self.inst,
            schedule=self.expr.text,
            backend=self.backend_choice(),
            run_as=self.run_as_choice() or None,
        )
        spec = jobs.spec_for(self.paths, inst)
        try:
            text = backend.render(spec) if spec is not None else ""
        except BwdcTrayError as exc:
            text = self.tr("{backend} cannot represent this schedule: {error}").format(
                backend=backend.name, error=exc.message
            )
        if text != self.preview_edit.toPlainText():
            self.preview_edit.setPlainText(text)

    def refresh_job(self) -> None:
        """The state of the installed job, from the saved configuration."""
        try:
            cfg = ConfigStore(self.paths).load()
            inst = cfg.get(self.name)
        except BwdcTrayError as exc:
            self.job_label.setText(exc.message)
            self.repair_button.hide()
            return
        self.inst = inst
        self.paused = cfg.paused
        info = jobs.inspect(self.paths, inst, paused=cfg.paused)
        self.job_state = info.job
        words = {
            "in-sync": self.tr("in sync"),
            "drifted": self.tr("drifted: the installed job differs from this schedule"),
            "missing": self.tr("missing: no job is installed for this schedule"),
            "none": self.tr("no schedule, no job"),
        }[info.job]
        text = self.tr("Installed job ({backend}): {state}").format(
            backend=info.backend, state=words
        )
        if info.schedule:
            text += "\n" + self.tr("Saved schedule: {expr} — {words}").format(
                expr=info.schedule, words=info.description or ""
            )
        if info.problem:
            text += "\n" + info.problem
        self.job_label.setText(text)
        self.repair_button.setVisible(info.job in ("drifted", "missing") and not cfg.paused)
        self.remove_button.setEnabled(inst.schedule is not None or info.job == "drifted")

    # --- actions -------------------------------------------------------------------------------

    def _message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        set_tone(self.message_label, "error" if error else None)

    def _engine(self, action: Callable[[], object]) -> object | None:
        """Run an engine call; its errors go into the dialog, never a traceback.

        It runs here, not on a worker, because Task Scheduler may need a password prompt halfway
        through; a scheduler write takes milliseconds, and the cursor says so while it runs.
        """
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return action()
        except BwdcTrayError as exc:
            fix = "\n" + self.tr("Fix:") + f" {exc.remedy}" if exc.remedy else ""
            self._message(exc.message + fix, error=True)
        except OSError as exc:
            self._message(
                self.tr("could not run the scheduler: {error}").format(error=exc), error=True
            )
        finally:
            QApplication.restoreOverrideCursor()
        return None

    def apply(self) -> bool:
        if not self.revalidate():
            return False
        result = self._engine(
            lambda: apply_schedule(
                self.paths,
                self.name,
                self.schedule_text(),
                allow_frequent=self.allow_frequent_check.isChecked(),
                backend=self.backend_choice(),
                run_as=self.run_as_choice(),
                password=self._password,
            )
        )
        if not isinstance(result, ScheduleResult):
            self.refresh_job()
            return False
        lines = [
            self.tr("Saved: {words}.").format(words=self.description_label.text())
            + (" " + self.tr("The OS job is installed.") if result.installed else "")
        ]
        lines += result.notes
        lines += [self.tr("warning: {text}").format(text=w) for w in result.warnings]
        self._message("\n".join(lines))
        self.refresh_job()
        self.applied.emit()
        return True

    def remove_schedule(self) -> bool:
        removed = self._engine(lambda: clear_schedule(self.paths, self.name, self._password))
        if removed is None:
            self.refresh_job()
            return False
        self._message(
            self.tr("Schedule removed")
            + (
                self.tr("; its OS job was removed.")
                if removed
                else self.tr("; there was no OS job.")
            )
            + " "
            + self.tr("Apply installs it again.")
        )
        self.refresh_job()
        self.applied.emit()
        return True

    def repair(self) -> bool:
        done = self._engine(lambda: repair_job(self.paths, self.name, self._password))
        if not isinstance(done, list):
            self.refresh_job()
            return False
        self._message("; ".join(done) or self.tr("nothing to do"))
        self.refresh_job()
        self.applied.emit()
        return True

    def _ask_password(self, user: str) -> str | None:
        QApplication.setOverrideCursor(Qt.CursorShape.ArrowCursor)
        try:
            return self._password_prompt(user)
        finally:
            QApplication.restoreOverrideCursor()

    def _password_prompt(self, user: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            self.tr("Password of {user}").format(user=user),
            self.tr("Windows password of {user}, for the scheduled task (not stored):").format(
                user=user
            ),
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

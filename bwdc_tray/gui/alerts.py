"""Alerts of one instance, or the default for every instance: the same engine calls as
`bwdc-tray notify`.

Four channels, each optional: a webhook (generic JSON, Slack, Microsoft Teams), health-check
pings (healthchecks.io, Uptime Kuma), the system log and a metrics file for node_exporter. For an
instance, each channel uses the default, has settings of its own, or is off.

The URLs may hold a token: they go to the keyring only (`settings.set_url`), echo as passwords,
and are never shown in a label, a tooltip or a message; the dialog only says whether one is
stored. "Send a test" runs `dispatch.send_test` on a thread of its own (a test may wait seconds
for a slow receiver), and its answers come back to the GUI thread through a courier.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bwdc_tray import secrets
from bwdc_tray.alerts import model
from bwdc_tray.alerts.model import (
    AlertSettings,
    Delivery,
    HealthcheckSettings,
    WebhookSettings,
)
from bwdc_tray.config import Config, ConfigStore
from bwdc_tray.errors import BwdcTrayError
from bwdc_tray.gui.courier import Courier, courier
from bwdc_tray.gui.dialogs import error_text
from bwdc_tray.gui.plaintext import plain
from bwdc_tray.gui.theme import error_label, show_error
from bwdc_tray.paths import Paths

INHERIT, OWN, OFF = "inherit", "own", "off"
# The names `settings.save(inherit=…)` and `settings.raw` use for the channels.
CHANNELS = ("webhook", "healthcheck", "system_log", "metrics_dir")
# How the engine's messages (plain English, as the CLI's) name the fields.
WEBHOOK_WHAT, HEALTHCHECK_WHAT, METRICS = "the webhook URL", "the health-check URL", "the folder"


def format_names() -> dict[str, str]:
    return {
        "generic": QCoreApplication.translate("AlertsDialog", "Generic JSON"),
        "slack": QCoreApplication.translate("AlertsDialog", "Slack"),
        "teams": QCoreApplication.translate("AlertsDialog", "Microsoft Teams"),
    }


def style_names() -> dict[str, str]:
    return {
        "healthchecks": QCoreApplication.translate("AlertsDialog", "healthchecks.io"),
        "uptime-kuma": QCoreApplication.translate("AlertsDialog", "Uptime Kuma push"),
    }


def channel_names() -> dict[str, str]:
    return {
        "webhook": QCoreApplication.translate("AlertsDialog", "Webhook"),
        "healthcheck": QCoreApplication.translate("AlertsDialog", "Health check"),
        "system-log": QCoreApplication.translate("AlertsDialog", "System log"),
        "metrics": QCoreApplication.translate("AlertsDialog", "Metrics"),
    }


def system_log_name(platform: str | None = None) -> str:
    """What the system log is called on this OS."""
    platform = platform or sys.platform
    if platform == "darwin":
        return QCoreApplication.translate("AlertsDialog", "the unified log")
    if platform == "win32":
        return QCoreApplication.translate("AlertsDialog", "the Windows Event Log (Application)")
    return QCoreApplication.translate("AlertsDialog", "the journal or syslog")


def describe(settings: AlertSettings, channel: str, url_stored: bool | None) -> str:
    """One channel of ``settings`` in words (never its URL): "Slack, on failures and
    recoveries", "off"."""
    if channel == "webhook":
        hook = settings.webhook
        if not hook:
            return QCoreApplication.translate("AlertsDialog", "off")
        text = format_names().get(hook.format, hook.format) + ", "
        text += (
            QCoreApplication.translate("AlertsDialog", "on every run")
            if hook.every_run
            else QCoreApplication.translate("AlertsDialog", "on failures and recoveries")
        )
    elif channel == "healthcheck":
        check = settings.healthcheck
        if not check:
            return QCoreApplication.translate("AlertsDialog", "off")
        text = style_names().get(check.style, check.style)
    elif channel == "system_log":
        return (
            QCoreApplication.translate("AlertsDialog", "on")
            if settings.system_log
            else QCoreApplication.translate("AlertsDialog", "off")
        )
    else:
        return (
            str(settings.metrics_dir)
            if settings.metrics_dir
            else QCoreApplication.translate("AlertsDialog", "off")
        )
    if url_stored is False:
        text += " " + QCoreApplication.translate("AlertsDialog", "(no URL stored: nothing is sent)")
    return text


def delivery_text(delivery: Delivery) -> str:
    """One channel's answer: "Webhook: OK — HTTP 200"."""
    name = channel_names().get(delivery.channel, delivery.channel)
    if delivery.skipped:
        state = QCoreApplication.translate("AlertsDialog", "skipped")
    elif delivery.ok:
        state = QCoreApplication.translate("AlertsDialog", "OK")
    else:
        state = QCoreApplication.translate("AlertsDialog", "failed")
    return f"{name}: {state} — {delivery.detail}" if delivery.detail else f"{name}: {state}"


def scrub(text: str, *urls: str) -> str:
    """``text`` without any of ``urls`` (an engine message quoting what was typed)."""
    for url in urls:
        if url:
            text = text.replace(url, "<URL>")
    return text


# --- the test, off the GUI thread -----------------------------------------------------------


def _test_in_thread(paths: Paths, name: str, ref: Any, courier: Courier) -> None:
    from bwdc_tray.alerts import dispatch

    answer: object
    try:
        answer = list(dispatch.send_test(paths, name))
    except BwdcTrayError as exc:
        answer = error_text(exc)
    except Exception as exc:  # shown, never raised on a thread nobody watches
        # Only the kind: an HTTP library's message may quote the URL, token included.
        answer = QCoreApplication.translate("AlertsDialog", "the test failed: {error}").format(
            error=type(exc).__name__
        )
    courier.send(ref, "_test_done", answer)


# --- one channel's box ----------------------------------------------------------------------


@dataclass
class _Loaded:
    cfg: Config
    own: AlertSettings
    raw: dict[str, Any]
    default: AlertSettings
    stored: dict[str, bool | None]  # keyring field -> a URL is stored (None: unknown)
    default_stored: dict[str, bool | None]


class ChannelBox(QGroupBox):
    """A channel's group: for an instance, "Use the default" / own settings / off, and what the
    default is; for the default, the group's own check box turns the channel on or off."""

    changed = Signal()

    def __init__(
        self, title: str, channel: str, for_default: bool, own_text: str, parent: QWidget | None
    ) -> None:
        super().__init__(title, parent)
        self.channel = channel
        self.for_default = for_default
        self.content = QWidget()
        self.form = QFormLayout(self.content)
        self.form.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        self.radios: dict[str, QRadioButton] = {}
        self.default_label = plain(QLabel())
        self.default_label.setWordWrap(True)
        if for_default:
            self.setCheckable(True)
            self.setChecked(False)
            self.toggled.connect(lambda _on: self.changed.emit())
        else:
            self.group = QButtonGroup(self)
            row = QHBoxLayout()
            for mode, text in (
                (INHERIT, QCoreApplication.translate("AlertsDialog", "Use the default")),
                (OWN, own_text),
                (OFF, QCoreApplication.translate("AlertsDialog", "Off for this instance")),
            ):
                radio = QRadioButton(text)
                self.radios[mode] = radio
                self.group.addButton(radio)
                row.addWidget(radio)
                radio.toggled.connect(self._mode_toggled)
            row.addStretch(1)
            layout.addLayout(row)
            layout.addWidget(self.default_label)
            self.radios[INHERIT].setChecked(True)
        layout.addWidget(self.content)
        self._mode_toggled()

    def _mode_toggled(self, _checked: bool = True) -> None:
        if not self.for_default:
            self.content.setEnabled(self.mode() == OWN)
        self.changed.emit()

    def mode(self) -> str:
        if self.for_default:
            return OWN if self.isChecked() else OFF
        return next((m for m, r in self.radios.items() if r.isChecked()), INHERIT)

    def set_mode(self, mode: str) -> None:
        if self.for_default:
            self.setChecked(mode == OWN)
        else:
            self.radios[mode].setChecked(True)

    def set_default_text(self, text: str) -> None:
        self.default_label.setText(
            QCoreApplication.translate("AlertsDialog", "The default: {what}").format(what=text)
        )
        self.radios.get(INHERIT, self).setAccessibleDescription(self.default_label.text())


# --- the dialog -----------------------------------------------------------------------------


class AlertsDialog(QDialog):
    """The alerts of ``scope``: an instance's name, or `model.DEFAULT_SCOPE` for the default.

    Every field is checked as it is typed, with the engine's rules, the error beside the field;
    Save stays disabled until every field is valid, and writes the config and the keyring.
    ``saved(scope)`` is emitted once they are written.
    """

    saved = Signal(str)

    def __init__(self, paths: Paths, scope: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.scope = scope
        self.for_default = scope == model.DEFAULT_SCOPE
        self.testing = False
        self.dirty = False
        self.answers: list[Delivery] = []
        self._loaded: _Loaded | None = None
        self._store: Any = None
        courier()  # made here, on the GUI thread
        if self.for_default:
            self.setWindowTitle(self.tr("Default alerts, for every instance — bwdc-tray"))
            self.setAccessibleName(self.tr("Default alerts, for every instance"))
        else:
            self.setWindowTitle(self.tr("Alerts for {name} — bwdc-tray").format(name=scope))
            self.setAccessibleName(self.tr("Alerts for {name}").format(name=scope))

        intro = QLabel(
            self.tr(
                "These apply to every instance that does not set its own; each instance can "
                "also use the default, set its own, or turn a channel off."
            )
            if self.for_default
            else self.tr(
                "Each channel uses the default alerts, settings of this instance's own, or is "
                "off. Only the result, the message and the counts leave the machine."
            )
        )
        intro.setWordWrap(True)

        # Webhook
        self.webhook_box = ChannelBox(
            self.tr("&Webhook"), "webhook", self.for_default, self.tr("Own webhook"), self
        )
        self.webhook_url_edit = self._url_edit(self.tr("Webhook URL"))
        self.webhook_error = error_label(self.tr("Webhook URL error"))
        self.webhook_format_combo = QComboBox()
        self.webhook_format_combo.setAccessibleName(self.tr("Webhook format"))
        for key in model.WEBHOOK_FORMATS:
            self.webhook_format_combo.addItem(format_names().get(key, key), key)
        self.webhook_every_run_check = QCheckBox(
            self.tr("On every run, not only on failures and recoveries")
        )
        form = self.webhook_box.form
        form.addRow(self.tr("URL:"), self.webhook_url_edit)
        form.addRow("", self.webhook_error)
        form.addRow(self.tr("Format:"), self.webhook_format_combo)
        form.addRow("", self.webhook_every_run_check)

        # Health checks
        self.healthcheck_box = ChannelBox(
            self.tr("&Health checks"),
            "healthcheck",
            self.for_default,
            self.tr("Own pings"),
            self,
        )
        self.healthcheck_url_edit = self._url_edit(self.tr("Health-check URL"))
        self.healthcheck_error = error_label(self.tr("Health-check URL error"))
        self.healthcheck_style_combo = QComboBox()
        self.healthcheck_style_combo.setAccessibleName(self.tr("Health-check style"))
        for key in model.HEALTHCHECK_STYLES:
            self.healthcheck_style_combo.addItem(style_names().get(key, key), key)
        hint = QLabel(
            self.tr(
                "A ping when a run starts, then one for its success or its failure: the "
                "service alerts you when no sync happened at all."
            )
        )
        hint.setWordWrap(True)
        form = self.healthcheck_box.form
        form.addRow(self.tr("URL:"), self.healthcheck_url_edit)
        form.addRow("", self.healthcheck_error)
        form.addRow(self.tr("Style:"), self.healthcheck_style_combo)
        form.addRow(hint)

        # System log
        where = system_log_name()
        self.system_log_box = ChannelBox(
            self.tr("S&ystem log"),
            "system_log",
            self.for_default,
            self.tr("On"),
            self,
        )
        self.system_log_label = QLabel(
            self.tr("Each run's result and message are written to {where}.").format(where=where)
        )
        self.system_log_label.setWordWrap(True)
        self.system_log_box.form.addRow(self.system_log_label)
        self.system_log_box.setAccessibleDescription(self.system_log_label.text())

        # Metrics
        self.metrics_box = ChannelBox(
            self.tr("&Metrics"), "metrics_dir", self.for_default, self.tr("Own folder"), self
        )
        self.metrics_edit = QLineEdit()
        self.metrics_edit.setAccessibleName(self.tr("Metrics folder"))
        self.metrics_edit.setPlaceholderText(self.tr("e.g. /var/lib/node_exporter/textfile"))
        self.metrics_button = QPushButton(self.tr("&Browse…"))
        self.metrics_button.setAccessibleName(self.tr("Choose the metrics folder"))
        self.metrics_error = error_label(self.tr("Metrics folder error"))
        metrics_hint = QLabel(
            self.tr(
                "The folder of node_exporter's textfile collector "
                "(--collector.textfile.directory): last run, last success, result, duration "
                "and counts, per instance."
            )
        )
        metrics_hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.metrics_edit, 1)
        row.addWidget(self.metrics_button)
        form = self.metrics_box.form
        form.addRow(self.tr("Folder:"), row)
        form.addRow("", self.metrics_error)
        form.addRow(metrics_hint)

        # The test, and the buttons
        self.test_button = QPushButton(self.tr("Send a &test"))
        self.test_button.setAccessibleName(self.tr("Send a test through every channel"))
        self.test_output = QPlainTextEdit()
        self.test_output.setReadOnly(True)
        self.test_output.setTabChangesFocus(True)
        self.test_output.setMaximumHeight(110)
        self.test_output.setAccessibleName(self.tr("What each channel answered"))
        self.test_output.setPlaceholderText(
            self.tr("Send a test to see what each channel answers.")
        )
        if self.for_default:
            self.test_button.setEnabled(False)
            self.test_button.setToolTip(
                self.tr("A test is sent for one instance: open the alerts of an instance.")
            )
            self.test_output.hide()
        self.error_label = error_label(self.tr("Error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Save the alerts"))
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.test_button.setVisible(not self.for_default)  # (adding it shows it)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for box in self.boxes():
            layout.addWidget(box)
        layout.addWidget(self.test_output)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        for box in self.boxes():
            box.changed.connect(self._edited)
        for edit in (self.webhook_url_edit, self.healthcheck_url_edit, self.metrics_edit):
            edit.textChanged.connect(self._edited)
        for combo in (self.webhook_format_combo, self.healthcheck_style_combo):
            combo.currentIndexChanged.connect(self._edited)
        self.webhook_every_run_check.toggled.connect(self._edited)
        self.metrics_button.clicked.connect(self.browse_metrics)
        self.test_button.clicked.connect(self.send_test)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.load()
        self.dirty = False
        self.validate()
        self.resize(620, self.sizeHint().height())

    def boxes(self) -> tuple[ChannelBox, ...]:
        return (self.webhook_box, self.healthcheck_box, self.system_log_box, self.metrics_box)

    def _url_edit(self, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)  # a URL may hold a token
        edit.setAccessibleName(accessible)
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        return edit

    def _edited(self, *_args: object) -> None:
        self.dirty = True
        self.validate()

    # --- loading -------------------------------------------------------------------------------

    def load(self) -> bool:
        """Fill the form from the config and the keyring; False (and why) when unreadable."""
        from bwdc_tray.alerts import settings

        try:
            cfg = ConfigStore(self.paths).load()
            if not self.for_default:
                cfg.get(self.scope)
            own = settings.load(cfg, self.scope)
            raw = dict(settings.raw(cfg, self.scope) or {})
            default = own if self.for_default else settings.load(cfg, model.DEFAULT_SCOPE)
        except BwdcTrayError as exc:
            show_error(self.error_label, error_text(exc))
            for box in self.boxes():
                box.setEnabled(False)
            return False
        stored: dict[str, bool | None] = dict.fromkeys((model.WEBHOOK_URL, model.HEALTHCHECK_URL))
        default_stored = dict(stored)
        try:
            self._store = secrets.open_store(cfg.demo)
            for field in list(stored):
                stored[field] = settings.get_url(self._store, self.scope, field) is not None
                default_stored[field] = (
                    stored[field]
                    if self.for_default
                    else settings.get_url(self._store, model.DEFAULT_SCOPE, field) is not None
                )
        except BwdcTrayError as exc:
            self._store = None
            show_error(self.error_label, error_text(exc))
        self._loaded = _Loaded(cfg, own, raw, default, stored, default_stored)

        # What the default is, and the mode of each channel.
        for box in self.boxes():
            field = {"webhook": model.WEBHOOK_URL, "healthcheck": model.HEALTHCHECK_URL}.get(
                box.channel
            )
            on = describe(default, box.channel, default_stored[field] if field else None)
            box.set_default_text(on)
            if self.for_default:
                value = getattr(own, box.channel)
                box.set_mode(OWN if value else OFF)
            elif box.channel not in raw:
                box.set_mode(INHERIT)
            else:
                box.set_mode(OWN if raw[box.channel] not in (False, None) else OFF)

        # The settings: the scope's own, else the default's as a starting point.
        hook = own.webhook or default.webhook or WebhookSettings()
        self.webhook_format_combo.setCurrentIndex(
            max(0, self.webhook_format_combo.findData(hook.format))
        )
        self.webhook_every_run_check.setChecked(hook.every_run)
        check = own.healthcheck or default.healthcheck or HealthcheckSettings()
        self.healthcheck_style_combo.setCurrentIndex(
            max(0, self.healthcheck_style_combo.findData(check.style))
        )
        folder = own.metrics_dir or default.metrics_dir
        self.metrics_edit.setText(str(folder) if folder else "")
        self._show_stored()
        return True

    def _show_stored(self) -> None:
        """Say whether a URL is stored, without showing it."""
        stored = self._loaded.stored if self._loaded else {}
        for edit, field in (
            (self.webhook_url_edit, model.WEBHOOK_URL),
            (self.healthcheck_url_edit, model.HEALTHCHECK_URL),
        ):
            if stored.get(field):
                edit.setPlaceholderText(self.tr("stored; type to replace"))
            elif stored.get(field) is None:
                edit.setPlaceholderText(self.tr("https://… (the keyring could not be read)"))
            else:
                edit.setPlaceholderText(self.tr("https://… (required)"))

    # --- live validation -----------------------------------------------------------------------

    def _url_ok(self, box: ChannelBox, edit: QLineEdit, label: QLabel, field: str) -> bool:
        from bwdc_tray.alerts import settings

        if box.mode() != OWN:
            show_error(label, None)
            return True
        url = edit.text().strip()
        if not url:  # the URL stored for this scope: an own channel never borrows the default's
            show_error(label, None)
            return self._has_url(field)
        return self._check(label, lambda: settings.validate_url(url, self._what(field)), url)

    def _has_url(self, field: str) -> bool:
        loaded = self._loaded
        return bool(loaded and loaded.stored.get(field))

    def _what(self, field: str) -> str:
        return WEBHOOK_WHAT if field == model.WEBHOOK_URL else HEALTHCHECK_WHAT

    def _check(self, label: QLabel, check: Callable[[], object], *urls: str) -> bool:
        try:
            check()
        except BwdcTrayError as exc:
            show_error(label, scrub(error_text(exc), *urls))
            return False
        show_error(label, None)
        return True

    def validate(self) -> bool:
        """Check every field now; True when the form can be saved."""
        from bwdc_tray.alerts import settings

        ok = self._loaded is not None and self._store is not None
        ok &= self._url_ok(
            self.webhook_box, self.webhook_url_edit, self.webhook_error, model.WEBHOOK_URL
        )
        ok &= self._url_ok(
            self.healthcheck_box,
            self.healthcheck_url_edit,
            self.healthcheck_error,
            model.HEALTHCHECK_URL,
        )
        folder = self.metrics_edit.text().strip()
        if self.metrics_box.mode() != OWN:
            show_error(self.metrics_error, None)
        elif folder:
            ok &= self._check(
                self.metrics_error, lambda: settings.validate_metrics_dir(folder, METRICS)
            )
        else:
            show_error(self.metrics_error, None)
            ok = False
        self.save_button.setEnabled(bool(ok))
        return bool(ok)

    # --- the form as settings ------------------------------------------------------------------

    def settings(self) -> tuple[AlertSettings, list[str]]:
        """What the form says: the scope's settings, and the channels that inherit."""
        from bwdc_tray.alerts import settings

        modes = {box.channel: box.mode() for box in self.boxes()}
        folder = self.metrics_edit.text().strip()
        chosen = AlertSettings(
            webhook=WebhookSettings(
                format=str(self.webhook_format_combo.currentData()),
                every_run=self.webhook_every_run_check.isChecked(),
            )
            if modes["webhook"] == OWN
            else None,
            healthcheck=HealthcheckSettings(style=str(self.healthcheck_style_combo.currentData()))
            if modes["healthcheck"] == OWN
            else None,
            system_log=modes["system_log"] == OWN,
            metrics_dir=settings.validate_metrics_dir(folder, METRICS)
            if modes["metrics_dir"] == OWN
            else None,
        )
        return chosen, [c for c, m in modes.items() if m == INHERIT]

    def save(self) -> bool:
        """Write the form: the URLs typed to the keyring, then the config; a URL no longer
        used (the channel inherits or is off) is deleted from the keyring."""
        from bwdc_tray.alerts import settings

        if not self.validate():
            return False
        typed = {
            model.WEBHOOK_URL: (self.webhook_box, self.webhook_url_edit.text().strip()),
            model.HEALTHCHECK_URL: (self.healthcheck_box, self.healthcheck_url_edit.text().strip()),
        }
        try:
            chosen, inherit = self.settings()
            for field, (box, url) in typed.items():
                if box.mode() == OWN and url:
                    settings.set_url(
                        self._store,
                        self.scope,
                        field,
                        settings.validate_url(url, self._what(field)),
                    )
            with ConfigStore(self.paths).edit() as cfg:
                if not self.for_default:
                    cfg.get(self.scope)
                dirs_before = settings.metrics_dirs(cfg)
                settings.save(cfg, self.scope, chosen, inherit=inherit)
                dirs_after = settings.metrics_dirs(cfg)
            if dirs_before != dirs_after:  # metrics turned off or moved: no frozen file left
                from bwdc_tray.alerts import metrics

                metrics.tidy(dirs_before, dirs_after)
            for field, (box, _url) in typed.items():
                if box.mode() != OWN and self._loaded and self._loaded.stored.get(field):
                    settings.set_url(self._store, self.scope, field, None)
        except BwdcTrayError as exc:
            urls = [url for _box, url in typed.values()]
            show_error(self.error_label, scrub(error_text(exc), *urls))
            return False
        except OSError as exc:
            show_error(self.error_label, self.tr("cannot save: {error}").format(error=exc))
            return False
        self._wipe()
        show_error(self.error_label, None)
        self.dirty = False
        self.saved.emit(self.scope)
        return True

    def _wipe(self) -> None:
        self.webhook_url_edit.clear()
        self.healthcheck_url_edit.clear()

    # --- pickers -------------------------------------------------------------------------------

    def browse_metrics(self) -> None:
        start = self.metrics_edit.text().strip() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("The folder of node_exporter's textfile collector"), start
        )
        if chosen:
            self.metrics_edit.setText(chosen)

    # --- the test --------------------------------------------------------------------------------

    def send_test(self) -> bool:
        """Send a test event through every channel the saved settings configure, on a thread
        of its own; the answers appear in the area below when they come."""
        if self.for_default or self.testing:
            return False
        self.testing = True
        self.test_button.setEnabled(False)
        lines = [self.tr("Sending a test through every channel of {name}…").format(name=self.scope)]
        if self.dirty:
            lines.append(self.tr("The saved settings are tested: save your changes first."))
        self.test_output.setPlainText("\n".join(lines))
        threading.Thread(
            target=_test_in_thread,
            args=(self.paths, self.scope, weakref.ref(self), courier()),
            name="bwdc-tray-alert-test",
            daemon=True,
        ).start()
        return True

    def _test_done(self, answer: object) -> None:
        self.testing = False
        self.test_button.setEnabled(True)
        if isinstance(answer, str):
            self.answers = []
            self.test_output.setPlainText(answer)
            return
        self.answers = list(answer)  # type: ignore[call-overload]
        if not self.answers:
            self.test_output.setPlainText(
                self.tr("No channel is configured for {name}: nothing was sent.").format(
                    name=self.scope
                )
            )
            return
        self.test_output.setPlainText("\n".join(delivery_text(d) for d in self.answers))

    # --- closing -------------------------------------------------------------------------------

    def accept(self) -> None:
        if self.save():
            super().accept()

    def done(self, result: int) -> None:
        self._wipe()  # Cancel too: no URL typed here stays in the widgets
        super().done(result)

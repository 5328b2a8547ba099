"""Add an instance, set its secrets, remove it and undo that: the same engine calls as the CLI.

The first half of this module is Qt-free: it mirrors `instance add`, `instance remove` and
`secret set` (cli.py) step by step, so that the window and the CLI change the same things in the
same order. It belongs in the engine (a `bwdc_tray/instances.py` that cli.py calls too); it lives
here until then.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwdc_tray import secrets
from bwdc_tray.config import (
    DEFAULT_TIMEOUT,
    Config,
    ConfigStore,
    Instance,
    absolute_path,
    find_clash,
    validate_label,
    validate_name,
    validate_timeout,
)
from bwdc_tray.errors import BwdcTrayError, InvalidInput
from bwdc_tray.gui.plaintext import plain
from bwdc_tray.gui.theme import error_label, set_tone, show_error
from bwdc_tray.i18n import _
from bwdc_tray.instances import (
    add_instance,
    build_instance,
    client_id_problem,
    store_secrets,
    update_instance,
)
from bwdc_tray.paths import Paths


def default_bwdc_appdata() -> Path:
    """bwdc's own default data folder on this OS (reference/bwdc.md §3.1)."""
    name = "Bitwarden Directory Connector"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / name
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / name
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / name


def find_data_folder(chosen: Path) -> Path:
    """The folder holding data.json: ``chosen``, or its only subfolder that holds one."""
    if (chosen / "data.json").is_file():
        return chosen
    try:
        found = [p for p in chosen.iterdir() if p.is_dir() and (p / "data.json").is_file()]
    except OSError:
        return chosen
    return found[0] if len(found) == 1 else chosen


def error_text(exc: BwdcTrayError) -> str:
    return f"{exc.message}\nFix: {exc.remedy}" if exc.remedy else exc.message


# =============================================================================================
# Widgets
# =============================================================================================


class AddInstanceDialog(QDialog):
    """Register a bwdc data folder, like `bwdc-tray instance add`; with ``name``, change that
    instance, like `bwdc-tray instance set` (its name stays).

    Every field is checked as it is typed, with the engine's rules; OK stays disabled until the
    form is valid. ``added(name)`` or ``changed(name)`` is emitted once the instance is saved.
    """

    added = Signal(str)
    changed = Signal(str)

    def __init__(
        self, paths: Paths, parent: QWidget | None = None, name: str | None = None
    ) -> None:
        super().__init__(parent)
        from bwdc_tray import bwdc as bwdc_mod

        self.paths = paths
        self.editing = name
        if name is None:
            self.setWindowTitle(self.tr("Add an instance — bwdc-tray"))
            self.setAccessibleName(self.tr("Add an instance"))
        else:
            self.setWindowTitle(self.tr("Edit {name} — bwdc-tray").format(name=name))
            self.setAccessibleName(self.tr("Edit {name}").format(name=name))
        self.before: Instance | None = None
        self.warnings: list[str] = []
        try:
            self._cfg = ConfigStore(paths).load()
            self.before = self._cfg.get(name) if name is not None else None
            load_error = None
        except BwdcTrayError as exc:
            self._cfg = Config()
            load_error = error_text(exc)
        self._found_bwdc = bwdc_mod.locate()

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. corp-ad"))
        self.name_edit.setAccessibleName(self.tr("Name"))
        self.name_error = error_label(self.tr("Name error"))
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText(self.tr("free text shown beside the name"))
        self.label_edit.setAccessibleName(self.tr("Label"))
        self.label_error = error_label(self.tr("Label error"))
        self.appdata_edit = QLineEdit()
        self.appdata_edit.setPlaceholderText(self.tr("the folder that holds bwdc's data.json"))
        self.appdata_edit.setAccessibleName(self.tr("Data folder"))
        self.appdata_button = QPushButton(self.tr("&Browse…"))
        self.appdata_button.setAccessibleName(self.tr("Choose the data folder"))
        self.appdata_error = error_label(self.tr("Data folder error"))
        self.data_info = plain(QLabel())
        self.data_info.setWordWrap(True)
        self.data_info.setAccessibleName(self.tr("What data.json says"))
        self.bwdc_edit = QLineEdit()
        self.bwdc_edit.setPlaceholderText(
            self._found_bwdc or self.tr("not found on PATH: give its path")
        )
        self.bwdc_edit.setAccessibleName(self.tr("bwdc program (optional)"))
        self.bwdc_button = QPushButton(self.tr("Br&owse…"))
        self.bwdc_button.setAccessibleName(self.tr("Choose the bwdc program"))
        self.bwdc_error = error_label(self.tr("bwdc program error"))
        self.log_edit = QLineEdit()
        self.log_edit.setPlaceholderText(self.tr("default: <data folder>/bwdc.log"))
        self.log_edit.setAccessibleName(self.tr("Log file (optional)"))
        self.log_error = error_label(self.tr("Log file error"))
        self.timeout_edit = QLineEdit(f"{DEFAULT_TIMEOUT:g}")
        self.timeout_edit.setAccessibleName(self.tr("Timeout in seconds"))
        self.timeout_error = error_label(self.tr("Timeout error"))
        self.login_combo = QComboBox()
        self.login_combo.setAccessibleName(self.tr("Login mode"))
        self.login_combo.addItem(
            self.tr("isolated: API key on disk only during a run (safe default)"), "isolated"
        )
        self.login_combo.addItem(
            self.tr("keychain: bwdc's OS keychain, one run at a time"), "keychain"
        )
        self.clash_error = error_label(self.tr("Data folder or log already in use"))
        self.error_label = error_label(self.tr("Error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Add"))
        self.ok_button.setAccessibleName(self.tr("Add the instance"))
        if name is not None:
            self.ok_button.setText(self.tr("&Save"))
            self.ok_button.setAccessibleName(self.tr("Save the changes"))
            self._fill(name, self.before)

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow("", self.name_error)
        form.addRow(self.tr("&Label:"), self.label_edit)
        form.addRow("", self.label_error)
        row = QHBoxLayout()
        row.addWidget(self.appdata_edit, 1)
        row.addWidget(self.appdata_button)
        appdata_label = QLabel(self.tr("&Data folder:"))
        appdata_label.setBuddy(self.appdata_edit)
        form.addRow(appdata_label, row)
        form.addRow("", self.appdata_error)
        form.addRow("", self.data_info)
        row = QHBoxLayout()
        row.addWidget(self.bwdc_edit, 1)
        row.addWidget(self.bwdc_button)
        bwdc_label = QLabel(self.tr("b&wdc program:"))
        bwdc_label.setBuddy(self.bwdc_edit)
        form.addRow(bwdc_label, row)
        form.addRow("", self.bwdc_error)
        form.addRow(self.tr("Lo&g file:"), self.log_edit)
        form.addRow("", self.log_error)
        form.addRow(self.tr("&Timeout (seconds):"), self.timeout_edit)
        form.addRow("", self.timeout_error)
        form.addRow(self.tr("Log&in mode:"), self.login_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.clash_error)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        for edit in (
            self.name_edit,
            self.label_edit,
            self.appdata_edit,
            self.bwdc_edit,
            self.log_edit,
            self.timeout_edit,
        ):
            edit.textChanged.connect(self.validate)
        self.appdata_button.clicked.connect(self.browse_appdata)
        self.bwdc_button.clicked.connect(self.browse_bwdc)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        show_error(self.error_label, load_error)
        self.validate()
        self.resize(640, self.sizeHint().height())

    def _fill(self, name: str, inst: Instance | None) -> None:
        self.name_edit.setText(name)
        self.name_edit.setReadOnly(True)
        self.name_edit.setToolTip(
            self.tr("The name identifies the OS job, the keyring entries and the status file.")
        )
        if inst is None:  # the config could not be read: nothing to edit
            for widget in self.findChildren(QLineEdit):
                widget.setEnabled(False)
            return
        self.label_edit.setText(inst.label or "")
        self.appdata_edit.setText(str(inst.appdata))
        self.bwdc_edit.setText(inst.bwdc or "")
        self.log_edit.setText(str(inst.log) if inst.log else "")
        self.timeout_edit.setText(f"{inst.timeout:g}")
        self.login_combo.setCurrentIndex(max(0, self.login_combo.findData(inst.login)))

    # --- live validation ---------------------------------------------------------------------

    def _check(self, label: QLabel, check: Callable[[], object]) -> bool:
        try:
            check()
        except BwdcTrayError as exc:
            show_error(label, exc.message)
            return False
        show_error(label, None)
        return True

    def validate(self) -> bool:
        """Check every field now; True when the form can be saved."""
        from bwdc_tray import bwdc as bwdc_mod
        from bwdc_tray import datajson

        ok = True
        name = self.name_edit.text()
        if self.editing is not None:
            ok = self.before is not None
        elif name:

            def check_name() -> None:
                validate_name(name)
                if name in self._cfg.instances:
                    raise InvalidInput(f"an instance named {name!r} already exists")

            ok &= self._check(self.name_error, check_name)
        else:
            show_error(self.name_error, None)
            ok = False

        appdata = self.appdata_edit.text()
        if appdata.strip():
            if self._check(self.appdata_error, lambda: self._appdata_checked(appdata)):
                info = datajson.read(absolute_path(appdata, "the data folder"))
                if info.ok:
                    self.data_info.setText(
                        self.tr(
                            "Directory: {directory}\nOrganization: {org}\nServer: {server}"
                        ).format(
                            directory=info.directory_name or self.tr("not configured yet"),
                            org=info.organization_id or "—",
                            server=info.server or "—",
                        )
                    )
                    set_tone(self.data_info, None)
                else:
                    self.data_info.setText(info.problem or "")
                    set_tone(self.data_info, "warning")
            else:
                ok = False
                self.data_info.clear()
        else:
            show_error(self.appdata_error, None)
            self.data_info.clear()
            ok = False

        exe = self.bwdc_edit.text().strip()
        if exe:

            def check_bwdc() -> None:
                bad = bwdc_mod.check_executable(str(absolute_path(exe, "the bwdc program")))
                if bad:
                    raise InvalidInput(bad)

            set_tone(self.bwdc_error, "error")
            ok &= self._check(self.bwdc_error, check_bwdc)
        elif self._found_bwdc is None:
            # Allowed, as with the CLI (a warning, not an error): runs fail until it is there.
            set_tone(self.bwdc_error, "warning")
            show_error(
                self.bwdc_error,
                self.tr(
                    "bwdc was not found on PATH or in the usual places; runs will fail "
                    "until it is installed or its path is given here"
                ),
            )
        else:
            show_error(self.bwdc_error, None)
        log = self.log_edit.text()
        if log.strip():
            ok &= self._check(self.log_error, lambda: absolute_path(log, "the log file"))
        else:
            show_error(self.log_error, None)
        ok &= self._check(
            self.timeout_error, lambda: validate_timeout(self.timeout_edit.text(), "the timeout")
        )
        ok &= self._check(self.label_error, lambda: validate_label(self.label_edit.text() or None))
        if ok:
            ok = self._check(self.clash_error, self._clash_checked)
        else:
            show_error(self.clash_error, None)
        self.ok_button.setEnabled(bool(ok))
        return bool(ok)

    def _appdata_checked(self, appdata: str) -> None:
        folder = absolute_path(appdata, "the data folder")
        if folder.exists() and not folder.is_dir():
            raise InvalidInput(f"{folder} is a file; choose the folder that holds data.json")

    def _clash_checked(self) -> None:
        log = self.log_edit.text().strip()
        probe = Instance(
            name=self.name_edit.text(),
            appdata=absolute_path(self.appdata_edit.text(), "the data folder"),
            log=absolute_path(log, "the log file") if log else None,
        )
        clash = find_clash(self._cfg, probe)
        if clash:
            raise InvalidInput(clash)

    # --- pickers -------------------------------------------------------------------------------

    def browse_appdata(self) -> None:
        start = self.appdata_edit.text().strip() or str(default_bwdc_appdata())
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("The bwdc data folder (with data.json)"), start
        )
        if chosen:
            self.appdata_edit.setText(str(find_data_folder(Path(chosen))))

    def browse_bwdc(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("The bwdc program"), self.bwdc_edit.text().strip() or str(Path.home())
        )
        if chosen:
            self.bwdc_edit.setText(chosen)

    # --- saving --------------------------------------------------------------------------------

    def accept(self) -> None:
        if not self.validate():
            return
        if self.editing is not None:
            self._save_changes(self.editing)
            return
        try:
            inst = build_instance(
                self.name_edit.text(),
                self.appdata_edit.text(),
                bwdc=self.bwdc_edit.text(),
                log=self.log_edit.text(),
                timeout=self.timeout_edit.text(),
                label=self.label_edit.text(),
                login=str(self.login_combo.currentData()),
            )
            add_instance(self.paths, inst)
        except BwdcTrayError as exc:
            show_error(self.error_label, error_text(exc))
            return
        except OSError as exc:
            show_error(self.error_label, self.tr("cannot save: {error}").format(error=exc))
            return
        self.added.emit(inst.name)
        super().accept()

    def _save_changes(self, name: str) -> None:
        try:
            done = update_instance(
                self.paths,
                name,
                label=self.label_edit.text(),
                appdata=self.appdata_edit.text(),
                bwdc=self.bwdc_edit.text(),
                log=self.log_edit.text(),
                timeout=self.timeout_edit.text(),
                login=str(self.login_combo.currentData()),
            )
        except BwdcTrayError as exc:
            show_error(self.error_label, error_text(exc))
            return
        except OSError as exc:
            show_error(self.error_label, self.tr("cannot save: {error}").format(error=exc))
            return
        self.warnings = done.warnings
        self.changed.emit(name)
        super().accept()


class SecretsDialog(QDialog):
    """The API key (and directory secret) of one instance, into the OS keyring.

    Every field echoes as a password; nothing typed here is logged or kept after saving.
    """

    stored = Signal(str)

    def __init__(self, paths: Paths, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.name = name
        self.result_text = ""
        self.setWindowTitle(self.tr("Secrets of {name} — bwdc-tray").format(name=name))
        self.setAccessibleName(self.tr("Secrets of {name}").format(name=name))

        self.state_label = plain(QLabel())
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName(self.tr("Which secrets are stored"))
        self.client_id_edit = self._secret_edit(self.tr("API client_id"))
        self.client_id_edit.setPlaceholderText("organization.…")
        self.client_id_error = error_label(self.tr("client_id error"))
        self.client_secret_edit = self._secret_edit(self.tr("API client_secret"))
        self.directory_secret_edit = self._secret_edit(self.tr("Directory secret (optional)"))
        self.directory_secret_edit.setPlaceholderText(self.tr("empty: leave as it is"))
        self.error_label = error_label(self.tr("Error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Store the secrets in the keyring"))
        self.clear_button = self.buttons.addButton(
            self.tr("&Delete stored secrets"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.clear_button.setAccessibleName(self.tr("Delete the stored secrets"))

        form = QFormLayout()
        form.addRow(self.tr("API &client_id:"), self.client_id_edit)
        form.addRow("", self.client_id_error)
        form.addRow(self.tr("API client_&secret:"), self.client_secret_edit)
        form.addRow(self.tr("Di&rectory secret:"), self.directory_secret_edit)
        hint = QLabel(
            self.tr(
                "The directory secret is the LDAP bind password, the Entra ID key, the "
                "Google service key, the Okta token or the OneLogin secret."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.client_id_edit.textChanged.connect(self.validate)
        self.client_secret_edit.textChanged.connect(self.validate)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.clear_button.clicked.connect(self.clear_stored)
        self._usable = self.refresh_state()
        self.validate()
        self.resize(520, self.sizeHint().height())

    def _secret_edit(self, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(accessible)
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        return edit

    def refresh_state(self) -> bool:
        """Show which secrets are stored; False (and the remedy) when there is no keyring."""
        try:
            cfg = ConfigStore(self.paths).load()
            cfg.get(self.name)
            found = secrets.load(secrets.open_store(cfg.demo), self.name)
        except BwdcTrayError as exc:
            show_error(self.error_label, error_text(exc))
            self.state_label.clear()
            return False
        parts = []
        for name in secrets.FIELDS:
            present = getattr(found, name) is not None
            state = (
                self.tr("stored")
                if present
                else (
                    self.tr("not stored (optional)")
                    if name == "directory_secret"
                    else self.tr("not stored")
                )
            )
            parts.append(f"{_(secrets.FIELD_LABELS[name])}: {state}")
        self.state_label.setText("\n".join(parts))
        self.clear_button.setEnabled(any(getattr(found, n) is not None for n in secrets.FIELDS))
        return True

    def validate(self) -> bool:
        client_id = self.client_id_edit.text().strip()
        problem = client_id_problem(client_id) if client_id else None
        show_error(self.client_id_error, problem)
        ok = (
            self._usable
            and bool(client_id)
            and problem is None
            and bool(self.client_secret_edit.text().strip())
        )
        self.save_button.setEnabled(ok)
        return ok

    def _wipe(self) -> None:
        for edit in (self.client_id_edit, self.client_secret_edit, self.directory_secret_edit):
            edit.clear()

    def save(self) -> bool:
        """Store what the fields hold; on success the fields are emptied."""
        try:
            stored = store_secrets(
                self.paths,
                self.name,
                self.client_id_edit.text(),
                self.client_secret_edit.text(),
                self.directory_secret_edit.text(),
            )
        except BwdcTrayError as exc:
            show_error(self.error_label, error_text(exc))
            return False
        self._wipe()
        show_error(self.error_label, None)
        self.refresh_state()
        self.result_text = self.tr("stored {what} for {name} in the keyring").format(
            what=", ".join(stored), name=self.name
        )
        self.stored.emit(self.name)
        return True

    def clear_stored(self) -> None:
        try:
            cfg = ConfigStore(self.paths).load()
            removed = secrets.clear(secrets.open_store(cfg.demo), self.name)
            secrets.forget_remembered_backend(self.paths.cache_dir)
        except BwdcTrayError as exc:
            show_error(self.error_label, error_text(exc))
            return
        show_error(self.error_label, None)
        self.refresh_state()
        self.state_label.setText(
            self.tr("{count} keyring entries deleted.").format(count=removed)
            + "\n"
            + self.state_label.text()
        )

    def accept(self) -> None:
        if self.validate() and self.save():
            super().accept()

    def done(self, result: int) -> None:
        self._wipe()  # Cancel too: nothing typed stays in the widgets
        super().done(result)

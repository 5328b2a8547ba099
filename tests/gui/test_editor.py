"""The schedule editor, offscreen: live validation, words, next runs, preview, Apply, Remove."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime

from bwdc_tray.config import ConfigStore
from bwdc_tray.paths import resolve
from bwdc_tray.schedule import jobs
from tests.conftest import World

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # the words come in the user's language


@pytest.fixture
def editor(world: World, fake_crontab: Path, qtbot: Any) -> Any:
    from bwdc_tray.gui.editor import ScheduleEditor

    world.add("corp")
    dialog = ScheduleEditor(resolve(), "corp")
    qtbot.addWidget(dialog)
    return dialog


def _job(name: str = "corp") -> str:
    paths = resolve()
    return jobs.inspect(paths, ConfigStore(paths).load().get(name)).job


def _choose(combo: Any, key: str) -> None:
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def test_floor_error_and_allow_frequent(editor: Any, qtbot: Any) -> None:
    editor.cron_edit.clear()
    qtbot.keyClicks(editor.cron_edit, "*/2 * * * *")
    assert editor.preset_combo.currentData() == "custom"  # typing makes it a raw expression
    assert not editor.cron_error.isHidden()
    assert "2 minute(s) apart" in editor.cron_error.text()
    assert not editor.apply_button.isEnabled()
    editor.allow_frequent_check.setChecked(True)
    assert editor.cron_error.isHidden()
    assert editor.apply_button.isEnabled()
    assert editor.next_runs_list.count() == 5


def test_bad_expression_error_beside_the_field(editor: Any, qtbot: Any) -> None:
    editor.cron_edit.clear()
    qtbot.keyClicks(editor.cron_edit, "61 * * * *")
    assert "out of range for the minute" in editor.cron_error.text()
    assert not editor.apply_button.isEnabled()
    assert editor.next_runs_list.count() == 0


def test_daily_preset_words_and_next_runs(editor: Any) -> None:
    _choose(editor.preset_combo, "daily")
    editor.time_edit.setTime(QTime(2, 30))
    assert editor.cron_edit.text() == "30 2 * * *"
    assert "At 02:30" in editor.description_label.text()
    assert editor.next_runs_list.count() == 5
    assert all("02:30" in editor.next_runs_list.item(i).text() for i in range(5))
    assert editor.time_edit.isVisible() or not editor.time_edit.isHidden()
    assert editor.every_spin.isHidden()


def test_weekly_preset_needs_a_day(editor: Any) -> None:
    _choose(editor.preset_combo, "weekly")
    for box in editor.day_checks.values():
        box.setChecked(False)
    assert "at least one day" in editor.cron_error.text()
    assert not editor.apply_button.isEnabled()
    editor.day_checks["tue"].setChecked(True)
    editor.day_checks["fri"].setChecked(True)
    assert editor.cron_edit.text().endswith("* * 2,5")
    assert editor.apply_button.isEnabled()


def test_preview_follows_the_backend(editor: Any) -> None:
    _choose(editor.preset_combo, "daily")
    editor.time_edit.setTime(QTime(2, 30))
    seen = {}
    for key in ("cron", "launchd", "taskscheduler", "systemd"):
        _choose(editor.backend_combo, key)
        seen[key] = editor.preview_edit.toPlainText()
    assert seen["cron"].startswith("# BEGIN bwdc-tray corp")
    assert "30 2 * * *" in seen["cron"]
    assert "<plist" in seen["launchd"]
    assert "<Task " in seen["taskscheduler"]
    assert "[Timer]" in seen["systemd"] and "OnCalendar=*-*-* 02:30:00" in seen["systemd"]
    assert editor.preview_edit.isReadOnly()
    # launchd cannot install here: Apply waits, and the note says why.
    _choose(editor.backend_combo, "launchd")
    assert not editor.apply_button.isEnabled()
    assert "macOS" in editor.backend_note.text()


def test_dedicated_user_is_checked(editor: Any) -> None:
    editor.dedicated_radio.setChecked(True)
    assert "dedicated user's name" in editor.user_error.text()
    assert not editor.apply_button.isEnabled()
    editor.user_edit.setText("bad user'")
    assert "not a user name" in editor.user_error.text()
    editor.user_edit.setText("bwdc")
    assert editor.user_error.isHidden()
    assert "--run-as" not in editor.preview_edit.toPlainText()
    editor.as_me_radio.setChecked(True)
    assert editor.user_error.isHidden()


def test_apply_installs_then_remove_clears(editor: Any, qtbot: Any, fake_crontab: Path) -> None:
    assert "no schedule" in editor.job_label.text()
    assert editor.repair_button.isHidden()
    _choose(editor.preset_combo, "daily")
    editor.time_edit.setTime(QTime(2, 30))
    with qtbot.waitSignal(editor.applied, timeout=5000):
        qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert ConfigStore(resolve()).load().get("corp").schedule == "30 2 * * *"
    assert _job() == "in-sync"
    assert "in sync" in editor.job_label.text()
    assert "installed" in editor.message_label.text()

    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert ConfigStore(resolve()).load().get("corp").schedule is None
    assert _job() == "none"
    assert "removed" in editor.message_label.text()
    assert editor.cron_edit.text() == "30 2 * * *"  # Apply puts it back


def test_drift_is_shown_and_repaired(world: World, fake_crontab: Path, qtbot: Any) -> None:
    import getpass

    from bwdc_tray.gui.editor import ScheduleEditor

    world.add("corp")
    assert world.cli("schedule", "set", "corp", "hourly").code == 0
    table = fake_crontab / getpass.getuser()
    table.write_text(table.read_text().replace("0 * * * *", "5 * * * *"))
    dialog = ScheduleEditor(resolve(), "corp")
    qtbot.addWidget(dialog)
    assert dialog.preset_combo.currentData() == "hourly"
    assert "drifted" in dialog.job_label.text()
    assert not dialog.repair_button.isHidden()
    dialog.repair_button.click()
    assert _job() == "in-sync"
    assert dialog.repair_button.isHidden()
    assert "repaired" in dialog.message_label.text()


def test_apply_error_stays_in_the_dialog(
    editor: Any, monkeypatch: pytest.MonkeyPatch, fake_crontab: Path
) -> None:
    monkeypatch.setenv("FAKE_CRONTAB_FAIL_LIST", "1")
    _choose(editor.preset_combo, "hourly")
    assert editor.apply_button.isEnabled()
    assert not editor.apply()
    assert editor.message_label.text()
    assert "Traceback" not in editor.message_label.text()
    assert ConfigStore(resolve()).load().get("corp").schedule is None


def test_unknown_instance_is_an_error_not_a_traceback(world: World, qtbot: Any) -> None:
    from bwdc_tray.gui.editor import ScheduleEditor

    dialog = ScheduleEditor(resolve(), "ghost")
    qtbot.addWidget(dialog)
    assert "no instance named 'ghost'" in dialog.message_label.text()
    assert not dialog.apply_button.isEnabled()


def test_presets_round_trip() -> None:
    from bwdc_tray.gui.editor import PresetValues, preset_of
    from bwdc_tray.schedule import cron

    for values in (
        PresetValues("minutes", every=15),
        PresetValues("hours", every=6),
        PresetValues("hourly"),
        PresetValues("daily", hour=2, minute=30),
        PresetValues("weekly", hour=7, minute=5, days=("mon", "wed", "sun")),
        PresetValues("monthly", hour=23, minute=59, day_of_month=31),
    ):
        text = values.text()
        assert text is not None
        expression = cron.from_preset(text)
        assert expression is not None
        found = preset_of(expression)
        assert found.text() == text, (values, found)
    assert preset_of("0 2 1-7 * 1").kind == "custom"

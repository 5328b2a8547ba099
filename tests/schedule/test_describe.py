"""The schedule in words, English and French, with names translated too."""

from __future__ import annotations

import pytest

from bwdc_tray.schedule.describe import FRENCH_NAMES, describe, user_language


@pytest.mark.parametrize(
    ("expr", "en", "fr"),
    [
        ("30 2 * * 1-5", "At 02:30, Monday through Friday", "À 02:30, de lundi à vendredi"),
        (
            "0 9 * 1,7 2",
            "At 09:00, only on Tuesday, only in January and July",
            "À 09:00, uniquement le mardi, uniquement en janvier et juillet",
        ),
        ("*/15 * * * *", "Every 15 minutes", "Toutes les 15 minutes"),
    ],
)
def test_english_and_french(expr: str, en: str, fr: str) -> None:
    assert describe(expr, "en") == en
    assert describe(expr, "fr") == fr


@pytest.mark.parametrize("expr", ["0 9 * * 0-6", "0 9 1 1-12 *", "0 9 * 5 0"])
def test_no_english_name_is_left_in_french(expr: str) -> None:
    text = describe(expr, "fr")
    assert not [name for name in FRENCH_NAMES if name in text], text


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LC_ALL": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "C"}, "en"),
    ],
)
def test_language_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], lang: str
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert user_language() == lang

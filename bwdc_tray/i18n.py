"""Translations of the engine's messages, without Qt.

The engine raises errors whose messages the window shows beside its form fields. Each message
template is wrapped in ``_()`` where it is used, and its placeholders are filled afterwards::

    raise InvalidInput(_("{expr!r}: a step of 0 in the {field} never advances").format(...))

``_()`` returns the template in the active language, or the template itself when there is no
translation. The default language is English, so the CLI (and every log line, which is never
wrapped) stays English; the GUI switches the language on. A string defined at import time (a
field name in a table) is marked with ``N_()``, which changes nothing, and translated with
``_()`` where it is shown. The catalogs are plain dicts, English template to translation
(``i18n_fr.FR``), loaded only when their language is chosen; tests/test_i18n_engine.py checks that
every marked string has its French entry with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGUAGES = ("en", "fr")


@dataclass
class _Active:
    language: str = "en"
    catalog: Mapping[str, str] = field(default_factory=dict)


_active = _Active()


def set_language(lang: str) -> None:
    """Choose the language of the messages: "en" or "fr" (a locale name such as "fr_FR" or
    "fr-CA" counts as its language); anything else is English."""
    code = lang.replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    if code not in LANGUAGES:
        code = "en"
    catalog: Mapping[str, str] = {}
    if code == "fr":
        from bwdc_tray.i18n_fr import FR

        catalog = FR
    _active.catalog = catalog
    _active.language = code


def language() -> str:
    """The active language: "en" or "fr"."""
    return _active.language


def _(text: str) -> str:
    """``text`` (an English message template) in the active language."""
    return _active.catalog.get(text, text)


def N_(text: str) -> str:
    """Mark ``text`` for translation without translating it (it is translated at use)."""
    return text

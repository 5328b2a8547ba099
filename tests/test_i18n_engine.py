"""The engine's messages in French (bwdc_tray/i18n.py), without Qt: a complete catalog, and
English unless the language is switched on (the CLI never does)."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from bwdc_tray import config, datajson, i18n
from bwdc_tray.errors import InvalidInput
from bwdc_tray.i18n_fr import FR
from bwdc_tray.schedule import cron

PACKAGE = Path(__file__).resolve().parents[1] / "bwdc_tray"
MARKERS = ("_", "N_")


def _marked_calls() -> Iterator[tuple[str, ast.Call]]:
    """Every _() and N_() call of the engine (the GUI translates with Qt), with where it is."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        if rel.parts[1] == "gui":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
            ):
                yield f"{rel}:{node.lineno}", node


def _marked_strings() -> dict[str, str]:
    """The literal templates, each with the first place that marks it."""
    found: dict[str, str] = {}
    for where, call in _marked_calls():
        if len(call.args) == 1 and isinstance(call.args[0], ast.Constant):
            value = call.args[0].value
            if isinstance(value, str):
                found.setdefault(value, where)
    return found


def _placeholders(template: str) -> set[tuple[str, str | None, str | None]]:
    return {
        (name, conversion, spec)
        for _text, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    }


@pytest.fixture
def french() -> Iterator[None]:
    i18n.set_language("fr")
    try:
        yield
    finally:
        i18n.set_language("en")


# --- the catalog ---------------------------------------------------------------------------------


def test_the_engine_marks_strings() -> None:
    assert len(_marked_strings()) > 100  # the scan itself works


def test_marked_calls_take_one_plain_string_or_a_variable() -> None:
    """_(f"...") would never match a catalog key; a template is filled after translation."""
    wrong = [
        where
        for where, call in _marked_calls()
        if len(call.args) != 1 or call.keywords or isinstance(call.args[0], ast.JoinedStr)
    ]
    assert wrong == []


def test_every_marked_string_has_a_french_entry() -> None:
    missing = {text: where for text, where in _marked_strings().items() if text not in FR}
    assert missing == {}


def test_french_entries_keep_the_placeholders() -> None:
    differ = {
        english: (sorted(_placeholders(english)), sorted(_placeholders(french)))
        for english, french in FR.items()
        if _placeholders(english) != _placeholders(french)
    }
    assert differ == {}


def test_no_stale_french_entry() -> None:
    assert sorted(set(FR) - set(_marked_strings())) == []


def test_no_empty_or_untrimmed_translation() -> None:
    """A leading or trailing space is part of a fragment (" (names: …)"): keep it as it is."""
    bad = {
        english: french
        for english, french in FR.items()
        if not french.strip()
        or french[:1].isspace() != english[:1].isspace()
        or french[-1:].isspace() != english[-1:].isspace()
    }
    assert bad == {}


# --- what a user sees ----------------------------------------------------------------------------


def test_english_by_default() -> None:
    assert i18n.language() == "en"
    with pytest.raises(InvalidInput) as exc:
        cron.resolve("0 0 * * 8")
    assert exc.value.message == "'0 0 * * 8': 8 is out of range for the day of week (0-7)"
    with pytest.raises(InvalidInput) as exc:
        config.validate_timeout("abc", "the timeout")
    assert exc.value.message == "the timeout must be a number of seconds, got 'abc'"


def test_a_cron_error_in_french(french: None) -> None:
    with pytest.raises(InvalidInput) as exc:
        cron.resolve("0 0 * * 8")
    message = exc.value.message
    assert message == "'0 0 * * 8' : 8 est hors limites pour le champ jour de la semaine (0-7)"


def test_the_remedy_is_translated_and_keeps_its_option(french: None) -> None:
    with pytest.raises(InvalidInput) as exc:
        cron.resolve("* * * * *")
    assert exc.value.message.startswith("'* * * * *' lance des exécutions à 1 minute(s)")
    assert exc.value.remedy is not None
    assert "planification moins fréquente" in exc.value.remedy
    assert "--allow-frequent" in exc.value.remedy


def test_a_bad_timeout_in_french(french: None) -> None:
    with pytest.raises(InvalidInput) as exc:
        config.validate_timeout("abc", config.WHERE_TIMEOUT)
    assert (
        exc.value.message
        == "le délai maximal doit être un nombre de secondes (valeur reçue : 'abc')"
    )
    with pytest.raises(InvalidInput) as exc:
        config.validate_timeout("-1", "--timeout")  # an option is not translated
    assert exc.value.message.startswith("--timeout doit être un nombre positif de secondes")


def test_literal_braces_survive_in_both_languages(tmp_path: Path, french: None) -> None:
    (tmp_path / "data.json").write_text("{not json", encoding="utf-8")
    assert "le remplacerait par {} à sa prochaine exécution" in str(datajson.read(tmp_path).problem)
    i18n.set_language("en")
    assert "would reset it to {} on its next run" in str(datajson.read(tmp_path).problem)


def test_back_to_english_and_unknown_languages() -> None:
    try:
        i18n.set_language("fr_FR")  # a locale name counts as its language
        assert i18n.language() == "fr"
        assert i18n._("repaired") == "réparée"
        i18n.set_language("xx")
        assert i18n.language() == "en"
        assert i18n._("repaired") == "repaired"
        with pytest.raises(InvalidInput, match=r"^'0 0 \* \* 8': 8 is out of range"):
            cron.resolve("0 0 * * 8")
    finally:
        i18n.set_language("en")


def test_an_untranslated_string_comes_back_as_it_is(french: None) -> None:
    assert i18n._("no such message {x}") == "no such message {x}"
    assert i18n.N_("the timeout") == "the timeout"

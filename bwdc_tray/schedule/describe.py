"""A schedule in words, in English or French, following the user's locale.

cron-descriptor has French sentences but takes day and month names from the process's C
locale, so on most machines it writes "uniquement le Tuesday"; the names are put right here.
"""

from __future__ import annotations

import locale
import os
import re

FRENCH_NAMES = {
    "Sunday": "dimanche",
    "Monday": "lundi",
    "Tuesday": "mardi",
    "Wednesday": "mercredi",
    "Thursday": "jeudi",
    "Friday": "vendredi",
    "Saturday": "samedi",
    "January": "janvier",
    "February": "février",
    "March": "mars",
    "April": "avril",
    "May": "mai",
    "June": "juin",
    "July": "juillet",
    "August": "août",
    "September": "septembre",
    "October": "octobre",
    "November": "novembre",
    "December": "décembre",
}
_NAME_RE = re.compile(r"\b(" + "|".join(FRENCH_NAMES) + r")\b")
_C_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def user_language() -> str:
    """'fr' or 'en', from the environment the way gettext reads it, then the OS locale."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "fr" if code.lower().startswith("fr") else "en"


def _english_names(text: str) -> str:
    # cron-descriptor read the names from the C library's locale: map them back to English by
    # position, whatever language they came out in.
    import calendar

    for i, local in enumerate(calendar.day_name):
        text = text.replace(local, _C_DAYS[(i + 1) % 7])
    for i, local in enumerate(calendar.month_name[1:], start=1):
        text = text.replace(local, list(FRENCH_NAMES)[6 + i])
    return text


def describe(expression: str, language: str | None = None) -> str:
    from cron_descriptor import ExpressionDescriptor, Options

    lang = language or user_language()
    options = Options()
    options.use_24hour_time_format = True
    options.locale_code = "fr_FR" if lang == "fr" else "en_US"
    text = str(ExpressionDescriptor(expression, options).get_description())
    text = _english_names(text)
    if lang == "fr":
        text = _NAME_RE.sub(lambda m: FRENCH_NAMES[m.group(1)], text)
    return text

"""Numbers, percentages and dates as each language writes them (Babel, CLDR data).

French: ``1 234,5`` (narrow no-break space), ``91,4 %`` (no-break space), ``2 déc. 2026``; English:
``1,234.5``, ``91.4%``, ``2 Dec 2026``. Messages ask for it in their template:
``{count:n}`` a grouped number, ``{value:.1f}`` one decimal, ``{rate:.1%}`` a
percentage, ``{at:date}`` / ``{at:datetime}`` a date; a template without a format spec
prints the value as it is (years, ports, ids stay ``2024``, ``8000``, ``#42``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from datetime import date as Date
from datetime import datetime
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

# The CLDR locale behind each language (English as written in Europe: 2 Dec 2026).
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
NONE = "–"

_FIXED = re.compile(r"^,?\.(\d+)f$")
_PERCENT = re.compile(r"^(?:\.(\d+))?%$")


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, lang)


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits else "")


def number(value: float | int | None, lang: str, digits: int | None = None) -> str:
    """``value`` grouped by thousands; with ``digits``, rounded to that many decimals."""
    if value is None:
        return NONE
    if digits is None:
        return format_decimal(value, locale=locale_of(lang))
    return format_decimal(value, format=_pattern(digits), locale=locale_of(lang), decimal_quantization=True)


def percent(value: float | None, lang: str, digits: int = 1) -> str:
    """A share (0.914) as a percentage (``91,4 %``, ``91.4%``)."""
    if value is None:
        return NONE
    pattern = Locale.parse(locale_of(lang)).percent_formats[None].pattern  # the language's: "#,##0 %"
    if digits:
        pattern = re.sub(r"0(?=[^0#]*%)", "0." + "0" * digits, pattern, count=1)
    return format_percent(value, format=pattern, locale=locale_of(lang))


def date(value: Date | datetime | None, lang: str) -> str:
    """A day as the language writes it short: ``2 déc. 2026``, ``2 Dec 2026``."""
    if value is None:
        return NONE
    return format_date(value, format="medium", locale=locale_of(lang))


def datetime_(value: datetime | None, lang: str) -> str:
    """A moment, to the minute: ``2 déc. 2026, 14:05``, ``2 Dec 2026, 14:05``."""
    if value is None:
        return NONE
    return format_datetime(value, format="d MMM y, HH:mm", locale=locale_of(lang))


class Localized(dict[str, str]):
    """A value that data gives in several languages (a grading rule's reason): ``{"en": …, "fr": …}``.

    A message shows the reader's language, else English. A plain dict, so it travels as JSON.
    """

    def pick(self, lang: str) -> str:
        return self.get(lang) or self.get("en") or next(iter(self.values()), "")


class LocaleFormatter(string.Formatter):
    """``str.format`` whose number and date specs follow the language (see the module)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Localized):
            value = value.pick(self.lang)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if is_number:
            if format_spec == "n":
                return number(value, self.lang)
            if m := _FIXED.match(format_spec):
                return number(value, self.lang, int(m.group(1)))
            if m := _PERCENT.match(format_spec):
                return percent(value, self.lang, int(m.group(1) or 0))
        if isinstance(value, datetime | Date):
            if format_spec == "date":
                return date(value, self.lang)
            if format_spec == "datetime" and isinstance(value, datetime):
                return datetime_(value, self.lang)
        if not is_number and (format_spec in ("n", "date", "datetime") or _FIXED.match(format_spec)
                              or _PERCENT.match(format_spec)):  # fmt: skip
            return str(value)  # already words ("-", a list of serials): as given
        return super().format_field(value, format_spec)


def format_message(template: str, lang: str, params: Mapping[str, Any]) -> str:
    """``template`` filled with ``params``; a template that does not fit them keeps its text and names them."""
    try:
        return LocaleFormatter(lang).vformat(template, (), params)
    except (KeyError, IndexError, ValueError, TypeError):
        return f"{template} {dict(params)}"

"""The report's words in the reader's language: codes ``report.*``, ``driver.*``, ``quality.*``,
``distribution.*`` and ``unit.*`` of the message catalog (``reemploi.i18n.messages.report``)."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal

from reemploi.i18n import has, t
from reemploi.i18n.formatting import locale_of, number, percent

__all__ = ["distribution", "driver_label", "number", "percent", "plain", "quality", "tr", "unit"]


def _label(prefix: str, value: str, lang: str) -> str:
    code = f"{prefix}.{value}"
    return t(code, lang) if has(code) else value


def driver_label(driver: str, lang: str) -> str:
    return _label("driver", driver, lang)


def tr(key: str, lang: str, **params: Any) -> str:
    return t(f"report.{key}", lang, **params)


def quality(value: str, lang: str) -> str:
    return _label("quality", value, lang)


def distribution(value: str, lang: str) -> str:
    return _label("distribution", value, lang)


def unit(value: str, lang: str) -> str:
    return _label("unit", value, lang)


def plain(x: float, lang: str) -> str:
    """A factor's value as written (no padding zeros): 6 years, 0.105, 500 km."""
    return format_decimal(x, format="#,##0.######", locale=locale_of(lang))

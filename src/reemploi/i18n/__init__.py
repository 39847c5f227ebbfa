"""Messages users read, in French and English, through gettext catalogs.

Domain code raises errors and returns reasons as a code plus parameters; adapters
render them here with ``t(code, lang, **params)``. Each code's English text is
declared in ``reemploi.i18n.messages``; its translations are the catalogs of
``reemploi/i18n/locale`` (Babel: ``make messages`` extracts and updates them, the
build compiles them). French is the default when the locale is French.
"""

from __future__ import annotations

import os
from typing import Any

from reemploi.i18n import messages as _messages  # noqa: F401 - declares every message
from reemploi.i18n.catalogs import translations
from reemploi.i18n.formatting import format_message
from reemploi.i18n.registry import HEADERS, MESSAGES, PLURALS

LANGS = ("fr", "en")

__all__ = [
    "HEADERS",
    "LANGS",
    "MESSAGES",
    "current_lang",
    "gettext",
    "has",
    "header",
    "is_lang",
    "kind_label",
    "label",
    "labels",
    "refusal_reason",
    "state_label",
    "t",
    "translations",
]


def current_lang(explicit: str | None = None) -> str:
    """``explicit``, else REEMPLOI_LANG, else French when the locale is French, else English.

    An explicit language must be one of ``LANGS`` (the caller validates it with
    ``is_lang``); the environment falls back quietly.
    """
    if explicit and is_lang(explicit):
        return explicit.lower()[:2]
    value = os.environ.get("REEMPLOI_LANG")
    if value and value.lower()[:2] in LANGS:
        return value.lower()[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def is_lang(value: str) -> bool:
    v = value.lower()
    return v in LANGS or v.replace("-", "_").split("_")[0] in LANGS


def has(code: str) -> bool:
    """Whether ``code`` is a declared message."""
    return code in MESSAGES


def t(code: str, lang: str, /, **params: Any) -> str:
    """The message ``code`` in ``lang``, filled with ``params`` (numbers and dates per the language).

    A message declared with a plural is worded by ``params["count"]``. An unknown code
    is shown as itself with its parameters, never raised: a message must not hide the
    error it reports.
    """
    text = MESSAGES.get(code)
    if text is None:
        return f"{code}: {params}" if params else code
    catalog = translations(lang)
    plural = PLURALS.get(code)
    if plural is not None:
        count = params.get("count", 1)
        template = catalog.npgettext(code, text, plural, count if isinstance(count, int) else 2)
    else:
        template = catalog.pgettext(code, text)
    return format_message(template, lang, params)


def gettext(lang: str, msgid: str) -> str:
    """A context-free msgid in ``lang``: command help, the CLI toolkit's own words."""
    return translations(lang).gettext(msgid)


def header(name: str, lang: str) -> str:
    """A table column's name in ``lang``."""
    return translations(lang).gettext(name)


def labels(code: str) -> tuple[str, ...]:
    """The message ``code`` in every language (to read a label typed in any of them)."""
    return tuple(dict.fromkeys(t(code, lang) for lang in LANGS))


def refusal_reason(code: str, lang: str, /, **params: Any) -> str:
    """A refusal's reason without its leading serial, for a message that names the device already."""
    text = t(code, lang, **params)
    serial = params.get("serial")
    for sep in (" : ", ": "):
        if serial and text.startswith(f"{serial}{sep}"):
            return text[len(str(serial)) + len(sep) :]
    return text


def label(enum: str, value: object, lang: str) -> str:
    """The value of an enumeration as readers name it (``label("kind", "indoor_ap", "fr")`` → « AP intérieur »).

    ``enum`` is the prefix of its codes in ``reemploi.i18n.messages.labels``; a value
    without a label is shown as itself, ``None`` as "-".
    """
    if value is None or value == "":
        return "-"
    code = f"{enum}.{value}"
    return t(code, lang) if code in MESSAGES else str(value)


def kind_label(kind: str | None, lang: str) -> str:
    return label("kind", kind, lang)


def state_label(state: str | None, lang: str) -> str:
    """A lifecycle state as readers name it, else its code."""
    code = f"web_state_{state}"
    return t(code, lang) if code in MESSAGES else (state or "-")

"""The message registry: every message a user reads has a stable code and an English text.

The code is the contract (domain errors carry it, the API returns it as ``error``, tests
name it); the English text is the gettext msgid, with the code as its context, so that
the catalogs in ``locale/`` translate each message on its own even where two share an
English wording. Messages are declared once, in ``reemploi.i18n.messages``; Babel
extracts them from there (keyword ``M:1c,2`` and ``M:1c,2,3`` for plurals).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {}
"""code -> English text (a ``str.format`` template)."""

PLURALS: dict[str, str] = {}
"""code -> English plural text, for messages whose wording depends on ``count``."""

HEADERS: dict[str, None] = {}
"""Table column names, translated without a context (their English name is their msgid)."""


def M(code: str, text: str, plural: str | None = None) -> None:
    """Declare the message ``code``; ``plural`` when it is worded by ``count`` (1 row, 2 rows)."""
    if code in MESSAGES:
        raise ValueError(f"message code declared twice: {code}")
    MESSAGES[code] = text
    if plural is not None:
        PLURALS[code] = plural


def H(name: str) -> None:
    """Declare a column header, whose English name is its msgid."""
    HEADERS[name] = None

"""The gettext catalogs: loading them, and compiling a ``.po`` into its ``.mo``.

The build compiles every ``locale/<lang>/LC_MESSAGES/reemploi.po`` into its ``.mo``
(``tools/build_backend.py``; ``make messages`` too). At run time the ``.mo`` is read;
when it is missing or older than its ``.po`` (a checkout whose catalogs were just
edited) the ``.po`` is compiled in memory instead, so that what is read is never stale.
English is the source language: its texts are the msgids, it needs no catalog.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "reemploi"
SOURCE_LANG = "en"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes of ``po`` (fuzzy entries left out, as ``msgfmt`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` (English and unknown languages: the msgids as they are)."""
    if lang == SOURCE_LANG:
        return gettext.NullTranslations()
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.exists():
        return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    return gettext.NullTranslations()


def languages() -> tuple[str, ...]:
    """The source language, then every language with a catalog."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANG, *found)

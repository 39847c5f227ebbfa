"""The build backend: setuptools', after compiling the translation catalogs (.po -> .mo).

The compiled ``.mo`` files are build products (not in git): every wheel, editable
install and sdist gets them from the ``.po`` files at build time, with Babel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - the rest of the PEP 517/660 hooks, unchanged

LOCALE = Path(__file__).resolve().parent.parent / "src" / "reemploi" / "i18n" / "locale"


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        tmp = po.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        tmp.replace(po.with_suffix(".mo"))


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    compile_catalogs()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    compile_catalogs()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    compile_catalogs()
    return _setuptools.build_sdist(sdist_directory, config_settings)

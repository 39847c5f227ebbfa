"""Maintain the translation catalogs (Babel): extract, update, compile, check, init.

    python tools/messages.py extract   # write the templates (.pot) from the code
    python tools/messages.py update    # merge them into every language's .po
    python tools/messages.py compile   # .po -> .mo (the build does it too)
    python tools/messages.py check     # what is untranslated, fuzzy or has other placeholders
    python tools/messages.py init de   # start a new language

One domain, ``reemploi``: every message the product declares in reemploi.i18n.messages
(codes as contexts; the toolkit's own words are among them, see reemploi.cli.localize),
and the help of every command and option, read from the live command tree.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
LOCALE = SRC / "reemploi" / "i18n" / "locale"
sys.path.insert(0, str(SRC))

KEYWORDS = {"M": {2: ((1, "c"), 2), 3: ((1, "c"), 2, 3)}, "H": None}
DOMAIN = "reemploi"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)?[^{}]*\}|%\(([A-Za-z_]+)\)[sdr]|%[sd]")


def _python(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """Babel's Python extractor, minus the empty argument a trailing comma makes (``M(…,)``)."""
    from babel.messages.extract import extract_python

    for lineno, funcname, messages, comments in extract_python(fileobj, keywords, comment_tags, options):
        if isinstance(messages, tuple):
            while messages and messages[-1] is None:
                messages = messages[:-1]
        yield lineno, funcname, messages, comments


def _new_catalog(domain: str, locale: str | None = None) -> Catalog:
    return Catalog(locale=locale, domain=domain, project="reemploi", version=None, charset="utf-8",
                   copyright_holder="reemploi contributors", msgid_bugs_address="")  # fmt: skip


def _help_texts() -> Iterator[tuple[str, str, int]]:
    """(text, file, line) of every command's and option's help in the live command tree."""
    import typer.main
    from typer import _click as click

    from reemploi.cli.app import app

    def where(command: click.Command) -> tuple[str, int]:
        fn = command.callback
        fn = getattr(fn, "__wrapped__", fn)
        try:
            path = Path(inspect.getsourcefile(fn) or "?").resolve().relative_to(ROOT)
            return str(path), inspect.getsourcelines(fn)[1]
        except (TypeError, OSError, ValueError):
            return "src/reemploi/cli/app.py", 0

    def walk(command: click.Command) -> Iterator[tuple[str, str, int]]:
        path, line = where(command)
        for text in (command.help, command.short_help, command.epilog):
            if text:
                yield inspect.cleandoc(text), path, line
        for param in command.params:
            for text in (getattr(param, "help", None), param.metavar):
                if isinstance(text, str) and text:
                    yield text, path, line
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    yield from walk(typer.main.get_command(app))


def extract() -> Catalog:
    catalog = _new_catalog(DOMAIN)
    messages = SRC / "reemploi" / "i18n" / "messages"
    for filename, lineno, message, comments, context in extract_from_dir(
        str(messages), [("**.py", _python)], keywords=KEYWORDS
    ):
        path = str((messages / filename).relative_to(ROOT))
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    templates = SRC / "reemploi" / "web" / "templates"
    for filename, lineno, message, comments, context in extract_from_dir(
        str(templates), [("**.html", "jinja2")], options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        path = str((templates / filename).relative_to(ROOT))
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    for text, path, line in _help_texts():
        catalog.add(text, None, [(path, line)])
    return catalog


POT = LOCALE / f"{DOMAIN}.pot"


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir())


def _write(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` to ``path`` whole or not at all (through a temporary file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        write_po(fh, catalog, width=100, ignore_obsolete=True, include_previous=True)
    tmp.replace(path)


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def cmd_extract() -> None:
    _write(extract(), POT)
    print(f"{POT.relative_to(ROOT)}")


def cmd_update() -> None:
    template = _read(POT)
    for lang in languages():
        path = po_path(lang)
        catalog = _read(path) if path.exists() else _new_catalog(DOMAIN, lang)
        catalog.update(template, no_fuzzy_matching=False)
        _write(catalog, path)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages")


def cmd_compile() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, _read(po), use_fuzzy=False)
        print(f"{po.with_suffix('.mo').relative_to(ROOT)}")


def cmd_init(lang: str) -> None:
    catalog = _new_catalog(DOMAIN, lang)
    catalog.update(_read(POT))
    _write(catalog, po_path(lang))
    print(f"{po_path(lang).relative_to(ROOT)}")


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) if not (m.group(1) or m.group(2)) else (m.group(1) or m.group(2))
                  for m in PLACEHOLDER.finditer(text))  # fmt: skip


def problems(lang: str, current: Catalog | None = None) -> list[str]:
    """What is wrong with ``lang``'s catalog against the code as it is now (``current``: its extraction).

    Every message the code has must be translated (not missing, empty or fuzzy) with
    its msgid's placeholders, and no translation may be left for a message the code no
    longer has (it would hide that the code changed).
    """
    catalog = _read(po_path(lang))
    found: list[str] = []
    domain = DOMAIN
    current_ids = {(m.id, m.context) for m in (current or extract()) if m.id}
    entries = {(m.id, m.context): m for m in catalog if m.id}
    for key, message in entries.items():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"{domain}.po {lang}: {key[1] + ' / ' if key[1] else ''}{ids[0]!r}"
        if any(s and placeholders(s) != placeholders(ids[-1 if i else 0]) for i, s in enumerate(strings)):
            found.append(f"{where}: placeholders differ")
        if key in current_ids and (message.fuzzy or not all(strings)):
            found.append(f"{where}: {'fuzzy' if message.fuzzy else 'untranslated'}")
    for key in sorted(current_ids - set(entries), key=str):
        found.append(f"{domain}.po {lang}: {key[1] + ' / ' if key[1] else ''}{key[0]!r}: missing (run update)")
    for key in sorted(set(entries) - current_ids, key=str):
        found.append(f"{domain}.po {lang}: {key[1] + ' / ' if key[1] else ''}{key[0]!r}: no longer in the code")
    return found


def cmd_check() -> int:
    current = extract()
    found = [p for lang in languages() for p in problems(lang, current)]
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)")
    return 1 if found else 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("extract", "update", "compile", "check", "init"):
        print(__doc__)
        return 2
    if argv[0] == "init":
        cmd_init(argv[1])
        return 0
    if argv[0] == "check":
        return cmd_check()
    {"extract": cmd_extract, "update": cmd_update, "compile": cmd_compile}[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The command line in the reader's language: help, usage and the toolkit's own errors.

Typer builds a fresh command tree for every run. Before parsing, the root group reads
the language (``--lang`` anywhere in the arguments, else the environment), translates
every command's and option's help through the catalog, and gives each command a help
formatter that words its headings and extras (``[default: …]``) in that language.
Typer's vendored Click writes its usage errors as English text, with no gettext hook:
they are caught here and reworded through the ``toolkit.*`` messages, whose English
templates mirror Typer's wording; a text that no template matches is shown as is.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from typer import _click
from typer.core import TyperGroup
from typer.exceptions import Abort

from reemploi.i18n import MESSAGES, current_lang, gettext, is_lang, t

TOOLKIT = "toolkit."
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Parts of a message that may themselves be toolkit messages (a value's reason).
_NESTED = ("message",)


def lang_of(args: Sequence[str]) -> str:
    """The language the arguments ask for (the last ``--lang``), else the environment's."""
    chosen: str | None = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return current_lang(chosen if chosen and is_lang(chosen) else None)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(code, regex) of every toolkit message, longest template first (most specific)."""
    found = []
    for code, text in MESSAGES.items():
        if not code.startswith(TOOLKIT + "error."):
            continue
        parts = _PLACEHOLDER.split(text)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        found.append((code, re.compile(f"^{regex}$", re.DOTALL)))
    return sorted(found, key=lambda item: -len(MESSAGES[item[0]]))


def translate_toolkit(text: str, lang: str) -> str:
    """A message of the command-line toolkit in ``lang`` (as is when no template matches)."""
    for code, pattern in _patterns():
        m = pattern.match(text)
        if m:
            params = {k: (translate_toolkit(v, lang) if k in _NESTED else v) for k, v in m.groupdict().items()}
            return t(code, lang, **params)
    return text


_EXTRAS = {"required": "toolkit.required", "default": "toolkit.default", "env var": "toolkit.env_var"}


def _extras(text: str, lang: str) -> str:
    """``Help.  [default: 3; x>=1]`` with the bracketed extras in ``lang``."""
    m = re.match(r"^(.*?)(\s*)\[([^\[\]]*)\]$", text, re.DOTALL)
    if not m:
        return text
    parts = []
    for part in m.group(3).split("; "):
        name, sep, value = part.partition(": ")
        code = _EXTRAS.get(name if sep else part)
        parts.append(part if code is None else t(code, lang, value=value))
    return f"{m.group(1)}{m.group(2)}[{t('toolkit.separator', lang).join(parts)}]"


class LocalizedFormatter(_click.HelpFormatter):
    """Help pages with the toolkit's headings and extras in the reader's language."""

    lang = "en"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix=t("toolkit.usage", self.lang) + " ")

    def write_heading(self, heading: str) -> None:
        code = f"toolkit.heading.{heading}"
        super().write_heading(t(code, self.lang) if code in MESSAGES else heading)

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        def word(text: str) -> str:
            if text == MESSAGES["toolkit.help_option"]:
                return t("toolkit.help_option", self.lang)
            return _extras(text, self.lang)

        super().write_dl([(a, word(b)) for a, b in rows], col_max, col_spacing)


def _commands(command: _click.Command) -> Iterator[_click.Command]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def localize(root: _click.Command, lang: str) -> None:
    """Translate the help of ``root`` and everything below it, and give them ``lang``'s formatter."""
    formatter = type(f"LocalizedFormatter_{lang}", (LocalizedFormatter,), {"lang": lang})
    for command in _commands(root):
        for attr in ("help", "short_help", "epilog"):
            text = getattr(command, attr, None)
            if text:
                setattr(command, attr, gettext(lang, _clean(text)))
        for param in command.params:
            if getattr(param, "help", None):
                param.help = gettext(lang, param.help)  # type: ignore[attr-defined]
            if isinstance(param.metavar, str):
                param.metavar = gettext(lang, param.metavar)
        command.options_metavar = t("toolkit.options_metavar", lang)
        if hasattr(command, "subcommand_metavar"):
            command.subcommand_metavar = t("toolkit.subcommand_metavar", lang)
        command.context_class = type(  # type: ignore[misc]
            f"{command.context_class.__name__}_{lang}", (command.context_class,), {"formatter_class": formatter}
        )


def _clean(text: str) -> str:
    return inspect.cleandoc(text)


def show_error(exc: _click.exceptions.ClickException, lang: str) -> None:
    """What Typer's ``exc.show()`` prints, in ``lang``."""
    if isinstance(exc, _click.exceptions.NoArgsIsHelpError):
        exc.show()  # the help page itself, already in ``lang``
        return
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, _click.exceptions.UsageError) and ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = t("toolkit.try_help", lang, command=f"{ctx.command_path} {ctx.help_option_names[0]}") + "\n"
        _click.echo(f"{ctx.get_usage()}\n{hint}", err=True)
    message = translate_toolkit(exc.format_message(), lang)
    _click.echo(t("toolkit.error", lang, message=message), err=True)


class LocalizedGroup(TyperGroup):
    """The root ``reemploi`` group: the run's language first, then Typer's own main."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        lang = lang_of(args)
        localize(self, lang)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _click.exceptions.ClickException as exc:
            show_error(exc, lang)
            sys.exit(exc.exit_code)
        except Abort:
            _click.echo(t("toolkit.aborted", lang), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

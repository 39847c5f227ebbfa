"""What every command shares: options, the unit of work, error translation, output."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Column
from rich.table import Table as RichTable
from rich.text import Text
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DataError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session

from reemploi import errors
from reemploi.db import make_engine, migrate, resolve_url, transaction
from reemploi.i18n import current_lang, header, is_lang, label, state_label, t
from reemploi.i18n.formatting import number

# Exit codes (documented in docs/cli.md).
EXIT_OK, EXIT_PARTIAL, EXIT_INPUT, EXIT_NOT_FOUND, EXIT_CONFLICT, EXIT_DATABASE = 0, 1, 2, 3, 4, 5

# No markup: serials, notes, names and file names are printed as typed ("[bold]X", "[/]"),
# tables included; a style is given with print(..., style="red"), never inside the text.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $REEMPLOI_DATABASE_URL or sqlite:///reemploi.db).", show_default=False
    ),
]
LangOpt = Annotated[
    str | None, typer.Option("--lang", metavar="fr|en", help="Language (default: from the locale).", show_default=False)
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", metavar="DATE", help="When it happened, if not now: 2025-03-14, 14/03/2025 09:30, "
                                                  "14 mars 2025 (local time, REEMPLOI_TIME_ZONE)."),
]
ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--actor",
        help="Who does this, for the audit log (default: $REEMPLOI_ACTOR or the OS user).",
        show_default=False,
    ),
]


class Table(RichTable):
    """A table whose cells wrap rather than end in '…': serials and codes are copied from it.

    When it is wider than the terminal it drops its borders, keeps its first column (the
    row's name) on one line, then leaves out the ``optional`` columns (indexes, the first
    named goes first) until it fits; the caller names those in ``left_out`` after
    printing (see ``print_table``).
    """

    def __init__(self, *headers: Any, optional: tuple[int, ...] = (), **kwargs: Any) -> None:
        super().__init__(*headers, **kwargs)
        self._optional: list[Column] = [self.columns[i] for i in optional]
        self.left_out: list[str] = []

    def add_column(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        def too_wide() -> bool:
            return self.__rich_measure__(console, options).maximum > options.max_width

        if too_wide():
            self.box, self.show_edge, self.pad_edge = box.SIMPLE_HEAD, False, False
            for column in self._optional:
                if not too_wide():
                    break
                self.columns.remove(column)
                self.left_out.append(str(column.header))
                for i, kept in enumerate(self.columns):  # Rich pads the first and last by index
                    kept._index = i
            self._optional = []
            # The first column names the row (serial, code, site): whole on one line if it can be.
            first = self.columns[0]
            first.min_width = min(40, max((len(str(cell)) for cell in first._cells), default=0))
            if self.__rich_measure__(console, options).minimum > options.max_width:
                first.min_width = None
        yield from super().__rich_console__(console, options)


def print_table(c: Ctx, table: Table) -> None:
    """Print ``table`` to fit the terminal, then name (on stderr) the columns it left out.

    To a file or a pipe the table goes at its natural width: every column, no folding.
    """
    if out.is_terminal:
        out.print(table)
    else:
        natural = out.measure(table, options=out.options.update_width(100_000)).maximum
        Console(width=max(out.width, natural), highlight=False, soft_wrap=True, markup=False).print(table)
    if table.left_out:
        err.print(c.t("columns_left_out", columns=", ".join(table.left_out)), style="dim")


def decimal(value: object) -> float:
    """A number option as people type it: ``0,001``, ``1 234,5`` as well as ``0.001`` (Typer's ``parser``)."""
    if isinstance(value, int | float):
        return float(value)
    from reemploi.inventory.records import parse_number

    try:
        return parse_number(str(value))
    except ValueError:
        raise ValueError(f"not a number: '{value}'") from None


@dataclass
class Ctx:
    url: str
    lang: str
    json: bool = False
    occurred: datetime | None = None  # when what the command records happened (--date), None: now

    def t(self, code: str, /, **params: Any) -> str:
        return t(code, self.lang, **params)

    def n(self, value: float | int | None, digits: int | None = None) -> str:
        """A number as the language writes it (1 234,5 / 1,234.5)."""
        return number(value, self.lang, digits)

    def h(self, *names: str) -> list[str]:
        """Table headers in the user's language."""
        return [header(n, self.lang) for n in names]


# The language given before the command (``reemploi --lang fr …``), set by the root callback.
ROOT_LANG: str | None = None


def ctx(db: str | None, lang: str | None, json: bool = False, date: str | None = None) -> Ctx:
    lang = lang or ROOT_LANG
    c = Ctx(resolve_url(db), current_lang(lang), json)
    if lang and not is_lang(lang):
        fail(c, "unknown_lang", EXIT_INPUT, lang=lang)
    if date is not None:
        from reemploi.workflow.clock import parse

        with translated(c):
            c.occurred = parse(date)
    return c


def actor_name(actor: str | None) -> str:
    if actor:
        return actor
    if os.environ.get("REEMPLOI_ACTOR"):
        return os.environ["REEMPLOI_ACTOR"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def fail(c: Ctx, code: str, exit_code: int, **params: Any) -> NoReturn:
    """One line on stderr (a JSON object with --json) and the exit code."""
    message = c.t(code, **params)
    if c.json:
        sys.stderr.write(orjson.dumps({"error": code, "message": message, "exit_code": exit_code}).decode() + "\n")
    else:
        err.print(message, style="red")
    raise typer.Exit(exit_code)


def exit_code_for(exc: errors.ReemploiError) -> int:
    if isinstance(exc, errors.InvalidInput):
        return EXIT_INPUT
    if isinstance(exc, errors.NotFound):
        return EXIT_NOT_FOUND
    if isinstance(exc, errors.Conflict):
        return EXIT_CONFLICT
    if isinstance(exc, errors.DatabaseNotReady):
        return EXIT_DATABASE
    return EXIT_INPUT


@contextmanager
def translated(c: Ctx) -> Iterator[None]:
    """Turn domain and database errors into one line on stderr and an exit code."""
    try:
        yield
    except errors.ReemploiError as exc:
        fail(c, exc.code, exit_code_for(exc), **exc.params)
    except IntegrityError as exc:  # e.g. another import created the same serial meanwhile
        fail(c, "database_conflict", EXIT_CONFLICT, error=_first_line(exc, c.url))
    except DataError as exc:
        fail(c, "database_bad_value", EXIT_INPUT, error=_first_line(exc, c.url))
    except OperationalError as exc:
        line = _first_line(exc, c.url)
        if "locked" in line or "busy" in line:
            fail(c, "database_busy", EXIT_CONFLICT, error=line)
        if not _is_connection_problem(line):
            raise
        fail(c, "database_unreachable", EXIT_DATABASE, error=line)
    except DatabaseError as exc:  # e.g. SQLite: "file is not a database"
        fail(c, "database_not_a_db", EXIT_DATABASE, url=_safe(c.url), error=_first_line(exc, c.url))
    except OSError as exc:  # an output file that cannot be written, a full disk…
        fail(c, "os_error", EXIT_INPUT, file=exc.filename or "-", error=exc.strerror or str(exc))
    except (ArgumentError, NoSuchModuleError):
        fail(c, "bad_db_url", EXIT_INPUT, url=_safe(c.url))


def _is_connection_problem(line: str) -> bool:
    words = ("unable to open", "connect", "connection", "password", "does not exist", "no such host", "timeout",
             "refused", "authentication", "readonly", "read-only", "disk")  # fmt: skip
    return any(w in line.lower() for w in words)


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: DatabaseError, url: str) -> str:
    text = (str(exc.orig) if exc.orig is not None else str(exc)).strip().splitlines()
    line = text[0] if text else exc.__class__.__name__
    if url.startswith("sqlite") and "unable to open" in line:
        line += f" ({url.removeprefix('sqlite:///')})"
    return line


def engine_for(c: Ctx, *, check_schema: bool = True) -> Engine:
    """The engine for ``c.url``; with ``check_schema``, refuse a database not at head.

    A missing SQLite file is not created by commands that only read or change data
    (only ``init`` and ``db upgrade`` create one).
    """
    with translated(c):
        engine = make_engine(c.url)
        if check_schema:
            path = engine.url.database
            if engine.dialect.name == "sqlite" and path and path != ":memory:" and not Path(path).exists():
                raise errors.DatabaseNotReady(url=_safe(c.url))
            migrate.ensure_current(engine)
        return engine


@contextmanager
def unit_of_work(c: Ctx, *, dry_run: bool = False, write: bool = True) -> Iterator[Session]:
    """The command's transaction: committed when the command succeeds, else rolled back.

    Commands that only read pass ``write=False`` (no write lock taken).
    """
    from reemploi.workflow.clock import occurring

    engine = engine_for(c)
    try:
        with translated(c), occurring(c.occurred):
            if dry_run:
                with make_session(engine.execution_options(sqlite_immediate=True)) as session:
                    try:
                        yield session
                    finally:
                        session.rollback()
            else:
                with transaction(engine, write=write) as session:
                    yield session
    finally:
        engine.dispose()


def make_session(engine: Engine) -> Session:
    from reemploi.db import session_factory

    return session_factory(engine)()


def print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n")


def read_serials(c: Ctx, items: list[str]) -> list[str]:
    """Serials from the arguments, or from standard input when the only one is '-'.

    A line or argument holding several serials (spaces, commas, semicolons) gives each;
    label payloads (``REEMPLOI:D:<serial>``) are read by the workflow.

    Refuses an empty list: a scanner pipeline that produced nothing is an error.
    """
    from reemploi.inventory.tabular import read_codes
    from reemploi.workflow.service import split_scans

    with translated(c):
        codes = split_scans(read_codes("-") if items == ["-"] else items)
    if not codes:
        fail(c, "no_serials", EXIT_INPUT)
    return codes


def progress_bar(label: str, enabled: bool) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A row counter on stderr for long work; silent when disabled or not a terminal."""
    if not enabled or not err.is_terminal:
        return None, lambda: None
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    prog = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),  # a file name, printed as is
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = prog.add_task(label, total=None)
    prog.start()
    return (lambda n: prog.update(task, completed=n)), prog.stop


def history_table(c: Ctx, events: list[dict[str, Any]]) -> Any:
    """The audit events of a device or lot (``devices show``, ``audit log``).

    One line per event, its data on an indented line below: readable in 80 columns,
    where a table would fold every cell.
    """
    lines: list[Any] = []
    if events:
        lines.append(Text(" · ".join(c.h("#", "at (UTC)", "actor", "action", "from → to", "location")), style="bold"))
    for e in events:
        states = (f"{state_label(e['from_state'], c.lang)} → {state_label(e['to_state'], c.lang)}"
                  if e["from_state"] or e["to_state"] else "")  # fmt: skip
        action = label("audit_action", e["action"], c.lang)
        head = [f"#{e['seq']}", e["at"][:19].replace("T", " "), e["actor"], action, states, e["location"] or ""]
        lines.append(Text(" · ".join(part for part in head if part)))
        if e["data"]:
            lines.append(Text("    " + _compact(e["data"]), style="dim"))
    return Group(*lines)


def _compact(data: Any) -> str:
    """An event's data as ``key=value, …`` (nested values as compact JSON)."""
    if not isinstance(data, dict):
        return orjson.dumps(data).decode()
    return ", ".join(
        f"{k}={v if isinstance(v, str | int | float) else orjson.dumps(v).decode()}" for k, v in data.items()
    )

"""A small driver for imports of reference tables (catalog, locations, later sites).

The file is read with ``tabular``; each row is handed as ``{folded header: value}``
to a handler that returns "created", "updated" or "unchanged", or raises ``RowError``.
Rejected rows go to a rejects file, exactly like the device importer's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reemploi.i18n import t
from reemploi.inventory.tabular import (
    REJECT_COLUMNS,
    check_output_file,
    fold,
    open_table,
    rejects_path_for,
    unquote,
    write_rejects,
)


class RowError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, params
        super().__init__(code)


class RowErrors(RowError):
    """Every problem found in one row, so that a fix is one round trip, not one per field."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors[0].code, **errors[0].params)
        self.errors = errors

    def message(self, lang: str) -> str:
        return "; ".join(t(e.code, lang, **e.params) for e in self.errors)


class RowCheck:
    """Runs a row's field checks, keeping each ``RowError`` instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def __call__(self, check: Callable[..., Any], *args: Any, default: Any = None, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except RowError as exc:
            self.errors.append(exc)
            return default

    def add(self, code: str, **params: Any) -> None:
        self.errors.append(RowError(code, **params))

    def done(self) -> None:
        """Raise every problem found so far, if any."""
        if self.errors:
            raise RowErrors(self.errors)


@dataclass
class RowsResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_file: str | None = None
    rejects_kept: str | None = None  # a rejects file that had the name: left as it was
    # (line, reason) of every rejected row, in file order.
    problems: list[tuple[int, str]] = field(default_factory=list, repr=False)
    ignored_columns: list[str] = field(default_factory=list)  # columns the importer has no use for

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()
                if k != "problems" and (k not in ("rejects_kept", "ignored_columns") or v)}  # fmt: skip


Handler = Callable[[int, dict[str, str], list[tuple[str, str]]], str]


def import_rows(
    path: str | Path,
    handle: Handler,
    *,
    key: str,
    rejects_path: str | Path | None = None,
    sheet: str | None = None,
    lang: str = "en",
) -> RowsResult:
    """Feed each data row to ``handle(line, fields, extras)``; count and keep rejects.

    ``key`` is the (folded) header that marks the header row. ``extras`` lists the
    columns whose header ``handle`` does not know, as (original header, value).
    """
    path = Path(path)
    out = rejects_path_for(path, rejects_path)
    check_output_file(out, (path,))
    table = open_table(path, is_header=lambda cells: fold(key) in cells, what=key, sheet=sheet)
    result = RowsResult()
    rejects: list[tuple[int, str, list[str]]] = []
    with table:
        folded = [fold(h) for h in table.header]
        width = len(folded)
        for line, cells in table.rows:
            result.rows += 1
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                rejects.append((line, t("row_too_long", lang, cells=len(cells), width=width), cells))
                continue
            cells = (cells + [""] * width)[:width]
            fields = {}
            extras = []
            if line in table.uncached:
                rejects.append((line, t("formula_uncached", lang, columns=", ".join(table.uncached[line])), cells))
                continue
            for h, orig, v in zip(folded, table.header, cells, strict=True):
                if h in REJECT_COLUMNS:
                    continue
                fields[h] = unquote(v.strip())
                extras.append((orig.strip(), fields[h]))
            try:
                outcome = handle(line, fields, extras)
            except RowError as exc:
                why = exc.message(lang) if isinstance(exc, RowErrors) else t(exc.code, lang, **exc.params)
                rejects.append((line, why, cells))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
    result.rejected = len(rejects)
    result.problems = [(line, why) for line, why, _ in rejects]
    if rejects:
        written = write_rejects(out, table.header, rejects)
        result.rejects_file = str(written)
        result.rejects_kept = str(out) if written != out else None
    return result


_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007'’"), None)


def parse_number(raw: str) -> float:
    """A number as people type it: ``1 234,5`` (spaces, no-break spaces, apostrophes as thousands),
    ``1.234,5`` or ``1,234.5`` (the last of ``.`` and ``,`` is the decimal mark), ``12,5``.

    Raises ``ValueError`` when it is not one.
    """
    text = raw.strip().translate(_SPACES)
    if "," in text and "." in text:
        dec = max(text.rfind(","), text.rfind("."))
        text = text[:dec].replace(",", "").replace(".", "") + "." + text[dec + 1 :]
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:  # 1,234,567: thousands
        text = text.replace(",", "")
    return float(text)


def opt_float(fields: dict[str, str], name: str, low: float = -math.inf, high: float = math.inf) -> float | None:
    raw = fields.get(fold(name), "")
    if not raw:
        return None
    try:
        value = parse_number(raw)
    except ValueError:
        raise RowError("number_invalid", field=name, value=raw) from None
    if not math.isfinite(value):
        raise RowError("number_invalid", field=name, value=raw)
    if not low <= value <= high:
        raise RowError("number_range", field=name, value=raw, low=low, high=high)
    return value


def opt_int(fields: dict[str, str], name: str, low: int = 0, high: int = 10**9) -> int | None:
    value = opt_float(fields, name, low, high)
    if value is None:
        return None
    if not value.is_integer():
        raise RowError("number_invalid", field=name, value=fields.get(fold(name)))
    return int(value)


def opt_date(fields: dict[str, str], name: str) -> date | None:
    raw = fields.get(fold(name), "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise RowError("date_invalid", field=name, value=raw) from None


def opt_str(fields: dict[str, str], name: str, max_len: int = 400) -> str | None:
    raw = fields.get(fold(name), "")
    if len(raw) > max_len:
        raise RowError("value_too_long", field=name, max=max_len)
    return raw or None

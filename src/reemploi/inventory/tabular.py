"""Reading tables from the field: CSV (any usual encoding and delimiter) or XLSX.

Yields ``(line, cells)`` for each non-blank data row, ``line`` being where the row
starts in the source (physical line for CSV, row number for XLSX), so that every
message and every reject names a line the user can find.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reemploi.errors import InvalidInput

HEADER_SEARCH_ROWS = 10
SAMPLE_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def fold(value: str) -> str:
    """Lower-case, accents removed, only letters and digits: how headers are compared."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed.lower() if ch.isalnum() and not unicodedata.combining(ch))


@dataclass
class Table:
    path: Path
    format: str
    encoding: str | None
    delimiter: str | None
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    _closers: list[Callable[[], None]] = field(default_factory=list)
    # XLSX: line -> columns holding a formula that Excel never computed (no value).
    uncached: dict[int, list[str]] = field(default_factory=dict)

    def close(self) -> None:
        for c in self._closers:
            c()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            candidates = ["utf-8-sig"]
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            candidates = ["utf-16"]
        else:
            candidates = ["utf-8", "cp1252"]
        for enc in candidates:
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(enc)()
            try:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
                return enc
            except UnicodeDecodeError:
                continue
        fh.seek(0)
        head = fh.read(SAMPLE_BYTES)
    if b"\x00" in head or sum(1 for b in head if b < 32 and b not in (9, 10, 13)) > max(2, len(head) // 100):
        raise InvalidInput("file_binary", file=str(path))
    raise InvalidInput("file_undecodable", file=str(path))


def _sniff_delimiter(sample: str) -> str:
    best, best_score = ",", (-1, -1)
    lines = sample.splitlines()[:-1] or sample.splitlines()  # the last line may be cut
    for delim in DELIMITERS:
        counts: dict[int, int] = {}
        for row in csv.reader(lines, delimiter=delim):
            if any(c.strip() for c in row):
                counts[len(row)] = counts.get(len(row), 0) + 1
        multi = {n: k for n, k in counts.items() if n > 1}
        if not multi:
            continue
        width, rows = max(multi.items(), key=lambda kv: (kv[1], kv[0]))
        score = (rows, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _find_header(
    rows: Iterator[tuple[int, list[str]]], is_header: Callable[[list[str]], bool], what: str, path: Path
) -> tuple[int, list[str]]:
    for i, (line, cells) in enumerate(rows):
        if i >= HEADER_SEARCH_ROWS:
            break
        if is_header([fold(c) for c in cells]):
            return line, [c.strip() for c in cells]
    raise InvalidInput("no_header", file=str(path), column=what, rows=HEADER_SEARCH_ROWS)


def _csv_rows(text: io.TextIOBase, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(text, delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            # Most rows start with a value: test that before scanning every cell.
            if cells and (cells[0].strip() or any(c.strip() for c in cells)):
                yield line, cells
    except csv.Error as exc:
        raise InvalidInput("file_csv_error", file=getattr(text, "name", "?"), line=start, error=str(exc)) from None


def check_input_file(path: Path) -> None:
    """Raise ``InvalidInput`` naming why ``path`` cannot be read as an input file."""
    if path.is_dir():
        raise InvalidInput("file_is_dir", file=str(path))
    if not path.is_file():
        raise InvalidInput("file_missing", file=str(path))
    if path.stat().st_size == 0:
        raise InvalidInput("file_empty", file=str(path))


def _looks_binary(sample: str) -> bool:
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    return "\x00" in sample or controls > max(2, len(sample) // 100)


def open_table(
    path: str | Path, *, is_header: Callable[[list[str]], bool], what: str, sheet: str | None = None
) -> Table:
    """Open a CSV or XLSX file and position it after its header row.

    Raises ``InvalidInput`` when the file is missing, empty, a folder, not a table,
    undecodable, or has no header row (a row for which ``is_header`` is true) among
    its first rows.
    """
    path = Path(path)
    check_input_file(path)
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, is_header, what, sheet)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput("file_xls", file=str(path))
    if sheet:
        raise InvalidInput("sheet_not_csv", file=str(path))
    encoding = _detect_encoding(path)
    fh_text = path.open("r", encoding=encoding, newline="")
    sample = fh_text.read(SAMPLE_BYTES)
    if _looks_binary(sample):
        fh_text.close()
        raise InvalidInput("file_binary", file=str(path))
    delimiter = _sniff_delimiter(sample)
    fh_text.seek(0)
    rows = _csv_rows(fh_text, delimiter)
    try:
        header_line, header = _find_header(rows, is_header, what, path)
    except BaseException:
        fh_text.close()
        raise
    return Table(path, "csv", encoding, delimiter, header, header_line, rows, [fh_text.close])


def _xlsx_rows(values: Any, formulas: Any, uncached: dict[int, list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Rows of cached values; a formula Excel never computed is kept as its text and noted."""
    from openpyxl.utils import get_column_letter

    for line, (vals, forms) in enumerate(zip(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True),
                                             strict=False), start=1):  # fmt: skip
        cells = [_cell(v) for v in vals]
        for i, f in enumerate(forms):
            if isinstance(f, str) and f.startswith("=") and (i >= len(vals) or vals[i] is None):
                while len(cells) <= i:
                    cells.append("")
                cells[i] = f
                uncached.setdefault(line, []).append(get_column_letter(i + 1))
        if any(c.strip() for c in cells):
            yield line, cells


def _open_xlsx(path: Path, is_header: Callable[[list[str]], bool], what: str, sheet: str | None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    handles = []
    books = []
    try:
        for data_only in (True, False):
            # A file handle, not the path: openpyxl refuses names that do not end in .xlsx.
            fh = path.open("rb")
            handles.append(fh)
            books.append(load_workbook(fh, read_only=True, data_only=data_only))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        for fh in handles:
            fh.close()
        raise InvalidInput("file_bad_xlsx", file=str(path), error=str(exc) or exc.__class__.__name__) from None

    def close() -> None:
        for wb in books:
            wb.close()
        for fh in handles:
            fh.close()

    values_wb, formulas_wb = books
    if sheet is not None and sheet not in values_wb.sheetnames:
        names = ", ".join(values_wb.sheetnames)
        close()
        raise InvalidInput("sheet_unknown", file=str(path), sheet=sheet, sheets=names)
    name = sheet or values_wb.sheetnames[0]
    uncached: dict[int, list[str]] = {}
    rows = _xlsx_rows(values_wb[name], formulas_wb[name], uncached)
    try:
        header_line, header = _find_header(rows, is_header, what, path)
    except BaseException:
        close()
        raise
    table = Table(path, "xlsx", None, None, header, header_line, rows, [close])
    table.uncached = uncached
    return table


def read_codes(path: str | Path | None, stdin: Any = None) -> list[str]:
    """Scanned codes, one per line, from a file (any usual encoding) or standard input.

    Blank lines are skipped. A binary or undecodable file is refused, so that garbage
    never becomes scans.
    """
    if path is None or str(path) == "-":
        text = (stdin or sys.stdin).read()
    else:
        path = Path(path)
        check_input_file(path)
        text = path.read_text(encoding=_detect_encoding(path))
        if text.startswith("\ufeff"):
            text = text[1:]
    if _looks_binary(text[:SAMPLE_BYTES]):
        raise InvalidInput("file_binary", file=str(path or "-"))
    return [line.strip() for line in text.splitlines() if line.strip()]


def rejects_path_for(source: Path, explicit: str | Path | None = None) -> Path:
    """Where the rejects of ``source`` go: ``explicit``, else beside the input.

    A CSV input keeps its stem (``rig.csv`` -> ``rig.rejects.csv``); any other input
    keeps its full name (``rig.json`` -> ``rig.json.rejects.csv``, ``rig.xlsx`` ->
    ``rig.xlsx.rejects.csv``), so that the rejects of two inputs never share a name.
    ``write_rejects`` still never overwrites a file that exists.
    """
    if explicit:
        return Path(explicit)
    if source.suffix.lower() == ".csv":
        return source.with_name(source.stem + ".rejects.csv")
    return source.with_name(source.name + ".rejects.csv")


def free_path(path: Path, taken: Callable[[Path], bool] = Path.exists) -> Path:
    """``path`` if it is free, else the first free ``NAME-2.EXT``, ``NAME-3.EXT``…"""
    candidate, n = path, 1
    while taken(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def write_rejects(path: Path, header: list[str], rejects: list[tuple[int, str, list[str]]]) -> Path:
    """Write rejected rows: line in the source, reason, then the original cells; return the file written.

    UTF-8 with a BOM (Excel opens it right) and comma-delimited; the importers drop
    the two leading columns when the file comes back, so it re-imports as is. When
    the input was itself a rejects file, its old ``reject_*`` columns are replaced,
    not repeated. An existing file is never overwritten: the rows go to the first
    free ``NAME-2.csv``, ``NAME-3.csv``… instead (the caller reports the name).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = [i for i, h in enumerate(header) if fold(h) not in REJECT_COLUMNS]
    while True:
        path = free_path(path)
        try:
            fh = path.open("x", encoding="utf-8-sig", newline="")  # "x": a file created meanwhile is kept too
        except FileExistsError:
            continue
        break
    with fh:
        w = csv.writer(fh)
        w.writerow([REJECT_LINE, REJECT_REASON, *(header[i] for i in keep)])
        for line, reason, cells in rejects:
            w.writerow([line, reason, *(neutralise(cells[i]) if i < len(cells) else "" for i in keep),
                        *(neutralise(c) for c in cells[len(header):])])  # fmt: skip
    return path


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would run as a formula (CSV injection).

    ``unquote`` undoes it when the file comes back, so files round-trip.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unquote(value: str, identifier: bool = False) -> str:
    """Drop the quote that ``neutralise`` put before a formula-like value.

    For identifiers (serials, MACs, models, codes) also drop Excel's leading text
    marker, which some exports keep: ``'FOC123`` is ``FOC123``.
    """
    if value.startswith("'") and len(value) > 1 and (identifier or value[1] in "=+-@\t\r"):
        return value[1:]
    return value


def check_output_file(path: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output path that is a folder or one of the inputs (it would be overwritten)."""
    if path.is_dir():
        raise InvalidInput("output_is_dir", file=str(path))
    for src in inputs:
        if path.exists() and src.exists() and path.resolve() == src.resolve():
            raise InvalidInput("output_is_input", file=str(path))


REJECT_LINE = "reject_line"
REJECT_REASON = "reject_reason"
REJECT_COLUMNS = {fold(REJECT_LINE), fold(REJECT_REASON)}

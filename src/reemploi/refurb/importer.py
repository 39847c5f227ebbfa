"""Bulk import of test runs from a test rig: CSV, XLSX or JSON (a list of objects).

Same contract as the device importer: every row is recorded or rejected, exactly
once; rejected rows go to a rejects file that re-imports once fixed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from reemploi.errors import InvalidInput
from reemploi.i18n import t
from reemploi.inventory.importer import check_serial
from reemploi.inventory.records import RowError, RowsResult
from reemploi.inventory.tabular import (
    REJECT_COLUMNS,
    check_input_file,
    check_output_file,
    fold,
    open_table,
    rejects_path_for,
    unquote,
    write_rejects,
)
from reemploi.refurb.models import PHYSICAL_CHECKS, Check, Condition
from reemploi.refurb.rules import RuleSet
from reemploi.refurb.service import TestInput, record_tests

CHECKS = ("power_on", "boot", "radio_24", "radio_5", "radio_6")
CONDITIONS = ("casing", "bracket", "labels", "ports")
SYNONYMS = {
    "ok": "pass", "pass": "pass", "passed": "pass", "yes": "pass", "oui": "pass", "1": "pass", "true": "pass",
    "ko": "fail", "fail": "fail", "failed": "fail", "no": "fail", "non": "fail", "0": "fail", "false": "fail",
    "na": "na", "n/a": "na", "": "na", "-": "na",
}  # fmt: skip
# Field name -> its folded header (how columns are matched), computed once.
FOLDED = {
    h: fold(h) for h in (*CHECKS, *CONDITIONS, "serial", "eth_speed_mbps", "poe_class", "firmware", "notes", "bench")
}
BATCH = 20_000
# Other names a rig or a technician's sheet gives the same columns (folded), among them the
# `refurb test` option names, so that a file written after the CLI's help is read right.
ALIASES = {
    "power": "poweron", "poweronresult": "poweron", "eth": "ethspeedmbps", "ethernet": "ethspeedmbps",
    "ethspeed": "ethspeedmbps", "linkspeed": "ethspeedmbps", "poe": "poeclass", "fw": "firmware",
    "radio24ghz": "radio24", "radio2g": "radio24", "radio5ghz": "radio5", "radio5g": "radio5",
    "radio6ghz": "radio6", "radio6g": "radio6", "sn": "serial", "serialnumber": "serial", "numerodeserie": "serial",
    "note": "notes", "comment": "notes", "comments": "notes",
}  # fmt: skip
# A test run without it says nothing of the device: a missing column is never taken as a pass.
# (A missing boot column follows power-on: a device that did not power on did not boot.)
REQUIRED = ("power_on",)


def _check(fields: dict[str, str], name: str, default: Check) -> Check:
    raw = fields.get(FOLDED[name], "").strip().lower()
    if not raw:
        return default
    value = SYNONYMS.get(raw)
    if value is None:
        raise RowError("bad_choice", field=name, value=raw, choices="pass, fail, na")
    return Check(value)


def _condition(fields: dict[str, str], name: str) -> Condition:
    raw = fields.get(FOLDED[name], "").strip().lower() or "ok"
    accepted = PHYSICAL_CHECKS[name]
    if raw not in accepted:
        raise RowError("bad_choice", field=name, value=raw, choices=", ".join(c.value for c in accepted))
    return Condition(raw)


def parse_row(fields: dict[str, str]) -> TestInput:
    serial, why = check_serial(fields.get("serial", ""))
    if serial is None:
        raise RowError(why or "serial_invalid", value=fields.get("serial", ""))
    raw_eth = fields.get(FOLDED["eth_speed_mbps"], "").strip()
    try:
        eth = int(float(raw_eth)) if raw_eth else None
    except ValueError:
        raise RowError("number_invalid", field="eth_speed_mbps", value=raw_eth) from None
    if eth is not None and not 0 <= eth <= 100_000:
        raise RowError("number_range", field="eth_speed_mbps", value=raw_eth, low=0, high=100_000)
    power_on = _check(fields, "power_on", Check.PASS)
    return TestInput(
        serial=serial,
        power_on=power_on,
        boot=_check(fields, "boot", power_on),
        radio_24=_check(fields, "radio_24", Check.NA),
        radio_5=_check(fields, "radio_5", Check.NA),
        radio_6=_check(fields, "radio_6", Check.NA),
        eth_speed_mbps=eth,
        poe_class=fields.get(FOLDED["poe_class"]) or None,
        firmware=fields.get("firmware") or None,
        casing=_condition(fields, "casing"),
        bracket=_condition(fields, "bracket"),
        labels=_condition(fields, "labels"),
        ports=_condition(fields, "ports"),
        notes=(fields.get("notes") or None),
        bench=(fields.get("bench") or None),
    )


def _json_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("file_bad_json", file=str(path), error=str(exc)) from None
    if isinstance(data, dict):
        data = data.get("tests", data.get("results"))
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise InvalidInput("file_bad_json", file=str(path), error="expected a list of objects")
    header: list[str] = []
    for obj in data:
        for k in obj:
            if k not in header:
                header.append(str(k))
    if "serial" not in {fold(h) for h in header}:
        raise InvalidInput("no_header", file=str(path), column="serial", rows=1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for i, obj in enumerate(data, start=1):
            yield i, ["" if obj.get(h) is None else str(obj.get(h)) for h in header]

    return header, rows()


def import_tests(
    session: Session,
    path: str | Path,
    *,
    technician: str,
    rules: RuleSet | None = None,
    rejects_path: str | Path | None = None,
    sheet: str | None = None,
    lang: str = "en",
    progress: Callable[[int], None] | None = None,
) -> RowsResult:
    """Record every valid row as a test run (graded); reject the others with a reason."""
    path = Path(path)
    out = rejects_path_for(path, rejects_path)
    check_output_file(out, (path,))
    check_input_file(path)
    result = RowsResult()
    rejects: list[tuple[int, str, list[str]]] = []
    closer: Callable[[], None] = lambda: None  # noqa: E731
    if path.suffix.lower() == ".json":
        header, rows = _json_rows(path)
    else:
        table = open_table(path, is_header=lambda cells: "serial" in cells, what="serial", sheet=sheet)
        header, rows, closer = table.header, table.rows, table.close
    folded = [ALIASES.get(fold(h), fold(h)) for h in header]
    known = {*FOLDED.values(), *(fold(c) for c in REJECT_COLUMNS), *REJECT_COLUMNS}
    missing = [name for name in REQUIRED if FOLDED[name] not in folded]
    if missing:
        closer()
        raise InvalidInput("tests_columns_missing", file=str(path), columns=", ".join(missing),
                           found=", ".join(h for h in header if h) or "-")  # fmt: skip
    result.ignored_columns = [h for h, f in zip(header, folded, strict=True) if h and f not in known]
    width = len(header)
    batch: list[tuple[int, list[str], TestInput]] = []

    def flush() -> None:
        if not batch:
            return
        res = record_tests(session, [ti for _, _, ti in batch], technician=technician, rules=rules, lang=lang)
        done = {o.serial for o in res.done}
        why = {r.serial: t(r.code, lang, **r.params) for r in res.refused}
        unknown = set(res.unknown)
        for line, cells, ti in batch:
            if ti.serial in done:
                result.created += 1
            elif ti.serial in unknown:
                rejects.append((line, t("unknown_device", lang, serial=ti.serial), cells))
            else:
                rejects.append((line, why.get(ti.serial, t("error", lang, params="")), cells))
        batch.clear()
        if progress:
            progress(result.rows)

    seen: dict[str, int] = {}
    try:
        for line, cells in rows:
            result.rows += 1
            cells = (cells + [""] * width)[:width] if len(cells) <= width else cells
            fields = {h: unquote(v.strip()) for h, v in zip(folded, cells, strict=False) if h not in REJECT_COLUMNS}
            try:
                ti = parse_row(fields)
            except RowError as exc:
                rejects.append((line, t(exc.code, lang, **exc.params), cells))
                continue
            if ti.serial in seen:
                rejects.append((line, t("serial_duplicate", lang, value=ti.serial, line=seen[ti.serial]), cells))
                continue
            seen[ti.serial] = line
            batch.append((line, cells, ti))
            if len(batch) >= BATCH:
                flush()
        flush()
    finally:
        closer()
    result.rejected = len(rejects)
    if rejects:
        rejects.sort(key=lambda r: r[0])
        written = write_rejects(out, header, rejects)
        result.rejects_file = str(written)
        result.rejects_kept = str(out) if written != out else None
    return result

"""The device importer: messy field exports in, exact counts and a rejects file out.

Every data row counts exactly once: created, updated, unchanged or rejected. Rejected
rows keep their original cells and go to a rejects file that re-imports as is once
fixed. Rows are validated in Python and written in batches through
``reemploi.workflow.service`` (bulk inserts and audit events), never one by one.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel, ModelAlias
from reemploi.db import utcnow
from reemploi.db.bulk import select_in
from reemploi.errors import InvalidInput
from reemploi.i18n import refusal_reason, t
from reemploi.inventory.models import SERIAL_RE, Location
from reemploi.inventory.tabular import (
    REJECT_COLUMNS,
    check_output_file,
    fold,
    open_table,
    rejects_path_for,
    unquote,
    write_rejects,
)
from reemploi.workflow import audit, service
from reemploi.workflow.states import IMPORTABLE_STATES, State

FIELDS = ("serial", "mac", "model", "location", "asset_tag", "state")

# Header spellings per field, most specific first; compared folded (see ``fold``).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("serial", "serial number", "serial no", "sn", "s/n", "numéro de série",
               "n° de série", "no de série", "numéro série", "num série", "série"),
    "mac": ("mac", "mac address", "base mac", "base mac address", "ethernet mac", "adresse mac",
            "adresse mac de base"),
    "model": ("model", "modèle", "platform", "pid", "product id", "sku", "référence", "product"),
    "location": ("location", "site", "venue", "lieu", "emplacement", "site olympique"),
    "asset_tag": ("asset tag", "asset", "inventory number", "numéro d'inventaire",
                  "n° d'inventaire", "no d'inventaire", "inventaire", "étiquette"),
    "state": ("state", "status", "état", "statut"),
}  # fmt: skip
FOLDED_ALIASES = {f: tuple(fold(a) for a in names) for f, names in HEADER_ALIASES.items()}
# Columns that ``devices export`` derives from the database: ignored on the way back in,
# so that an export re-imports as unchanged.
EXPORT_ONLY = {fold(c) for c in ("kind", "grade", "lot", "updated_at", "created_at", "vendor", "version")}

SERIAL_MATCH = SERIAL_RE.match
EXCEL_NUMBER_RE = re.compile(r"^[0-9]+([.,][0-9]+)?E\+?[0-9]+$")
PLACEHOLDERS = {
    "UNKNOWN",
    "INCONNU",
    "NONE",
    "NULL",
    "N/A",
    "NA",
    "TBD",
    "-",
    "--",
    "?",
    "N.A.",
    "ND",
    "N/D",
    "TBC",
    "0000",
}
MAC_SEPARATORS = str.maketrans("", "", ":-. ")
DIGITS = frozenset("0123456789")

STATE_SYNONYMS = {
    "deployed": "deployed", "deploye": "deployed", "installeauxjo": "deployed", "enplace": "deployed",
    "collected": "collected", "collecte": "collected", "ramasse": "collected",
    "intransit": "in_transit", "entransit": "in_transit", "transit": "in_transit",
    "received": "received", "recu": "received", "receptionne": "received",
}  # fmt: skip

BATCH = 20_000
HEADER_SAMPLE_ROWS = 1_000
IMPORTABLE = {s.value for s in IMPORTABLE_STATES}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_file: str | None = None
    rejects_kept: str | None = None  # a rejects file that had the name: left as it was
    dry_run: bool = False
    reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "rejected": self.rejected, "rejects_file": self.rejects_file,
            **({"rejects_kept": self.rejects_kept} if self.rejects_kept else {}),
        }  # fmt: skip


CANONICAL_MAC = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}").fullmatch
HEX12 = re.compile(r"[0-9a-f]{12}").fullmatch
ODD_HEX = frozenset("13579bdf")


def normalise_mac(value: str) -> tuple[str | None, str | None]:
    """``(mac, None)`` in lower-case colon form, or ``(None, reason_code)``."""
    mac = unquote(value.strip(), identifier=True).lower()
    if not CANONICAL_MAC(mac):
        d = mac.translate(MAC_SEPARATORS)
        if not HEX12(d):
            return None, "mac_excel" if EXCEL_NUMBER_RE.match(mac.upper()) else "mac_invalid"
        mac = f"{d[0:2]}:{d[2:4]}:{d[4:6]}:{d[6:8]}:{d[8:10]}:{d[10:12]}"
    # The I/G bit (lowest of the first octet) marks multicast, broadcast included.
    if mac[1] in ODD_HEX or mac == "00:00:00:00:00:00":
        return None, "mac_reserved"
    return mac, None


def excel_rounded(serial: str) -> bool:
    """Digits that Excel rounded: it shows a number of 12 digits or more as ``1.23457E+11``
    (6 significant digits), and a file saved from that view, or a workbook that parsed it,
    holds ``123457000000``. A real serial ending in six zeros or more is rare enough that
    such a row is better checked by hand (it goes to the rejects file)."""
    return len(serial) >= 12 and serial.isdigit() and len(serial.rstrip("0")) <= 6


def check_serial(value: str) -> tuple[str | None, str | None]:
    """``(serial, None)`` trimmed and upper-cased, or ``(None, reason_code)``.

    Full-width and other compatibility characters are folded (NFKC) and Excel's
    leading text marker is dropped first.
    """
    serial = unicodedata.normalize("NFKC", unquote(value.strip(), identifier=True)).strip().upper()
    if not serial:
        return None, "serial_missing"
    if serial in PLACEHOLDERS:
        return None, "serial_placeholder"
    if EXCEL_NUMBER_RE.match(serial) or excel_rounded(serial):
        return None, "serial_excel"
    if not SERIAL_RE.match(serial):
        return None, "serial_invalid"
    return serial, None


def model_index(session: Session) -> dict[str, tuple[int, str]]:
    """Upper-cased model name or alias -> (model id, model name)."""
    index = {
        key: (mid, name)
        for mid, key, name in session.execute(select(EquipmentModel.id, EquipmentModel.key, EquipmentModel.model))
    }
    for key, mid, name in session.execute(
        select(ModelAlias.key, ModelAlias.model_id, EquipmentModel.model).join(EquipmentModel)
    ):
        index[key] = (mid, name)
    return index


def location_index(session: Session) -> dict[str, tuple[int, str]]:
    """Code (upper-case), folded code and folded name -> (location id, code)."""
    index: dict[str, tuple[int, str]] = {}
    rows = session.execute(select(Location.id, Location.code, Location.name_key)).all()
    for lid, code, name_key in rows:
        index.setdefault(name_key, (lid, code))
        index.setdefault(fold(code), (lid, code))
    for lid, code, _ in rows:
        index[code] = (lid, code)
    return index


def resolve_columns(
    header: list[str], mapping: dict[str, str] | None, sample: Sequence[tuple[int, list[str]]] = ()
) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Field -> column index, and the other columns (kept as attributes).

    When several columns could be one field, a column named exactly as the field
    (``location``, ``model``…) wins; else the one that has values in ``sample`` (the
    first data rows); when more than one has values and they differ on some row,
    the file is refused (``--map`` says which): reading the wrong column on every row
    is worse than asking.
    """
    folded = [fold(h) for h in header]
    columns: dict[str, int] = {}
    for fld, wanted in (mapping or {}).items():
        if fld not in FIELDS:
            raise InvalidInput("bad_map", value=f"{fld}={wanted}", fields=", ".join(FIELDS))
        try:
            columns[fld] = folded.index(fold(wanted))
        except ValueError:
            raise InvalidInput("map_header_missing", field=fld, header=wanted) from None
    taken = set(columns.values())

    def cell(row: list[str], i: int) -> str:
        return row[i].strip().upper() if i < len(row) else ""

    for fld in FIELDS:
        if fld in columns:
            continue
        found = list(dict.fromkeys(
            i for alias in FOLDED_ALIASES[fld] for i, f in enumerate(folded) if f == alias and i not in taken
        ))  # fmt: skip
        if len(found) > 1:
            exact = [i for i in found if folded[i] == fold(fld)]
            filled = [i for i in found if any(cell(cells, i) for _, cells in sample)]
            if exact:
                found = exact
            elif len(filled) <= 1:
                found = filled or found
            elif all(len({cell(cells, i) for i in filled} - {""}) <= 1 for _, cells in sample):
                found = filled  # they agree wherever both are filled: the same data
            else:
                names = ", ".join(f"'{header[i].strip()}'" for i in filled)
                raise InvalidInput("header_ambiguous", field=fld, headers=names, header=header[filled[0]].strip())
        if found:
            columns[fld] = found[0]
            taken.add(found[0])
    extras = [
        (i, h.strip() or f"column_{i + 1}")
        for i, h in enumerate(header)
        if i not in taken and folded[i] not in REJECT_COLUMNS and folded[i] not in EXPORT_ONLY
    ]
    return columns, extras


def _header_predicate(mapping: dict[str, str] | None) -> Callable[[list[str]], bool]:
    wanted = {fold(mapping["serial"])} if mapping and "serial" in mapping else set(FOLDED_ALIASES["serial"])
    return lambda cells: any(c in wanted for c in cells)


@dataclass(slots=True)
class _Parsed:
    line: int
    cells: list[str]
    serial: str
    mac: str | None
    model_id: int
    model: str
    location: tuple[int, str] | None
    asset_tag: str | None
    state: str | None
    attributes: dict[str, str] | None


def import_devices(
    session: Session,
    path: str | Path,
    *,
    actor: str,
    rejects_path: str | Path | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    default_location: str | None = None,
    lang: str = "en",
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
    source: str | None = None,
) -> ImportResult:
    """Import devices from a CSV or XLSX file (upsert by serial).

    Raises ``InvalidInput`` when the file cannot be used at all; the caller must then
    roll back. Rejected rows are written to ``rejects_path`` (default: beside the
    input, ``NAME.rejects.csv``; never over an existing file).
    """
    path = Path(path)
    out = rejects_path_for(path, rejects_path)
    check_output_file(out, (path,))
    audit.lock(session)  # before reading what we will change (see audit.lock)
    default_loc = service.find_location(session, default_location) if default_location else None
    wanted = mapping["serial"] if mapping and "serial" in mapping else "serial"
    table = open_table(path, is_header=_header_predicate(mapping), what=wanted, sheet=sheet)
    with table:
        # The first rows settle which column is which when headers alone cannot.
        sample = list(islice(table.rows, HEADER_SAMPLE_ROWS))
        columns, extras = resolve_columns(table.header, mapping, sample)
        models = model_index(session)
        locations = location_index(session)
        result = ImportResult()
        rejects: list[tuple[int, str, list[str]]] = []
        seen_serial: dict[str, int] = {}
        seen_mac: dict[str, int] = {}
        width = len(table.header)
        when = utcnow()
        source = source or path.name

        def reject(line: int, cells: list[str], code: str, /, **params: Any) -> None:
            rejects.append((line, t(code, lang, **params), cells))
            result.reasons[code] = result.reasons.get(code, 0) + 1

        i_serial = columns["serial"]
        i_mac = columns.get("mac")
        i_model = columns.get("model")
        i_loc = columns.get("location")
        i_tag = columns.get("asset_tag")
        i_state = columns.get("state")
        all_states = {s.value for s in State}

        uncached = table.uncached

        def parse(line: int, cells: list[str]) -> _Parsed | None:
            if uncached and line in uncached:
                reject(line, cells, "formula_uncached", columns=", ".join(uncached[line]))
                return None
            n = len(cells)
            if n > width:
                if any(c.strip() for c in cells[width:]):
                    reject(line, cells, "row_too_long", cells=n, width=width)
                    return None
                cells = cells[:width]
            elif n < width:
                cells = cells + [""] * (width - n)
            raw = cells[i_serial]
            serial = raw.strip().upper()
            if not SERIAL_MATCH(serial) or serial in PLACEHOLDERS or (serial[0] in DIGITS and excel_rounded(serial)):
                serial, why = check_serial(raw)
                if serial is None:
                    reject(line, cells, why or "serial_invalid", value=raw.strip())
                    return None
            if serial in seen_serial:
                reject(line, cells, "serial_duplicate", value=serial, line=seen_serial[serial])
                return None
            mac = None
            if i_mac is not None:
                raw = cells[i_mac].strip()
                if raw:
                    mac, why = normalise_mac(raw)
                    if mac is None:
                        reject(line, cells, why or "mac_invalid", value=raw)
                        return None
                    if mac in seen_mac:
                        reject(line, cells, "mac_duplicate", value=mac, line=seen_mac[mac])
                        return None
            raw = unquote(cells[i_model].strip(), identifier=True) if i_model is not None else ""
            if not raw:
                reject(line, cells, "model_missing")
                return None
            model = models.get(raw.upper())
            if model is None:
                model = models.get(" ".join(raw.upper().split()))
            if model is None:
                reject(line, cells, "model_unknown", value=raw)
                return None
            loc = None
            raw = unquote(cells[i_loc].strip(), identifier=True) if i_loc is not None else ""
            if raw:
                loc = locations.get(raw.upper())
                if loc is None:
                    loc = locations.get(fold(raw))
                if loc is None:
                    reject(line, cells, "location_unknown", value=raw)
                    return None
            elif default_loc is not None:
                loc = (default_loc.id, default_loc.code)
            state = None
            if i_state is not None:
                raw = cells[i_state].strip()
                if raw:
                    state = STATE_SYNONYMS.get(fold(raw), raw.lower())
                    if state not in all_states:
                        reject(line, cells, "state_unknown", value=raw)
                        return None
            tag = unquote(cells[i_tag].strip()) or None if i_tag is not None else None
            if tag is not None and len(tag) > 60:
                reject(line, cells, "value_too_long", field="asset_tag", max=60)
                return None
            attrs = None
            if extras:
                attrs = {name: unquote(v) for i, name in extras if (v := cells[i].strip())} or None
            seen_serial[serial] = line
            if mac:
                seen_mac[mac] = line
            return _Parsed(line, cells, serial, mac, model[0], model[1], loc, tag, state, attrs)

        batch: list[_Parsed] = []
        # Millions of short-lived tuples would trigger the cyclic GC over and over for
        # nothing (they hold no cycles); ~13 % of a million-row import.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for line, cells in chain(sample, table.rows):
                result.rows += 1
                parsed = parse(line, cells)
                if parsed is not None:
                    batch.append(parsed)
                if len(batch) >= batch_size:
                    _write_batch(session, batch, result, reject, actor=actor, when=when, source=source, lang=lang)
                    batch = []
                    if progress:
                        progress(result.rows)
            _write_batch(session, batch, result, reject, actor=actor, when=when, source=source, lang=lang)
        finally:
            if gc_was_enabled:
                gc.enable()
        if progress:
            progress(result.rows)

    result.rejected = len(rejects)
    if rejects:
        rejects.sort(key=lambda r: r[0])
        written = write_rejects(out, table.header, rejects)
        result.rejects_file = str(written)
        result.rejects_kept = str(out) if written != out else None
    return result


class _Existing:
    __slots__ = (
        "id", "serial", "mac", "model_id", "state", "location_id", "asset_tag", "attributes", "version", "state_since",
    )  # fmt: skip

    def __init__(self, row: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, row, strict=True):
            setattr(self, name, value)
        if isinstance(self.attributes, str):  # SQLite hands JSON back as text on the raw path
            self.attributes = orjson.loads(self.attributes)


# A new device imported in a later state must pass the guards of the last step into it
# (a `received` row must be at a refurbishment centre or warehouse, as a move would).
ENTRY_FROM = {State.COLLECTED: State.DEPLOYED, State.IN_TRANSIT: State.COLLECTED, State.RECEIVED: State.IN_TRANSIT}
# States in which an import may still change a device's location (a field correction at the venue).
LOCATION_FROM_IMPORT = {State.DEPLOYED.value}


def _refusals(session: Session, items: list[tuple[_Parsed, service.Candidate]], lang: str) -> dict[str, str]:
    """Check the state each row asks for, in groups of (target, location): serial -> why not."""
    groups: dict[tuple[str, str | None], list[service.Candidate]] = {}
    for p, cand in items:
        groups.setdefault((p.state or "", p.location[1] if p.location else None), []).append(cand)
    locations = service.load_locations(session, (c.location_id for _, c in items))
    out: dict[str, str] = {}
    for (target, at), cands in groups.items():
        place = service.find_location(session, at) if at else None
        _, refused = service.check(session, cands, State(target), location=place, locations=locations)
        out.update({r.serial: refusal_reason(r.code, lang, **r.params) for r in refused})
    return out


def _write_batch(
    session: Session,
    batch: list[_Parsed],
    result: ImportResult,
    reject: Callable[..., None],
    *,
    actor: str,
    when: Any,
    source: str,
    lang: str = "en",
) -> None:
    if not batch:
        return
    existing = {
        row[1]: _Existing(row)
        for row in select_in(
            session,
            "SELECT id, serial, mac, model_id, state, location_id, asset_tag, attributes, version, state_since "
            "FROM devices WHERE serial {IN}",
            [p.serial for p in batch],
        )
    }
    mac_owner = {
        mac: serial
        for serial, mac in select_in(
            session, "SELECT serial, mac FROM devices WHERE mac {IN}", [p.mac for p in batch if p.mac]
        )
    }

    # 1. Decide per row, without writing: new rows, changed rows, and the states asked for.
    fresh: list[_Parsed] = []
    changed: list[tuple[_Parsed, _Existing, dict[str, Any], dict[str, list[Any]]]] = []
    state_checks: list[tuple[_Parsed, service.Candidate]] = []
    loc_codes: dict[int, str] | None = None
    model_names: dict[int, str] | None = None
    dumps = orjson.dumps
    for p in batch:
        owner = mac_owner.get(p.mac) if p.mac else None
        if owner is not None and owner != p.serial:
            reject(p.line, p.cells, "mac_taken", value=p.mac, serial=owner)
            continue
        old = existing.get(p.serial)
        if old is None:
            if p.location is None:
                reject(p.line, p.cells, "location_missing")
                continue
            if p.state is not None and p.state not in IMPORTABLE:
                reject(p.line, p.cells, "state_needs_evidence", value=p.state)
                continue
            fresh.append(p)
            if p.state in ENTRY_FROM:
                state = ENTRY_FROM[State(p.state)]
                state_checks.append((p, service.Candidate(0, p.serial, state, p.location[0], None, 0, None)))
            continue
        if loc_codes is None:
            loc_codes = dict(session.execute(select(Location.id, Location.code)).all())
            model_names = dict(session.execute(select(EquipmentModel.id, EquipmentModel.model)).all())
        values: dict[str, Any] = {}
        diff: dict[str, list[Any]] = {}
        if p.mac and p.mac != old.mac:
            values["mac"], diff["mac"] = p.mac, [old.mac, p.mac]
        if p.model_id != old.model_id:
            values["model_id"] = p.model_id
            diff["model"] = [model_names.get(old.model_id), p.model]  # type: ignore[union-attr]
        if p.location and p.location[0] != old.location_id:
            # Past collection a device's place is what its moves (lots, reception, shipments) say: a stale field
            # export must not carry it back to its venue. A state change on the row is judged by its guards.
            if old.state not in LOCATION_FROM_IMPORT and (p.state is None or p.state == old.state):
                reject(p.line, p.cells, "location_past_collection", serial=p.serial, state=old.state,
                       current=loc_codes.get(old.location_id) or "-", value=p.location[1])  # fmt: skip
                continue
            values["location_id"] = p.location[0]
            diff["location"] = [loc_codes.get(old.location_id), p.location[1]]
        if p.asset_tag and p.asset_tag != old.asset_tag:
            values["asset_tag"], diff["asset_tag"] = p.asset_tag, [old.asset_tag, p.asset_tag]
        if p.attributes:
            merged = dict(old.attributes or {})
            for k, v in p.attributes.items():
                if merged.get(k) != v:
                    diff[f"attributes.{k}"] = [merged.get(k), v]
                    merged[k] = v
            if merged != (old.attributes or {}):
                values["attributes"] = dumps(merged, option=orjson.OPT_SORT_KEYS).decode()
        if p.state is not None and p.state != old.state:
            cand = service.Candidate(
                old.id, p.serial, State(old.state), old.location_id, None, old.version, old.state_since
            )
            state_checks.append((p, cand))
        elif not values:
            result.unchanged += 1
            continue
        changed.append((p, old, values, diff))

    # 2. Check the asked-for states in groups (table and guards), rejecting whole rows.
    refused = _refusals(session, state_checks, lang) if state_checks else {}
    olds = {p.serial: old for p, old, _, _ in changed}
    for p, _ in state_checks:
        if p.serial in refused:
            old = olds.get(p.serial)
            if old is None:
                reject(p.line, p.cells, "state_change_refused", state="-", value=p.state, why=refused[p.serial])
            else:
                reject(p.line, p.cells, "state_change_refused", state=old.state, value=p.state, why=refused[p.serial])

    # 3. Write: field changes, then state changes (the one door), then new devices.
    changes: list[service.Change] = []
    state_moves: dict[tuple[str, str | None], list[str]] = {}
    for p, old, values, diff in changed:
        if p.serial in refused:
            continue
        if values:
            changes.append(
                # The event names where the device is after the change, as a move's does.
                service.Change(old.id, p.serial, old.version, old.state,
                               p.location[1] if "location_id" in values and p.location else
                               (loc_codes or {}).get(old.location_id), values, diff)
            )  # fmt: skip
        if p.state is not None and p.state != old.state:
            state_moves.setdefault((p.state, p.location[1] if p.location else None), []).append(p.serial)
        result.updated += 1
    if changes or state_moves:
        service.update(session, changes, actor=actor, when=when)
        for (to, at), serials in state_moves.items():
            service.transition(session, serials, State(to), actor=actor, at=at, when=when, context="import")
    new: list[service.NewDevice] = []
    for p in fresh:
        if p.serial in refused:
            continue
        # Keys in sorted order, as every other audit payload (OPT_SORT_KEYS).
        data: dict[str, Any] = {}
        if p.asset_tag:
            data["asset_tag"] = p.asset_tag
        attrs_json = None
        if p.attributes:
            attrs_json = dumps(p.attributes, option=orjson.OPT_SORT_KEYS).decode()
            data["attributes"] = p.attributes
        if p.mac:
            data["mac"] = p.mac
        data["model"] = p.model
        data["source"] = f"{source}:{p.line}"
        new.append((
            p.serial, p.mac, p.model_id, p.state or State.DEPLOYED.value, p.location[0],  # type: ignore[index]
            p.asset_tag, attrs_json, dumps(data, option=orjson.OPT_SORT_KEYS).decode(), p.location[1],  # type: ignore[index]
        ))  # fmt: skip
    result.created += service.create(session, new, actor=actor, when=when)


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """``["model=Product", ...]`` -> ``{"model": "Product"}``; raises ``InvalidInput``."""
    out: dict[str, str] = {}
    for item in items:
        fld, sep, header = item.partition("=")
        fld = fld.strip().lower()
        if not sep or fld not in FIELDS or not header.strip():
            raise InvalidInput("bad_map", value=item, fields=", ".join(FIELDS))
        out[fld] = header.strip()
    return out

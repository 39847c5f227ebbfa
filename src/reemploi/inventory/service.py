"""Inventory use cases: locations import and listing; device listing, detail, export."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from reemploi.catalog.models import EquipmentModel
from reemploi.db import utcnow
from reemploi.errors import InvalidInput, ReemploiError, UnknownDevice
from reemploi.inventory.models import Device, Location, LocationKind, Lot
from reemploi.inventory.records import RowError, RowsResult, import_rows, opt_float, opt_str
from reemploi.inventory.tabular import check_output_file, fold, neutralise
from reemploi.workflow import audit
from reemploi.workflow.service import dumps
from reemploi.workflow.states import State

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,39}$")
LOCATION_FIELDS = {"code", "name", "kind", "city", "lat", "lon", "latitude", "longitude"}


def parse_kind(value: str) -> LocationKind:
    try:
        return LocationKind(value.strip().lower())
    except ValueError:
        raise ReemploiError("unknown_kind", kind=value, kinds=", ".join(k.value for k in LocationKind)) from None


def import_locations(
    session: Session,
    path: str | Path,
    *,
    kind: LocationKind | None = None,
    rejects_path: str | Path | None = None,
    sheet: str | None = None,
    lang: str = "en",
    actor: str,
) -> RowsResult:
    """Upsert locations by code; unknown columns are kept as attributes.

    Each creation and each change is an audit event (subject ``location``): a venue
    turned into a warehouse changes where devices may be received, so it is on record.
    """
    audit.lock(session)  # before reading what we will change (see audit.lock)
    existing = {loc.code: loc for loc in session.scalars(select(Location))}
    events: list[audit.Pending] = []
    seen: dict[str, int] = {}
    kinds = ", ".join(k.value for k in LocationKind)

    def handle(line: int, fields: dict[str, str], extras: list[tuple[str, str]]) -> str:
        code = fields.get("code", "").upper()
        if not code:
            raise RowError("code_missing")
        if not CODE_RE.match(code):
            raise RowError("code_invalid", value=code)
        if code in seen:
            raise RowError("code_duplicate", value=code, line=seen[code])
        name = opt_str(fields, "name", 200)
        if not name:
            raise RowError("name_missing")
        raw_kind = fields.get("kind", "").lower()
        if raw_kind:
            if raw_kind not in {k.value for k in LocationKind}:
                raise RowError("kind_invalid", value=raw_kind, kinds=kinds)
            loc_kind = raw_kind
        elif kind is not None:
            loc_kind = kind.value
        else:
            raise RowError("kind_missing")
        lat = opt_float(fields, "lat" if "lat" in fields else "latitude", -90, 90)
        lon = opt_float(fields, "lon" if "lon" in fields else "longitude", -180, 180)
        if (lat is None) != (lon is None):
            raise RowError("coordinates_half", field="lon" if lon is None else "lat")
        attrs = {h: v for h, v in extras if v and fold(h) not in LOCATION_FIELDS} or None
        values = {
            "name": name, "name_key": fold(name), "kind": loc_kind,
            "city": opt_str(fields, "city", 120), "lat": lat, "lon": lon, "attributes": attrs,
        }  # fmt: skip
        seen[code] = line
        loc = existing.get(code)
        if loc is None:
            loc = Location(code=code, **values)
            session.add(loc)
            existing[code] = loc
            shown = {k: v for k, v in values.items() if k != "name_key" and v is not None}
            events.append((actor, "create", "location", code, None, None, code, dumps(shown)))
            return "created"
        # A file without a column leaves that field as it is (a short file of codes and kinds
        # must not erase cities, coordinates and attributes).
        absent = set()
        if "city" not in fields:
            absent.add("city")
        if not {"lat", "latitude"} & fields.keys():
            absent |= {"lat", "lon"}
        if all(fold(h) in LOCATION_FIELDS for h, _ in extras):
            absent.add("attributes")
        values = {k: v for k, v in values.items() if k not in absent}
        if all(getattr(loc, k) == v for k, v in values.items()):
            return "unchanged"
        diff = {k: [getattr(loc, k), v] for k, v in values.items() if k != "name_key" and getattr(loc, k) != v}
        for k, v in values.items():
            setattr(loc, k, v)
        events.append((actor, "update", "location", code, None, None, code, dumps(diff)))
        return "updated"

    result = import_rows(path, handle, key="code", rejects_path=rejects_path, sheet=sheet, lang=lang)
    session.flush()
    audit.append(session, events, utcnow())
    return result


def list_locations(session: Session, kind: LocationKind | None = None) -> list[dict[str, Any]]:
    counts = dict(session.execute(select(Device.location_id, func.count()).group_by(Device.location_id)).all())
    q = select(Location).order_by(Location.kind, Location.code)
    if kind:
        q = q.where(Location.kind == kind.value)
    return [
        {
            "code": loc.code,
            "name": loc.name,
            "kind": loc.kind,
            "city": loc.city,
            "lat": loc.lat,
            "lon": loc.lon,
            "devices": int(counts.get(loc.id, 0)),
            "attributes": loc.attributes or {},
        }  # fmt: skip
        for loc in session.scalars(q)
    ]


def iter_devices(
    session: Session,
    *,
    state: State | None = None,
    model: str | None = None,
    location: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Devices as plain rows, streamed in pages (never the whole table in memory)."""
    model_id = None
    if model:
        from reemploi.catalog.service import resolve

        model_id = resolve(session, model).id
    place = None
    if location:
        from reemploi.workflow.service import find_location

        place = find_location(session, location)
    lot = aliased(Lot)
    q = (
        select(
            Device.serial,
            Device.mac,
            EquipmentModel.model,
            EquipmentModel.kind,
            Device.state,
            Device.grade,
            Location.code.label("location"),
            lot.code.label("lot"),
            Device.asset_tag,
            Device.attributes,
            Device.updated_at,
        )  # fmt: skip
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .outerjoin(Location, Device.location_id == Location.id)
        .outerjoin(lot, Device.lot_id == lot.id)
        .order_by(Device.serial)
    )
    if state:
        q = q.where(Device.state == state.value)
    if model_id is not None:
        q = q.where(Device.model_id == model_id)
    if place is not None:
        q = q.where(Device.location_id == place.id)
    if limit is not None:
        q = q.limit(limit)
    for row in session.execute(q.execution_options(yield_per=10_000)):
        d = row._asdict()
        d["updated_at"] = d["updated_at"].isoformat()
        d["attributes"] = d["attributes"] or {}
        yield d


def count_devices(session: Session) -> dict[str, dict[str, int]]:
    """Counts by state and by kind, aggregated in SQL."""
    rows = session.execute(
        select(Device.state, EquipmentModel.kind, func.count())
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .group_by(Device.state, EquipmentModel.kind)
    ).all()
    out: dict[str, dict[str, int]] = {}
    for state, kind, n in rows:
        out.setdefault(state, {})[kind] = int(n)
    return out


def show_device(session: Session, serial: str) -> dict[str, Any]:
    serial = serial.strip().upper()
    dev = session.scalar(select(Device).where(Device.serial == serial))
    if dev is None:
        raise UnknownDevice(serial=serial)
    history = audit.log(session, serial)
    m = dev.equipment_model
    from reemploi.refurb.evidence import flags, records

    return records(session, dev.id) | {"flags": flags(session, dev.id)} | {
        "serial": dev.serial, "mac": dev.mac, "model": m.model, "vendor": m.vendor, "kind": m.kind,
        "state": dev.state, "grade": dev.grade, "location": dev.location.code if dev.location else None,
        "lot": dev.lot.code if dev.lot else None, "asset_tag": dev.asset_tag,
        "attributes": dev.attributes or {}, "created_at": dev.created_at.isoformat(),
        "updated_at": dev.updated_at.isoformat(), "state_since": dev.state_since.isoformat(),
        "version": dev.version, "history": history,
    }  # fmt: skip


EXPORT_COLUMNS = ("serial", "mac", "model", "kind", "state", "grade", "location", "lot", "asset_tag", "updated_at")


def export_devices(
    session: Session, path: str | Path, *, state: State | None = None, location: str | None = None,
    replace: bool = False,
) -> int:  # fmt: skip
    """Write devices to CSV or XLSX (by extension), their attributes as extra columns.

    Text a spreadsheet would run as a formula is neutralised; the importer undoes that,
    so an export re-imports as unchanged. Returns the row count. An existing file is
    replaced only when ``replace`` says so, and only once the new one is complete.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput("export_format", file=str(path))
    check_output_file(path)
    if path.exists() and not replace:
        raise InvalidInput("output_exists", file=str(path))
    # First pass for the attribute columns (only the attributes are read), second to write.
    keys: dict[str, None] = {}
    for d in iter_devices(session, state=state, location=location):
        keys.update(dict.fromkeys(d["attributes"]))
    header = [*EXPORT_COLUMNS, *(k for k in keys if k not in EXPORT_COLUMNS)]
    extra = header[len(EXPORT_COLUMNS) :]

    def lines() -> Iterator[list[Any]]:
        for d in iter_devices(session, state=state, location=location):
            attrs = d["attributes"]
            yield [neutralise(d[c]) for c in EXPORT_COLUMNS] + [neutralise(attrs.get(k)) for k in extra]

    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")  # renamed over ``path`` once complete
    try:
        if suffix == ".csv":
            with part.open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(header)
                for row in lines():
                    w.writerow(row)
                    count += 1
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("devices")
            ws.append(header)
            for row in lines():
                ws.append(row)
                count += 1
            wb.save(part)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return count


def list_unmatched(session: Session) -> list[dict[str, Any]]:
    """Scans that matched no device, newest first."""
    from reemploi.inventory.models import UnmatchedScan

    return [
        {"code": s.code, "context": s.context, "lot": s.lot_code, "actor": s.actor, "at": s.at.isoformat()}
        for s in session.scalars(select(UnmatchedScan).order_by(UnmatchedScan.id.desc()))
    ]


def count_grades(session: Session) -> dict[str, int]:
    """Devices per grade (ungraded ones under "-"), aggregated in SQL."""
    rows = session.execute(select(Device.grade, func.count()).group_by(Device.grade)).all()
    return {grade or "-": int(n) for grade, n in rows}


# --- Added for the HTTP API (issue 6): a page of devices by id, and a device's timeline.
PAGE_MAX = 1000


def list_devices_page(
    session: Session,
    *,
    state: State | None = None,
    model: str | None = None,
    kind: str | None = None,
    location: str | None = None,
    lot: str | None = None,
    q: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> tuple[list[dict[str, Any]], int | None]:
    """Devices with ``id > after_id`` matching the filters, in id order; and the id to continue after.

    ``q`` matches part of the serial, MAC or asset tag. The continuation is None on the last page.
    """
    limit = max(1, min(limit, PAGE_MAX))
    lot_ = aliased(Lot)
    sel = (
        select(
            Device.id, Device.serial, Device.mac, EquipmentModel.model, EquipmentModel.kind, Device.state,
            Device.grade, Location.code.label("location"), lot_.code.label("lot"), Device.asset_tag,
            Device.updated_at, Device.version,
        )  # fmt: skip
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .outerjoin(Location, Device.location_id == Location.id)
        .outerjoin(lot_, Device.lot_id == lot_.id)
        .where(Device.id > after_id)
        .order_by(Device.id)
        .limit(limit + 1)
    )
    if state:
        sel = sel.where(Device.state == state.value)
    if model:
        from reemploi.catalog.service import resolve

        sel = sel.where(Device.model_id == resolve(session, model).id)
    if kind:
        sel = sel.where(EquipmentModel.kind == kind.strip().lower())
    if location:
        sel = sel.where(Location.code == location.strip().upper())
    if lot:
        sel = sel.where(lot_.code == lot.strip().upper())
    if q and q.strip():
        like = f"%{q.strip().upper().replace('%', '').replace('_', '')}%"
        sel = sel.where(
            Device.serial.like(like) | func.upper(Device.mac).like(like) | func.upper(Device.asset_tag).like(like)
        )
    rows = session.execute(sel).all()
    out = []
    for r in rows[:limit]:
        d = r._asdict()
        d["updated_at"] = d["updated_at"].isoformat()
        out.append(d)
    return out, (out[-1]["id"] if len(rows) > limit else None)


def device_timeline(session: Session, serial: str) -> dict[str, Any]:
    """``show_device`` plus one ``timeline``: audit events and bench records merged, oldest first."""
    d = show_device(session, serial)
    items: list[dict[str, Any]] = [{"at": e["at"], "type": "audit", **e} for e in d["history"]]
    for kind in ("tests", "repairs", "sanitizations", "upgrades", "disposals"):
        items.extend({"type": kind[:-1] if kind != "repairs" else "repair", **r} for r in d.get(kind, []))
    items.sort(key=lambda i: (i["at"], 0 if i["type"] != "audit" else 1))
    d["timeline"] = items
    return d


# --- end of the HTTP API additions

"""As-built records of a site: every device installed there, where it is, for the site's own tools.

One row per device installed or in service at the site: serial, MAC, vendor, model, its
floor, position and coordinates (where it was scanned in: ``install``; where it was
planned when it was installed without a position scan), its telecom room and the switch
port that feeds it. Formats:

- ``csv`` / ``xlsx`` / ``json``: the full record (text a spreadsheet would run as a
  formula neutralised in CSV and XLSX);
- ``netbox``: NetBox's device bulk-import CSV (Devices → Import), with beside it the
  objects it refers to, to import first into a NetBox that lacks them: manufacturers,
  device types, device roles, the site and its locations (one per floor);
- ``controller``: the AP list a controller or cloud dashboard imports to name and place
  its APs (name, MAC, serial, model, floor, x, y in metres).

Switch ports: in each telecom room, the room's APs in position order take the ports of
its switches in turn (AP 1 on switch 1, AP 2 on switch 2, …, a resilient spread), port
numbers counting up on each switch.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel
from reemploi.errors import InvalidInput
from reemploi.inventory.models import Device
from reemploi.inventory.tabular import check_output_file, neutralise
from reemploi.planning.install import site_plan_devices
from reemploi.planning.models import Site
from reemploi.workflow.states import State

FORMATS = ("csv", "xlsx", "json", "netbox", "controller")
COLUMNS = ("site", "name", "class", "vendor", "model", "serial", "mac", "asset_tag", "state", "floor", "position",
           "planned_position", "x_m", "y_m", "closet", "switch", "switch_serial", "switch_port", "installed_at")
# NetBox: device status for our states; role names and slugs; the colour NetBox shows a role in.
NETBOX_STATUS = {State.IN_SERVICE.value: "active", State.INSTALLED.value: "staged"}
NETBOX_ROLES = {"indoor": ("Access point", "access-point", "2196f3"), "outdoor": ("Access point", "access-point",
                "2196f3"), "switch": ("Access switch", "access-switch", "4caf50")}  # fmt: skip
KIND_CLASS = {"indoor_ap": "indoor", "outdoor_ap": "outdoor", "switch": "switch"}


def slug(text: str) -> str:
    """A NetBox slug: lower-case letters, digits, hyphens and underscores (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9_]+", "-", plain.lower()).strip("-")
    return s[:100] or "x"


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Slugs for names that must not collide (floors R+1 and R-1 would both be ``r-1``)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = slug(name.replace("+", " plus ")) if "+" in name else slug(name)
        s, k = base, 2
        while s in taken:
            s, k = f"{base}-{k}", k + 1
        taken.add(s)
        out[name] = s
    return out


def records(session: Session, site_code: str) -> list[dict[str, Any]]:
    """The site's installed devices with their as-built fields (see the module), by name."""
    from reemploi.planning.design import site_of

    site: Site = site_of(session, site_code)
    code = site_code.strip().upper()
    done = (State.INSTALLED.value, State.IN_SERVICE.value)
    plan_rows = {serial: pd for pd, serial, _ in site_plan_devices(session, site.id)}
    where = {pd.position: pd for pd in plan_rows.values() if pd.position}
    q = (select(Device, EquipmentModel).join(EquipmentModel, EquipmentModel.id == Device.model_id)
         .where(Device.location_id == site.location_id, Device.state.in_(done)).order_by(Device.serial))  # fmt: skip
    out = []
    for d, m in session.execute(q):
        pd = plan_rows.get(d.serial)
        position = (pd.installed_position or pd.position) if pd else None
        at = where.get(position) if position else None
        out.append({
            "site": code, "name": _name(code, position, d.serial),
            "class": KIND_CLASS.get(m.kind, m.kind), "vendor": m.vendor, "model": m.model, "serial": d.serial,
            "mac": d.mac, "asset_tag": d.asset_tag, "state": d.state,
            "floor": at.floor if at else (pd.floor if pd else None), "position": position,
            "planned_position": pd.position if pd and pd.position != position else None,
            "x_m": at.x_m if at else None, "y_m": at.y_m if at else None,
            "closet": at.closet if at else (pd.closet if pd else None),
            "switch": None, "switch_serial": None, "switch_port": None,
            "installed_at": pd.installed_at.isoformat() if pd and pd.installed_at else None,
            "_ports": m.ports,
        })  # fmt: skip
    _switch_ports(out)
    for r in out:
        del r["_ports"]
    return sorted(out, key=lambda r: (r["floor"] or "", r["closet"] or "", r["class"], r["name"]))


NAME_MAX = 64  # NetBox's device name (and what controllers take)


def _name(site: str, position: str | None, serial: str) -> str:
    """``<site>-<position>``: unique across sites for a controller; the position alone when that is too long."""
    if not position:
        return serial[:NAME_MAX]
    full = f"{site}-{position}"
    return full if len(full) <= NAME_MAX else position[:NAME_MAX]


def _switch_ports(rows: list[dict[str, Any]]) -> None:
    """Each telecom room's APs on its switches' ports, in turn (see the module)."""
    rooms: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for r in rows:
        if r["closet"]:
            sw, aps = rooms.setdefault(r["closet"], ([], []))
            (sw if r["class"] == "switch" else aps).append(r)
    for sw, aps in rooms.values():
        sw.sort(key=lambda r: r["position"] or r["serial"])
        if not sw:
            continue
        used = [0] * len(sw)
        k = 0
        for ap in sorted(aps, key=lambda r: r["position"] or r["serial"]):
            for _ in range(len(sw)):  # the next switch in turn with a port left
                if used[k] < (sw[k]["_ports"] or 48):
                    break
                k = (k + 1) % len(sw)
            else:
                break  # every port taken: the rest have no port recorded
            used[k] += 1
            ap["switch"] = sw[k]["name"]
            ap["switch_serial"] = sw[k]["serial"]
            ap["switch_port"] = used[k]
            k = (k + 1) % len(sw)


def export(session: Session, site_code: str, fmt: str, path: str | Path, *, replace: bool = False) -> dict[str, Any]:
    """Write the site's as-built records in ``fmt`` to ``path``; returns what was written."""
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput("asbuilt_format", format=fmt, formats=", ".join(FORMATS))
    path = Path(path)
    check_output_file(path)
    if fmt == "xlsx" and path.suffix.lower() != ".xlsx":
        raise InvalidInput("asbuilt_xlsx_name", file=str(path))
    rows = records(session, site_code)
    extra = _netbox_files(path, rows) if fmt == "netbox" else {}
    for p in [path, *extra]:
        if p.exists() and not replace:
            raise InvalidInput("output_exists", file=str(p))
    if fmt == "controller":
        rows_out = [r for r in rows if r["class"] != "switch"]
        _write_csv(path, ["name", "mac", "serial", "model", "floor", "x_m", "y_m"],
                   ([r[k] for k in ("name", "mac", "serial", "model", "floor", "x_m", "y_m")] for r in rows_out))
        written = len(rows_out)
    elif fmt == "netbox":
        for p, (header, lines) in extra.items():
            _write_csv(p, header, lines)
        _write_csv(path, ["name", "role", "manufacturer", "device_type", "site", "location", "status", "serial",
                          "asset_tag", "description"],
                   ([r["name"], NETBOX_ROLES[r["class"]][0], r["vendor"], r["model"], r["site"], r["floor"] or "",
                     NETBOX_STATUS.get(r["state"], "active"), r["serial"], r["asset_tag"] or "",
                     _description(r)] for r in rows))  # fmt: skip
        written = len(rows)
    elif fmt == "json":
        _atomic(path, orjson.dumps({"site": site_code.strip().upper(), "devices": rows},
                                   option=orjson.OPT_INDENT_2), binary=True)  # fmt: skip
        written = len(rows)
    elif fmt == "csv":
        _write_csv(path, list(COLUMNS), ([neutralise(r[c]) for c in COLUMNS] for r in rows), bom=True)
        written = len(rows)
    else:
        _write_xlsx(path, rows)
        written = len(rows)
    return {"site": site_code.strip().upper(), "format": fmt, "file": str(path), "devices": written,
            "files": [str(path), *(str(p) for p in extra)]}  # fmt: skip


def _description(r: dict[str, Any]) -> str:
    parts = [f"reemploi: {r['position'] or r['serial']}"]
    if r["closet"]:
        parts.append(f"telecom room {r['closet']}")
    if r["switch"]:
        parts.append(f"{r['switch']} port {r['switch_port']}")
    return "; ".join(parts)


def _netbox_files(path: Path, rows: list[dict[str, Any]]) -> dict[Path, tuple[list[str], list[list[Any]]]]:
    """The objects the device file refers to, one file each beside it (import them first, in this order)."""
    stem = path.with_suffix("")
    makers = sorted({r["vendor"] for r in rows})
    types = sorted({(r["vendor"], r["model"], 1 if r["class"] == "switch" else 0) for r in rows})
    roles = sorted({NETBOX_ROLES[r["class"]] for r in rows})
    sites = sorted({r["site"] for r in rows})
    floors = sorted({(r["site"], r["floor"]) for r in rows if r["floor"]})
    floor_slug = unique_slugs([f for _, f in floors])
    return {
        Path(f"{stem}.1-manufacturers.csv"): (["name", "slug"], [[m, slug(m)] for m in makers]),
        Path(f"{stem}.2-device-types.csv"): (["manufacturer", "model", "slug", "u_height"],
                                             [[v, m, slug(f"{v}-{m}"), u] for v, m, u in types]),
        Path(f"{stem}.3-device-roles.csv"): (["name", "slug", "color"], [list(r) for r in roles]),
        Path(f"{stem}.4-sites.csv"): (["name", "slug", "status"], [[s, slug(s), "active"] for s in sites]),
        Path(f"{stem}.5-locations.csv"): (["site", "name", "slug", "status"],
                                          [[s, f, floor_slug[f], "active"] for s, f in floors]),
    }  # fmt: skip


def _atomic(path: Path, data: Any, binary: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_bytes(data) if binary else part.write_text(data, encoding="utf-8")
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)


def _write_csv(path: Path, header: list[str], lines: Any, *, bom: bool = False) -> None:
    """CSV in UTF-8; with a byte-order mark for the files people open in a spreadsheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        with part.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(["" if v is None else v for v in line] for line in lines)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)


def _write_xlsx(path: Path, rows: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("as-built")
    ws.append(list(COLUMNS))
    for r in rows:
        ws.append([neutralise(r[c]) for c in COLUMNS])
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        wb.save(part)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)

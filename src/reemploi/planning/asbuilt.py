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
from reemploi.planning.switches import PORT_MAX_W, port_watts
from reemploi.workflow.states import State

FORMATS = ("csv", "xlsx", "json", "netbox", "controller")
RADIO = ("channel_24", "channel_5", "channel_6", "eirp_24_dbm", "eirp_5_dbm", "eirp_6_dbm")
COLUMNS = ("site", "name", "class", "vendor", "model", "serial", "mac", "asset_tag", "state", "floor", "position",
           "planned_position", "x_m", "y_m", "z_m", *RADIO, "closet", "switch", "switch_serial", "switch_port",
           "port_note", "installed_at")  # fmt: skip
CONTROLLER = ("name", "mac", "serial", "model", "floor", "x_m", "y_m", "z_m", "channel_24", "channel_5", "channel_6",
              "eirp_24_dbm", "eirp_5_dbm", "eirp_6_dbm")  # fmt: skip
CONTROLLER_NAME_MAX = 32  # AP names on common controllers (Cisco's limit); ASCII, no spaces
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
    radio = _design_radio(session, site.id)
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
            **radio.get(position or "", dict.fromkeys(("z_m", *RADIO))),
            "closet": at.closet if at else (pd.closet if pd else None),
            "switch": None, "switch_serial": None, "switch_port": None, "port_note": None,
            "installed_at": pd.installed_at.isoformat() if pd and pd.installed_at else None,
            "_ports": m.ports, "_mgig": m.mgig_ports or 0, "_port_max": PORT_MAX_W.get((m.poe_class or "").lower()),
            "_six": "6" in (m.bands or "").split("/"), "_draw": port_watts(m.max_draw_w or 0.0),
        })  # fmt: skip
    _switch_ports(out)
    for r in out:
        for k in [k for k in r if k.startswith("_")]:
            del r[k]
    return sorted(out, key=lambda r: (r["floor"] or "", r["closet"] or "", r["class"], r["name"]))


def _design_radio(session: Session, site_id: int) -> dict[str, dict[str, Any]]:
    """Per AP of the site's current design: mount height, channel and EIRP per band."""
    from reemploi.design.service import designs_by_site

    design = designs_by_site(session).get(site_id)
    if design is None:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for f in orjson.loads(design.result).get("floors", []):
        for a in f["aps"]:
            row = out.setdefault(a["name"], {"z_m": a.get("z_m"), **dict.fromkeys(RADIO)})
            band = str(a["band"]).replace(".", "")
            row[f"channel_{band}"] = a.get("channel")
            row[f"eirp_{band}_dbm"] = a.get("eirp_dbm")
    return out


NAME_MAX = 64  # NetBox's device name


def _name(site: str, position: str | None, serial: str) -> str:
    """``<site>-<position>``: unique across sites; the position alone when that is too long."""
    if not position:
        return serial[:NAME_MAX]
    full = f"{site}-{position}"
    return full if len(full) <= NAME_MAX else position[:NAME_MAX]


def _fits(switch: dict[str, Any], ap: dict[str, Any], mgig_used: int) -> bool:
    """Whether a free port of ``switch`` gives ``ap`` its speed and its power."""
    if ap["_six"] and mgig_used >= switch["_mgig"]:
        return False
    return switch["_port_max"] is None or ap["_draw"] <= switch["_port_max"] + 1e-9


def _switch_ports(rows: list[dict[str, Any]]) -> None:
    """Each telecom room's APs on its switches' ports, in turn (see the module).

    An AP with a 6 GHz radio takes a multigigabit port, one drawing more than a 1 GbE PoE+
    port gives a port of a higher PoE type, when the room's switches have one; otherwise it
    takes a port that is there and ``port_note`` says what it lacks (``needs_mgig``: it runs
    at 1 GbE; ``needs_poe``: it runs on reduced power or wants an injector) — recorded, never
    silent. With every port taken, the rest get none (``no_port_left``)."""
    rooms: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for r in rows:
        if r["closet"]:
            sw, aps = rooms.setdefault(r["closet"], ([], []))
            (sw if r["class"] == "switch" else aps).append(r)
    for sw, aps in rooms.values():
        if not sw:
            continue
        sw.sort(key=lambda r: r["position"] or r["serial"])
        used = [0] * len(sw)
        mgig_used = [0] * len(sw)
        k = 0
        for ap in sorted(aps, key=lambda r: r["position"] or r["serial"]):
            order = [(k + j) % len(sw) for j in range(len(sw))]
            free = [i for i in order if used[i] < (sw[i]["_ports"] or 48)]
            pick = next((i for i in free if _fits(sw[i], ap, mgig_used[i])), free[0] if free else None)
            if pick is None:
                ap["port_note"] = "no_port_left"
                continue
            s = sw[pick]
            fast = ap["_six"] and mgig_used[pick] < s["_mgig"]
            notes = (["needs_mgig"] if ap["_six"] and not fast else []) + (
                ["needs_poe"] if s["_port_max"] is not None and ap["_draw"] > s["_port_max"] + 1e-9 else [])
            ap["port_note"] = " ".join(notes) or None
            used[pick] += 1
            mgig_used[pick] += fast
            ap["switch"], ap["switch_serial"], ap["switch_port"] = s["name"], s["serial"], used[pick]
            k = (pick + 1) % len(sw)


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
    if not rows:
        raise InvalidInput("asbuilt_nothing", site=site_code.strip().upper())
    extra = _netbox_files(path, rows) if fmt == "netbox" else {}
    for p in [path, *extra]:
        if p.exists() and not replace:
            raise InvalidInput("output_exists", file=str(p))
    if fmt == "controller":
        rows_out = [r for r in rows if r["class"] != "switch"]
        names = controller_names([r["name"] for r in rows_out])
        _write_csv(path, list(CONTROLLER), ([names[r["name"]], *(r[k] for k in CONTROLLER[1:])] for r in rows_out))
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


def controller_names(names: list[str]) -> dict[str, str]:
    """AP names a controller takes: ASCII letters, digits, ``-``, ``_`` and ``.``, at most 32, unique."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = re.sub(r"[^A-Za-z0-9_.+-]+", "-", plain).strip("-").replace("+", "p")[:CONTROLLER_NAME_MAX] or "AP"
        cand, k = base, 2
        while cand.casefold() in taken:
            suffix = f"-{k}"
            cand, k = base[: CONTROLLER_NAME_MAX - len(suffix)] + suffix, k + 1
        taken.add(cand.casefold())
        out[name] = cand
    return out


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

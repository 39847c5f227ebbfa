"""Planning use cases: import sites and zones, compute needs, keep planners' overrides."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.db import utcnow
from reemploi.design.plan import Area
from reemploi.design.service import designs_by_site
from reemploi.errors import InvalidInput, UnknownSite
from reemploi.i18n import t
from reemploi.i18n.formatting import number
from reemploi.inventory.models import Location, LocationKind
from reemploi.inventory.records import (
    RowCheck,
    RowError,
    RowsResult,
    import_rows,
    opt_date,
    opt_float,
    opt_int,
    opt_str,
)
from reemploi.inventory.tabular import fold
from reemploi.planning.models import Environment, NeedClass, NeedOverride, Site, SiteKind, Zone
from reemploi.planning.rules import USABLE_MBPS_PER_AP, zone_need
from reemploi.workflow import audit
from reemploi.workflow.states import State

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,39}$")


def _choice(fields: dict[str, str], name: str, enum: type, default: Any = None) -> Any:
    raw = (fields.get(fold(name)) or "").strip().lower()
    if not raw:
        if default is None:
            raise RowError("value_missing", field=name)
        return default
    try:
        return enum(raw)
    except ValueError:
        raise RowError("bad_choice", field=name, value=raw, choices=", ".join(e.value for e in enum)) from None


def import_sites(
    session: Session, path: str | Path, *, rejects_path: str | Path | None = None, sheet: str | None = None,
    lang: str = "en",
) -> RowsResult:  # fmt: skip
    """Upsert destination sites by code (a location of kind `site` and its planning data)."""
    audit.lock(session)
    locations = {loc.code: loc for loc in session.scalars(select(Location))}
    sites = {s.location_id: s for s in session.scalars(select(Site))}
    seen: dict[str, int] = {}

    def handle(line: int, fields: dict[str, str], extras: list[tuple[str, str]]) -> str:
        check = RowCheck()  # every problem of the row is reported, not only the first
        code = (fields.get("code") or "").upper()
        if not code:
            check.add("code_missing")
        elif not CODE_RE.match(code):
            check.add("code_invalid", value=code)
        elif code in seen:
            check.add("code_duplicate", value=code, line=seen[code])
        elif (taken := locations.get(code)) is not None and taken.kind != LocationKind.SITE.value:
            check.add("site_code_taken", value=code, kind=taken.kind)
        name = check(opt_str, fields, "name", 200)
        if name is None and not any(e.params.get("field") == "name" for e in check.errors):
            check.add("name_missing")
        loc_values = {
            "name": name, "name_key": fold(name or ""), "kind": LocationKind.SITE.value,
            "city": check(opt_str, fields, "city", 120), "lat": check(opt_float, fields, "lat", -90, 90),
            "lon": check(opt_float, fields, "lon", -180, 180),
        }  # fmt: skip
        if (loc_values["lat"] is None) != (loc_values["lon"] is None) and not any(
            e.params.get("field") in ("lat", "lon") for e in check.errors
        ):
            check.add("coordinates_half", field="lon" if loc_values["lon"] is None else "lat")
        kind = check(_choice, fields, "kind", SiteKind, SiteKind.OTHER)
        site_values = {
            "kind": kind.value if kind else None,
            "priority": check(opt_int, fields, "priority", 1, 9) or 3,
            "deadline": check(opt_date, fields, "deadline"),
            "controller_vendor": check(opt_str, fields, "controller_vendor", 80),
            "poe_budget_w": check(opt_float, fields, "poe_budget_w", 0, 1_000_000),
        }
        check.done()
        loc = locations.get(code)
        seen[code] = line
        if loc is None:
            loc = Location(code=code, **loc_values)
            session.add(loc)
            session.flush()
            locations[code] = loc
            site = Site(location_id=loc.id, **site_values)
            session.add(site)
            sites[loc.id] = site
            return "created"
        site = sites.get(loc.id)
        changed = any(getattr(loc, k) != v for k, v in loc_values.items())
        for k, v in loc_values.items():
            setattr(loc, k, v)
        if site is None:
            sites[loc.id] = Site(location_id=loc.id, **site_values)
            session.add(sites[loc.id])
            return "updated"
        changed = changed or any(getattr(site, k) != v for k, v in site_values.items())
        for k, v in site_values.items():
            setattr(site, k, v)
        return "updated" if changed else "unchanged"

    result = import_rows(path, handle, key="code", rejects_path=rejects_path, sheet=sheet, lang=lang)
    session.flush()
    return result


def _sites_by_code(session: Session) -> dict[str, Site]:
    rows = session.execute(select(Location.code, Site).join(Site, Site.location_id == Location.id)).all()
    return {code: site for code, site in rows}


def import_zones(
    session: Session, path: str | Path, *, rejects_path: str | Path | None = None, sheet: str | None = None,
    lang: str = "en",
) -> RowsResult:  # fmt: skip
    """Upsert zones by (site, zone). A zone naming an unknown site is rejected, not guessed."""
    audit.lock(session)
    sites = _sites_by_code(session)
    zones = {(z.site_id, z.name.upper()): z for z in session.scalars(select(Zone))}
    seen: dict[tuple[str, str], int] = {}

    def handle(line: int, fields: dict[str, str], extras: list[tuple[str, str]]) -> str:
        check = RowCheck()  # every problem of the row is reported, not only the first
        code = (fields.get("site") or "").upper()
        site = sites.get(code)
        if site is None:
            check.add("site_unknown", value=code or "-")
        name = check(opt_str, fields, "zone", 120)
        if name is None and not any(e.params.get("field") == "zone" for e in check.errors):
            check.add("value_missing", field="zone")
        elif name and (code, name.upper()) in seen:
            check.add("code_duplicate", value=f"{code}/{name}", line=seen[(code, name.upper())])
        area = check(opt_float, fields, "area_m2", 0, 10_000_000, default=-1.0)
        if area is None or area == 0:
            check.add("zone_area", value=fields.get("aream2") or "0")
        env = check(_choice, fields, "environment", Environment)
        values = {
            "environment": env.value if env else None,
            "area_m2": area,
            "occupants": check(opt_int, fields, "occupants", 0, 1_000_000) or 0,
            "devices_per_user": check(opt_float, fields, "devices_per_user", 0, 20),
            "mbps_per_device": check(opt_float, fields, "mbps_per_device", 0, 10_000),
            "floors": check(opt_int, fields, "floors", 1, 200) or 1,
            "min_wifi_generation": check(opt_int, fields, "min_wifi_generation", 4, 8),
            # wired needs: empty cells keep the environment's defaults
            "desks": check(opt_int, fields, "desks", 0, 100_000),
            "ports_per_desk": check(opt_float, fields, "ports_per_desk", 0, 8),
            "printers": check(opt_int, fields, "printers", 0, 10_000),
            "phones": check(opt_int, fields, "phones", 0, 100_000),
            "badge_readers": check(opt_int, fields, "badge_readers", 0, 10_000),
            "cameras": check(opt_int, fields, "cameras", 0, 10_000),
            "other_poe": check(opt_int, fields, "other_poe", 0, 10_000),
            "other_poe_w": check(opt_float, fields, "other_poe_w", 0, 90),
        }
        check.done()
        assert site is not None and name is not None
        seen[(code, name.upper())] = line
        zone = zones.get((site.id, name.upper()))
        if zone is None:
            zone = Zone(site_id=site.id, name=name, **values)
            session.add(zone)
            zones[(site.id, name.upper())] = zone
            return "created"
        if all(getattr(zone, k) == v for k, v in values.items()):
            return "unchanged"
        for k, v in values.items():
            setattr(zone, k, v)
        return "updated"

    result = import_rows(path, handle, key="zone", rejects_path=rejects_path, sheet=sheet, lang=lang)
    session.flush()
    return result


def _fmt(n: float, lang: str = "en") -> str:
    return number(n, lang, 0)


# Devices a site already has from the programme or on their way to it: a new plan only fills what is left.
ON_THE_WAY = (State.RESERVED.value, State.SHIPPED.value)
IN_PLACE = (State.INSTALLED.value, State.IN_SERVICE.value)
CLASS_OF_KIND = {"indoor_ap": NeedClass.INDOOR.value, "outdoor_ap": NeedClass.OUTDOOR.value}


def provided_devices(session: Session) -> dict[int, tuple[int, str, int]]:
    """The APs sites already have: device id -> (site id, class, model id).

    An AP installed or in service at a site's location belongs to that site, whatever
    plan sent it (where it is wins over where it was meant to go). An AP reserved for a
    site or shipped to it belongs to the site of the latest plan in force (approved or
    executed) that names it. Each device counts once.
    """
    from reemploi.catalog.models import EquipmentModel
    from reemploi.inventory.models import Device
    from reemploi.planning.models import Plan, PlanDevice, PlanStatus

    where: dict[int, tuple[int, str, int]] = {}
    planned = (
        select(PlanDevice.device_id, PlanDevice.site_id, PlanDevice.need_class, Device.model_id)
        .join(Plan, Plan.id == PlanDevice.plan_id)
        .join(Device, Device.id == PlanDevice.device_id)
        .where(Plan.status.in_((PlanStatus.APPROVED.value, PlanStatus.EXECUTED.value)),
               Device.state.in_(ON_THE_WAY), PlanDevice.need_class.in_(list(CLASS_OF_KIND.values())))
        .order_by(Plan.id)
    )  # fmt: skip
    for did, sid, nc, mid in session.execute(planned):
        where[did] = (sid, nc, mid)  # the latest plan wins
    here = (
        select(Device.id, Site.id, EquipmentModel.kind, Device.model_id)
        .join(Site, Site.location_id == Device.location_id)
        .join(EquipmentModel, EquipmentModel.id == Device.model_id)
        .where(Device.state.in_(IN_PLACE), EquipmentModel.kind.in_(list(CLASS_OF_KIND)))
    )
    for did, sid, kind, mid in session.execute(here):
        where[did] = (sid, CLASS_OF_KIND[kind], mid)
    return where


def provided(devices: dict[int, tuple[int, str, int]]) -> dict[tuple[int, str], int]:
    """How many APs each site already has, by (site id, class), from ``provided_devices``."""
    out: dict[tuple[int, str], int] = defaultdict(int)
    for sid, nc, _ in devices.values():
        out[(sid, nc)] += 1
    return dict(out)


def compute_needs(
    session: Session, lang: str = "en", has_devices: dict[int, tuple[int, str, int]] | None = None
) -> list[dict[str, Any]]:
    """One row per site and class: computed count and its driver (in ``lang``), override, effective
    count, what the site already has (``provided``) and what is left to fill (``remaining``).

    ``has_devices``: ``provided_devices`` when the caller has read it already."""
    rows = session.execute(
        select(Location.code, Location.name, Site, Zone)
        .join(Site, Site.location_id == Location.id)
        .outerjoin(Zone, Zone.site_id == Site.id)
        .order_by(Site.priority, Location.code, Zone.name)
    ).all()
    rows = _with_plan_zones(session, rows)
    overrides = {(o.site_id, o.need_class): o.count for o in session.scalars(select(NeedOverride))}
    has = provided(provided_devices(session) if has_devices is None else has_devices)
    acc: dict[tuple[str, NeedClass], dict[str, Any]] = {}
    order: list[tuple[str, NeedClass]] = []
    site_info: dict[str, tuple[str, Site]] = {}
    for code, name, site, zone in rows:
        site_info[code] = (name, site)
        if zone is None:
            continue
        need = zone_need(Environment(zone.environment), zone.area_m2, zone.occupants, zone.floors,
                         zone.devices_per_user, zone.mbps_per_device)  # fmt: skip
        key = (code, need.need_class)
        if key not in acc:
            acc[key] = {"count": 0, "terms": defaultdict(lambda: [0, 0.0, 0.0, set()]), "gen": None}
            order.append(key)
        a = acc[key]
        a["count"] += need.count
        term = a["terms"][need.driver]
        term[0] += need.count
        term[1] += {"coverage": need.area_m2, "clients": zone.occupants}.get(need.driver, need.devices)
        term[2] += need.mbps
        term[3].add(need.people_per_ap if need.driver == "clients" else need.area_per_ap_m2)
        if zone.min_wifi_generation:
            a["gen"] = max(a["gen"] or 0, zone.min_wifi_generation)
    out = []
    designs = designs_by_site(session)
    with_classes = {k[0] for k in order} | {code for code, (_, site) in site_info.items() if site.id in designs}
    for code, (name, site) in site_info.items():
        for nc in (NeedClass.INDOOR, NeedClass.OUTDOOR):
            design = designs.get(site.id)
            if design is not None and nc == NeedClass.OUTDOOR and design.outdoor_aps is None:
                design = None  # the plans have no outdoor area: the zones' rule of thumb stands
            if (code, nc) not in acc and (site.id, nc.value) not in overrides and design is None:
                continue
            a = acc.get((code, nc), {"count": 0, "terms": {}, "gen": None})
            computed = a["count"]
            driver = "-"
            if a["terms"]:
                kind, (n, qty, mbps, areas) = max(a["terms"].items(), key=lambda kv: kv[1][0])
                if kind == "coverage":
                    per = (t("driver_per_ap", lang, area=_fmt(min(areas), lang)) if len(areas) == 1
                           else t("driver_mixed_areas", lang))  # fmt: skip
                    driver = t("driver_coverage", lang, area=_fmt(qty, lang), per=per)
                elif kind == "capacity":
                    driver = t("driver_capacity", lang, mbps=_fmt(mbps, lang), per=f"{USABLE_MBPS_PER_AP:.0f}")
                else:
                    per = _fmt(min(areas), lang) if len(areas) == 1 else "-"
                    driver = t("driver_clients", lang, people=_fmt(qty, lang), per=per)
            if design is not None:  # the site's design is its need; the rule of thumb is left for sites without one
                computed = design.indoor_aps if nc == NeedClass.INDOOR else int(design.outdoor_aps or 0)
                share, why, target = _design_terms(design, nc)
                driver = t("driver_design", lang, version=design.version, share=share, target=target,
                           driver=t(f"design_driver.{why}", lang))  # fmt: skip
            elif driver != "-":
                driver = t("driver_estimate", lang, driver=driver)
            override = overrides.get((site.id, nc.value))
            shown = driver if override is None else t("driver_override", lang, computed=computed)
            count = override if override is not None else computed
            basis = "override" if override is not None else ("design" if design is not None else "estimate")
            got = has.get((site.id, nc.value), 0)
            out.append({
                "site": code, "site_name": name, "class": nc.value,
                "count": count, "provided": got, "remaining": max(0, count - got), "computed": computed,
                "override": override, "driver": shown,
                "computed_driver": driver, "min_wifi_generation": a["gen"], "priority": site.priority,
                "controller_vendor": site.controller_vendor, "basis": basis,
                "design_version": design.version if design is not None else None,
            })  # fmt: skip
        if code not in with_classes and not any((site.id, nc.value) in overrides for nc in NeedClass):
            out.append({
                "site": code, "site_name": name, "class": NeedClass.INDOOR.value, "count": 0, "computed": 0,
                "provided": has.get((site.id, NeedClass.INDOOR.value), 0), "remaining": 0,
                "override": None, "driver": t("driver_no_zones", lang), "computed_driver": t("driver_no_zones", lang),
                "min_wifi_generation": None,
                "priority": site.priority, "controller_vendor": site.controller_vendor, "basis": "estimate",
                "design_version": None,
            })  # fmt: skip
    return out


def needs_with_switches(session: Session, lang: str = "en") -> list[dict[str, Any]]:
    """The AP needs (``compute_needs``), then a ``switch`` row per site with its closets (``wired``).

    Switches are sized for the site complete: its wired needs and all the APs it needs.
    """
    from reemploi.catalog.models import EquipmentModel
    from reemploi.planning.switches import port_watts
    from reemploi.planning.wired import AP_PORT_W, switch_rows

    has = provided_devices(session)
    rows = compute_needs(session, lang=lang, has_devices=has)
    ids = _sites_by_code(session)
    aps: dict[int, int] = {}
    for r in rows:
        if r["site"] in ids:
            aps[ids[r["site"]].id] = aps.get(ids[r["site"]].id, 0) + int(r["count"])
    # The APs a site has count at their own draw (and 6 GHz radio); the rest at the 802.3at port budget.
    q = select(EquipmentModel).where(EquipmentModel.kind.in_(list(CLASS_OF_KIND)))
    cat = {m.id: m for m in session.scalars(q)}
    draws: dict[int, dict[float, int]] = {}
    mgig: dict[int, int] = {}
    for sid, _, mid in has.values():
        w = port_watts(cat[mid].max_draw_w or 0.0)
        draws.setdefault(sid, {})[w] = draws.setdefault(sid, {}).get(w, 0) + 1
        mgig[sid] = mgig.get(sid, 0) + ("6" in (cat[mid].bands or "").split("/"))
    counts = {}
    for sid, n in aps.items():
        d = dict(draws.get(sid, {}))
        rest = n - sum(d.values())
        if rest > 0:
            d[AP_PORT_W] = d.get(AP_PORT_W, 0) + rest
        counts[sid] = (max(n, sum(d.values())), d)
    switches = switch_rows(session, counts, lang, mgig)
    order = {code: i for i, code in enumerate(dict.fromkeys(r["site"] for r in rows + switches))}
    return sorted(rows + switches, key=lambda r: order[r["site"]])  # a site's switches after its APs


def _with_plan_zones(session: Session, rows: list[Any]) -> list[Any]:
    """A site without zones in the zones file but with floor plans: the plans' zones stand in for them
    (each with its area, environment and occupants, one floor each), so that it gets an estimate."""
    import orjson

    from reemploi.design.models import FloorPlanRecord

    bare = {site.id: (code, name, site) for code, name, site, zone in rows if zone is None}
    if not bare:
        return rows
    extra: dict[int, list[Zone]] = {}
    for sid, plan in session.execute(select(FloorPlanRecord.site_id, FloorPlanRecord.plan)
                                     .where(FloorPlanRecord.site_id.in_(list(bare)))):  # fmt: skip
        for a in orjson.loads(plan)["areas"]:
            if a["role"] == "zone" and a.get("environment") in Environment.__members__.values():
                zone = Zone(site_id=sid, name=a["name"], environment=a["environment"], floors=1,
                            area_m2=Area(a["name"], "zone", [tuple(q) for q in a["polygon"]]).area_m2(),
                            occupants=int(a.get("occupants") or 0))  # fmt: skip
                extra.setdefault(sid, []).append(zone)
    if not extra:
        return rows
    out = [r for r in rows if not (r[3] is None and r[2].id in extra)]
    for sid, zones in extra.items():
        code, name, site = bare[sid]
        out += [(code, name, site, z) for z in zones]
    return sorted(out, key=lambda r: (r[2].priority, r[0], r[3].name if r[3] is not None else ""))


def _design_terms(design: Any, nc: NeedClass) -> tuple[float, str, float]:
    """(coverage share, driver, target) of a design's indoor part, or of its outdoor part."""
    import orjson

    d = orjson.loads(design.result)
    part = d.get("outdoor") if nc == NeedClass.OUTDOOR and d.get("outdoor") else d
    return float(part["coverage_share"]), str(part.get("driver", d["driver"])), float(d.get("target_dbm", -67.0))


def set_override(session: Session, site_code: str, need_class: str, count: int, *, actor: str) -> None:
    """Keep a planner's count for a site and class, beside the computed one."""
    site = _sites_by_code(session).get(site_code.strip().upper())
    if site is None:
        raise UnknownSite(site=site_code)
    try:
        nc = NeedClass(need_class.strip().lower())
    except ValueError:
        raise InvalidInput("bad_choice", field="class", value=need_class, choices="indoor, outdoor") from None
    if count < 0:
        raise InvalidInput("number_range", field="count", value=count, low=0, high="∞")
    row = session.scalar(select(NeedOverride).where(NeedOverride.site_id == site.id, NeedOverride.need_class == nc))
    if row is None:
        session.add(NeedOverride(site_id=site.id, need_class=nc.value, count=count, actor=actor, at=utcnow()))
    else:
        row.count, row.actor, row.at = count, actor, utcnow()
    session.flush()


def import_overrides(
    session: Session, path: str | Path, *, actor: str, rejects_path: str | Path | None = None, lang: str = "en"
) -> RowsResult:
    """`site, class, count` rows, each kept as a planner override."""

    sites = _sites_by_code(session)
    seen: dict[tuple[str, str], int] = {}

    def handle(line: int, fields: dict[str, str], extras: list[tuple[str, str]]) -> str:
        check = RowCheck()  # every problem of the row is reported, not only the first
        code = (fields.get("site") or "").strip().upper()
        if code not in sites:
            check.add("site_unknown", value=code or "-")
        need_class = (fields.get("class") or "").strip().lower()
        if need_class not in {c.value for c in NeedClass}:
            check.add("bad_choice", field="class", value=need_class or "-", choices="indoor, outdoor")
        count = check(opt_int, fields, "count", 0, 1_000_000)
        if count is None and not any(e.params.get("field") == "count" for e in check.errors):
            check.add("value_missing", field="count")
        if not check.errors and (code, need_class) in seen:
            check.add("code_duplicate", value=f"{code}/{need_class}", line=seen[(code, need_class)])
        check.done()
        seen[(code, need_class)] = line
        set_override(session, code, need_class, count, actor=actor)
        return "updated"

    return import_rows(path, handle, key="site", rejects_path=rejects_path, lang=lang)


# --- Added for the HTTP API (issue 6): destination sites as plain rows.
def list_sites(session: Session) -> list[dict[str, Any]]:
    """Destination sites with their location and zone count, by code."""
    from sqlalchemy import func, select

    from reemploi.inventory.models import Location
    from reemploi.planning.models import Site, Zone

    zones = dict(session.execute(select(Zone.site_id, func.count()).group_by(Zone.site_id)).all())
    q = select(Site, Location).join(Location, Location.id == Site.location_id).order_by(Location.code)
    return [
        {
            "code": loc.code, "name": loc.name, "city": loc.city, "lat": loc.lat, "lon": loc.lon, "kind": site.kind,
            "priority": site.priority, "deadline": site.deadline.isoformat() if site.deadline else None,
            "controller_vendor": site.controller_vendor, "poe_budget_w": site.poe_budget_w,
            "zones": int(zones.get(site.id, 0)),
        }  # fmt: skip
        for site, loc in session.execute(q)
    ]


# --- end of the HTTP API additions

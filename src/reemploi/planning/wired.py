"""Wired needs: ports and PoE per zone, telecom rooms (closets) per floor, switch demand per closet.

A zone's wired ports are its desks' ports, printers, IP phones, badge readers, cameras
and other PoE devices, each taking a port; those the zones file does not give come from
the environment's defaults (``data/wired.csv``, per person or per 1,000 m², each with
its rationale), and the row says so (``defaulted``). PoE at the port per device is data
too (``data/poe_devices.csv``).

Closets: those drawn on the site's floor plans (areas of role ``closet``); a floor without
one, or a site without plans, gets one per ~1,000 m² of the floor (ANSI/TIA-569, at
least one per floor). A zone and an AP are served by the nearest closet of their floor;
the cable is the rectilinear route from the closet plus slack (10 % and 5 m of drops and
patching), and a run over the 90 m permanent link (ISO/IEC 11801, TIA-568) is flagged.
Without a plan, a closet serves a square of the floor and its longest run is from the
middle to a corner.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from reemploi.planning import switches
from reemploi.planning.models import Zone

CLOSET_AREA_M2 = 1_000.0
PERMANENT_LINK_M = 90.0
SLACK_SHARE, SLACK_M = 0.10, 5.0
SPARE_SHARE = 0.20


@dataclass(frozen=True)
class WiredRule:
    environment: str
    ports_per_person: float
    phones_per_person: float
    printers_per_100_people: float
    badge_readers_per_1000_m2: float
    cameras_per_1000_m2: float
    source: str


@cache
def wired_rules() -> dict[str, WiredRule]:
    text = resources.files("reemploi.planning").joinpath("data/wired.csv").read_text("utf-8")
    return {r["environment"]: WiredRule(r["environment"], float(r["ports_per_person"]), float(r["phones_per_person"]),
                                        float(r["printers_per_100_people"]), float(r["badge_readers_per_1000_m2"]),
                                        float(r["cameras_per_1000_m2"]), r["source"])
            for r in csv.DictReader(text.splitlines())}  # fmt: skip


@cache
def poe_watts() -> dict[str, float]:
    """PoE at the switch port per kind of device (W)."""
    text = resources.files("reemploi.planning").joinpath("data/poe_devices.csv").read_text("utf-8")
    return {r["device"]: float(r["watts_at_port"]) for r in csv.DictReader(text.splitlines())}


@dataclass
class ZoneWired:
    ports: int  # wired ports, every device taking one
    draws: dict[float, int]  # port draw (W) -> ports at that draw (0 W: no PoE)
    defaulted: list[str]  # the figures taken from the environment's defaults

    @property
    def poe_w(self) -> float:
        return sum(w * n for w, n in self.draws.items())


def zone_wired(zone: Zone) -> ZoneWired:
    rule = wired_rules().get(zone.environment) or wired_rules()["open_office"]
    people, area = zone.occupants or 0, zone.area_m2 or 0.0
    defaulted: list[str] = []

    def given(value: int | None, name: str, default: float) -> int:
        if value is not None:
            return int(value)
        defaulted.append(name)
        return int(round(default))

    if zone.desks is not None:
        desk_ports = math.ceil(zone.desks * (zone.ports_per_desk if zone.ports_per_desk is not None else 1.0))
    else:
        defaulted.append("desks")
        desk_ports = math.ceil(people * rule.ports_per_person)
    printers = given(zone.printers, "printers", math.ceil(people * rule.printers_per_100_people / 100))
    phones = given(zone.phones, "phones", people * rule.phones_per_person)
    badges = given(zone.badge_readers, "badge_readers", area / 1000 * rule.badge_readers_per_1000_m2)
    cameras = given(zone.cameras, "cameras", area / 1000 * rule.cameras_per_1000_m2)
    other = zone.other_poe or 0
    w = poe_watts()
    draws: dict[float, int] = {}
    for watts, n in ((0.0, desk_ports + printers), (w["phone"], phones), (w["badge_reader"], badges),
                     (w["camera"], cameras), (zone.other_poe_w or w["camera"], other)):  # fmt: skip
        if n:
            draws[watts] = draws.get(watts, 0) + n
    return ZoneWired(sum(draws.values()), draws, defaulted)


@dataclass
class SiteWired:
    """A site's closets, and the wired figures its zones took from the environments' defaults."""

    closets: list[Closet]
    defaulted: list[str]


@dataclass
class Closet:
    """A telecom room and what it serves: ports and PoE draws (W -> ports), APs, longest run."""

    name: str
    floor: str
    x: float | None = None
    y: float | None = None
    draws: dict[float, int] = field(default_factory=dict)
    aps: int = 0
    longest_m: float = 0.0
    zones: list[str] = field(default_factory=list)
    drawn: bool = False  # on the floor plan, or a default
    ap_names: list[str] = field(default_factory=list)  # the design's APs it serves
    mgig: float = 0.0  # APs that need a multigigabit port (a 6 GHz radio: planning.switches)

    def add(self, draws: dict[float, int], share: float = 1.0) -> None:
        for w, n in draws.items():
            k = n * share
            self.draws[w] = self.draws.get(w, 0) + k  # type: ignore[assignment]

    def ports(self, spare: float = SPARE_SHARE) -> int:
        return math.ceil(sum(self.draws.values()) * (1 + spare) - 1e-9)

    def demand(self, spare: float = SPARE_SHARE) -> dict[float, int]:
        """Ports to fit, by draw: every count rounded up, spare ports (no PoE) on top."""
        out = {w: math.ceil(n - 1e-9) for w, n in self.draws.items() if n > 0}
        total = sum(out.values())
        out[0.0] = out.get(0.0, 0) + math.ceil(total * spare - 1e-9)
        return {w: n for w, n in out.items() if n}

    @property
    def poe_w(self) -> float:
        return sum(w * math.ceil(n - 1e-9) for w, n in self.draws.items())

    def mgig_ports(self) -> int:
        return math.ceil(self.mgig - 1e-9)

    @property
    def beyond_link(self) -> bool:
        return self.longest_m > PERMANENT_LINK_M


def cable_m(route_m: float) -> float:
    """A rectilinear route's cable: the route, 10 % more, 5 m of drops and patching."""
    return route_m * (1 + SLACK_SHARE) + SLACK_M


def default_closets(area_per_floor_m2: float) -> tuple[int, float]:
    """(closets per floor, longest run in m) for a floor without a plan: one per ~1,000 m² (at least one).

    Each closet serves a square of the floor; its longest run is from the middle to a corner
    (half the side twice, rectilinear). At 1,000 m² a closet that is 41 m of cable: within
    90 m. The 90 m rule binds on plans, where closets are where they are drawn.
    """
    per = max(1, math.ceil(area_per_floor_m2 / CLOSET_AREA_M2 - 1e-9))
    side = math.sqrt(area_per_floor_m2 / per) if area_per_floor_m2 > 0 else 0.0
    return per, cable_m(side)


# --- closets per site -------------------------------------------------------------------------

AP_PORT_W = 30.0  # an AP whose model is not known yet: the 802.3at class 4 port budget


def closets_by_site(session: Session, aps: dict[int, tuple[int, Any]] | None = None, sites: set[int] | None = None,
                    mgig: dict[int, int] | None = None) -> dict[int, SiteWired]:  # fmt: skip
    """Every site's closets with the wired demand they serve, and ``aps[site] = (count, W at the port)``.

    APs are placed where the site's design put them when it has one (nearest closet of
    their floor; those with a 6 GHz radio need a multigigabit port); otherwise they are
    shared out as the area is, ``mgig[site]`` of them needing a multigigabit port.
    """
    import orjson
    from sqlalchemy import select

    from reemploi.design.models import FloorPlanRecord
    from reemploi.design.plan import Floor
    from reemploi.design.service import designs_by_site

    zones: dict[int, list[Zone]] = {}
    for z in session.scalars(select(Zone).order_by(Zone.site_id, Zone.name)):
        if sites is None or z.site_id in sites:
            zones.setdefault(z.site_id, []).append(z)
    plans: dict[int, list[Floor]] = {}
    for r in session.scalars(select(FloorPlanRecord).order_by(FloorPlanRecord.site_id, FloorPlanRecord.elevation_m)):
        if sites is None or r.site_id in sites:
            plans.setdefault(r.site_id, []).append(Floor.from_dict(orjson.loads(r.plan)))
    designs = {sid: orjson.loads(d.result) for sid, d in designs_by_site(session).items()
               if sites is None or sid in sites}  # fmt: skip
    model_w = ap_port_watts(session) if designs else {}
    out: dict[int, SiteWired] = {}
    for sid in sorted(set(zones) | set(plans)):
        site_zones = zones.get(sid) or [_zone_of(a) for f in plans[sid] for a in f.zones()]
        demand: dict[float, int] = {}
        defaulted: dict[str, None] = {}
        for z in site_zones:
            zw = zone_wired(z)
            defaulted.update(dict.fromkeys(zw.defaulted))
            for w, n in zw.draws.items():
                demand[w] = demand.get(w, 0) + n
        n_aps, ap_port_w = (aps or {}).get(sid, (0, AP_PORT_W))
        if not isinstance(ap_port_w, dict):  # one draw for all, or the APs' draws (W at the port -> count)
            ap_port_w = {ap_port_w: n_aps} if n_aps else {}
        if sid in plans:
            per_env: dict[str, dict[float, int]] = {}
            for z in site_zones:
                env = per_env.setdefault(z.environment or "", {})
                for w, n in zone_wired(z).draws.items():
                    env[w] = env.get(w, 0) + n
            closets = _planned(plans[sid], per_env, n_aps, ap_port_w, designs.get(sid), (mgig or {}).get(sid, 0),
                               model_w)  # fmt: skip
        else:
            closets = _estimated(site_zones, demand, n_aps, ap_port_w, (mgig or {}).get(sid, 0))
        out[sid] = SiteWired(closets, list(defaulted))
    return out


def _zone_of(area) -> Zone:  # type: ignore[no-untyped-def]
    """A plan's zone as a zones-file row (its wired needs from its environment's defaults)."""
    return Zone(name=area.name, environment=area.environment or "open_office", area_m2=area.area_m2(),
                occupants=area.occupants or 0, floors=1)  # fmt: skip


def _estimated(zones: list[Zone], demand: dict[float, int], n_aps: int, ap_draws: dict[float, int],
               n_mgig: int = 0) -> list[Closet]:  # fmt: skip
    indoor = [z for z in zones if z.environment != "outdoor"] or zones
    floors = max(z.floors or 1 for z in indoor)
    per_floor = sum(z.area_m2 for z in indoor) / floors
    per, longest = default_closets(per_floor)
    closets = [Closet(f"F{f}-{k + 1}", f"F{f}", longest_m=longest) for f in range(floors) for k in range(per)]
    share = 1 / len(closets)
    for c in closets:
        c.add(demand, share)
        c.zones = [z.name for z in zones]
    _share_aps(closets, [1.0] * len(closets), ap_draws, n_mgig)
    return closets


def _planned(floors: list, per_env: dict[str, dict[float, int]], n_aps: int, ap_draws: dict[float, int],  # type: ignore[type-arg]
             design: dict | None, n_mgig: int = 0, model_w: dict[str, float] | None = None) -> list[Closet]:  # type: ignore[type-arg]
    """Closets of the plans; each environment's wired demand shared over the plan's zones of that
    environment by their area (over every zone when the plans have none of it)."""
    closets: list[Closet] = []
    served_area: list[float] = []
    env_area: list[dict[str, float]] = []
    for f in floors:
        drawn = [a for a in f.areas if a.role == "closet"]
        mine: list[Closet] = []
        for a in drawn:
            xs, ys = [p[0] for p in a.polygon], [p[1] for p in a.polygon]
            mine.append(Closet(a.name, f.name, sum(xs) / len(xs), sum(ys) / len(ys), drawn=True))
        zones = [z for z in f.zones() if z.environment != "outdoor"] or f.zones()
        if not mine:  # a floor without a drawn closet: one per ~1,000 m², spread along its length
            xmin, ymin, xmax, ymax = f.bounds()
            area = sum(z.area_m2() for z in zones) or (xmax - xmin) * (ymax - ymin)
            per, _ = default_closets(area)
            for k in range(per):
                mine.append(Closet(f"{f.name}-{k + 1}", f.name, xmin + (k + 0.5) * (xmax - xmin) / per,
                                   (ymin + ymax) / 2))  # fmt: skip
        areas = [0.0] * len(mine)
        envs: list[dict[str, float]] = [{} for _ in mine]
        for z in f.zones():
            cx = sum(p[0] for p in z.polygon) / len(z.polygon)
            cy = sum(p[1] for p in z.polygon) / len(z.polygon)
            k = min(range(len(mine)), key=lambda i: abs(mine[i].x - cx) + abs(mine[i].y - cy))  # type: ignore[operator]
            areas[k] += z.area_m2()
            envs[k][z.environment or ""] = envs[k].get(z.environment or "", 0.0) + z.area_m2()
            mine[k].zones.append(z.name)
            far = max(abs(mine[k].x - px) + abs(mine[k].y - py) for px, py in z.polygon)  # type: ignore[operator]
            mine[k].longest_m = max(mine[k].longest_m, cable_m(far))
        closets += mine
        served_area += areas
        env_area += envs
    total_area = sum(served_area) or 1.0
    env_total: dict[str, float] = {}
    for envs_k in env_area:
        for e, a in envs_k.items():
            env_total[e] = env_total.get(e, 0.0) + a
    for env, demand in per_env.items():
        for c, a, envs_k in zip(closets, served_area, env_area, strict=True):
            share = envs_k.get(env, 0.0) / env_total[env] if env_total.get(env) else a / total_area
            if share:
                c.add(demand, share)
    placed = _design_aps(design, floors) if design else []
    if placed:
        by_floor: dict[str, list[Closet]] = {}
        for c in closets:
            by_floor.setdefault(c.floor, []).append(c)
        mean_w = sum(w * k for w, k in ap_draws.items()) / max(1, sum(ap_draws.values())) if ap_draws else AP_PORT_W
        for name, floor, x, y, six, model in placed:
            options = by_floor.get(floor) or closets
            c = min(options, key=lambda c: abs(c.x - x) + abs(c.y - y))  # type: ignore[operator]
            c.add({(model_w or {}).get(model or "", mean_w): 1})  # at the draw of the model the design chose
            c.aps += 1
            c.mgig += six
            c.ap_names.append(name)
        extra = n_mgig - sum(c.mgig for c in closets)  # 6 GHz models placed where the design did not use 6 GHz
        if extra > 0:
            for c, k in zip(closets, apportion(int(extra), [c.aps for c in closets]), strict=True):
                c.mgig += k
            c.longest_m = max(c.longest_m, cable_m(abs(c.x - x) + abs(c.y - y)))  # type: ignore[operator]
    elif n_aps:
        _share_aps(closets, served_area, ap_draws, n_mgig)
    return closets


def apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` whole units shared by ``weights`` (largest remainders): the parts add up to ``total``."""
    w = [max(0.0, x) for x in weights]
    if total <= 0 or not w:
        return [0] * len(w)
    s = sum(w) or float(len(w))
    exact = [total * (x / s if sum(w) else 1 / len(w)) for x in w]
    parts = [math.floor(e) for e in exact]
    for i in sorted(range(len(w)), key=lambda i: (-(exact[i] - parts[i]), i))[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _share_aps(closets: list[Closet], weights: list[float], ap_draws: dict[float, int], n_mgig: int) -> None:
    """The site's APs (whole ones, by draw) and those needing multigigabit ports shared over its rooms."""
    for w, n in ap_draws.items():
        for c, k in zip(closets, apportion(n, weights), strict=True):
            if k:
                c.add({w: k})
                c.aps += k
    for c, k in zip(closets, apportion(n_mgig, [c.aps for c in closets]), strict=True):
        c.mgig += k


def _design_aps(design: dict, floors: list) -> list[tuple[str, str, float, float, bool, str | None]]:  # type: ignore[type-arg]
    """(name, floor, x, y, has a 6 GHz radio, model) per AP of the design."""
    where: dict[str, tuple[str, float, float]] = {}
    model: dict[str, str | None] = {}
    six: set[str] = set()
    for f in design.get("floors", []):
        for a in f["aps"]:
            where.setdefault(a["name"], (f["floor"], float(a["x_m"]), float(a["y_m"])))
            model.setdefault(a["name"], a.get("model"))
            if str(a.get("band")) == "6":
                six.add(a["name"])
    return [(name, *xy, name in six, model[name]) for name, xy in where.items()]


def ap_port_watts(session: Session) -> dict[str, float]:
    """W at the switch port per AP model of the catalog (its maximum draw, or its PoE class's)."""
    from sqlalchemy import select

    from reemploi.catalog.models import EquipmentModel

    q = select(EquipmentModel.model, EquipmentModel.max_draw_w, EquipmentModel.poe_class).where(
        EquipmentModel.kind.in_(("indoor_ap", "outdoor_ap")))
    return {m: switches.port_watts(draw or switches.PD_MAX_W.get((poe or "").lower(), 0.0)) for m, draw, poe in
            session.execute(q)}  # fmt: skip


# --- switch needs per site ------------------------------------------------------------------

def provided_switches(session: Session) -> dict[int, int]:
    """Switches a site already has: installed or in service there, or reserved or shipped to it by a plan in force."""
    return {sid: sum(c.values()) for sid, c in _provided_switch_models(session).items()}


def provided_switch_model(session: Session) -> dict[int, str]:
    """The model of the switches a site already has (the most of them): the site keeps its family."""
    return {sid: c.most_common(1)[0][0] for sid, c in _provided_switch_models(session).items() if c}


def _provided_switch_models(session: Session) -> dict[int, Counter[str]]:
    from sqlalchemy import func, select

    from reemploi.catalog.models import EquipmentModel
    from reemploi.inventory.models import Device
    from reemploi.planning.models import Plan, PlanDevice, PlanStatus, Site
    from reemploi.workflow.states import State

    out: dict[int, Counter[str]] = {}
    here = (select(Site.id, EquipmentModel.model, func.count(Device.id))
            .join(Device, Device.location_id == Site.location_id)
            .join(EquipmentModel, EquipmentModel.id == Device.model_id)
            .where(EquipmentModel.kind == "switch", Device.state.in_((State.INSTALLED.value, State.IN_SERVICE.value)))
            .group_by(Site.id, EquipmentModel.model))  # fmt: skip
    for sid, model, n in session.execute(here):
        out.setdefault(sid, Counter())[model] += int(n)
    planned = (select(PlanDevice.site_id, EquipmentModel.model, func.count(PlanDevice.device_id))
               .join(Plan, Plan.id == PlanDevice.plan_id).join(Device, Device.id == PlanDevice.device_id)
               .join(EquipmentModel, EquipmentModel.id == Device.model_id)
               .where(Plan.status.in_((PlanStatus.APPROVED.value, PlanStatus.EXECUTED.value)),
                      PlanDevice.need_class == "switch",
                      Device.state.in_((State.RESERVED.value, State.SHIPPED.value)))
               .group_by(PlanDevice.site_id, EquipmentModel.model))  # fmt: skip
    for sid, model, n in session.execute(planned):
        out.setdefault(sid, Counter())[model] += int(n)
    return out


def ready_switch_stock(session: Session) -> dict[str, int]:
    from sqlalchemy import func, select

    from reemploi.catalog.models import EquipmentModel
    from reemploi.inventory.models import Device
    from reemploi.workflow.states import State

    q = (select(EquipmentModel.model, func.count(Device.id)).join(Device, Device.model_id == EquipmentModel.id)
         .where(EquipmentModel.kind == "switch", Device.state == State.READY.value)
         .group_by(EquipmentModel.model))  # fmt: skip
    return {m: int(n) for m, n in session.execute(q)}


def switch_rows(session: Session, ap_counts: dict[int, tuple[int, Any]], lang: str = "en",  # type: ignore[type-arg]
                mgig: dict[int, int] | None = None) -> list[dict]:  # type: ignore[type-arg]
    """One ``switch`` row per site: its switches (model, count, driver), what it has, and its closets."""
    from sqlalchemy import select

    from reemploi.inventory.models import Location
    from reemploi.planning.models import Site

    wired = closets_by_site(session, ap_counts, mgig=mgig)
    closets = {sid: w.closets for sid, w in wired.items()}
    q = select(Location.code, Location.name, Site.id, Site.priority).join(Site, Site.location_id == Location.id)
    info = {sid: (code, name, prio) for code, name, sid, prio in session.execute(q)}
    order = sorted(closets, key=lambda s: (info[s][2], info[s][0]))
    per_site = switches.site_needs({sid: [c.demand() for c in closets[sid]] for sid in order}, order,
                                   switches.switch_models(session), ready_switch_stock(session),
                                   {sid: [c.mgig_ports() for c in closets[sid]] for sid in order},
                                   provided_switch_model(session))  # fmt: skip
    has = provided_switches(session)
    rows = []
    for sid in order:
        sn = per_site.get(sid)
        if sn is None:
            continue
        code, name, prio = info[sid]
        driver = switch_driver(sn, lang)
        got = has.get(sid, 0)
        rows.append({
            "site": code, "site_name": name, "class": "switch", "count": sn.count, "computed": sn.count,
            "provided": got, "remaining": max(0, sn.count - got), "override": None, "driver": driver,
            "computed_driver": driver, "min_wifi_generation": None, "priority": prio, "controller_vendor": None,
            "basis": "design" if any(c.drawn for c in closets[sid]) else "estimate", "design_version": None,
            "model": sn.model.model if sn.model else None, "wired_defaults": wired[sid].defaulted,
            "mgig_ports": sn.mgig, "mgig_unserved": sn.mgig_unserved, "poe_unserved": sn.poe_unserved,
            "port_max_w": sn.model.port_max_w if sn.model else None,
            "closets": closet_rows(closets[sid], sn),
        })  # fmt: skip
    return rows


def closet_rows(closets: list[Closet], sn) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """Per closet: its ports, APs, PoE, longest run, switches, stacks and uplinks."""
    rows = []
    for c, n in zip(closets, sn.per_closet or [0] * len(closets), strict=True):
        stacks = sn.model.stacks(n) if sn.model else 0
        uplink = sn.model.uplink_gbps if sn.model else None
        rows.append({
            "closet": c.name, "floor": c.floor, "drawn": c.drawn, "ports": c.ports(), "aps": math.ceil(c.aps - 1e-9),
            "poe_w": round(c.poe_w, 1), "longest_m": round(c.longest_m, 1), "beyond_90m": c.beyond_link,
            "switches": n, "mgig_ports": c.mgig_ports(), "stacks": stacks,
            "uplinks": stacks * switches.UPLINKS_PER_STACK, "uplink_gbps": uplink,
            "uplink_bottleneck": bool(c.mgig_ports() and uplink is not None and uplink <= 1.0),
        })  # fmt: skip
    return rows


def switch_driver(sn, lang: str) -> str:  # type: ignore[no-untyped-def]
    from reemploi.i18n import t

    if sn.model is None:
        return t("switch_driver.no_model", lang)
    return t(f"switch_driver.{sn.driver}", lang, ports=sn.aps, watts=sn.watts, per=sn.model.ports,
             budget=sn.model.poe_budget_w, model=sn.model.model, mgig=sn.mgig, per_mgig=sn.model.mgig_ports,
             rooms=len(sn.per_closet or []))

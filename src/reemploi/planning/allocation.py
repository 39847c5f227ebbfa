"""Allocation: assign `ready` devices to site needs, optimally (HiGHS), with a greedy baseline.

Supply is grouped: devices of one model, grade and location are interchangeable. An
arc joins a group to a need (site and class) when the device fits: same class (indoor
or outdoor AP), Wi-Fi generation at least the need's minimum, the site's controller
vendor when it has one. Constraints: no more than the stock, no more than the need,
the site's PoE budget (sum of the devices' maximum draw), one vendor per site.

Objective, lexicographic through weights that cannot trade against each other:
1. priority-weighted needs met: each device placed at a site of priority p earns
   1000 × (10 − p);
2. transport emissions, kgCO2e: mass × great-circle distance × road factor × truck
   factor (< 1 per device at French distances, so it never outweighs a need met);
3. a small bonus for better grades at higher priorities (0.01 × bonus × (10 − p)).

Without a PoE budget or an open vendor choice this is a transportation problem: the
LP optimum is integral (total unimodularity). Otherwise it is a MILP, solved with a
time limit; the proven gap is reported.
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel
from reemploi.db import utcnow
from reemploi.db.bulk import bulk_insert
from reemploi.inventory.models import Device, Location
from reemploi.planning import switches
from reemploi.planning.models import Plan, PlanDevice, Site
from reemploi.planning.service import compute_needs
from reemploi.workflow import audit
from reemploi.workflow.states import State

# Detour index of road over great-circle distance; about 1.2-1.4 for French road trips
# (assumption, documented in docs/planning.md).
ROAD_FACTOR = 1.3
# Rigid truck 26-32 t, diesel: 0.105 kgCO2e per tonne-km (ADEME Base Carbone).
TRUCK_KGCO2E_PER_TKM = 0.105
DEFAULT_MASS_KG = 1.0  # estimate when the catalog has no mass
CLASS_OF_KIND = {"indoor_ap": "indoor", "outdoor_ap": "outdoor"}
GRADE_BONUS = {"A": 2.0, "B": 1.0}
NEED_WEIGHT = 1000.0


def weight(priority: int) -> float:
    return float(10 - max(1, min(9, priority)))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@dataclass
class Group:
    model_id: int
    model: str
    vendor: str
    need_class: str
    generation: int
    draw_w: float
    mass_kg: float
    grade: str
    location: str
    lat: float | None
    lon: float | None
    device_ids: list[int] = field(default_factory=list)
    serials: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.device_ids)


@dataclass
class Need:
    site_id: int
    site: str
    site_name: str
    need_class: str
    count: int
    min_generation: int | None
    vendor: str | None
    priority: int
    lat: float | None
    lon: float | None
    poe_budget_w: float | None
    model: str | None = None  # switch needs: the one model chosen for the site


@dataclass
class Arc:
    group: int
    need: int
    transport_per_device: float  # kgCO2e
    cost: float  # objective coefficient (minimised)


def load_groups(session: Session, classes: dict[str, str] = CLASS_OF_KIND) -> list[Group]:
    """Ready APs (or the kinds ``classes`` maps), grouped by model, grade and location (one query)."""
    q = (
        select(Device.id, Device.serial, Device.grade, EquipmentModel, Location.code, Location.lat, Location.lon)
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .outerjoin(Location, Device.location_id == Location.id)
        .where(Device.state == State.READY.value, EquipmentModel.kind.in_(list(classes)))
        .order_by(EquipmentModel.model, Device.grade, Location.code, Device.serial)
    )
    groups: dict[tuple[int, str, str], Group] = {}
    for did, serial, grade, m, loc, lat, lon in session.execute(q):
        key = (m.id, grade or "-", loc or "-")
        g = groups.get(key)
        if g is None:
            g = groups[key] = Group(
                m.id, m.model, m.vendor, classes[m.kind], m.wifi_generation or 0, m.max_draw_w or 0.0,
                m.mass_kg or DEFAULT_MASS_KG, grade or "-", loc or "-", lat, lon,
            )  # fmt: skip
        g.device_ids.append(did)
        g.serials.append(serial)
    return list(groups.values())


def load_needs(session: Session) -> list[Need]:
    sites = {
        loc.code: (site, loc)
        for site, loc in session.execute(select(Site, Location).join(Location, Site.location_id == Location.id))
    }
    out = []
    for row in compute_needs(session):
        if row["count"] <= 0:
            continue
        site, loc = sites[row["site"]]
        out.append(Need(site.id, row["site"], row["site_name"], row["class"], row["count"], row["min_wifi_generation"],
                        site.controller_vendor, site.priority, loc.lat, loc.lon, site.poe_budget_w))  # fmt: skip
    return out


def build_arcs(groups: list[Group], needs: list[Need]) -> list[Arc]:
    arcs = []
    for ni, n in enumerate(needs):
        for gi, g in enumerate(groups):
            if g.need_class != n.need_class:
                continue
            if n.min_generation and g.generation < n.min_generation:
                continue
            if n.vendor and g.vendor.lower() != n.vendor.lower():
                continue
            if n.poe_budget_w is not None and g.draw_w > n.poe_budget_w:
                continue
            if n.model and g.model != n.model:
                continue
            km = (
                haversine_km(g.lat, g.lon, n.lat, n.lon) * ROAD_FACTOR
                if None not in (g.lat, g.lon, n.lat, n.lon)
                else 0.0
            )
            transport = g.mass_kg / 1000 * km * TRUCK_KGCO2E_PER_TKM
            w = weight(n.priority)
            cost = -NEED_WEIGHT * w + transport - 0.01 * GRADE_BONUS.get(g.grade, 0.0) * w
            arcs.append(Arc(gi, ni, transport, cost))
    return arcs


@dataclass
class Solution:
    flows: dict[int, int]  # arc index -> devices
    method: str  # "lp" or "milp" or "greedy"
    optimal: bool
    gap: float


def solve(groups: list[Group], needs: list[Need], arcs: list[Arc], time_limit: float = 60.0) -> Solution:
    """The optimal allocation with HiGHS (LP when the problem is a pure transportation one)."""
    import highspy
    import numpy as np

    if not arcs:
        return Solution({}, "lp", True, 0.0)
    n_x = len(arcs)
    rows_lo: list[float] = []
    rows_hi: list[float] = []
    entries: list[tuple[int, int, float]] = []  # (row, col, value)

    def new_row(lo: float, hi: float) -> int:
        rows_lo.append(lo)
        rows_hi.append(hi)
        return len(rows_lo) - 1

    supply = {gi: new_row(-highspy.kHighsInf, g.count) for gi, g in enumerate(groups)}
    demand = {ni: new_row(-highspy.kHighsInf, n.count) for ni, n in enumerate(needs)}
    for a, arc in enumerate(arcs):
        entries.append((supply[arc.group], a, 1.0))
        entries.append((demand[arc.need], a, 1.0))
    # PoE budget per site (over both classes).
    budgets: dict[int, int] = {}
    for a, arc in enumerate(arcs):
        n = needs[arc.need]
        if n.poe_budget_w is not None:
            row = budgets.setdefault(n.site_id, new_row(-highspy.kHighsInf, n.poe_budget_w))
            entries.append((row, a, groups[arc.group].draw_w))
    # One vendor per site where the choice is open.
    vendors_at: dict[int, set[str]] = {}
    for arc in arcs:
        vendors_at.setdefault(needs[arc.need].site_id, set()).add(groups[arc.group].vendor)
    y_cols: dict[tuple[int, str], int] = {}
    for site_id, vendors in sorted(vendors_at.items()):
        if len(vendors) > 1:
            choose = new_row(-highspy.kHighsInf, 1.0)
            for v in sorted(vendors):
                col = n_x + len(y_cols)
                y_cols[(site_id, v)] = col
                entries.append((choose, col, 1.0))
    if y_cols:
        for a, arc in enumerate(arcs):
            key = (needs[arc.need].site_id, groups[arc.group].vendor)
            if key in y_cols:
                row = new_row(-highspy.kHighsInf, 0.0)
                ub = min(groups[arc.group].count, needs[arc.need].count)
                entries.append((row, a, 1.0))
                entries.append((row, y_cols[key], -float(ub)))
    n_cols = n_x + len(y_cols)
    milp = bool(y_cols or budgets)
    entries.sort(key=lambda e: (e[1], e[0]))
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(rows_lo)
    lp.col_cost_ = np.array([arc.cost for arc in arcs] + [0.0] * len(y_cols), dtype=float)
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.array(
        [float(min(groups[a.group].count, needs[a.need].count)) for a in arcs] + [1.0] * len(y_cols), dtype=float
    )
    lp.row_lower_ = np.array(rows_lo, dtype=float)
    lp.row_upper_ = np.array(rows_hi, dtype=float)
    starts = [0] * (n_cols + 1)
    for _, col, _ in entries:
        starts[col + 1] += 1
    for c in range(n_cols):
        starts[c + 1] += starts[c]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array([r for r, _, _ in entries], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([v for _, _, v in entries], dtype=float)
    if milp:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    with _stdout_silenced():  # HiGHS 1.16 prints its banner when the object is built
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    if milp:
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", 1e-6)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    values = h.getSolution().col_value
    flows = {a: round(values[a]) for a in range(n_x) if round(values[a]) > 0}
    if milp:
        info = h.getInfo()
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 1.0
        return Solution(flows, "milp", status == highspy.HighsModelStatus.kOptimal, max(0.0, gap))
    return Solution(flows, "lp", status == highspy.HighsModelStatus.kOptimal, 0.0)


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Point file descriptor 1 at /dev/null for a C library that prints (our JSON is on stdout)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def greedy(groups: list[Group], needs: list[Need], arcs: list[Arc]) -> Solution:
    """The spreadsheet way: by priority, each need takes the nearest compatible stock."""
    left = [g.count for g in groups]
    by_need: dict[int, list[tuple[float, int]]] = {}
    for a, arc in enumerate(arcs):
        by_need.setdefault(arc.need, []).append((arc.transport_per_device, a))
    flows: dict[int, int] = {}
    site_vendor: dict[int, str] = {}
    budget_left: dict[int, float] = {}
    for ni in sorted(range(len(needs)), key=lambda i: (needs[i].priority, needs[i].site, needs[i].need_class)):
        n = needs[ni]
        want = n.count
        for _, a in sorted(by_need.get(ni, [])):
            g = groups[arcs[a].group]
            if want == 0:
                break
            if site_vendor.setdefault(n.site_id, g.vendor) != g.vendor:
                continue
            take = min(want, left[arcs[a].group])
            if n.poe_budget_w is not None and g.draw_w > 0:
                room = budget_left.setdefault(n.site_id, n.poe_budget_w)
                take = min(take, int(room // g.draw_w))
                budget_left[n.site_id] = room - take * g.draw_w
            if take > 0:
                flows[a] = flows.get(a, 0) + take
                left[arcs[a].group] -= take
                want -= take
    return Solution(flows, "greedy", False, 0.0)


def summarise(groups: list[Group], needs: list[Need], arcs: list[Arc], sol: Solution) -> dict[str, Any]:
    met = [0] * len(needs)
    used = [0] * len(groups)
    transport = 0.0
    for a, f in sol.flows.items():
        met[arcs[a].need] += f
        used[arcs[a].group] += f
        transport += f * arcs[a].transport_per_device
    unmet = [
        {"site": n.site, "site_name": n.site_name, "class": n.need_class, "needed": n.count,
         "missing": n.count - met[i], "min_wifi_generation": n.min_generation, "priority": n.priority}
        for i, n in enumerate(needs) if met[i] < n.count
    ]  # fmt: skip
    purchase: dict[tuple[str, int | None], int] = {}
    for u in unmet:
        key = (u["class"], u["min_wifi_generation"])
        purchase[key] = purchase.get(key, 0) + u["missing"]
    unused: dict[tuple[str, str], int] = {}
    for i, g in enumerate(groups):
        if g.count > used[i]:
            unused[(g.model, g.grade)] = unused.get((g.model, g.grade), 0) + g.count - used[i]
    return {
        "assigned": sum(met),
        "needed": sum(n.count for n in needs),
        "unmet": sum(u["missing"] for u in unmet),
        "unmet_needs": unmet,
        "purchase": [{"class": c, "min_wifi_generation": gen, "count": k} for (c, gen), k in sorted(
            purchase.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))],
        "unused": sum(unused.values()),
        "unused_stock": [{"model": m, "grade": gr, "count": k} for (m, gr), k in sorted(unused.items())],
        "transport_kgco2e": round(transport, 3),
        "priority_weighted_met": sum(f * weight(needs[arcs[a].need].priority) for a, f in sol.flows.items()),
    }  # fmt: skip


def inputs_hash(groups: list[Group], needs: list[Need]) -> str:
    h = hashlib.sha256()
    for g in groups:
        h.update(f"G|{g.model}|{g.grade}|{g.location}|{g.count}|{g.generation}|{g.draw_w}|{g.mass_kg}\n".encode())
    for n in needs:
        h.update(f"N|{n.site}|{n.need_class}|{n.count}|{n.min_generation}|{n.vendor}|{n.priority}|"
                 f"{n.poe_budget_w}|{n.lat}|{n.lon}\n".encode())  # fmt: skip
    return h.hexdigest()


@dataclass
class SwitchPart:
    groups: list[Group]
    needs: list[Need]
    arcs: list[Arc]
    solution: Solution
    summary: dict[str, Any]


def allocate_switches(session: Session, groups: list[Group], needs: list[Need], arcs: list[Arc],
                      aps: Solution) -> SwitchPart:  # fmt: skip
    """Switch needs from the APs placed (see ``switches``), filled from ready switches by the same LP."""
    site_draws: dict[int, dict[float, int]] = {}
    site_need: dict[int, Need] = {}
    for a, f in aps.flows.items():
        n, g = needs[arcs[a].need], groups[arcs[a].group]
        w = switches.port_watts(g.draw_w)
        d = site_draws.setdefault(n.site_id, {})
        d[w] = d.get(w, 0) + f
        site_need.setdefault(n.site_id, n)
    sw_groups = load_groups(session, {"switch": switches.SWITCH_CLASS})
    stock: dict[str, int] = {}
    for g in sw_groups:
        stock[g.model] = stock.get(g.model, 0) + g.count
    order = sorted(site_need, key=lambda s: (site_need[s].priority, site_need[s].site))
    per_site = switches.site_needs(site_draws, order, switches.switch_models(session), stock)
    sw_needs = []
    for sid in order:
        n, sn = site_need[sid], per_site[sid]
        if sn.count > 0:
            sw_needs.append(Need(sid, n.site, n.site_name, switches.SWITCH_CLASS, sn.count, None, None, n.priority,
                                 n.lat, n.lon, None, sn.model.model if sn.model else None))  # fmt: skip
    sw_arcs = build_arcs(sw_groups, sw_needs)
    sol = solve(sw_groups, sw_needs, sw_arcs)
    met: dict[int, int] = {}
    used = [0] * len(sw_groups)
    transport = 0.0
    for a, f in sol.flows.items():
        met[sw_needs[sw_arcs[a].need].site_id] = met.get(sw_needs[sw_arcs[a].need].site_id, 0) + f
        used[sw_arcs[a].group] += f
        transport += f * sw_arcs[a].transport_per_device
    names = {sid: (n.site, n.site_name) for sid, n in site_need.items()}
    rows = switches.as_rows(per_site, names, met)
    purchase: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["missing"] > 0 and r["model"]:
            line = purchase.setdefault(r["model"], {"model": r["model"], "ports": r["ports"],
                                                    "poe_budget_w": r["poe_budget_w"], "count": 0})  # fmt: skip
            line["count"] += r["missing"]
    summary = {
        "switch_needs": rows,
        "switches": {
            "needed": sum(r["count"] for r in rows), "assigned": sum(met.values()),
            "missing": sum(r["missing"] for r in rows), "unused": sum(g.count for g in sw_groups) - sum(used),
            "transport_kgco2e": round(transport, 3),
        },
        "switch_purchase": [purchase[m] for m in sorted(purchase)],
    }  # fmt: skip
    return SwitchPart(sw_groups, sw_needs, sw_arcs, sol, summary)


def create_plan(
    session: Session,
    *,
    name: str | None,
    actor: str,
    time_limit: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """Compute and store a draft plan; the same inputs always give the same plan."""
    say = progress or (lambda _s: None)
    audit.lock(session)
    say("reading stock and needs")
    groups, needs = load_groups(session), load_needs(session)
    arcs = build_arcs(groups, needs)
    say(f"solving ({len(arcs)} compatible pairs)")
    best = solve(groups, needs, arcs, time_limit)
    base = greedy(groups, needs, arcs)
    summary = summarise(groups, needs, arcs, best)
    gsum = summarise(groups, needs, arcs, base)
    summary["greedy"] = {k: gsum[k] for k in ("assigned", "unmet", "transport_kgco2e", "priority_weighted_met")}
    summary["arcs"] = len(arcs)
    summary["no_stock"] = not groups
    summary["no_needs"] = not needs
    say("switches for the APs placed")
    sw = allocate_switches(session, groups, needs, arcs, best)
    summary |= sw.summary
    when = utcnow()
    plan = Plan(
        name=name or f"plan {when:%Y-%m-%d %H:%M}", status="draft", created_at=when, actor=actor,
        solver=f"highs-{best.method}", optimal=best.optimal, gap=best.gap,
        inputs_hash=inputs_hash(groups + sw.groups, needs),
        summary=summary,
    )  # fmt: skip
    session.add(plan)
    session.flush()
    say("writing the assignment")
    rows = []
    for gs, ns, as_, sol in ((groups, needs, arcs, best), (sw.groups, sw.needs, sw.arcs, sw.solution)):
        taken = [0] * len(gs)
        for a in sorted(sol.flows):
            arc, f = as_[a], sol.flows[a]
            g, n = gs[arc.group], ns[arc.need]
            for did in g.device_ids[taken[arc.group] : taken[arc.group] + f]:
                rows.append((plan.id, did, n.site_id, n.need_class, round(arc.transport_per_device, 6)))
            taken[arc.group] += f
    bulk_insert(session, PlanDevice.__table__, ("plan_id", "device_id", "site_id", "need_class", "transport_kgco2e"),
                rows)  # type: ignore[arg-type]  # fmt: skip
    audit.append(session, [(actor, "create", "plan", str(plan.id), None, "draft", None, None)], when)
    return plan

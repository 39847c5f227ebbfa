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
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel
from reemploi.db import utcnow
from reemploi.db.bulk import bulk_insert
from reemploi.inventory.models import Device, Location
from reemploi.planning import positions, switches, wired
from reemploi.planning.models import Plan, PlanDevice, Site
from reemploi.planning.service import CLASS_OF_KIND, compute_needs, provided_devices
from reemploi.planning.solver import (  # noqa: F401  (re-exported: the allocation's public names)
    GRADE_BONUS,
    NEED_WEIGHT,
    ROAD_FACTOR,
    TRUCK_KGCO2E_PER_TKM,
    Arc,
    Arcs,
    Solution,
    build_arcs,
    greedy,
    solve,
    weight,
)
from reemploi.planning.stock import Group, Need
from reemploi.workflow import audit
from reemploi.workflow.states import State

DEFAULT_MASS_KG = 1.0  # estimate when the catalog has no mass


def load_groups(session: Session, classes: dict[str, str] = CLASS_OF_KIND) -> list[Group]:
    """Ready APs (or the kinds ``classes`` maps), grouped by model, grade and location (one query)."""
    models = {m.id: m for m in session.scalars(select(EquipmentModel).where(EquipmentModel.kind.in_(list(classes))))}
    q = (
        select(Device.id, Device.serial, Device.grade, Device.model_id, Location.code, Location.lat, Location.lon)
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .outerjoin(Location, Device.location_id == Location.id)
        .where(Device.state == State.READY.value, EquipmentModel.kind.in_(list(classes)))
        .order_by(EquipmentModel.model, Device.grade, Location.code, Device.serial)
    )
    groups: dict[tuple[int, str, str], Group] = {}
    for did, serial, grade, mid, loc, lat, lon in session.connection().execute(q):
        key = (mid, grade or "-", loc or "-")
        g = groups.get(key)
        if g is None:
            m = models[mid]
            g = groups[key] = Group(
                m.id, m.model, m.vendor, classes[m.kind], m.wifi_generation or 0, m.max_draw_w or 0.0,
                m.mass_kg or DEFAULT_MASS_KG, grade or "-", loc or "-", lat, lon,
            )  # fmt: skip
        g.device_ids.append(did)
        g.serials.append(serial)
    return list(groups.values())


def load_needs(session: Session) -> list[Need]:
    q = select(Location.code, Site.id, Site.controller_vendor, Site.priority, Location.lat, Location.lon,
               Site.poe_budget_w).join(Location, Site.location_id == Location.id)  # fmt: skip
    sites = {code: rest for code, *rest in session.connection().execute(q)}
    # What a site already has binds what comes next: its vendor (one per site) and its PoE budget.
    models = {m.id: m for m in session.scalars(select(EquipmentModel))}
    has_vendors: dict[int, set[str]] = {}
    has_draw: dict[int, float] = {}
    has = provided_devices(session)
    for sid, _, mid in has.values():
        has_vendors.setdefault(sid, set()).add(models[mid].vendor)
        has_draw[sid] = has_draw.get(sid, 0.0) + (models[mid].max_draw_w or 0.0)
    out = []
    for row in compute_needs(session, has_devices=has):  # what is left once what a site has is counted
        if row["remaining"] <= 0:
            continue
        sid, vendor, priority, lat, lon, budget = sites[row["site"]]
        there = has_vendors.get(sid, set())
        if vendor is None and len(there) == 1:
            vendor = next(iter(there))
        if budget is not None:
            budget = max(0.0, budget - has_draw.get(sid, 0.0))
        out.append(Need(sid, row["site"], row["site_name"], row["class"], row["remaining"], row["min_wifi_generation"],
                        vendor, priority, lat, lon, budget))  # fmt: skip
    return out


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
         "missing": n.count - met[i], "min_wifi_generation": n.min_generation, "priority": n.priority,
         "models": sorted(n.models) if n.models is not None else None}
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
        if n.models is not None:
            h.update(f"P|{','.join(sorted(n.models))}|{','.join(n.positions)}\n".encode())
    return h.hexdigest()


@dataclass
class SwitchPart:
    groups: list[Group]
    needs: list[Need]
    arcs: list[Arc]
    solution: Solution
    summary: dict[str, Any]
    slots: dict[int, list[positions.Position]]  # per site: its switch slots, closet by closet
    ap_closet: dict[int, dict[str, str]]  # per site: design AP name -> the closet that serves it


def allocate_switches(session: Session, groups: list[Group], needs: list[Need], arcs: list[Arc],
                      aps: Solution) -> SwitchPart:  # fmt: skip
    """Switch needs per closet from the sites' wired needs and their APs (those they have and those placed),
    filled from ready switches by the same LP (see ``switches`` and ``wired``)."""
    cat = {mid: (b, draw) for mid, b, draw in session.execute(
        select(EquipmentModel.id, EquipmentModel.bands, EquipmentModel.max_draw_w))}  # fmt: skip
    six = {m: "6" in (b or "").split("/") for m, (b, _) in cat.items()}
    six_models = {g.model for g in groups if six.get(g.model_id)}
    placed: dict[int, list[float]] = {}
    mgig: dict[int, int] = {}
    for a, f in aps.flows.items():
        n, g = needs[arcs[a].need], groups[arcs[a].group]
        placed.setdefault(n.site_id, []).extend([switches.port_watts(g.draw_w)] * f)
        if g.model in six_models:
            mgig[n.site_id] = mgig.get(n.site_id, 0) + f
    met: dict[int, int] = {}
    for a, f in aps.flows.items():
        met[arcs[a].need] = met.get(arcs[a].need, 0) + f
    for i, n in enumerate(needs):  # the APs still to buy need their ports too (at the 802.3at port budget)
        if n.count > met.get(i, 0):
            placed.setdefault(n.site_id, []).extend([wired.AP_PORT_W] * (n.count - met.get(i, 0)))
    for sid, _, mid in provided_devices(session).values():  # the APs a site has, at their own draw
        placed.setdefault(sid, []).append(switches.port_watts(cat.get(mid, (None, None))[1] or 0.0))
        if six.get(mid):
            mgig[sid] = mgig.get(sid, 0) + 1
    ap_counts: dict[int, tuple[int, dict[float, int]]] = {}
    for sid, ws in placed.items():
        d: dict[float, int] = {}
        for w in ws:
            d[w] = d.get(w, 0) + 1
        ap_counts[sid] = (len(ws), d)
    closets = {sid: w.closets for sid, w in wired.closets_by_site(session, ap_counts, mgig=mgig).items()}
    info = {row[0]: row[1:] for row in session.execute(
        select(Site.id, Location.code, Location.name, Site.priority, Location.lat, Location.lon)
        .join(Location, Location.id == Site.location_id))}  # fmt: skip
    sw_groups = load_groups(session, {"switch": switches.SWITCH_CLASS})
    stock: dict[str, int] = {}
    for g in sw_groups:
        stock[g.model] = stock.get(g.model, 0) + g.count
    order = sorted(closets, key=lambda s: (info[s][2], info[s][0]))
    per_site = switches.site_needs({sid: [c.demand() for c in closets[sid]] for sid in order}, order,
                                   switches.switch_models(session), stock,
                                   {sid: [c.mgig_ports() for c in closets[sid]] for sid in order},
                                   wired.provided_switch_model(session))  # fmt: skip
    has = wired.provided_switches(session)
    held = positions.held_positions(session)
    slots = {sid: positions.switch_slots((c.name, c.floor, k) for c, k in
                                         zip(closets[sid], per_site[sid].per_closet or [], strict=False))
             for sid in order if sid in per_site}  # fmt: skip
    sw_needs = []
    site_need: dict[int, Need] = {}
    for sid in order:
        sn = per_site.get(sid)
        if sn is None:
            continue
        code, name, priority, lat, lon = info[sid]
        count = max(0, sn.count - has.get(sid, 0))
        free = [p.name for p in slots[sid] if p.name not in held.get(sid, set())][:count]
        need = Need(sid, code, name, switches.SWITCH_CLASS, count, None, None, priority, lat, lon, None,
                    sn.model.model if sn.model else None, positions=tuple(free))  # fmt: skip
        site_need[sid] = need
        if need.count > 0:
            sw_needs.append(need)
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
    rows = switches.as_rows(per_site, names, met, has, {sid: k for sid, (k, _) in ap_counts.items()})
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
        "switch_closets": {info[sid][0]: wired.closet_rows(closets[sid], per_site[sid]) for sid in order
                           if sid in per_site},
    }  # fmt: skip
    summary["switches"]["mgig_unserved"] = sum(r["mgig_unserved"] for r in rows)
    summary["switches"]["poe_unserved"] = sum(r["poe_unserved"] for r in rows)
    ap_closet = {sid: {ap: c.name for c in cs for ap in c.ap_names} for sid, cs in closets.items()}
    return SwitchPart(sw_groups, sw_needs, sw_arcs, sol, summary, slots, ap_closet)


def ap_models(session: Session) -> dict[str, list[str]]:
    """Class (indoor, outdoor) -> the catalog's AP models of that class."""
    out: dict[str, list[str]] = {}
    q = select(EquipmentModel.model, EquipmentModel.kind).where(EquipmentModel.kind.in_(list(CLASS_OF_KIND)))
    for model, kind in session.execute(q.order_by(EquipmentModel.model)):
        out.setdefault(CLASS_OF_KIND[kind], []).append(model)
    return out


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
    groups = load_groups(session)
    ap_positions = positions.site_positions(session)
    needs = positions.split_needs(load_needs(session), ap_positions, positions.held_positions(session),
                                  ap_models(session))  # fmt: skip
    arcs = build_arcs(groups, needs)
    say(f"solving ({len(arcs)} compatible pairs)")
    best = solve(groups, needs, arcs, time_limit)
    base = greedy(groups, needs, arcs)
    summary = summarise(groups, needs, arcs, best)
    gsum = summarise(groups, needs, arcs, base)
    summary["greedy"] = {k: gsum[k] for k in ("assigned", "unmet", "transport_kgco2e", "priority_weighted_met")}
    summary["arcs"] = len(arcs)
    # The solver's objective and the LP bound it was measured against (None on an empty problem).
    summary["objective"], summary["lp_bound"] = best.objective, best.lp_bound
    summary["no_stock"] = not groups
    summary["no_needs"] = not needs
    from reemploi.design.models import FloorPlanRecord
    from reemploi.planning.models import Zone

    # Sites whose needs can be known (zones or floor plans): with none left to fill, their needs are met.
    summary["sites"] = int(session.scalar(select(func.count(func.distinct(Zone.site_id)))) or 0) + int(
        session.scalar(select(func.count(func.distinct(FloorPlanRecord.site_id)))) or 0)
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
    where: dict[int, dict[str, positions.Position]] = {}
    for sid, ps in ap_positions.items():
        closet_of = sw.ap_closet.get(sid, {})
        where[sid] = {p.name: replace(p, closet=closet_of.get(p.name)) for p in ps}
    for sid, ps in sw.slots.items():
        where.setdefault(sid, {}).update({p.name: p for p in ps})
    rows = []
    for gs, ns, as_, sol in ((groups, needs, arcs, best), (sw.groups, sw.needs, sw.arcs, sw.solution)):
        taken = [0] * len(gs)
        per_need: dict[int, list[tuple[int, str, float]]] = {}
        for a in sorted(sol.flows):
            arc, f = as_[a], sol.flows[a]
            g = gs[arc.group]
            per_need.setdefault(arc.need, []).extend(
                (did, g.model, round(arc.transport_per_device, 6))
                for did in g.device_ids[taken[arc.group] : taken[arc.group] + f])  # fmt: skip
            taken[arc.group] += f
        for ni, items in per_need.items():
            n = ns[ni]
            spots = positions.place([where[n.site_id][p] for p in n.positions], [(d, m) for d, m, _ in items])
            for did, _, tr in items:
                p = spots.get(did)
                rows.append((plan.id, did, n.site_id, n.need_class, tr) + (
                    (p.name, p.floor, p.closet, p.x_m, p.y_m) if p else (None,) * 5))  # fmt: skip
    bulk_insert(session, PlanDevice.__table__, ("plan_id", "device_id", "site_id", "need_class", "transport_kgco2e",
                                                "position", "floor", "closet", "x_m", "y_m"),
                rows)  # type: ignore[arg-type]  # fmt: skip
    audit.append(session, [(actor, "create", "plan", str(plan.id), None, "draft", None, None)], when)
    return plan

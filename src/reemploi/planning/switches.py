"""Switch needs: per telecom room (closet), how many switches its ports and PoE take.

A closet's demand is its wired ports (desks, printers, phones, badge readers, cameras,
with a spare share: ``planning.wired``) and its APs. A switch has at most ``ports``
ports and delivers at most its ``poe_budget_w`` (both from the catalog). An AP takes, at
the switch port, its maximum draw divided by ``PD_SHARE`` (the 802.3at/bt class tables:
25.5 W at the AP is 30 W at the port, the rest is lost in up to 100 m of cable). Each
closet's ports are packed first-fit decreasing by draw into switches of the site's one
model; a closet's count is at least ``max(ceil(ports / ports per switch), ceil(PoE /
budget))``; the site's need is the sum over its closets (switches are not shared
between rooms: a stack lives in one).

Multigigabit: an AP with a 6 GHz radio (Wi-Fi 6E/7) needs a port at 2.5 GbE or more (its
three radios go past 1 Gb/s; dual-band Wi-Fi 6 APs stay under it in enterprise use). A
closet's switches then also number at least ``ceil(mGig ports / mGig ports per switch)``;
with a model that has no multigigabit port, those ports are listed to buy
(``mgig_unserved``), never silently put on 1 GbE ports. A closet's switches form stacks of
at most the model's ``stack_max`` members (standalone switches when it does not stack),
each stack with two uplinks (a redundant pair) at the model's uplink speed; a closet
feeding multigigabit APs over 1 GbE uplinks is flagged.

One switch model per site (one spare, one configuration). The model is the one that
needs the fewest switches among those with enough ready stock left, sites taken by
priority; failing that, the one with the most stock; with no stock, the catalog model
that needs the fewest (for the purchase list). Ready switches of that model are then
assigned by the same transportation LP as the APs (priority, then transport, then
grade). See docs/planning.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.catalog.models import DeviceKind, EquipmentModel

# AP power at the switch port = draw at the AP / PD_SHARE (IEEE 802.3at class 4: 25.5 W
# at the device for 30 W at the port; 802.3bt class 6: 51 W for 60 W).
PD_SHARE = 0.85
# Draw assumed for an AP whose catalog entry has none: the 802.3at class 4 ceiling (estimate).
DEFAULT_AP_DRAW_W = 25.5
SWITCH_CLASS = "switch"


@dataclass(frozen=True)
class SwitchModel:
    model: str
    vendor: str
    ports: int
    poe_budget_w: float
    mgig_ports: int = 0
    stack_max: int | None = None
    uplink_gbps: float | None = None
    port_max_w: float | None = None  # PoE one port gives (its 802.3 class); None: not known

    def powers(self, watts: float) -> bool:
        """Whether one of its ports can power a device drawing ``watts`` at the port."""
        return self.port_max_w is None or watts <= self.port_max_w + 1e-9

    def stacks(self, switches: int) -> int:
        """Stacks ``switches`` of this model make (each switch its own when the model does not stack)."""
        if switches <= 0:
            return 0
        return math.ceil(switches / self.stack_max) if self.stack_max else switches


UPLINKS_PER_STACK = 2  # a redundant pair to the distribution layer
# Power one port gives at the switch (PSE), per IEEE 802.3 type: af 15.4 W, at 30 W, bt type 3 60 W, type 4 90 W.
PORT_MAX_W = {"802.3af": 15.4, "802.3at": 30.0, "802.3bt-type3": 60.0, "802.3bt-type4": 90.0}
# Power a device of each type may draw (PD): af 12.95 W, at 25.5 W, bt type 3 51 W, type 4 71.3 W.
PD_MAX_W = {"802.3af": 12.95, "802.3at": 25.5, "802.3bt-type3": 51.0, "802.3bt-type4": 71.3}


def switch_models(session: Session) -> list[SwitchModel]:
    """Catalog switches that can feed APs (ports and PoE budget known), by name."""
    q = select(EquipmentModel).where(EquipmentModel.kind == DeviceKind.SWITCH.value).order_by(EquipmentModel.model)
    return [
        SwitchModel(m.model, m.vendor, m.ports, m.poe_budget_w, m.mgig_ports or 0, m.stack_max, m.uplink_gbps,
                    PORT_MAX_W.get((m.poe_class or "").lower()))
        for m in session.scalars(q)
        if m.ports and m.poe_budget_w
    ]


def port_watts(draw_w: float) -> float:
    return (draw_w or DEFAULT_AP_DRAW_W) / PD_SHARE


def switches_for(draws: dict[float, int], ports: int, budget_w: float) -> int:
    """Switches a first-fit-decreasing packing uses for APs of these port draws (W -> count)."""
    if not draws:
        return 0
    used_ports: list[int] = []
    used_w: list[float] = []
    for w in sorted(draws, reverse=True):
        left = draws[w]
        if w > budget_w:  # an AP this switch cannot power at all: one port each, no PoE from it
            raise ValueError(f"{w} W above a {budget_w} W budget")
        for i in range(len(used_ports)):  # fill the open switches first, then open new ones
            if left == 0:
                break
            by_power = int((budget_w - used_w[i] + 1e-9) // w) if w > 0 else ports  # a port without PoE
            fit = min(ports - used_ports[i], by_power, left)
            if fit > 0:
                used_ports[i] += fit
                used_w[i] += fit * w
                left -= fit
        per = min(ports, int((budget_w + 1e-9) // w)) if w > 0 else ports
        while left > 0:
            fit = min(per, left)
            used_ports.append(fit)
            used_w.append(fit * w)
            left -= fit
    return len(used_ports)


def driver(closets: list[dict[float, int]], model: SwitchModel, count: int, mgig: list[int] | None = None) -> str:
    """The term that sets the count, room by room: ports, PoE budget or multigigabit ports (a code)."""
    by_ports = sum(math.ceil(sum(d.values()) / model.ports) for d in closets if d)
    by_mgig = sum(math.ceil(g / model.mgig_ports) for g in (mgig or []) if g) if model.mgig_ports else 0
    if by_mgig >= count > by_ports:
        return "mgig"
    return "ports" if by_ports >= count else "poe"


@dataclass
class SiteSwitchNeed:
    site_id: int
    aps: int  # ports in all (APs and wired), kept under its old name for the plan's summary
    watts: float
    model: SwitchModel | None
    count: int
    driver: str
    per_closet: list[int] | None = None  # switches per closet, in the order given
    mgig: int = 0  # multigigabit ports the site's APs need
    mgig_unserved: int = 0  # of those, the ones the model cannot give (to buy)
    poe_unserved: int = 0  # devices drawing more than one of the model's ports gives (injectors or another switch)


def site_needs(
    site_draws: dict[int, list[dict[float, int]]],
    order: list[int],
    models: list[SwitchModel],
    stock: dict[str, int],
    site_mgig: dict[int, list[int]] | None = None,
    site_model: dict[int, str] | None = None,
) -> dict[int, SiteSwitchNeed]:
    """Per site (``order``: by priority), the switch model and how many of it its closets need.

    ``site_mgig``: per site, the multigigabit ports each closet needs (aligned with ``site_draws``).
    ``site_model``: the model of the switches a site has already: it keeps it (one family per site)."""
    left = dict(stock)
    out: dict[int, SiteSwitchNeed] = {}
    for site_id in order:
        closets = site_draws.get(site_id, [])
        if not any(closets):
            continue
        mgig = (site_mgig or {}).get(site_id) or [0] * len(closets)
        ports = sum(sum(d.values()) for d in closets)
        watts = sum(w * k for d in closets for w, k in d.items())
        need_mgig = sum(mgig)
        counts = {m.model: sum(_fit(d, m, g) for d, g in zip(closets, mgig, strict=True)) for m in models}
        if not counts:
            out[site_id] = SiteSwitchNeed(site_id, ports, watts, None, 0, "no_model", mgig=need_mgig,
                                          mgig_unserved=need_mgig)  # fmt: skip
            continue
        # Multigigabit ports wanted: a model that has them first.
        lacks = {m.model: bool(need_mgig) and not m.mgig_ports for m in models}
        enough = [m for m in models if left.get(m.model, 0) >= counts[m.model]]
        some = [m for m in models if left.get(m.model, 0) > 0]
        kept = next((m for m in models if m.model == (site_model or {}).get(site_id)), None)
        if kept is not None:
            pick = kept
        elif enough:
            pick = min(enough, key=lambda m: (lacks[m.model], counts[m.model], -left.get(m.model, 0), m.model))
        elif some:
            pick = min(some, key=lambda m: (lacks[m.model], -left.get(m.model, 0), counts[m.model], m.model))
        else:
            pick = min(models, key=lambda m: (lacks[m.model], counts[m.model], m.model))
        n = counts[pick.model]
        left[pick.model] = max(0, left.get(pick.model, 0) - n)
        short = sum(k for d in closets for w, k in d.items() if not pick.powers(w))
        out[site_id] = SiteSwitchNeed(site_id, ports, watts, pick, n, driver(closets, pick, n, mgig),
                                      [_fit(d, pick, g) for d, g in zip(closets, mgig, strict=True)], need_mgig,
                                      need_mgig if lacks[pick.model] else 0, short)  # fmt: skip
    return out


def _fit(draws: dict[float, int], m: SwitchModel, mgig: int = 0) -> int:
    """Switches of ``m`` for one closet; a device over the model's whole budget, or over what one of its ports
    gives, gets its port and no PoE (``poe_unserved``: injectors, or a switch of a higher PoE type).

    ``mgig`` of the closet's ports must be multigigabit: with ``m`` having such ports, enough
    switches to give them; without, they stay counted as ports (and are listed to buy)."""
    if not draws:
        return 0
    powered = {w: n for w, n in draws.items() if w <= m.poe_budget_w and m.powers(w)}
    over = sum(n for w, n in draws.items() if w > m.poe_budget_w or not m.powers(w))
    if over:
        powered[0.0] = powered.get(0.0, 0) + over
    n = switches_for(powered, m.ports, m.poe_budget_w)
    if mgig and m.mgig_ports:
        n = max(n, math.ceil(mgig / m.mgig_ports))
    return n


def as_rows(needs: dict[int, SiteSwitchNeed], names: dict[int, tuple[str, str]], met: dict[int, int],
            has: dict[int, int], aps: dict[int, int]) -> list[dict[str, Any]]:  # fmt: skip
    """The plan's switch rows: per site its model, what it needs beyond what it has, what the plan assigns."""
    rows = []
    for site_id, sn in needs.items():
        if site_id not in names:
            continue
        code, name = names[site_id]
        got = met.get(site_id, 0)
        count = max(0, sn.count - has.get(site_id, 0))
        rows.append({
            "site": code, "site_name": name, "aps": aps.get(site_id, 0), "ports_in_all": sn.aps,
            "poe_w": round(sn.watts, 1), "model": sn.model.model if sn.model else None,
            "ports": sn.model.ports if sn.model else None, "poe_budget_w": sn.model.poe_budget_w if sn.model else None,
            "closets": len(sn.per_closet or []), "provided": has.get(site_id, 0), "count": count, "assigned": got,
            "missing": count - got, "driver": sn.driver, "mgig_ports": sn.mgig, "mgig_unserved": sn.mgig_unserved,
            "mgig_per_switch": sn.model.mgig_ports if sn.model else 0, "poe_unserved": sn.poe_unserved,
            "port_max_w": sn.model.port_max_w if sn.model else None,
        })  # fmt: skip
    rows.sort(key=lambda r: r["site"])
    return rows

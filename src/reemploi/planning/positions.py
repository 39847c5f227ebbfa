"""Positions: where each device of a plan goes — an AP at its design position, a switch in a closet's slot.

A site with a current design (``design.service.designs_by_site``) has one position per AP
the design places: its name, floor, coordinates, the model the design chose and, per band,
the EIRP it radiates there. A device fits a position when it is of the position's class
(indoor or outdoor AP) and its model can radiate, on every band of the position, at least
the design's EIRP (catalog radios under the regulatory cap, ``planning.design.eirp_for``).

The allocation keeps its LP and objective: a site's need is split into one need per set
of fitting models (a "profile"), each carrying the names of its positions, so a device
only goes where it fits. Within a profile the devices of the designed model take its
positions first. A switch's position is a slot of a telecom room: ``<closet>/SW<k>``.
Sites without a design have no AP positions: their APs are planned to the site.

Positions held already — by a device of a plan in force that is on its way or installed —
are not offered again; devices a site has without a position (installed before positions
existed, or sent by an override) stand for its least demanding positions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.planning.stock import Need

EIRP_TOLERANCE_DB = 0.5  # a radio 0.5 dB short of the design's power is within the prediction's error
AP_CLASSES = ("indoor", "outdoor")


@dataclass(frozen=True)
class Position:
    name: str
    need_class: str  # indoor, outdoor (APs) or switch
    floor: str | None = None
    x_m: float | None = None
    y_m: float | None = None
    z_m: float | None = None
    model: str | None = None  # the model the design chose
    eirp: tuple[tuple[str, float], ...] = ()  # (band, dBm) the design radiates there
    closet: str | None = None


def design_positions(design: dict[str, Any]) -> list[Position]:
    """A design's AP positions, one per AP (its per-band rows merged), in the design's order."""
    seen: dict[str, dict[str, Any]] = {}
    for f in design.get("floors", []):
        for a in f["aps"]:
            p = seen.setdefault(a["name"], {"floor": f["floor"], "a": a, "eirp": {}})
            p["eirp"][str(a["band"])] = float(a["eirp_dbm"])
    return [
        Position(name, "outdoor" if p["a"].get("outdoor") else "indoor", p["floor"], float(p["a"]["x_m"]),
                 float(p["a"]["y_m"]), float(p["a"].get("z_m") or 0.0), p["a"].get("model"),
                 tuple(sorted(p["eirp"].items())))
        for name, p in seen.items()
    ]  # fmt: skip


@cache
def _capability(model: str, environment: str) -> tuple[tuple[str, float], ...]:
    from reemploi.planning.design import eirp_for

    return tuple(sorted(eirp_for(model, environment, {"2.4": 99.0, "5": 99.0, "6": 99.0}).items()))


def fits(position: Position, model: str) -> bool:
    """Whether ``model`` radiates, on every band of the position, the design's EIRP (within tolerance)."""
    can = dict(_capability(model, "outdoor" if position.need_class == "outdoor" else "indoor"))
    return all(band in can and can[band] >= dbm - EIRP_TOLERANCE_DB for band, dbm in position.eirp)


def switch_slots(closets: Iterable[tuple[str, str, int]]) -> list[Position]:
    """``(closet, floor, switches)`` → a slot per switch, ``<closet>/SW<k>``."""
    return [Position(f"{name}/SW{k + 1}", "switch", floor, closet=name)
            for name, floor, n in closets for k in range(n)]  # fmt: skip


def held_positions(session: Session) -> dict[int, set[str]]:
    """Per site, the positions a device holds: planned by a plan in force and not gone back to stock."""
    from reemploi.inventory.models import Device
    from reemploi.planning.models import Plan, PlanDevice, PlanStatus
    from reemploi.planning.service import IN_PLACE, ON_THE_WAY

    q = (select(PlanDevice.site_id, PlanDevice.position, PlanDevice.installed_position)
         .join(Plan, Plan.id == PlanDevice.plan_id).join(Device, Device.id == PlanDevice.device_id)
         .where(Plan.status.in_((PlanStatus.APPROVED.value, PlanStatus.EXECUTED.value)),
                Device.state.in_(ON_THE_WAY + IN_PLACE)))  # fmt: skip
    out: dict[int, set[str]] = {}
    for sid, planned, installed in session.execute(q):
        if installed or planned:
            out.setdefault(sid, set()).add(installed or planned)
    return out


def site_positions(session: Session) -> dict[int, list[Position]]:
    """Every designed site's AP positions (current designs only)."""
    from reemploi.design.service import designs_by_site

    return {sid: design_positions(orjson.loads(d.result)) for sid, d in designs_by_site(session).items()}


def split_needs(needs: list[Need], positions: dict[int, list[Position]], held: dict[int, set[str]],
                models: dict[str, list[str]]) -> list[Need]:  # fmt: skip
    """AP needs of designed sites split by profile (see the module); other needs as they are.

    ``models``: class → the catalog's AP models of that class."""
    out: list[Need] = []
    for n in needs:
        free = [p for p in positions.get(n.site_id, []) if p.need_class == n.need_class
                and p.name not in held.get(n.site_id, set())]  # fmt: skip
        if n.need_class not in AP_CLASSES or not free:
            out.append(n)
            continue
        fit = {p.name: frozenset(m for m in models.get(n.need_class, []) if fits(p, m)) for p in free}
        # The site's unpositioned devices stand for the least demanding positions: those go first.
        keep = sorted(free, key=lambda p: (-len(fit[p.name]), p.name))[max(0, len(free) - n.count):]
        wanted = {p.name for p in keep}
        profiles: dict[frozenset[str], list[str]] = {}
        for p in free:
            if p.name in wanted:
                profiles.setdefault(fit[p.name], []).append(p.name)
        for ms, names in sorted(profiles.items(), key=lambda kv: (len(kv[0]), sorted(kv[0]))):
            out.append(replace(n, count=len(names), models=ms, positions=tuple(names)))
        if n.count > len(free):  # an override above the design: the rest goes to the site, no position
            out.append(replace(n, count=n.count - len(free)))
    return out


def place(positions: list[Position], devices: list[tuple[int, str]]) -> dict[int, Position]:
    """Devices ``(id, model)`` to positions: the designed model's devices first, then the others in order."""
    pool = list(devices)
    out: dict[int, Position] = {}
    left: list[Position] = []
    for p in positions:
        k = next((i for i, (_, m) in enumerate(pool) if m == p.model), None) if p.model else None
        if k is None:
            left.append(p)
        else:
            out[pool.pop(k)[0]] = p
    for p, (did, _) in zip(left, pool, strict=False):
        out[did] = p
    return out

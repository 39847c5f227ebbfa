"""The impact ledger: what the accounting needs to know of each redeployed device, read in bulk.

One row per device in a second-life state (installed or in service): its model and kind,
the three places of its journey (the venue it was collected from, the centre that
received it, the site it serves now), the mass of the parts its repairs replaced, and its
second-life duration. Plus the fleet's counts by state, kind and model for the indicators.
Everything is read with a handful of set-based queries, never one per device.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from reemploi.catalog.models import EquipmentModel
from reemploi.geo import great_circle_km
from reemploi.inventory.models import Device, Location, Lot
from reemploi.refurb.models import Disposal, Repair, TestRecord
from reemploi.settings import service as settings
from reemploi.workflow.models import AuditEvent
from reemploi.workflow.states import State

REDEPLOYED = (State.INSTALLED.value, State.IN_SERVICE.value)
RELEASED = (State.READY.value, State.RESERVED.value, State.SHIPPED.value, *REDEPLOYED)


@dataclass
class Ledger:
    """Redeployed devices folded by route: one entry per (model, venue, centre, site, second life).

    Folding happens in the database (GROUP BY), so a million devices come back as a few
    thousand routes. Distances and second-life years are per device of the route;
    ``n`` and ``parts_kg`` are the route's totals.
    """

    model: list[str]
    kind: list[str]
    venue: list[str | None]
    centre: list[str | None]
    site: list[str | None]
    n: np.ndarray
    km_collect: np.ndarray  # great-circle km venue -> centre; NaN when an end has no coordinates
    km_deliver: np.ndarray  # great-circle km centre -> site; NaN likewise
    parts_kg: np.ndarray
    second_life_years: np.ndarray
    horizon_years: float
    # fleet counts: {state: {kind: {model: n}}}
    fleet: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    tested: dict[str, int] = field(default_factory=dict)  # kind -> devices with a test record
    recycled_kg: dict[str, float] = field(default_factory=dict)  # kind -> WEEE weight recorded
    lost_at_takedown: dict[str, int] = field(default_factory=dict)  # kind -> lost before collection
    models: dict[str, dict[str, Any]] = field(default_factory=dict)  # model -> kind, end_of_support
    places: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> name, kind, lat, lon (those used)
    devices: list[DeviceRow] | None = None  # per device, only when asked for (the report's ledger)

    def __len__(self) -> int:
        return len(self.model)

    @property
    def redeployed(self) -> int:
        return int(self.n.sum()) if len(self.n) else 0

    def input_hash(self, extra: dict[str, Any]) -> str:
        """SHA-256 over everything the figures depend on but the factors (they have their own digest)."""
        h = hashlib.sha256()
        h.update(orjson.dumps({"fleet": self.fleet, "tested": self.tested, "recycled_kg": self.recycled_kg,
                               "lost_at_takedown": self.lost_at_takedown, "horizon": self.horizon_years,
                               **extra}, option=orjson.OPT_SORT_KEYS))  # fmt: skip
        for i in range(len(self.model)):
            row = (self.model[i], self.venue[i], self.centre[i], self.site[i], int(self.n[i]),
                   _r(self.km_collect[i]), _r(self.km_deliver[i]), _r(self.parts_kg[i]),
                   _r(self.second_life_years[i]))  # fmt: skip
            h.update(orjson.dumps(row))
        return h.hexdigest()


@dataclass(frozen=True)
class DeviceRow:
    serial: str
    model: str
    kind: str
    venue: str | None
    centre: str | None
    site: str | None
    parts_kg: float
    second_life_years: float


def _r(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 6)


def read(session: Session, *, with_devices: bool = False) -> Ledger:
    """The ledger, folded by route in the database: a million devices come back as their routes.

    Plain integer columns only (model, lot origin, reception place, site), so the GROUP BY
    needs one join; devices of a model with a published end of support are read one by
    one, because their second life depends on when they went into service.
    """
    horizon = settings.get(session, "horizon_years")
    models = {
        m.id: {"model": m.model, "kind": m.kind, "end_of_support": m.end_of_support}
        for m in session.scalars(select(EquipmentModel))
    }
    places = {
        lid: {"code": code, "name": name, "kind": kind, "lat": lat, "lon": lon}
        for lid, code, name, kind, lat, lon in session.execute(
            select(Location.id, Location.code, Location.name, Location.kind, Location.lat, Location.lon)
        )
    }
    conn = session.connection()
    states = ", ".join(f"'{s}'" for s in REDEPLOYED)
    eos = sorted(mid for mid, m in models.items() if m["end_of_support"] is not None)
    eos_list = ", ".join(str(i) for i in eos)
    base = ("FROM devices d LEFT JOIN lots l ON l.id = d.lot_id "
            f"WHERE d.state IN ({states})")  # fmt: skip
    routes: dict[tuple[Any, ...], list[float]] = {}  # (model, venue, centre, site, life) -> [n, parts kg]

    def add(key: tuple[Any, ...], n: float, parts: float) -> None:
        acc = routes.setdefault(key, [0.0, 0.0])
        acc[0] += n
        acc[1] += parts

    keys = "d.model_id, l.origin_id, d.received_at_id, d.location_id"
    plain = f" AND d.model_id NOT IN ({eos_list})" if eos else ""
    for m, v, c, s_, n in conn.exec_driver_sql(f"SELECT {keys}, COUNT(*) {base}{plain} GROUP BY {keys}"):
        add((m, v, c, s_, float(horizon)), float(n), 0.0)
    if eos:
        for m, v, c, s_, since in conn.exec_driver_sql(
            f"SELECT {keys}, d.state_since {base} AND d.model_id IN ({eos_list})"
        ):  # fmt: skip
            add((m, v, c, s_, _life(horizon, models[m]["end_of_support"], since)), 1.0, 0.0)
    for m, v, c, s_, since, plist in conn.exec_driver_sql(
        f"SELECT {keys}, d.state_since, r.parts FROM repairs r JOIN devices d ON d.id = r.device_id "
        f"LEFT JOIN lots l ON l.id = d.lot_id WHERE d.state IN ({states}) AND r.parts IS NOT NULL"
    ):  # fmt: skip
        items = orjson.loads(plist) if isinstance(plist, str | bytes) else plist
        life = _life(horizon, models[m]["end_of_support"], since) if m in eos else float(horizon)
        add((m, v, c, s_, life), 0.0, sum(float(p.get("mass_kg") or 0) for p in items or []))

    def code(lid: int | None) -> str | None:
        return places[lid]["code"] if lid in places else None

    rows = [(models[m]["model"], models[m]["kind"], code(v), code(c), code(s_), life, n, pk)
            for (m, v, c, s_, life), (n, pk) in routes.items()]  # fmt: skip
    rows.sort(key=lambda r: tuple("" if x is None else str(x) for x in r))
    by_place = {p["code"]: p for p in places.values()}

    def coords(codes: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
        lat = np.array([_get(by_place, c, "lat") for c in codes], dtype=float)
        lon = np.array([_get(by_place, c, "lon") for c in codes], dtype=float)
        return lat, lon

    venues, centres, sites = [r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows]
    (v_lat, v_lon), (c_lat, c_lon), (s_lat, s_lon) = coords(venues), coords(centres), coords(sites)
    ledger = Ledger(
        model=[r[0] for r in rows], kind=[r[1] for r in rows], venue=venues, centre=centres, site=sites,
        n=np.array([r[6] for r in rows], dtype=float),
        km_collect=great_circle_km(v_lat, v_lon, c_lat, c_lon),
        km_deliver=great_circle_km(c_lat, c_lon, s_lat, s_lon),
        parts_kg=np.array([r[7] for r in rows], dtype=float),
        second_life_years=np.array([r[5] for r in rows], dtype=float),
        horizon_years=horizon,
        models={m["model"]: {"kind": m["kind"], "end_of_support": m["end_of_support"].isoformat()
                             if m["end_of_support"] else None} for m in models.values()},
    )  # fmt: skip
    used = {c for col in (venues, centres, sites) for c in col if c}
    ledger.places = {c: {k: v for k, v in by_place[c].items() if k != "code"} for c in sorted(used)}
    _counts(session, ledger)
    if with_devices:
        ledger.devices = list(_device_rows(session, horizon, {m["model"]: m for m in models.values()}))
    return ledger


def _life(horizon: float, eos: date | None, since: Any) -> float:
    if eos is None or since is None:
        return float(horizon)
    day = since.date() if isinstance(since, datetime) else date.fromisoformat(str(since)[:10])
    return max(0.0, min(horizon, (eos - day).days / 365.25))


def _device_rows(session: Session, horizon: float, models: dict[str, dict[str, Any]]) -> Iterator[DeviceRow]:
    venue, site = aliased(Location), aliased(Location)
    parts: dict[int, float] = {}
    for device_id, plist in session.execute(
        select(Repair.device_id, Repair.parts)
        .join(Device, Device.id == Repair.device_id)
        .where(Device.state.in_(REDEPLOYED), Repair.parts.is_not(None))
    ):  # fmt: skip
        parts[device_id] = parts.get(device_id, 0.0) + sum(float(p.get("mass_kg") or 0) for p in plist or [])
    centre = aliased(Location)
    query = (
        select(Device.id, Device.serial, EquipmentModel.model, EquipmentModel.kind, venue.code, centre.code,
               site.code, Device.state_since)
        .select_from(Device)
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .outerjoin(Lot, Device.lot_id == Lot.id)
        .outerjoin(venue, Lot.origin_id == venue.id)
        .outerjoin(centre, Device.received_at_id == centre.id)
        .outerjoin(site, Device.location_id == site.id)
        .where(Device.state.in_(REDEPLOYED))
        .order_by(Device.serial)
    )  # fmt: skip
    for did, serial, model, kind, v, c, s_, since in session.execute(query.execution_options(yield_per=5000)):
        yield DeviceRow(serial, model, kind, v, c, s_, parts.get(did, 0.0),
                        _life(horizon, models[model]["end_of_support"], since))  # fmt: skip


def _counts(session: Session, ledger: Ledger) -> None:
    catalog = {mid: (model, kind) for mid, model, kind in session.execute(
        select(EquipmentModel.id, EquipmentModel.model, EquipmentModel.kind))}  # fmt: skip
    for state, model_id, count in session.execute(
        select(Device.state, Device.model_id, func.count()).group_by(Device.state, Device.model_id)
    ):
        model, kind = catalog[model_id]
        ledger.fleet.setdefault(state, {}).setdefault(kind, {})[model] = int(count)
    tested = select(TestRecord.device_id).distinct().subquery()
    for kind, count in session.execute(
        select(EquipmentModel.kind, func.count())
        .select_from(tested)
        .join(Device, Device.id == tested.c.device_id)
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .group_by(EquipmentModel.kind)
    ):  # fmt: skip
        ledger.tested[kind] = int(count)
    for kind, kg in session.execute(
        select(EquipmentModel.kind, func.sum(Disposal.weight_kg))
        .join(Device, Device.id == Disposal.device_id)
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .group_by(EquipmentModel.kind)
    ):  # fmt: skip
        ledger.recycled_kg[kind] = round(float(kg or 0.0), 6)
    for kind, count in session.execute(
        select(EquipmentModel.kind, func.count(func.distinct(Device.id)))
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .join(AuditEvent, (AuditEvent.subject_type == "device") & (AuditEvent.subject == Device.serial))
        .where(Device.state == State.LOST.value, AuditEvent.from_state == State.DEPLOYED.value,
               AuditEvent.to_state == State.LOST.value)
        .group_by(EquipmentModel.kind)
    ):  # fmt: skip
        ledger.lost_at_takedown[kind] = int(count)


def _get(places: dict[str, dict[str, Any]], code: str | None, key: str) -> float:
    if code is None or code not in places or places[code][key] is None:
        return math.nan
    return float(places[code][key])

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
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from reemploi.catalog.models import EquipmentModel
from reemploi.inventory.models import Device, Location, Lot
from reemploi.refurb.models import Disposal, Repair, TestRecord
from reemploi.settings import service as settings
from reemploi.workflow.models import AuditEvent
from reemploi.workflow.states import State

REDEPLOYED = (State.INSTALLED.value, State.IN_SERVICE.value)
RELEASED = (State.READY.value, State.RESERVED.value, State.SHIPPED.value, *REDEPLOYED)
EARTH_RADIUS_KM = 6371.0088


@dataclass
class Ledger:
    """Column arrays, one entry per redeployed device, sorted by serial."""

    serial: list[str]
    model: list[str]
    kind: list[str]
    venue: list[str | None]
    centre: list[str | None]
    site: list[str | None]
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

    def __len__(self) -> int:
        return len(self.serial)

    def input_hash(self, extra: dict[str, Any]) -> str:
        """SHA-256 over everything the figures depend on but the factors (they have their own digest)."""
        h = hashlib.sha256()
        h.update(orjson.dumps({"fleet": self.fleet, "tested": self.tested, "recycled_kg": self.recycled_kg,
                               "lost_at_takedown": self.lost_at_takedown, "horizon": self.horizon_years,
                               **extra}, option=orjson.OPT_SORT_KEYS))  # fmt: skip
        for i in range(len(self.serial)):
            row = (self.serial[i], self.model[i], self.venue[i], self.centre[i], self.site[i],
                   _r(self.km_collect[i]), _r(self.km_deliver[i]), _r(self.parts_kg[i]),
                   _r(self.second_life_years[i]))  # fmt: skip
            h.update(orjson.dumps(row))
        return h.hexdigest()


def _r(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 6)


def great_circle_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine distance; NaN where a coordinate is missing."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _coords(rows: list[tuple[Any, ...]], idx: int) -> tuple[np.ndarray, np.ndarray]:
    lat = np.array([np.nan if r[idx] is None else r[idx] for r in rows], dtype=float)
    lon = np.array([np.nan if r[idx + 1] is None else r[idx + 1] for r in rows], dtype=float)
    return lat, lon


def read(session: Session) -> Ledger:
    horizon = settings.get(session, "horizon_years")
    models = {
        m.model: {"kind": m.kind, "end_of_support": m.end_of_support}
        for m in session.scalars(select(EquipmentModel))
    }
    venue, site = aliased(Location), aliased(Location)
    rows = session.execute(
        select(Device.id, Device.serial, EquipmentModel.model, EquipmentModel.kind, Device.state_since,
               venue.code, venue.lat, venue.lon, site.code, site.lat, site.lon)
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .outerjoin(Lot, Device.lot_id == Lot.id)
        .outerjoin(venue, Lot.origin_id == venue.id)
        .outerjoin(site, Device.location_id == site.id)
        .where(Device.state.in_(REDEPLOYED))
        .order_by(Device.serial)
    ).all()  # fmt: skip
    ids = [r[0] for r in rows]
    # The centre that received each device: its last reception event (the audit log keeps the place).
    centre_of: dict[str, str] = {}
    rec = session.execute(
        select(AuditEvent.subject, AuditEvent.location)
        .join(Device, Device.serial == AuditEvent.subject)
        .where(AuditEvent.subject_type == "device", AuditEvent.to_state == State.RECEIVED.value,
               Device.state.in_(REDEPLOYED))
        .order_by(AuditEvent.seq)
    ).all()  # fmt: skip
    for serial, loc in rec:
        if loc:
            centre_of[serial] = loc
    all_places = {
        code: {"name": name, "kind": kind, "lat": lat, "lon": lon}
        for code, name, kind, lat, lon in session.execute(
            select(Location.code, Location.name, Location.kind, Location.lat, Location.lon)
        )
    }
    places = {code: (p["lat"], p["lon"]) for code, p in all_places.items()}
    parts: dict[int, float] = {}
    for device_id, plist in session.execute(
        select(Repair.device_id, Repair.parts)
        .join(Device, Device.id == Repair.device_id)
        .where(Device.state.in_(REDEPLOYED), Repair.parts.is_not(None))
    ):  # fmt: skip
        parts[device_id] = parts.get(device_id, 0.0) + sum(float(p.get("mass_kg") or 0) for p in plist or [])

    n = len(rows)
    v_lat, v_lon = _coords(rows, 6)
    s_lat, s_lon = _coords(rows, 9)
    centres = [centre_of.get(r[1]) for r in rows]
    c_lat = np.array([_get(places, c, 0) for c in centres], dtype=float)
    c_lon = np.array([_get(places, c, 1) for c in centres], dtype=float)
    life = np.full(n, horizon, dtype=float)
    for i, r in enumerate(rows):
        eos: date | None = models.get(r[2], {}).get("end_of_support")
        if eos is not None and r[4] is not None:
            life[i] = max(0.0, min(horizon, (eos - r[4].date()).days / 365.25))
    ledger = Ledger(
        serial=[r[1] for r in rows], model=[r[2] for r in rows], kind=[r[3] for r in rows],
        venue=[r[5] for r in rows], centre=centres, site=[r[8] for r in rows],
        km_collect=great_circle_km(v_lat, v_lon, c_lat, c_lon),
        km_deliver=great_circle_km(c_lat, c_lon, s_lat, s_lon),
        parts_kg=np.array([parts.get(i, 0.0) for i in ids], dtype=float),
        second_life_years=life, horizon_years=horizon,
        models={k: {"kind": v["kind"], "end_of_support": v["end_of_support"].isoformat()
                    if v["end_of_support"] else None} for k, v in models.items()},
    )  # fmt: skip
    used = {c for col in (ledger.venue, ledger.centre, ledger.site) for c in col if c}
    ledger.places = {c: all_places[c] for c in sorted(used) if c in all_places}
    for state, kind, model, count in session.execute(
        select(Device.state, EquipmentModel.kind, EquipmentModel.model, func.count())
        .join(EquipmentModel, Device.model_id == EquipmentModel.id)
        .group_by(Device.state, EquipmentModel.kind, EquipmentModel.model)
    ):  # fmt: skip
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
    return ledger


def _get(places: dict[str, tuple[float | None, float | None]], code: str | None, i: int) -> float:
    if code is None or code not in places:
        return math.nan
    v = places[code][i]
    return math.nan if v is None else float(v)

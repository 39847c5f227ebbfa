"""Ekahau project files (.esx): a zip of JSON tables, geometry in pixels of each floor image.

Read: ``floorPlans`` (one floor each; ``metersPerUnit`` metres per pixel, y flipped so
that it points up), ``wallPoints`` + ``wallSegments`` (``point1Id``/``point2Id`` up to
schema 1.5, ``wallPoints: [id, id]`` after) with their ``wallTypes`` (loss per crossing =
``attenuationFactor`` dB/m × ``thickness`` m per band, or ``totalAttenuation`` dB in
schema 1.4), ``accessPoints`` of the project (``mine``) with the antenna height of their
radios (``simulatedRadios``), ``exclusionAreas`` and the requirement ``areas`` (zones),
and ``buildingFloors`` (storey height; elevations stacked by floor number). Each wall
type becomes a material named ``esx:<type>`` carried with the plan.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from reemploi.design.plan import DEFAULT_FLOOR_HEIGHT_M, Area, Floor, PlacedAP, PlanRead, Wall
from reemploi.errors import InvalidInput

BANDS = {"TWO": "2.4", "FIVE": "5", "SIX": "6"}


def _table(z: zipfile.ZipFile, name: str, path: Path) -> list[dict[str, Any]]:
    member = f"{name}.json"
    if member not in z.namelist():
        return []
    try:
        data = json.loads(z.read(member))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("plan_bad_file", file=str(path), format="Ekahau .esx",
                           error=f"{member}: {str(exc)[:120]}") from None  # fmt: skip
    rows = data.get(name) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise InvalidInput("plan_bad_file", file=str(path), format="Ekahau .esx", error=f"{member}: no '{name}' list")
    return [r for r in rows if isinstance(r, dict) and r.get("status", "CREATED") != "DELETED"]


def _material(wt: dict[str, Any]) -> tuple[str, dict[str, float]]:
    name = "esx:" + str(wt.get("key") or wt.get("name") or wt.get("id"))
    thickness = float(wt.get("thickness") or 0.0)
    losses: dict[str, float] = {}
    for prop in wt.get("propagationProperties") or []:
        band = BANDS.get(str(prop.get("band")))
        if band and prop.get("attenuationFactor") is not None:
            losses[band] = round(float(prop["attenuationFactor"]) * thickness, 3)
    if not losses and wt.get("totalAttenuation") is not None:
        losses = dict.fromkeys(BANDS.values(), float(wt["totalAttenuation"]))
    for band in BANDS.values():  # a band the type does not give: its 5 GHz figure (or the closest given)
        losses.setdefault(band, losses.get("5", next(iter(losses.values()), 0.0)))
    return name, losses


def read_esx(path: Path, *, floor: str | None = None) -> PlanRead:
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInput("plan_bad_file", file=str(path), format="Ekahau .esx", error=str(exc)[:200]) from None
    with z:
        plans = _table(z, "floorPlans", path)
        if not plans:
            raise InvalidInput("plan_bad_file", file=str(path), format="Ekahau .esx", error="no floorPlans.json")
        points = {p["id"]: p.get("location") or {} for p in _table(z, "wallPoints", path)}
        types = {t["id"]: _material(t) for t in _table(z, "wallTypes", path)}
        segments = _table(z, "wallSegments", path)
        aps = _table(z, "accessPoints", path)
        radios = _table(z, "simulatedRadios", path)
        exclusions = _table(z, "exclusionAreas", path)
        areas = _table(z, "areas", path)
        levels = {b.get("floorPlanId"): b for b in _table(z, "buildingFloors", path)}
        attenuation_areas = _table(z, "attenuationAreas", path)
    height_of = {r.get("accessPointId"): float(r["antennaHeight"]) for r in radios
                 if r.get("antennaHeight") is not None}  # fmt: skip
    floors: list[Floor] = []
    materials: dict[str, dict[str, float]] = {}
    skipped: dict[str, int] = {}
    stack = sorted(plans, key=lambda p: (levels.get(p["id"], {}).get("floorNumber", 0), p.get("name", "")))
    elevation = 0.0
    for plan in stack:
        name = str(plan.get("name") or plan["id"])
        level = levels.get(plan["id"], {})
        height = float(level.get("height") or DEFAULT_FLOOR_HEIGHT_M)
        slab = float(level.get("thickness") or 0.0)
        this_elevation = elevation
        elevation += height + slab
        if floor and name != floor:
            continue
        mpu = plan.get("metersPerUnit")
        if not mpu:
            raise InvalidInput("plan_no_scale_esx", file=str(path), floor=name)
        mpu = float(mpu)
        h_px = float(plan.get("height") or 0.0)

        def xy(c: dict[str, Any], mpu: float = mpu, h_px: float = h_px) -> tuple[float, float]:
            return (float(c["x"]) * mpu, (h_px - float(c["y"])) * mpu)

        fl = Floor(name, this_elevation, height)
        for seg in segments:
            ids = seg.get("wallPoints") or [seg.get("point1Id"), seg.get("point2Id")]
            if len(ids) != 2 or not all(i in points for i in ids):
                skipped["segment_points"] = skipped.get("segment_points", 0) + 1
                continue
            a, b = points[ids[0]], points[ids[1]]
            if a.get("floorPlanId") != plan["id"]:
                continue
            wt = types.get(seg.get("wallTypeId"))
            if wt is None:
                skipped["segment_type"] = skipped.get("segment_type", 0) + 1
                continue
            materials[wt[0]] = wt[1]
            (x1, y1), (x2, y2) = xy(a["coord"]), xy(b["coord"])
            if (x1, y1) != (x2, y2):
                fl.walls.append(Wall(x1, y1, x2, y2, wt[0]))
        for i, ex in enumerate(e for e in exclusions if e.get("floorPlanId") == plan["id"]):
            poly = [xy(c) for c in ex.get("area") or []]
            if len(poly) >= 3:
                fl.areas.append(Area(str(ex.get("name") or f"exclusion-{i + 1}"), "exclusion", poly))
        for i, ar in enumerate(a for a in areas if a.get("floorPlanId") == plan["id"]):
            poly = [xy(c) for c in ar.get("area") or []]
            if len(poly) >= 3:
                fl.areas.append(Area(str(ar.get("name") or f"area-{i + 1}"), "zone", poly))
        for ap in aps:
            loc = ap.get("location") or {}
            if loc.get("floorPlanId") != plan["id"] or not ap.get("mine", True) or "coord" not in loc:
                continue
            x, y = xy(loc["coord"])
            model = str(ap.get("model") or "").split(" + ")[0].strip() or None
            fl.aps.append(PlacedAP(str(ap.get("name") or ap["id"]), x, y, height_of.get(ap["id"]), model))
        n_att = sum(1 for a in attenuation_areas if a.get("floorPlanId") == plan["id"])
        if n_att:
            skipped["attenuation_area"] = skipped.get("attenuation_area", 0) + n_att
        floors.append(fl)
    if floor and not floors:
        raise InvalidInput("plan_no_such_floor", file=str(path), floor=floor,
                           floors=", ".join(str(p.get("name")) for p in stack))  # fmt: skip
    why = {"segment_points": "points_missing", "segment_type": "type_unknown", "attenuation_area": "not_read"}
    return PlanRead(floors, [{"what": k, "name": None, "count": v, "why": why[k]} for k, v in skipped.items()],
                    "px × metersPerUnit", materials)  # fmt: skip

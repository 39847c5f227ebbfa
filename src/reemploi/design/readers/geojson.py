"""GeoJSON floor plans: LineStrings are walls (``material``), Polygons are areas.

Polygon properties: ``zone`` (its name), ``environment``, ``occupants``, ``scope``
(``in`` / ``out``), ``role`` (``zone``, ``exclusion``, ``closet``, ``out_of_scope``).
Any feature may carry ``floor`` (its floor's name), ``elevation_m`` and ``height_m``.
Coordinates are metres, or longitude/latitude (RFC 7946's WGS 84): a plan whose every
coordinate is within ±180/±90 and spans less than 0.05° is projected to metres around
its centre (equirectangular: under 1 mm of error across a building).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from reemploi.design.plan import AREA_ROLES, Area, Floor, PlanRead, Wall
from reemploi.design.walls import merge_faces
from reemploi.errors import InvalidInput

EARTH_RADIUS_M = 6_371_008.8


def read_geojson(path: Path, *, floor: str | None = None, scale: float | None = None,
                 default_material: str | None = None) -> PlanRead:  # fmt: skip
    try:
        doc = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("plan_bad_file", file=str(path), format="GeoJSON", error=str(exc)[:200]) from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    elif isinstance(doc, dict) and isinstance(doc.get("features"), list):
        features = doc["features"]
    else:
        raise InvalidInput("plan_bad_file", file=str(path), format="GeoJSON",
                           error="no FeatureCollection (a 'features' list)")  # fmt: skip
    coords = [xy for f in features if isinstance(f, dict) for xy in _all_coords(f.get("geometry"))]
    to_m = _projection(coords, scale)
    floors: dict[str, Floor] = {}
    skipped: dict[str, int] = {}
    footprints: dict[str, int] = {}
    default_floor = floor or path.stem
    for i, feat in enumerate(features, start=1):
        if not isinstance(feat, dict):
            skipped["-"] = skipped.get("-", 0) + 1
            continue
        props = feat.get("properties") or {}
        geom = feat.get("geometry") or {}
        name = str(props.get("floor") or default_floor)
        if floor and props.get("floor") and str(props["floor"]) != floor:
            continue
        fl = floors.setdefault(name, Floor(name))
        _floor_levels(fl, props, path, i)
        kind = geom.get("type")
        material = props.get("material") if isinstance(props.get("material"), str) else None
        if kind in ("LineString", "MultiLineString"):
            material = material or default_material
            if not material:
                raise InvalidInput("plan_wall_no_material", file=str(path), feature=i)
            lines = [geom["coordinates"]] if kind == "LineString" else geom["coordinates"]
            for line in lines:
                pts = [to_m(p) for p in line]
                fl.walls += [Wall(*a, *b, material.strip().lower()) for a, b in zip(pts, pts[1:], strict=False)]
        elif kind in ("Polygon", "MultiPolygon") and material and not (props.get("zone") or props.get("role")):
            # a wall drawn as its footprint: its outline, the two long sides merged into one wall later
            polys = [geom["coordinates"]] if kind == "Polygon" else geom["coordinates"]
            for poly in polys:
                for ring in poly:
                    pts = [to_m(p) for p in ring]
                    fl.walls += [Wall(*a, *b, material.strip().lower()) for a, b in zip(pts, pts[1:], strict=False)
                                 if a != b]  # fmt: skip
            footprints[fl.name] = footprints.get(fl.name, 0) + 1
        elif kind in ("Polygon", "MultiPolygon"):
            polys = [geom["coordinates"]] if kind == "Polygon" else geom["coordinates"]
            role = _role(props, path, i)
            for poly in polys:
                ring = [to_m(p) for p in poly[0]]
                if len(ring) > 1 and ring[0] == ring[-1]:
                    ring = ring[:-1]
                occupants = props.get("occupants")
                people = int(occupants) if occupants not in (None, "") else None
                fl.areas.append(Area(str(props.get("zone") or props.get("name") or f"{role}-{i}"), role, ring,
                                     props.get("environment"), people))  # fmt: skip
        else:
            what = str(kind or "-")
            skipped[what] = skipped.get(what, 0) + 1
    notes = []
    for name in footprints:
        fl = floors[name]
        fl.walls, merged = merge_faces(fl.walls)
        if merged:
            notes.append({"code": "plan_faces_merged", "count": merged})
    units = "m" if to_m is _identity else ("WGS 84 → m" if scale is None else f"× {scale} m")
    return PlanRead(list(floors.values()), [{"what": "geometry", "name": k, "count": v, "why": "not_wall_or_area"}
                                            for k, v in skipped.items()], units, notes=notes)  # fmt: skip


def _floor_levels(fl: Floor, props: dict[str, Any], path: Path, i: int) -> None:
    for key in ("elevation_m", "height_m"):
        if props.get(key) not in (None, ""):
            try:
                setattr(fl, key, float(props[key]))
            except (TypeError, ValueError):
                raise InvalidInput("plan_bad_number", file=str(path), feature=i, field=key,
                                   value=str(props[key])) from None  # fmt: skip


def _role(props: dict[str, Any], path: Path, i: int) -> str:
    role = str(props.get("role") or "").strip().lower()
    if not role:
        scope = str(props.get("scope") or "in").strip().lower()
        role = "out_of_scope" if scope in ("out", "hors", "no", "false", "0") else "zone"
    if role not in AREA_ROLES:
        raise InvalidInput("plan_bad_role", file=str(path), feature=i, value=role, roles=", ".join(AREA_ROLES))
    return role


def _all_coords(geom: Any) -> list[tuple[float, float]]:
    if not isinstance(geom, dict):
        return []
    def walk(c: Any) -> list[tuple[float, float]]:  # noqa: E306
        if isinstance(c, list | tuple) and len(c) >= 2 and all(isinstance(v, int | float) for v in c[:2]):
            return [(float(c[0]), float(c[1]))]
        if isinstance(c, list | tuple):
            return [p for item in c for p in walk(item)]
        return []
    return walk(geom.get("coordinates"))


def _identity(p: Any) -> tuple[float, float]:
    return (float(p[0]), float(p[1]))


def _projection(coords: list[tuple[float, float]], scale: float | None):  # type: ignore[no-untyped-def]
    if scale is not None:
        return lambda p: (float(p[0]) * scale, float(p[1]) * scale)
    if not coords:
        return _identity
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    geographic = (all(-180 <= x <= 180 for x in xs) and all(-90 <= y <= 90 for y in ys)
                  and max(xs) - min(xs) < 0.05 and max(ys) - min(ys) < 0.05
                  and (abs(min(xs)) > 0.05 or abs(min(ys)) > 0.05))  # fmt: skip
    if not geographic:
        return _identity
    lon0, lat0 = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    ky = math.radians(1) * EARTH_RADIUS_M
    return lambda p: ((float(p[0]) - lon0) * kx, (float(p[1]) - lat0) * ky)

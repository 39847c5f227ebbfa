"""One reader per floor-plan format, each into ``reemploi.design.plan`` (CONVENTIONS 17).

``read_plan(path, …)`` picks the reader by extension. Readers raise ``InvalidInput``
naming what is wrong (no walls, no scale, an unknown material) and return what they
could not use in ``PlanRead.skipped``; they never write anything.
"""

from __future__ import annotations

from pathlib import Path

from reemploi.design.plan import PlanRead
from reemploi.errors import InvalidInput

FORMATS = (".dxf", ".geojson", ".json", ".esx")


def read_plan(path: Path, *, floor: str | None = None, scale: float | None = None,
              layer_map: list[tuple[str, str]] | None = None, materials: set[str] | None = None,
              elevation_m: float | None = None, height_m: float | None = None,
              default_material: str | None = None) -> PlanRead:  # fmt: skip
    """The floors of the plan at ``path`` (DXF, GeoJSON or Ekahau .esx)."""
    if height_m is not None and not 1.5 <= height_m <= 30:
        raise InvalidInput("number_range", field="--height", value=height_m, low=1.5, high=30)
    if elevation_m is not None and not -50 <= elevation_m <= 1000:
        raise InvalidInput("number_range", field="--elevation", value=elevation_m, low=-50, high=1000)
    if not path.exists():
        raise InvalidInput("file_missing", file=str(path))
    if path.is_dir():
        raise InvalidInput("file_is_dir", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".dxf":
        from reemploi.design.readers.dxf import read_dxf

        read = read_dxf(path, floor=floor, scale=scale, layer_map=layer_map)
    elif suffix in (".geojson", ".json"):
        from reemploi.design.readers.geojson import read_geojson

        read = read_geojson(path, floor=floor, scale=scale, default_material=default_material)
    elif suffix == ".esx":
        from reemploi.design.readers.esx import read_esx

        read = read_esx(path, floor=floor)
    else:
        raise InvalidInput("plan_format", file=str(path), formats=", ".join(FORMATS))
    for f in read.floors:
        if elevation_m is not None:
            f.elevation_m = elevation_m
        if height_m is not None:
            f.height_m = height_m
    if materials is not None:
        unknown = sorted({w.material for f in read.floors for w in f.walls} - materials)
        if unknown:
            raise InvalidInput("plan_unknown_material", file=str(path), materials=", ".join(unknown),
                               known=", ".join(sorted(materials)))  # fmt: skip
    if not any(f.walls for f in read.floors):
        raise InvalidInput("plan_no_walls", file=str(path), skipped=_skipped_text(read))
    return read


def _skipped_text(read: PlanRead) -> str:
    parts = [f"{s['name'] or s['what']} ({s['count']})" for s in read.skipped[:8]]
    zones = sum(len(f.zones()) for f in read.floors)
    if zones:
        parts.insert(0, f"{zones} zones")
    return "; ".join(parts) or "-"

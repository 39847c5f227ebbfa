"""DXF floor plans (ezdxf): walls from lines, polylines and arcs on wall layers, rooms from
closed polylines on room layers, the drawing unit from ``$INSUNITS`` or ``--scale``.

Which layer holds which material is the layer map (``reemploi.design.materials``); a
layer that maps to no material (furniture, text, dimensions) is skipped and named.
Block references are exploded, an entity on layer ``0`` inside a block taking the
reference's layer (the DXF rule). One file is one floor.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from reemploi.design.materials import default_layer_map, material_of_layer
from reemploi.design.plan import Area, Floor, PlanRead, Wall
from reemploi.design.walls import merge_faces
from reemploi.errors import InvalidInput

# $INSUNITS codes (DXF reference) to metres; 0 is "unitless".
UNITS_M = {1: 0.0254, 2: 0.3048, 3: 1609.344, 4: 0.001, 5: 0.01, 6: 1.0, 7: 1000.0, 8: 2.54e-8, 9: 2.54e-5,
           10: 0.9144, 14: 0.1, 15: 10.0, 16: 100.0}  # fmt: skip
UNIT_NAMES = {1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m", 14: "dm"}
ROOM_LAYERS = ("*piece*", "*pièce*", "*room*", "*local*", "*locaux*", "*zone*", "*space*", "*espace*", "*area*",
               "*surface*")  # fmt: skip
CURVE_TOLERANCE_M = 0.05  # arcs become segments no farther than this from the curve
MAX_DEPTH = 8


def read_dxf(path: Path, *, floor: str | None = None, scale: float | None = None,
             layer_map: list[tuple[str, str]] | None = None) -> PlanRead:  # fmt: skip
    import logging

    import ezdxf
    from ezdxf import recover

    logging.getLogger("ezdxf").setLevel(logging.ERROR)  # its repair notes are not the user's business

    try:
        doc, auditor = recover.readfile(str(path))
    except (OSError, ezdxf.DXFStructureError) as exc:
        raise InvalidInput("plan_bad_file", file=str(path), format="DXF", error=str(exc)[:200]) from None
    if auditor.has_errors:
        raise InvalidInput("plan_bad_file", file=str(path), format="DXF",
                           error=f"{len(auditor.errors)} unrecoverable error(s)")  # fmt: skip
    if len(doc.modelspace()) == 0:
        raise InvalidInput("plan_bad_file", file=str(path), format="DXF", error="no drawing entity")
    insunits = int(doc.header.get("$INSUNITS", 0) or 0)
    if scale is None:
        if insunits not in UNITS_M:
            raise InvalidInput("plan_no_scale", file=str(path), units=insunits)
        scale = UNITS_M[insunits]
        units = UNIT_NAMES.get(insunits, f"INSUNITS {insunits}")
    else:
        units = f"× {scale} m"
    lmap = tuple(layer_map) if layer_map is not None else default_layer_map()
    fl = Floor(floor or path.stem)
    skipped: Counter[tuple[str, str, str]] = Counter()  # (what, name, why) -> count
    rooms = 0
    from ezdxf import path as ezpath

    def segments(entity: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        kind = entity.dxftype()
        if kind == "LINE":
            s, e = entity.dxf.start, entity.dxf.end
            return [((s.x, s.y), (e.x, e.y))]
        if kind in ("LWPOLYLINE", "POLYLINE", "ARC", "CIRCLE", "ELLIPSE", "SPLINE"):
            if kind == "POLYLINE" and not (entity.is_2d_polyline or entity.is_3d_polyline):
                return []
            p = ezpath.make_path(entity)
            pts = [(v.x, v.y) for v in p.flattening(CURVE_TOLERANCE_M / scale)]
            return list(zip(pts, pts[1:], strict=False))
        return []

    def closed(entity: Any) -> bool:
        return entity.dxftype() in ("LWPOLYLINE", "POLYLINE") and bool(entity.closed)

    def visit(entity: Any, layer: str, depth: int) -> None:
        nonlocal rooms
        kind = entity.dxftype()
        if kind == "INSERT":
            if depth >= MAX_DEPTH:
                skipped[("block", layer, "block_depth")] += 1
                return
            try:
                children = list(entity.virtual_entities())
            except Exception:  # a block ezdxf cannot explode (non-uniform scaling of some types): named, skipped
                skipped[("block", layer, "block")] += 1
                return
            for child in children:
                own = child.dxf.get("layer", "0")
                visit(child, layer if own == "0" else own, depth + 1)
            return
        import fnmatch

        folded = layer.lower()
        if closed(entity) and any(fnmatch.fnmatchcase(folded, p) for p in ROOM_LAYERS):
            pts = [(v[0] * scale, v[1] * scale) for v in _points(entity)]
            if len(pts) >= 3:
                rooms += 1
                fl.areas.append(Area(f"{layer}-{rooms}", "zone", pts))
                return
        material = material_of_layer(layer, lmap)
        if material is None:
            skipped[("layer", layer, "not_wall_layer")] += 1
            return
        segs = segments(entity)
        if not segs:  # on a wall layer, but no line to draw: hatches, text, points…
            why = "fill" if kind in ("HATCH", "SOLID", "TRACE", "WIPEOUT", "MPOLYGON") else "not_a_line"
            skipped[("entities", f"{layer} ({kind})", why)] += 1
            return
        for (x1, y1), (x2, y2) in segs:
            if (x1, y1) != (x2, y2):
                fl.walls.append(Wall(x1 * scale, y1 * scale, x2 * scale, y2 * scale, material))

    for entity in doc.modelspace():
        visit(entity, entity.dxf.get("layer", "0"), 0)
    _check_size(fl, path, units, scale)
    fl.walls, merged = merge_faces(fl.walls)
    skipped_rows = [{"what": what, "name": name, "count": n, "why": why}
                    for (what, name, why), n in sorted(skipped.items(), key=lambda kv: -kv[1])]  # fmt: skip
    notes = [{"code": "plan_faces_merged", "count": merged}] if merged else []
    return PlanRead([fl], skipped_rows, units, notes=notes)


# A floor plan is metres to a few hundred metres across: a drawing whose size in metres is far
# from that has its unit wrong ($INSUNITS is often left at its template's value).
PLAUSIBLE_M = (3.0, 3000.0)


def _check_size(fl: Floor, path: Path, units: str, scale: float) -> None:
    if not fl.walls:
        return
    xmin, ymin, xmax, ymax = fl.bounds()
    extent = max(xmax - xmin, ymax - ymin)
    if PLAUSIBLE_M[0] <= extent <= PLAUSIBLE_M[1]:
        return
    drawn = extent / scale
    guesses = [(name, UNITS_M[code]) for code, name in UNIT_NAMES.items() if 10 <= drawn * UNITS_M[code] <= 500]
    hint = ", ".join(f"--scale {m:g} ({name}: {drawn * m:,.0f} m)" for name, m in guesses) or "-"
    raise InvalidInput("plan_implausible_size", file=str(path), size=f"{extent:,.2f}", units=units, hint=hint)


def _points(entity: Any) -> list[tuple[float, float]]:
    if entity.dxftype() == "LWPOLYLINE":
        return [(p[0], p[1]) for p in entity.get_points("xy")]
    return [(v.dxf.location.x, v.dxf.location.y) for v in entity.vertices]

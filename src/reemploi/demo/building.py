"""Illustrative office buildings drawn as floor plans, for the demo and the benchmarks.

``office_floor`` draws one storey of a rectangular office block: a glazed façade, a
concrete core (stairs, lifts, risers) in the middle with a corridor round it, meeting
rooms and a telecom room along the core, open-plan offices to the façades, and
plasterboard partitions. The ground floor of the Maison de l'Innovation gets a hall, an
auditorium and a canteen (high-density rooms) instead of offices. Sizes are parameters;
the demo uses the Maison de l'Innovation's published area and levels (15,375 m² on
seven levels, R+6), everything else is illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass

from reemploi.design.plan import Area, Floor, Wall

Poly = list[tuple[float, float]]


def _rect(x0: float, y0: float, x1: float, y1: float) -> Poly:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _box(walls: list[Wall], x0: float, y0: float, x1: float, y1: float, material: str) -> None:
    walls += [Wall(x0, y0, x1, y0, material), Wall(x1, y0, x1, y1, material), Wall(x1, y1, x0, y1, material),
              Wall(x0, y1, x0, y0, material)]  # fmt: skip


@dataclass(frozen=True)
class Block:
    width_m: float = 64.0
    depth_m: float = 34.0
    core_w_m: float = 16.0
    core_d_m: float = 8.0
    corridor_m: float = 2.0
    room_m: float = 4.0  # meeting-room width along the core ring
    forecourt_m: float = 0.0  # depth of an outdoor forecourt drawn in front of the ground floor


def office_floor(name: str, elevation_m: float, height_m: float = 3.6, b: Block = Block(),
                 occupants: int = 140, ground: bool = False) -> Floor:  # fmt: skip
    w, d = b.width_m, b.depth_m
    walls: list[Wall] = []
    areas: list[Area] = []
    _box(walls, 0, 0, w, d, "glass")  # façade
    cx0, cy0 = (w - b.core_w_m) / 2, (d - b.core_d_m) / 2
    cx1, cy1 = cx0 + b.core_w_m, cy0 + b.core_d_m
    _box(walls, cx0, cy0, cx1, cy1, "concrete")  # core
    walls.append(Wall(cx0 + 4, cy0, cx0 + 4, cy1, "concrete"))  # lift shaft wall
    areas.append(Area("core", "out_of_scope", _rect(cx0, cy0, cx1, cy1)))
    # corridor ring round the core, then a ring of rooms
    r0x, r0y, r1x, r1y = cx0 - b.corridor_m, cy0 - b.corridor_m, cx1 + b.corridor_m, cy1 + b.corridor_m
    m0x, m0y, m1x, m1y = r0x - b.room_m, r0y - b.room_m, r1x + b.room_m, r1y + b.room_m
    areas.append(Area("corridor", "zone", [(r0x, r0y), (r1x, r0y), (r1x, r1y), (r0x, r1y)], "corridor", 0))
    _box(walls, m0x, m0y, m1x, m1y, "drywall")  # the rooms' outer walls (to the open plan)
    _box(walls, r0x, r0y, r1x, r1y, "glass")  # glazed walls between rooms and corridor
    # partitions between rooms every ~6 m along the long sides, doors as gaps are not drawn
    x = m0x + 6.0
    while x < m1x - 3:
        walls += [Wall(x, m0y, x, r0y, "drywall"), Wall(x, r1y, x, m1y, "drywall")]
        x += 6.0
    rooms = [("rooms-south", _rect(m0x, m0y, m1x, r0y)), ("rooms-north", _rect(m0x, r1y, m1x, m1y))]
    if ground:
        # hall (west), auditorium (east), canteen (north and south bands)
        walls += [Wall(m0x, 0, m0x, d, "drywall"), Wall(m1x, 0, m1x, d, "concrete")]
        areas += [Area("hall", "zone", _rect(0, 0, m0x, d), "hall", 60),
                  Area("auditorium", "zone", _rect(m1x, 0, w, d), "auditorium", 400),
                  Area("canteen-south", "zone", _rect(m0x, 0, m1x, m0y), "canteen", 150),
                  Area("canteen-north", "zone", _rect(m0x, m1y, m1x, d), "canteen", 150)]  # fmt: skip
        areas += [Area(n, "zone", p, "meeting", 24) for n, p in rooms]
        areas.append(Area("telecom-0", "closet", _rect(cx1, cy0, cx1 + 2, cy0 + 2)))
        if b.forecourt_m > 0:  # the forecourt in front of the building (an outdoor area)
            areas.append(Area("parvis", "zone", _rect(-10, -b.forecourt_m - 2, w + 10, -2), "outdoor", 60))
            # its APs' cables: a street cabinet in the middle of it (from the building's room they would
            # run past the 90 m permanent link)
            mid_y = -b.forecourt_m / 2 - 2
            areas.append(Area("telecom-parvis", "closet", _rect(w / 2 - 1, mid_y - 1, w / 2 + 1, mid_y + 1)))
    else:
        per = max(0, occupants)
        office = [("office-west", _rect(0, 0, m0x, d)), ("office-east", _rect(m1x, 0, w, d)),
                  ("office-south", _rect(m0x, 0, m1x, m0y)), ("office-north", _rect(m0x, m1y, m1x, d))]
        total_area = sum(_area(p) for _, p in office)
        for n, p in office:
            areas.append(Area(n, "zone", p, "open_office", round(per * _area(p) / total_area)))
        areas += [Area(n, "zone", p, "meeting", 20) for n, p in rooms]
        areas.append(Area(f"telecom-{name}", "closet", _rect(cx1, cy0, cx1 + 2, cy0 + 2)))
        # a few partitions in the open plan (storage, print rooms)
        walls += [Wall(8, 0, 8, 6, "drywall"), Wall(w - 8, d - 6, w - 8, d, "drywall")]
    return Floor(name, elevation_m, height_m, walls, areas)


def _area(poly: Poly) -> float:
    return Area("", "zone", poly).area_m2()


def maison_de_l_innovation() -> list[Floor]:
    """Seven levels (R+6) of about 2,200 m² each (15,375 m² in all, as published); staff spread over R+1..R+6."""
    block = Block(width_m=64.0, depth_m=34.4)
    floors = [office_floor("R", 0.0, 4.5, Block(width_m=64.0, depth_m=34.4, forecourt_m=48.0), ground=True)]
    for level in range(1, 7):
        floors.append(office_floor(f"R+{level}", 4.5 + 3.6 * (level - 1), 3.6, block, occupants=167))
    return floors


def bench_building(floors: int = 3, side_m: float = 100.0) -> list[Floor]:
    """The benchmark's building: ``floors`` storeys of ``side_m`` × ``side_m`` offices."""
    scale = side_m / 64.0
    block = Block(width_m=side_m, depth_m=side_m, core_w_m=16 * scale, core_d_m=12 * scale, room_m=5.0)
    out = []
    for i in range(floors):
        f = office_floor(f"L{i}", 3.6 * i, 3.6, block, occupants=600)
        # more partitions: a cellular-office band every 12 m across the open plan
        y = 12.0
        while y < side_m - 6:
            f.walls += [Wall(2.0, y, side_m * 0.25, y, "drywall"), Wall(side_m * 0.75, y, side_m - 2.0, y, "drywall")]
            y += 12.0
        out.append(f)
    return out


def to_geojson(floors: list[Floor]) -> dict[str, object]:
    """The floors as one GeoJSON FeatureCollection, in metres; each feature names its floor and levels."""
    features: list[dict[str, object]] = []
    for f in floors:
        level = {"floor": f.name, "elevation_m": f.elevation_m, "height_m": f.height_m}
        for w in f.walls:
            line = {"type": "LineString", "coordinates": [[w.x1, w.y1], [w.x2, w.y2]]}
            features.append({"type": "Feature", "properties": level | {"material": w.material}, "geometry": line})
        for a in f.areas:
            props: dict[str, object] = level | {"zone": a.name, "role": a.role}
            if a.environment:
                props["environment"] = a.environment
            if a.occupants is not None:
                props["occupants"] = a.occupants
            ring = [list(p) for p in a.polygon] + [list(a.polygon[0])]
            features.append({"type": "Feature", "properties": props,
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}

"""The floor-plan model every reader fills: floors with walls, areas and existing APs.

Coordinates are metres in the floor's own frame (x to the right, y up, as a CAD drawing
is), floors stacked by their elevation. A wall is a segment with a material; an area is
a polygon with a role: ``zone`` (in scope, with its environment and occupants),
``out_of_scope``, ``exclusion`` (no AP may be mounted there) or ``closet`` (a telecom
room). The model is plain data, serialised to JSON for storage.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

AREA_ROLES = ("zone", "out_of_scope", "exclusion", "closet")
DEFAULT_FLOOR_HEIGHT_M = 3.5


@dataclass(frozen=True)
class Wall:
    x1: float
    y1: float
    x2: float
    y2: float
    material: str


@dataclass
class Area:
    name: str
    role: str  # one of AREA_ROLES
    polygon: list[tuple[float, float]]
    environment: str | None = None
    occupants: int | None = None

    def area_m2(self) -> float:
        """Shoelace area of the polygon (m²)."""
        if len(self.polygon) < 3:
            return 0.0
        xy = np.asarray(self.polygon, dtype=float)
        x, y = xy[:, 0], xy[:, 1]
        return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


@dataclass
class PlacedAP:
    """An AP already on the plan (an Ekahau design, an as-built survey): name, position, model."""

    name: str
    x: float
    y: float
    z: float | None = None  # mount height above the floor (m)
    model: str | None = None


@dataclass
class Floor:
    name: str
    elevation_m: float = 0.0
    height_m: float = DEFAULT_FLOOR_HEIGHT_M
    walls: list[Wall] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    aps: list[PlacedAP] = field(default_factory=list)

    def wall_array(self) -> np.ndarray:
        """The walls as an (n, 4) array of x1, y1, x2, y2."""
        if not self.walls:
            return np.zeros((0, 4))
        return np.array([(w.x1, w.y1, w.x2, w.y2) for w in self.walls], dtype=float)

    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) over walls and areas."""
        xs: list[float] = []
        ys: list[float] = []
        for w in self.walls:
            xs += [w.x1, w.x2]
            ys += [w.y1, w.y2]
        for a in self.areas:
            xs += [p[0] for p in a.polygon]
            ys += [p[1] for p in a.polygon]
        if not xs:
            return (0.0, 0.0, 0.0, 0.0)
        return (min(xs), min(ys), max(xs), max(ys))

    def zones(self) -> list[Area]:
        return [a for a in self.areas if a.role == "zone"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "elevation_m": self.elevation_m, "height_m": self.height_m,
            "walls": [[w.x1, w.y1, w.x2, w.y2, w.material] for w in self.walls],
            "areas": [asdict(a) | {"polygon": [list(p) for p in a.polygon]} for a in self.areas],
            "aps": [asdict(p) for p in self.aps],
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Floor:
        return cls(
            name=d["name"], elevation_m=float(d["elevation_m"]), height_m=float(d["height_m"]),
            walls=[Wall(float(a), float(b), float(c), float(e), str(m)) for a, b, c, e, m in d["walls"]],
            areas=[Area(a["name"], a["role"], [(float(x), float(y)) for x, y in a["polygon"]], a.get("environment"),
                        a.get("occupants")) for a in d["areas"]],
            aps=[PlacedAP(**p) for p in d.get("aps", [])],
        )  # fmt: skip


@dataclass
class PlanRead:
    """What a reader made of a file: its floors, and what it could not use (named, with why).

    ``materials`` holds wall types the file defines itself (an Ekahau project's), as
    {name: {band: loss dB per crossing}}; they go with the floors.
    """

    floors: list[Floor]
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {"what", "count", "why"}
    units: str = "m"
    materials: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)  # what the reader decided (merged faces…)

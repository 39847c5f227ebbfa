"""Where a design looks: the demand points of each floor and the candidate mount points.

Demand points lie on a square lattice (``step`` metres) inside the floor's in-scope
area: its zones minus what is out of scope, or, for a plan without zones, the walls'
bounding box. Candidate mount points lie on a coarser lattice inside the scope, minus
the exclusion areas. Each point keeps its lattice cell, so that the points near a
position are found by slicing, not by searching.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.path import Path as MplPath

from reemploi.design.plan import Area, Floor


@dataclass
class FloorGrid:
    """The demand points of one floor."""

    floor: int  # index in the building
    step: float
    origin: tuple[float, float]
    shape: tuple[int, int]  # (rows along y, columns along x)
    points: np.ndarray  # (n, 2)
    cell: np.ndarray  # (rows, cols) -> point index, or -1 outside the scope
    zone: np.ndarray  # (n,) index in floor.zones(), or -1

    def near(self, x: float, y: float, radius: float) -> np.ndarray:
        """Indices of the points within ``radius`` of (x, y)."""
        ox, oy = self.origin
        c0 = max(0, int(np.floor((x - radius - ox) / self.step)))
        c1 = min(self.shape[1], int(np.ceil((x + radius - ox) / self.step)) + 1)
        r0 = max(0, int(np.floor((y - radius - oy) / self.step)))
        r1 = min(self.shape[0], int(np.ceil((y + radius - oy) / self.step)) + 1)
        if c0 >= c1 or r0 >= r1:
            return np.zeros(0, dtype=np.int64)
        idx = self.cell[r0:r1, c0:c1].ravel()
        idx = idx[idx >= 0]
        p = self.points[idx]
        return idx[(p[:, 0] - x) ** 2 + (p[:, 1] - y) ** 2 <= radius * radius]


def _inside(polys: list[Area], pts: np.ndarray) -> np.ndarray:
    """Per point, the index of the first polygon holding it, or -1."""
    out = np.full(len(pts), -1, dtype=np.int64)
    for i, a in enumerate(polys):
        if len(a.polygon) < 3:
            continue
        hit = MplPath(np.asarray(a.polygon)).contains_points(pts) & (out < 0)
        out[hit] = i
    return out


def scope_mask(floor: Floor, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(in scope, zone index) of each point."""
    zones = floor.zones()
    if zones:
        zone = _inside(zones, pts)
        keep = zone >= 0
    else:
        zone = np.full(len(pts), -1, dtype=np.int64)
        keep = np.ones(len(pts), dtype=bool)
    out = [a for a in floor.areas if a.role == "out_of_scope"]
    if out:
        keep &= _inside(out, pts) < 0
    return keep, zone


def floor_grid(index: int, floor: Floor, step: float) -> FloorGrid:
    xmin, ymin, xmax, ymax = floor.bounds()
    ox, oy = xmin + step / 2, ymin + step / 2
    cols = max(1, int(np.floor((xmax - xmin) / step)))
    rows = max(1, int(np.floor((ymax - ymin) / step)))
    gx, gy = np.meshgrid(ox + step * np.arange(cols), oy + step * np.arange(rows))
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    keep, zone = scope_mask(floor, pts)
    cell = np.full(rows * cols, -1, dtype=np.int64)
    cell[np.flatnonzero(keep)] = np.arange(int(keep.sum()))
    return FloorGrid(index, step, (ox, oy), (rows, cols), pts[keep], cell.reshape(rows, cols), zone[keep])


def candidates(floor: Floor, spacing: float) -> np.ndarray:
    """Mount points on a ``spacing`` lattice inside the scope, outside every exclusion area."""
    xmin, ymin, xmax, ymax = floor.bounds()
    xs = np.arange(xmin + spacing / 2, xmax, spacing)
    ys = np.arange(ymin + spacing / 2, ymax, spacing)
    if len(xs) == 0 or len(ys) == 0:
        return np.zeros((0, 2))
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    keep, _ = scope_mask(floor, pts)
    excluded = [a for a in floor.areas if a.role == "exclusion"]
    if excluded:
        keep &= _inside(excluded, pts) < 0
    return pts[keep]

"""Links between mount points and demand points across a building, and predictions.

``links`` computes, for every candidate position, the path loss to each demand point it
could serve (within reach of the strongest EIRP considered, on its floor and the floors
next to it); ``predict`` gives the received signal of given APs at given points. Both
use ``propagation.path_loss``: the walls of the point's floor, a slab per floor crossed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reemploi.design.grid import FloorGrid
from reemploi.design.materials import Material, loss_vector
from reemploi.design.plan import Floor
from reemploi.design.propagation import BAND_GHZ, PathLossModel, distance_loss, path_loss

CLIENT_HEIGHT_M = 1.0


@dataclass
class FloorWalls:
    walls: np.ndarray  # (w, 4)
    loss_db: np.ndarray  # (w,) at the band


def floor_walls(floor: Floor, band: str, materials: dict[str, Material]) -> FloorWalls:
    return FloorWalls(floor.wall_array(), loss_vector([w.material for w in floor.walls], band, materials))


def reach_m(allowed_db: float, f_ghz: float, model: PathLossModel) -> float:
    """The distance at which the distance terms alone use up ``allowed_db`` (walls only shorten it)."""
    base = float(distance_loss(1.0, f_ghz, model))
    if allowed_db <= base:
        return 1.0
    return float(10 ** ((allowed_db - base) / (10 * model.alpha)))


def floors_between(floors: list[Floor], a: int, b: int) -> int:
    return abs(a - b)


@dataclass
class Links:
    """Per candidate, the points it reaches and the path loss to each (dB)."""

    point: list[np.ndarray]  # global point indices
    loss: list[np.ndarray]  # float32, same length


def global_offsets(grids: list[FloorGrid]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum([len(g.points) for g in grids])])


def links(floors: list[Floor], grids: list[FloorGrid], walls: list[FloorWalls], cand_floor: np.ndarray,
          cand_xyz: np.ndarray, band: str, model: PathLossModel, allowed_db: float) -> Links:  # fmt: skip
    """Path losses from every candidate (floor index, absolute x y z) to the points it may serve.

    ``allowed_db`` is the largest path loss that still meets the target (strongest EIRP
    minus the target level): points beyond it are left out.
    """
    f = BAND_GHZ[band]
    offsets = global_offsets(grids)
    out_p: list[np.ndarray] = []
    out_l: list[np.ndarray] = []
    for k in range(len(cand_xyz)):
        fi = int(cand_floor[k])
        x, y, z = (float(v) for v in cand_xyz[k])
        pts_all: list[np.ndarray] = []
        loss_all: list[np.ndarray] = []
        for gi, g in enumerate(grids):
            n_floors = floors_between(floors, fi, gi)
            budget = allowed_db - n_floors * model.floor_loss_db
            if budget <= 0 or len(g.points) == 0:
                continue
            radius = reach_m(budget, f, model)
            idx = g.near(x, y, radius)
            if len(idx) == 0:
                continue
            pz = floors[gi].elevation_m + CLIENT_HEIGHT_M
            loss = path_loss(g.points[idx], pz, (x, y, z), f, model, walls[gi].walls, walls[gi].loss_db, n_floors)
            ok = loss <= allowed_db
            pts_all.append(idx[ok] + offsets[gi])
            loss_all.append(loss[ok].astype(np.float32))
        out_p.append(np.concatenate(pts_all) if pts_all else np.zeros(0, dtype=np.int64))
        out_l.append(np.concatenate(loss_all) if loss_all else np.zeros(0, dtype=np.float32))
    return Links(out_p, out_l)


def predict(floors: list[Floor], walls: list[FloorWalls], point_floor: int, points: np.ndarray,
            aps: list[tuple[int, float, float, float, float]], band: str, model: PathLossModel,
            point_height_m: float = CLIENT_HEIGHT_M, min_dbm: float | None = None) -> np.ndarray:  # fmt: skip
    """RSSI (dBm) at ``points`` of floor ``point_floor`` from each AP (floor, x, y, z absolute, EIRP dBm).

    Returns an (n points, n APs) array. With ``min_dbm``, points that an AP cannot reach
    at that level even without walls are left at -inf (the answer at or above
    ``min_dbm`` is the same, and far cheaper on a large floor).
    """
    f = BAND_GHZ[band]
    out = np.full((len(points), len(aps)), -math.inf)
    pz = floors[point_floor].elevation_m + point_height_m
    fw = walls[point_floor]
    for j, (fi, x, y, z, eirp) in enumerate(aps):
        n_floors = floors_between(floors, fi, point_floor)
        sel = slice(None)
        if min_dbm is not None:
            budget = eirp - min_dbm - n_floors * model.floor_loss_db
            if budget <= 0:
                continue
            radius = reach_m(budget, f, model)
            sel = np.flatnonzero((points[:, 0] - x) ** 2 + (points[:, 1] - y) ** 2 <= radius * radius)
            if len(sel) == 0:
                continue
        out[sel, j] = eirp - path_loss(points[sel], pz, (x, y, z), f, model, fw.walls, fw.loss_db, n_floors)
    return out

"""The propagation kernel: path loss over distance, walls and floors, on arrays (no I/O).

Path loss in dB between an AP and a point, at distance d metres (3-D) and frequency f GHz:

    L = 10·alpha·log10(d) + beta + 10·gamma·log10(f) + Σ walls crossed + floor_loss_db · floors crossed

the ITU-R P.1238 site-general form for the first three terms (d below 1 m counts as
1 m), plus the loss of every wall the straight path crosses (COST-231 multi-wall style)
and of each floor slab between the two levels. With walls drawn, the distance term
should not count them again: the default is free space (alpha 2, gamma 2, beta 32.44,
the 20·log10(4π/c) constant), and a survey calibrates alpha, beta and the floor loss to
the building (``calibrate``).

Walls crossed: the segment AP→point crosses wall AB when A and B lie on either side of
the line through AP and point, and AP and point on either side of AB's line. For one AP,
each of those four orientation tests is an affine function of the point's coordinates,
so the whole test over n points and w walls is one (n × 3) by (3 × 3w) matrix product
and a few sign comparisons; walls farther from the AP than the points are left out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

BANDS = ("2.4", "5", "6")
BAND_GHZ = {"2.4": 2.45, "5": 5.5, "6": 6.5}
FREE_SPACE_BETA = 32.44  # 20·log10(4π·1e9/c) for d in m and f in GHz


@dataclass(frozen=True)
class PathLossModel:
    name: str = "free-space-multi-wall"  # a key; readers see its label (model_name.<key>)
    alpha: float = 2.0
    beta: float = FREE_SPACE_BETA
    gamma: float = 2.0
    floor_loss_db: float = 20.0

    def as_dict(self) -> dict[str, float | str]:
        return asdict(self)


# ITU-R P.1238-12 site-general coefficients (office and industrial), for comparison and as
# starting points; the multi-wall default above is the one designs use.
P1238 = {
    "p1238-office-nlos": PathLossModel("p1238-office-nlos", 2.46, 29.53, 2.38, 20.0),
    "p1238-office-los": PathLossModel("p1238-office-los", 1.46, 34.62, 2.03, 20.0),
    "p1238-industrial-nlos": PathLossModel("p1238-industrial-nlos", 3.79, 21.01, 1.34, 20.0),
}


def distance_loss(d_m: np.ndarray | float, f_ghz: float, model: PathLossModel) -> np.ndarray:
    """The distance and frequency terms of the path loss (dB); d below 1 m counts as 1 m."""
    d = np.maximum(np.asarray(d_m, dtype=float), 1.0)
    return 10 * model.alpha * np.log10(d) + model.beta + 10 * model.gamma * np.log10(f_ghz)


def wall_losses(points: np.ndarray, ap: tuple[float, float], walls: np.ndarray, wall_db: np.ndarray) -> np.ndarray:
    """The loss (dB) of the walls crossed by the straight path from ``ap`` to each point.

    ``points`` (n, 2), ``walls`` (w, 4) as x1, y1, x2, y2, ``wall_db`` (w,). A path that
    only touches a wall's end or runs along it does not count it (strict tests).
    """
    n = len(points)
    if n == 0 or len(walls) == 0:
        return np.zeros(n)
    cx, cy = ap
    ax, ay, bx, by = walls[:, 0], walls[:, 1], walls[:, 2], walls[:, 3]
    # Leave out walls beyond the farthest point: they cannot cut a shorter path.
    reach = float(np.max(np.hypot(points[:, 0] - cx, points[:, 1] - cy)))
    near = _segment_distance(cx, cy, ax, ay, bx, by) <= reach
    if not near.any():
        return np.zeros(n)
    ax, ay, bx, by, db = ax[near], ay[near], bx[near], by[near], wall_db[near]
    # orient(A, B, P) = (bx-ax)(py-ay) - (by-ay)(px-ax) = u·px + v·py + k, per wall
    u1, v1 = -(by - ay), bx - ax
    k1 = -(u1 * ax + v1 * ay)
    side_c = u1 * cx + v1 * cy + k1  # orient(A, B, C) per wall
    # orient(C, P, A) = (px-cx)(ay-cy) - (py-cy)(ax-cx) = (ay-cy)·px - (ax-cx)·py + k, per wall end
    ua, va = ay - cy, -(ax - cx)
    ka = -(ua * cx + va * cy)
    ub, vb = by - cy, -(bx - cx)
    kb = -(ub * cx + vb * cy)
    coeffs = np.stack([np.concatenate([u1, ua, ub]), np.concatenate([v1, va, vb]), np.concatenate([k1, ka, kb])])
    homog = np.column_stack([points, np.ones(n)])
    m = len(db)
    out = np.zeros(n)
    step = max(1, 4_000_000 // max(3 * m, 1))  # bound the (n, 3m) block's memory
    for s in range(0, n, step):
        v = homog[s : s + step] @ coeffs  # (k, 3m)
        side_p, o_a, o_b = v[:, :m], v[:, m : 2 * m], v[:, 2 * m :]
        crossed = (side_p * side_c < 0) & (o_a * o_b < 0)
        out[s : s + step] = crossed @ db
    return out


def _segment_distance(px: float, py: float, ax: np.ndarray, ay: np.ndarray, bx: np.ndarray,
                      by: np.ndarray) -> np.ndarray:  # fmt: skip
    """Distance from (px, py) to each segment AB."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.where(length2 > 0, ((px - ax) * dx + (py - ay) * dy) / np.where(length2 > 0, length2, 1), 0.0)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(ax + t * dx - px, ay + t * dy - py)


def path_loss(points: np.ndarray, point_z: float, ap: tuple[float, float, float], f_ghz: float,
              model: PathLossModel, walls: np.ndarray, wall_db: np.ndarray,
              floors_between: int = 0) -> np.ndarray:  # fmt: skip
    """Path loss (dB) from ``ap`` (x, y, z absolute) to ``points`` (n, 2) at height ``point_z``.

    ``walls`` are those of the points' floor (the path's plan projection is tested against
    them); ``floors_between`` slabs add ``model.floor_loss_db`` each.
    """
    dx = points[:, 0] - ap[0]
    dy = points[:, 1] - ap[1]
    d = np.sqrt(dx * dx + dy * dy + (point_z - ap[2]) ** 2)
    loss = distance_loss(d, f_ghz, model) + wall_losses(points, (ap[0], ap[1]), walls, wall_db)
    return loss + model.floor_loss_db * floors_between

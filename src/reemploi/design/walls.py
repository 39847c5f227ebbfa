"""Walls drawn as their two faces become one wall (CAD plans draw a wall as two parallel lines).

A radio path through a wall crosses both of its faces; counted as two walls it would
lose twice the wall's attenuation. Two segments of the same material that are parallel
(within ``ANGLE_DEG``), 2 cm to ``max_thickness`` apart and overlap along their length
over at least half of the shorter one are one wall: its centre line over the overlap,
the parts of either face beyond the overlap staying as they were (a wall end, a jamb).
The short segment closing the two faces at a wall's end (a polygon footprint's end cap,
no longer than the wall is thick) is part of the same wall and is dropped with the pair.
"""

from __future__ import annotations

import math

import numpy as np

from reemploi.design.plan import Wall

ANGLE_DEG = 3.0
MIN_GAP_M = 0.02


def merge_faces(walls: list[Wall], max_thickness: float = 0.6) -> tuple[list[Wall], int]:
    """(walls with face pairs merged, number of pairs merged)."""
    n = len(walls)
    if n < 2:
        return list(walls), 0
    a = np.array([(w.x1, w.y1, w.x2, w.y2) for w in walls], dtype=float)
    mats = np.array([w.material for w in walls])
    d = a[:, 2:] - a[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    ok = length > 1e-9
    theta = np.mod(np.arctan2(d[:, 1], d[:, 0]), math.pi)
    u = np.column_stack([np.cos(theta), np.sin(theta)])  # direction, same sense for parallel walls
    nrm = np.column_stack([-u[:, 1], u[:, 0]])
    offset = np.einsum("ij,ij->i", nrm, a[:, :2])
    s1 = np.einsum("ij,ij->i", u, a[:, :2])
    s2 = np.einsum("ij,ij->i", u, a[:, 2:])
    lo, hi = np.minimum(s1, s2), np.maximum(s1, s2)
    bucket = np.floor(theta / math.radians(ANGLE_DEG)).astype(np.int64)
    n_buckets = int(math.ceil(math.pi / math.radians(ANGLE_DEG)))
    pairs: list[tuple[float, int, int]] = []
    for b in range(n_buckets):
        members = np.flatnonzero(ok & ((bucket == b) | (bucket == (b + 1) % n_buckets)))
        if len(members) < 2:
            continue
        own = members[bucket[members] == b]
        for i in own:
            j = members[members != i]
            dtheta = np.abs(theta[j] - theta[i])
            dtheta = np.minimum(dtheta, math.pi - dtheta)
            gap = np.abs(offset[j] - offset[i] * np.sign(np.einsum("ij,j->i", u[j], u[i])))
            overlap = np.minimum(hi[j], hi[i]) - np.maximum(lo[j], lo[i])
            good = ((mats[j] == mats[i]) & (dtheta <= math.radians(ANGLE_DEG)) & (gap >= MIN_GAP_M)
                    & (gap <= max_thickness) & (overlap >= 0.5 * np.minimum(length[j], length[i]))
                    & (j > i))  # fmt: skip
            pairs += [(float(gap[k]), int(i), int(j[k])) for k in np.flatnonzero(good)]
    pairs.sort()
    used = np.zeros(n, dtype=bool)
    out: list[Wall] = []
    merged = 0
    for _, i, j in pairs:
        if used[i] or used[j]:
            continue
        used[i] = used[j] = True
        merged += 1
        ui = u[i]
        o0, o1 = max(lo[i], lo[j]), min(hi[i], hi[j])
        mid_off = (offset[i] + offset[j] * np.sign(ui @ u[j])) / 2
        base = nrm[i] * mid_off
        p, q = base + ui * o0, base + ui * o1
        out.append(Wall(float(p[0]), float(p[1]), float(q[0]), float(q[1]), walls[i].material))
        for k in (i, j):  # what each face has beyond the overlap
            uk = u[k] * np.sign(u[k] @ ui)
            basek = nrm[k] * offset[k]
            for s_from, s_to in ((lo[k], o0), (o1, hi[k])):
                if s_to - s_from > MIN_GAP_M:
                    p, q = basek + uk * s_from, basek + uk * s_to
                    out.append(Wall(float(p[0]), float(p[1]), float(q[0]), float(q[1]), walls[k].material))
    if merged:
        _drop_end_caps(a, length, used, max_thickness)
    out += [walls[k] for k in range(n) if not used[k]]
    return out, merged


def _drop_end_caps(
    a: np.ndarray, length: np.ndarray, used: np.ndarray, max_thickness: float, tol: float = 0.01
) -> None:
    """Mark as used the short unmerged segments joining two merged faces end to end."""
    face_ends = np.vstack([a[used, :2], a[used, 2:]])
    if not len(face_ends):
        return
    for k in np.flatnonzero(~used & (length <= max_thickness + tol)):
        ends = a[k].reshape(2, 2)
        near = [np.flatnonzero(np.hypot(*(face_ends - e).T) <= tol) for e in ends]
        if all(len(x) for x in near):
            used[k] = True

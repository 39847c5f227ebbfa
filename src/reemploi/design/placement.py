"""AP placement: the fewest APs that meet the coverage and capacity requirements.

A set-cover MILP on HiGHS over the candidate mount points:

    minimise   Σ x_c                                   (x_c = 1: an AP at candidate c)
    subject to y_r ≤ Σ_{c covers r} x_c                 (r: a group of demand points, y_r in [0, 1])
               Σ w_r·y_r ≥ share · N                    (N: every in-scope point, coverable or not)
               2·z_r ≤ Σ_{c covers r} x_c, Σ w_r·z_r ≥ share₂ · N   (secondary coverage, when asked)
               Σ_{c inside zone} x_c ≥ k_zone           (capacity: APs inside each zone)

Demand points that the same candidates cover are one row weighted by their count (y
may stay continuous: Σ x is an integer, so y_r reaches 1 only when r is covered). A
greedy cover starts the solver; its proven gap is reported. A naive grid (one AP every
``sqrt(area per AP)`` metres, the rule of thumb drawn on the plan) is evaluated beside it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from reemploi.design.engine import Links
from reemploi.highs import highs_model


@dataclass
class Problem:
    n_points: int  # every in-scope demand point
    n_cand: int
    links: Links
    allowed_db: float  # path loss up to which a candidate covers a point
    share: float
    secondary_share: float | None = None
    zone_min: dict[int, tuple[np.ndarray, int]] = field(default_factory=dict)  # zone -> (candidates inside, k)
    conflicts: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))  # pairs too close
    cand_xy: np.ndarray | None = None  # positions, for spreading a zone's capacity APs


@dataclass
class Placement:
    chosen: np.ndarray  # candidate indices
    method: str  # "milp" or "greedy"
    optimal: bool
    gap: float
    bound: float
    seconds: float
    coverable_share: float  # the most any placement could cover
    share_target: float  # the share asked, capped at what is coverable


def coverage_rows(p: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row start offsets, candidate indices, weights): demand points grouped by the candidates covering them."""
    cand = np.concatenate([np.full(len(pt), k, dtype=np.int64) for k, pt in enumerate(p.links.point)] or
                          [np.zeros(0, dtype=np.int64)])  # fmt: skip
    pts = np.concatenate(p.links.point or [np.zeros(0, dtype=np.int64)])
    loss = np.concatenate(p.links.loss or [np.zeros(0, dtype=np.float32)])
    keep = loss <= p.allowed_db
    cand, pts = cand[keep], pts[keep]
    if len(pts) == 0:
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    # A signature per point: two sums of per-candidate random 64-bit keys (order does not matter).
    rng = np.random.default_rng(12345)
    k1 = rng.integers(0, 2**63, size=p.n_cand, dtype=np.uint64)
    k2 = rng.integers(0, 2**63, size=p.n_cand, dtype=np.uint64)
    s1 = np.zeros(p.n_points, dtype=np.uint64)
    s2 = np.zeros(p.n_points, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.add.at(s1, pts, k1[cand])
        np.add.at(s2, pts, k2[cand])
    covered = np.zeros(p.n_points, dtype=bool)
    covered[pts] = True
    sig = np.stack([s1, s2], axis=1)[covered]
    point_ids = np.flatnonzero(covered)
    _, first, counts = np.unique(sig, axis=0, return_index=True, return_counts=True)
    reps = point_ids[first]
    # candidates of each representative point
    order = np.argsort(pts, kind="stable")
    pts_sorted, cand_sorted = pts[order], cand[order]
    lo = np.searchsorted(pts_sorted, reps, side="left")
    hi = np.searchsorted(pts_sorted, reps, side="right")
    starts = np.concatenate([[0], np.cumsum(hi - lo)])
    index = np.concatenate([cand_sorted[a:b] for a, b in zip(lo, hi, strict=True)])
    return starts, index, counts.astype(float)


def greedy(p: Problem, starts: np.ndarray, index: np.ndarray, weights: np.ndarray, target: float,
           target2: float | None) -> np.ndarray:  # fmt: skip
    """Greedy cover: the candidate adding the most uncovered weight, until the shares are met."""
    n_rows = len(weights)
    row_of = np.repeat(np.arange(n_rows), np.diff(starts))
    need = np.ones(n_rows, dtype=np.int64)  # coverers still needed per row (primary)
    need2 = np.full(n_rows, 2 if target2 is not None else 0)
    hits = np.zeros(n_rows, dtype=np.int64)
    chosen: list[int] = []
    # candidate -> rows it covers
    order = np.argsort(index, kind="stable")
    c_sorted, r_sorted = index[order], row_of[order]
    c_lo = np.searchsorted(c_sorted, np.arange(p.n_cand), side="left")
    c_hi = np.searchsorted(c_sorted, np.arange(p.n_cand), side="right")
    taken = np.zeros(p.n_cand, dtype=bool)

    def covered_weight(level: int) -> float:
        return float(weights[hits >= level].sum())

    near: dict[int, list[int]] = {}
    for a, b in p.conflicts:
        near.setdefault(int(a), []).append(int(b))
        near.setdefault(int(b), []).append(int(a))
    blocked = np.zeros(p.n_cand, dtype=bool)

    def take(c: int) -> None:
        taken[c] = blocked[c] = True
        blocked[near.get(c, [])] = True
        chosen.append(c)
        hits[r_sorted[c_lo[c] : c_hi[c]]] += 1

    for zone_cands, k in p.zone_min.values():  # capacity first: spread over the zone (farthest point first)
        picked = [int(c) for c in zone_cands if taken[c]]
        while len(picked) < k:
            free = [int(c) for c in zone_cands if not blocked[c]]
            if not free:
                break
            if not picked or p.cand_xy is None:
                c = free[0]  # the free candidate nearest the zone's middle
            else:
                xy = p.cand_xy[free]
                d = np.min(np.hypot(xy[:, None, 0] - p.cand_xy[picked][None, :, 0],
                                    xy[:, None, 1] - p.cand_xy[picked][None, :, 1]), axis=1)  # fmt: skip
                c = free[int(np.argmax(d))]
            take(c)
            picked.append(c)
    while covered_weight(1) < target - 1e-9 or (target2 is not None and covered_weight(2) < target2 - 1e-9):
        gain = np.zeros(p.n_cand)
        w_primary = weights * ((hits < need) if covered_weight(1) < target - 1e-9 else 0)
        w_second = weights * ((hits < need2) if target2 is not None and covered_weight(2) < target2 - 1e-9 else 0)
        row_gain = w_primary + 0.5 * w_second
        np.add.at(gain, c_sorted, row_gain[r_sorted])
        gain[blocked] = -1
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            break
        take(best)
    return np.array(sorted(chosen), dtype=np.int64)


def place(p: Problem, time_limit: float = 45.0, mip_gap: float = 0.005) -> Placement:
    t0 = time.perf_counter()
    starts, index, weights = coverage_rows(p)
    n_rows = len(weights)
    coverable = float(weights.sum()) / max(p.n_points, 1)
    target = min(p.share, coverable) * p.n_points
    target2 = None
    if p.secondary_share is not None:
        two = float(weights[np.diff(starts) >= 2].sum())
        target2 = min(p.secondary_share * p.n_points, two)
    start = greedy(p, starts, index, weights, target, target2)
    if n_rows == 0:
        return Placement(start, "greedy", True, 0.0, float(len(start)), time.perf_counter() - t0, coverable,
                         target / max(p.n_points, 1))  # fmt: skip
    import highspy

    m = p.n_cand
    n_cols = m + n_rows + (n_rows if target2 is not None else 0)
    # Column-wise matrix. Rows: [0, n_rows) link y; [n_rows, 2 n_rows) link z (secondary);
    # then the coverage row(s), then the capacity rows.
    row_of = np.repeat(np.arange(n_rows), np.diff(starts))
    cov_row = n_rows * (2 if target2 is not None else 1)
    cap_rows = list(p.zone_min.items())
    conflicts = p.conflicts
    n_row_total = cov_row + 1 + (1 if target2 is not None else 0) + len(cap_rows) + len(conflicts)
    entries_r: list[np.ndarray] = []
    entries_c: list[np.ndarray] = []
    entries_v: list[np.ndarray] = []
    # x_c in the y rows: -1; in the z rows: -1
    entries_r.append(row_of)
    entries_c.append(index)
    entries_v.append(np.full(len(index), -1.0))
    if target2 is not None:
        entries_r.append(row_of + n_rows)
        entries_c.append(index)
        entries_v.append(np.full(len(index), -1.0))
    # y_r: +1 in its link row, w_r in the coverage row
    y_cols = m + np.arange(n_rows)
    entries_r += [np.arange(n_rows), np.full(n_rows, cov_row)]
    entries_c += [y_cols, y_cols]
    entries_v += [np.ones(n_rows), weights]
    if target2 is not None:
        z_cols = m + n_rows + np.arange(n_rows)
        entries_r += [np.arange(n_rows) + n_rows, np.full(n_rows, cov_row + 1)]
        entries_c += [z_cols, z_cols]
        entries_v += [np.full(n_rows, 2.0), weights]
    cap_row0 = cov_row + 1 + (1 if target2 is not None else 0)
    cap_lower = []
    for j, (_, (cands, k)) in enumerate(cap_rows):
        entries_r.append(np.full(len(cands), cap_row0 + j))
        entries_c.append(np.asarray(cands, dtype=np.int64))
        entries_v.append(np.ones(len(cands)))
        cap_lower.append(float(min(k, len(cands))))
    conf_row0 = cap_row0 + len(cap_rows)
    if len(conflicts):  # x_a + x_b <= 1: two APs never closer than the separation
        rows_c = conf_row0 + np.arange(len(conflicts))
        entries_r += [rows_c, rows_c]
        entries_c += [conflicts[:, 0], conflicts[:, 1]]
        entries_v += [np.ones(len(conflicts)), np.ones(len(conflicts))]
    r = np.concatenate(entries_r)
    c = np.concatenate(entries_c)
    v = np.concatenate(entries_v)
    order = np.lexsort((r, c))
    r, c, v = r[order], c[order], v[order]
    col_start = np.searchsorted(c, np.arange(n_cols + 1))
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_row_total
    lp.col_cost_ = np.concatenate([np.ones(m), np.zeros(n_cols - m)])
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.ones(n_cols)
    inf = highspy.kHighsInf
    lower = np.full(n_row_total, -inf)
    upper = np.zeros(n_row_total)
    lower[cov_row], upper[cov_row] = target, inf
    if target2 is not None:
        lower[cov_row + 1], upper[cov_row + 1] = target2, inf
    for j, k in enumerate(cap_lower):
        lower[cap_row0 + j], upper[cap_row0 + j] = k, inf
    upper[conf_row0 : conf_row0 + len(conflicts)] = 1.0
    lp.row_lower_ = lower
    lp.row_upper_ = upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = col_start.astype(np.int32)
    lp.a_matrix_.index_ = r.astype(np.int32)
    lp.a_matrix_.value_ = v
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [highspy.HighsVarType.kContinuous] * (n_cols - m)
    h = highs_model()
    h.setOptionValue("time_limit", float(max(1.0, time_limit - (time.perf_counter() - t0))))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.passModel(lp)
    x0 = np.zeros(n_cols)
    x0[start] = 1.0
    hits = np.zeros(n_rows)
    np.add.at(hits, row_of, x0[index])
    x0[m : m + n_rows] = np.minimum(hits, 1.0)
    if target2 is not None:
        x0[m + n_rows :] = np.minimum(hits / 2.0, 1.0)
    sol = highspy.HighsSolution()
    sol.col_value = x0.tolist()
    sol.value_valid = True
    h.setSolution(sol)
    h.run()
    values = np.asarray(h.getSolution().col_value)
    info = h.getInfo()
    seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else 0.0
    if status == highspy.HighsModelStatus.kInfeasible:  # the separation leaves too few places for the capacity
        return Placement(start, "infeasible", False, 1.0, bound, seconds, coverable, target / max(p.n_points, 1))
    feasible = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
    if not feasible or len(values) < m:  # nothing better than the greedy start within the time limit
        return Placement(start, "greedy", False, 1.0, bound, seconds, coverable, target / max(p.n_points, 1))
    chosen = np.flatnonzero(values[:m] > 0.5)
    gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 1.0
    return Placement(chosen, "milp", status == highspy.HighsModelStatus.kOptimal, max(0.0, gap),
                     float(info.mip_dual_bound), seconds, coverable, target / max(p.n_points, 1))  # fmt: skip

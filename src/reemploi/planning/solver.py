"""The allocation's compatible pairs (arcs) and its HiGHS models.

Arcs are columns of numpy arrays (group, need, transport per device, objective cost),
built in blocks of needs that share a compatibility key, and ordered by need then
group: the same inputs give the same arcs, in the same order.

Without a PoE budget or an open vendor choice the allocation is a transportation
problem whose LP optimum is integral: it is solved by column generation (each need
starts with its cheapest arcs; arcs with a negative reduced cost are added until none
is left, which proves the optimum over every arc). Otherwise it is a MILP (one vendor
per site through binaries, PoE budgets as rows) with a time limit. Past
``FULL_MILP_MAX_ARCS`` arcs the MILP keeps, for each need and vendor, its cheapest arcs
and those the LP bound uses; its gap is then measured against that LP bound over every
arc (a valid bound: the relaxation of the full problem), so the gap it reports is honest.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from reemploi.geo import great_circle_km as haversine_km
from reemploi.highs import highs_model

if TYPE_CHECKING:
    from reemploi.planning.stock import Group, Need

# Detour index of road over great-circle distance; about 1.2-1.4 for French road trips
# (assumption, documented in docs/planning.md).
ROAD_FACTOR = 1.3
# Rigid truck 26-32 t, diesel: 0.105 kgCO2e per tonne-km (ADEME Base Carbone).
TRUCK_KGCO2E_PER_TKM = 0.105
GRADE_BONUS = {"A": 2.0, "B": 1.0}
NEED_WEIGHT = 1000.0
# Column generation: arcs each need starts with, and at most added per need and round.
START_ARCS_PER_NEED = 8
ADD_PER_NEED = 4
FULL_MILP_MAX_ARCS = 20_000
# Large MILPs: how close the relaxation's column generation gets to its bound, and the gap
# under which the rounded plan is kept without a MILP polish.
RELAXATION_GAP = 1e-4
POLISH_ABOVE_GAP = 1e-3
MILP_ARCS_PER_NEED_VENDOR = 4


def weight(priority: int) -> float:
    return float(10 - max(1, min(9, priority)))


@dataclass
class Arc:
    group: int
    need: int
    transport_per_device: float  # kgCO2e
    cost: float  # objective coefficient (minimised)


class Arcs(Sequence[Arc]):
    """Arcs as columns; ``arcs[i]`` is an ``Arc`` for code that wants one at a time."""

    def __init__(self, group: np.ndarray, need: np.ndarray, transport: np.ndarray, cost: np.ndarray) -> None:
        self.group, self.need, self.transport, self.cost = group, need, transport, cost

    @classmethod
    def of(cls, arcs: Sequence[Arc]) -> Arcs:
        if isinstance(arcs, Arcs):
            return arcs
        return cls(np.array([a.group for a in arcs], dtype=np.int64), np.array([a.need for a in arcs], dtype=np.int64),
                   np.array([a.transport_per_device for a in arcs], dtype=float),
                   np.array([a.cost for a in arcs], dtype=float))  # fmt: skip

    def __len__(self) -> int:
        return len(self.group)

    @overload
    def __getitem__(self, i: int) -> Arc: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Arc]: ...
    def __getitem__(self, i: int | slice) -> Arc | Sequence[Arc]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Arc(int(self.group[i]), int(self.need[i]), float(self.transport[i]), float(self.cost[i]))

    def __iter__(self) -> Iterator[Arc]:
        for k in range(len(self)):
            yield self[k]


def _codes(values: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    table: dict[str, int] = {}
    return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int64), table


def _coord(v: float | None) -> float:
    return math.nan if v is None else float(v)


def build_arcs(groups: list[Group], needs: list[Need]) -> Arcs:
    """Every (group, need) pair where the device fits, with its transport and cost."""
    empty = Arcs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    if not groups or not needs:
        return empty
    g_class, classes = _codes([g.need_class for g in groups])
    g_vendor, vendors = _codes([g.vendor.lower() for g in groups])
    g_model, models = _codes([g.model for g in groups])
    g_gen = np.array([g.generation for g in groups], dtype=np.int64)
    g_draw = np.array([g.draw_w for g in groups], dtype=float)
    blocks: dict[tuple[Any, ...], list[int]] = {}
    for ni, n in enumerate(needs):
        key = (n.need_class, n.min_generation or 0, (n.vendor or "").lower(), n.poe_budget_w, n.model or "",
               n.models)  # fmt: skip
        blocks.setdefault(key, []).append(ni)
    parts_g, parts_n = [], []
    for (cls, gen, vendor, budget, model, fits), nis in blocks.items():
        mask = g_class == classes.get(cls, -1)
        if gen:
            mask &= g_gen >= gen
        if vendor:
            mask &= g_vendor == vendors.get(vendor, -1)
        if budget is not None:
            mask &= g_draw <= budget
        if model:
            mask &= g_model == models.get(model, -1)
        if fits is not None:
            mask &= np.isin(g_model, [models[m] for m in fits if m in models])
        gis = np.flatnonzero(mask)
        if gis.size:
            parts_g.append(np.tile(gis, len(nis)))
            parts_n.append(np.repeat(np.array(nis, dtype=np.int64), gis.size))
    if not parts_g:
        return empty
    gi, ni = np.concatenate(parts_g), np.concatenate(parts_n)
    order = np.lexsort((gi, ni))
    gi, ni = gi[order], ni[order]
    g_lat = np.array([_coord(g.lat) for g in groups])
    g_lon = np.array([_coord(g.lon) for g in groups])
    n_lat = np.array([_coord(n.lat) for n in needs])
    n_lon = np.array([_coord(n.lon) for n in needs])
    km = np.nan_to_num(haversine_km(g_lat[gi], g_lon[gi], n_lat[ni], n_lon[ni]), nan=0.0) * ROAD_FACTOR
    mass = np.array([g.mass_kg for g in groups])[gi]
    transport = mass / 1000 * km * TRUCK_KGCO2E_PER_TKM
    w = np.array([weight(n.priority) for n in needs])[ni]
    bonus = np.array([GRADE_BONUS.get(g.grade, 0.0) for g in groups])[gi]
    cost = -NEED_WEIGHT * w + transport - 0.01 * bonus * w
    return Arcs(gi, ni, transport, cost)


@dataclass
class Solution:
    flows: dict[int, int]  # arc index -> devices
    method: str  # "lp" or "milp" or "greedy"
    optimal: bool
    gap: float
    lp_bound: float | None = None  # objective bound from the LP relaxation over every arc
    objective: float | None = None


def greedy(groups: list[Group], needs: list[Need], arcs: Sequence[Arc]) -> Solution:
    """The spreadsheet way: by priority, each need takes the nearest compatible stock."""
    a = Arcs.of(arcs)
    left = [g.count for g in groups]
    order = np.lexsort((np.arange(len(a)), a.transport, a.need))  # per need, nearest first
    need_sorted = a.need[order]
    bounds = np.searchsorted(need_sorted, np.arange(len(needs) + 1))
    flows: dict[int, int] = {}
    site_vendor: dict[int, str] = {}
    budget_left: dict[int, float] = {}
    for ni in sorted(range(len(needs)), key=lambda i: (needs[i].priority, needs[i].site, needs[i].need_class)):
        n = needs[ni]
        want = n.count
        for arc in order[bounds[ni] : bounds[ni + 1]].tolist():
            gi = int(a.group[arc])
            g = groups[gi]
            if want == 0:
                break
            if site_vendor.setdefault(n.site_id, g.vendor) != g.vendor:
                continue
            take = min(want, left[gi])
            if n.poe_budget_w is not None and g.draw_w > 0:
                room = budget_left.setdefault(n.site_id, n.poe_budget_w)
                take = min(take, int(room // g.draw_w))
                budget_left[n.site_id] = room - take * g.draw_w
            if take > 0:
                flows[arc] = flows.get(arc, 0) + take
                left[gi] -= take
                want -= take
    return Solution(flows, "greedy", False, 0.0)


def _highs() -> Any:
    return highs_model()


@dataclass
class _Rows:
    """The rows shared by the LP and the MILP: supply, demand, PoE budgets (per site)."""

    upper: np.ndarray
    group_row: np.ndarray  # per group: its supply row, or -1 when not in this model
    need_row: np.ndarray  # per need: its demand row, or -1
    budget_row: np.ndarray  # per need: its site's budget row, or -1
    draw: np.ndarray  # per group


def _rows(groups: list[Group], needs: list[Need], g_sel: np.ndarray, n_sel: np.ndarray) -> _Rows:
    """Rows for the groups ``g_sel`` and the needs ``n_sel`` (sorted indices)."""
    group_row = np.full(len(groups), -1, dtype=np.int64)
    group_row[g_sel] = np.arange(len(g_sel))
    need_row = np.full(len(needs), -1, dtype=np.int64)
    need_row[n_sel] = len(g_sel) + np.arange(len(n_sel))
    uppers = [float(groups[k].count) for k in g_sel.tolist()] + [float(needs[k].count) for k in n_sel.tolist()]
    budget_of: dict[int, int] = {}
    budget_row = np.full(len(needs), -1, dtype=np.int64)
    for ni in n_sel.tolist():
        n = needs[ni]
        if n.poe_budget_w is not None:
            if n.site_id not in budget_of:
                budget_of[n.site_id] = len(uppers)
                uppers.append(float(n.poe_budget_w))
            budget_row[ni] = budget_of[n.site_id]
    draw = np.array([g.draw_w for g in groups], dtype=float)
    return _Rows(np.array(uppers), group_row, need_row, budget_row, draw)


def _arc_columns(rows: _Rows, arcs: Arcs, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSC (starts, row indices, values) of the arc columns ``idx``: supply, demand, budget."""
    g, n = arcs.group[idx], arcs.need[idx]
    brow = rows.budget_row[n]
    has_b = brow >= 0
    per_col = 2 + has_b.astype(np.int64)
    starts = np.zeros(len(idx) + 1, dtype=np.int64)
    np.cumsum(per_col, out=starts[1:])
    index = np.empty(starts[-1], dtype=np.int64)
    value = np.ones(starts[-1], dtype=float)
    index[starts[:-1]] = rows.group_row[g]
    index[starts[:-1] + 1] = rows.need_row[n]
    pos = starts[:-1][has_b] + 2
    index[pos] = brow[has_b]
    value[pos] = rows.draw[g[has_b]]
    return starts, index, value


def _arc_upper(groups: list[Group], needs: list[Need], arcs: Arcs, idx: np.ndarray) -> np.ndarray:
    g_count = np.array([g.count for g in groups], dtype=float)
    n_count = np.array([n.count for n in needs], dtype=float)
    return np.minimum(g_count[arcs.group[idx]], n_count[arcs.need[idx]])


def components(groups: list[Group], needs: list[Need], arcs: Arcs) -> np.ndarray:
    """Per arc, the label of its connected part (groups and needs linked by arcs, needs of a
    site with a PoE budget linked together): parts share no row, so they solve apart."""
    n_g = len(groups)
    label = np.arange(n_g + len(needs))
    # Needs of one site with a budget share its budget row.
    site_first: dict[int, int] = {}
    for ni, n in enumerate(needs):
        if n.poe_budget_w is not None:
            label[n_g + ni] = n_g + site_first.setdefault(n.site_id, ni)
    u, v = arcs.group, n_g + arcs.need
    while True:  # propagate the smallest label along arcs until nothing changes
        before = label.copy()
        m = np.minimum(label[u], label[v])
        np.minimum.at(label, u, m)
        np.minimum.at(label, v, m)
        label = label[label]  # jump along chains (budget links, earlier rounds)
        if np.array_equal(label, before):
            return label[u]


@dataclass
class Duals:
    """Row duals of an LP, spread over every group and need (0 where a row was absent)."""

    group: np.ndarray
    need: np.ndarray
    budget: np.ndarray  # per need: its site's budget row dual


def solve_lp(
    groups: list[Group], needs: list[Need], arcs: Arcs, rel_gap: float = 0.0, max_rounds: int = 0,
    duals: Duals | None = None,
) -> tuple[dict[int, int], bool, float, float]:
    """The LP over every arc, part by part, by column generation.

    Returns (flows, proven optimal, objective, lower bound). The bound is the dual
    objective of the last duals over every arc, valid at any round; with ``rel_gap`` > 0
    a part stops once its objective is that close to its bound, with ``max_rounds`` after
    that many solves. ``duals``, when given, receives the last duals.
    """
    labels = components(groups, needs, arcs)
    # The greedy plan's arcs seed the first solve: with them every stock is already in reach.
    seed = np.zeros(len(arcs), dtype=bool)
    seed[list(greedy(groups, needs, arcs).flows)] = True
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    flows: dict[int, int] = {}
    optimal, objective, bound = True, 0.0, 0.0
    for part in np.split(order, cuts):
        f, ok, obj, low = _colgen(groups, needs, arcs, np.sort(part), rel_gap, seed, max_rounds, duals)
        flows.update(f)
        optimal &= ok
        objective += obj
        bound += low
    return dict(sorted(flows.items())), optimal, objective, bound


def _colgen(
    groups: list[Group], needs: list[Need], arcs: Arcs, idx: np.ndarray, rel_gap: float, seed: np.ndarray,
    max_rounds: int, duals: Duals | None,
) -> tuple[dict[int, int], bool, float, float]:
    import highspy

    rows = _rows(groups, needs, np.unique(arcs.group[idx]), np.unique(arcs.need[idx]))
    cost, need = arcs.cost[idx], arcs.need[idx]
    # Start: each need's cheapest arcs, and each group's cheapest arcs until they could take
    # its stock twice over, so that no stock is out of reach of the first solve.
    order = np.lexsort((cost, need))
    first = np.searchsorted(need[order], need[order], side="left")
    start = order[np.arange(len(idx)) - first < START_ARCS_PER_NEED]
    group = arcs.group[idx]
    order = np.lexsort((cost, group))
    g_sorted = group[order]
    room = np.array([n.count for n in needs], dtype=float)[need[order]]
    cum = np.cumsum(room)
    before = cum - room - (cum - room)[np.searchsorted(g_sorted, g_sorted, side="left")]
    stock = np.array([g.count for g in groups], dtype=float)[g_sorted]
    local = np.unique(np.concatenate([start, order[before < 2 * stock], np.flatnonzero(seed[idx])]))
    in_model = np.zeros(len(idx), dtype=bool)
    in_model[local] = True
    h = _highs()
    h.setOptionValue("presolve", "off")  # re-solves start from the last basis
    h.setOptionValue("simplex_strategy", 4)  # primal: the basis stays feasible when columns are added
    # The need weights (~10^4 per device) dwarf transport (~10^-1): tight tolerances keep the latter exact.
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
    n_rows = len(rows.upper)
    h.addRows(n_rows, np.full(n_rows, -highspy.kHighsInf), rows.upper, 0, np.zeros(n_rows, np.int32),
              np.zeros(0, np.int32), np.zeros(0))  # fmt: skip
    tol = 1e-9 * max(1.0, float(np.abs(cost).max()))
    g_rows, n_rows_ = rows.group_row[arcs.group[idx]], rows.need_row[need]
    b_rows = rows.budget_row[need]
    has_b = b_rows >= 0
    draw = rows.draw[arcs.group[idx]]
    upper = _arc_upper(groups, needs, arcs, idx)
    cols, added = local, local
    optimal = False
    bound = -math.inf
    rounds = 0
    dual = np.zeros(n_rows)
    while True:
        rounds += 1
        starts, index, value = _arc_columns(rows, arcs, idx[added])
        h.addCols(len(added), cost[added], np.zeros(len(added)), upper[added],
                  len(index), starts[:-1].astype(np.int32), index.astype(np.int32), value)  # fmt: skip
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        dual = np.asarray(h.getSolution().row_dual)
        rc = cost - dual[g_rows] - dual[n_rows_]
        if has_b.any():
            rc[has_b] -= draw[has_b] * dual[b_rows[has_b]]
        # Dual objective with these duals over every arc: a lower bound at any round.
        bound = max(bound, float(rows.upper @ dual + upper @ np.minimum(rc, 0.0)))
        cand = np.flatnonzero(~in_model & (rc < -tol))
        if cand.size == 0:
            optimal = True
            break
        obj = float(h.getInfo().objective_function_value)
        if (rel_gap and obj - bound <= rel_gap * abs(bound)) or (max_rounds and rounds >= max_rounds):
            break
        # Per need, its few most negative arcs: columns that pull in different directions.
        by = np.lexsort((rc[cand], need[cand]))
        c_need = need[cand][by]
        rank_c = np.arange(len(by)) - np.searchsorted(c_need, c_need, side="left")
        cand = np.sort(cand[by[rank_c < ADD_PER_NEED]])
        in_model[cand] = True
        cols = np.concatenate([cols, cand])
        added = cand
    if duals is not None:
        g_sel, n_sel = np.unique(arcs.group[idx]), np.unique(need)
        duals.group[g_sel] = dual[rows.group_row[g_sel]]
        duals.need[n_sel] = dual[rows.need_row[n_sel]]
        b = rows.budget_row[n_sel]
        duals.budget[n_sel[b >= 0]] = dual[b[b >= 0]]
    values = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
    used = np.flatnonzero(values > 0)
    obj = float(h.getInfo().objective_function_value)
    return {int(idx[cols[k]]): int(values[k]) for k in used}, optimal, obj, obj if optimal else bound


def dual_bound(groups: list[Group], needs: list[Need], arcs: Arcs, d: Duals) -> float:
    """A lower bound on the LP over ``arcs`` from any duals (all <= 0): the dual objective with
    each arc's bound dual set to min(0, reduced cost). No optimality needed for it to hold."""
    g_count = np.array([g.count for g in groups], dtype=float)
    n_count = np.array([n.count for n in needs], dtype=float)
    draw = np.array([g.draw_w for g in groups], dtype=float)
    u, v, b = np.minimum(d.group, 0.0), np.minimum(d.need, 0.0), np.minimum(d.budget, 0.0)
    rc = arcs.cost - u[arcs.group] - v[arcs.need] - draw[arcs.group] * b[arcs.need]
    budget_term = 0.0
    seen: set[int] = set()
    for ni, n in enumerate(needs):
        if n.poe_budget_w is not None and n.site_id not in seen:
            seen.add(n.site_id)
            budget_term += float(n.poe_budget_w) * float(b[ni])
    upper = _arc_upper(groups, needs, arcs, np.arange(len(arcs)))
    return float(g_count @ u + n_count @ v + budget_term + upper @ np.minimum(rc, 0.0))


def solve(groups: list[Group], needs: list[Need], arcs: Sequence[Arc], time_limit: float = 60.0) -> Solution:
    """The optimal allocation with HiGHS (LP when the problem is a pure transportation one)."""
    a = Arcs.of(arcs)
    if not len(a):
        return Solution({}, "lp", True, 0.0)
    site = np.array([n.site_id for n in needs], dtype=np.int64)
    g_vendor, _ = _codes([g.vendor for g in groups])
    pairs = np.unique(np.stack([site[a.need], g_vendor[a.group]], axis=1), axis=0)
    sites, per_site = np.unique(pairs[:, 0], return_counts=True)
    open_sites = set(sites[per_site > 1].tolist())
    budgets = any(n.poe_budget_w is not None for n in needs)
    if not open_sites and not budgets:
        flows, optimal, obj, _ = solve_lp(groups, needs, a)
        return Solution(flows, "lp", optimal, 0.0, obj, obj)
    if len(a) <= FULL_MILP_MAX_ARCS:
        return _milp(groups, needs, a, np.arange(len(a)), open_sites, time_limit, None, None)
    return _large_milp(groups, needs, a, open_sites, g_vendor, time_limit)


def _large_milp(groups: list[Group], needs: list[Need], a: Arcs, open_sites: set[int], g_vendor: np.ndarray,
                time_limit: float) -> Solution:  # fmt: skip
    """Relax (LP bound over every arc), round (each open site takes the vendor its LP flow
    favours, then the LP with vendors fixed, integral), then the MILP over the arcs that
    matter from that start, in the time left. The gap is to the LP bound."""
    started = time.perf_counter()
    lp_flows, _, _, bound = solve_lp(groups, needs, a, rel_gap=RELAXATION_GAP)
    site = np.array([n.site_id for n in needs], dtype=np.int64)
    flow_by: dict[tuple[int, int], int] = {}
    for k, f in lp_flows.items():
        key = (int(site[a.need[k]]), int(g_vendor[a.group[k]]))
        flow_by[key] = flow_by.get(key, 0) + f
    cheapest = np.lexsort((a.cost, a.need))
    first_arc = cheapest[np.r_[0, np.flatnonzero(np.diff(a.need[cheapest])) + 1]]
    # Per open site, the vendor with the most LP flow (ties: the first); without flow, its cheapest arc's.
    chosen: dict[int, int] = {}
    for k in first_arc.tolist():
        chosen.setdefault(int(site[a.need[k]]), int(g_vendor[a.group[k]]))
    best: dict[int, tuple[int, int]] = {}
    for (s_, v), f in sorted(flow_by.items()):
        if f > best.get(s_, (0, -1))[0]:
            best[s_] = (f, v)
    for s_, (_, v) in best.items():
        chosen[s_] = v
    arc_site = site[a.need]
    sites_u, inv = np.unique(arc_site, return_inverse=True)
    want = np.array([chosen.get(int(x), -1) for x in sites_u.tolist()], dtype=np.int64)[inv]
    is_open = np.isin(arc_site, np.fromiter(open_sites, dtype=np.int64, count=len(open_sites)))
    fixed_idx = np.flatnonzero(~is_open | (g_vendor[a.group] == want))
    sub = Arcs(a.group[fixed_idx], a.need[fixed_idx], a.transport[fixed_idx], a.cost[fixed_idx])
    duals = Duals(np.zeros(len(groups)), np.zeros(len(needs)), np.zeros(len(needs)))
    f_flows, _, f_obj, _ = solve_lp(groups, needs, sub, duals=duals)
    # The fixed problem's duals, priced over every arc (other vendors too), bound the relaxation.
    bound = max(bound, dual_bound(groups, needs, a, duals))
    start = {int(fixed_idx[k]): f for k, f in f_flows.items()}
    gap = max(0.0, (f_obj - bound) / max(abs(bound), 1e-9))
    result = Solution(dict(sorted(start.items())), "milp", gap <= 1e-6, gap, bound, f_obj)
    left = time_limit - (time.perf_counter() - started)
    if gap <= POLISH_ABOVE_GAP or left < 5:
        return result
    # The MILP over the arcs that matter: the start's, the LP's, each need's cheapest per vendor.
    keep = np.zeros(len(a), dtype=bool)
    keep[list(start)] = True
    keep[list(lp_flows)] = True
    order = np.lexsort((a.cost, g_vendor[a.group], a.need))
    key = a.need[order] * (int(g_vendor.max()) + 1) + g_vendor[a.group[order]]
    first = np.searchsorted(key, key, side="left")
    keep[order[(np.arange(len(a)) - first) < MILP_ARCS_PER_NEED_VENDOR]] = True
    polished = _milp(groups, needs, a, np.flatnonzero(keep), open_sites, left, bound, start)
    return polished if (polished.objective or 0.0) < f_obj - 1e-9 else result


def _milp(groups: list[Group], needs: list[Need], arcs: Arcs, idx: np.ndarray, open_sites: set[int],
          time_limit: float, bound: float | None, start: dict[int, int] | None) -> Solution:  # fmt: skip
    """One vendor per open site (binaries), PoE budgets as rows, over the arcs ``idx``."""
    import highspy

    rows = _rows(groups, needs, np.arange(len(groups)), np.arange(len(needs)))
    starts, index, value = _arc_columns(rows, arcs, idx)
    n_x = len(idx)
    site = np.array([n.site_id for n in needs], dtype=np.int64)
    vendor_names = sorted({g.vendor for g in groups})
    g_vendor = np.array([vendor_names.index(g.vendor) for g in groups], dtype=np.int64)
    uppers = list(rows.upper)
    # y(site, vendor) columns; per site a row sum(y) <= 1; per (need, vendor) a row sum(x) - count * y <= 0.
    x_site, x_vendor, x_need = site[arcs.need[idx]], g_vendor[arcs.group[idx]], arcs.need[idx]
    is_open = np.isin(x_site, np.fromiter(open_sites, dtype=np.int64, count=len(open_sites)))
    y_col: dict[tuple[int, int], int] = {}
    choose_row: dict[int, int] = {}
    link_row: dict[tuple[int, int], int] = {}
    extra_x_rows = np.full(n_x, -1, dtype=np.int64)
    y_entries: list[tuple[int, int, float]] = []  # (y column, row, value)
    for k in np.flatnonzero(is_open):
        s, v, n = int(x_site[k]), int(x_vendor[k]), int(x_need[k])
        if (s, v) not in y_col:
            y_col[(s, v)] = n_x + len(y_col)
            if s not in choose_row:
                choose_row[s] = len(uppers)
                uppers.append(1.0)
            y_entries.append((y_col[(s, v)], choose_row[s], 1.0))
        if (n, v) not in link_row:
            link_row[(n, v)] = len(uppers)
            uppers.append(0.0)
            y_entries.append((y_col[(s, v)], link_row[(n, v)], -float(needs[n].count)))
        extra_x_rows[k] = link_row[(n, v)]
    # Columns: x (with their link row when open), then y.
    has_l = extra_x_rows >= 0
    per_col = np.diff(starts) + has_l
    x_starts = np.zeros(n_x + 1, dtype=np.int64)
    np.cumsum(per_col, out=x_starts[1:])
    x_index = np.empty(x_starts[-1], dtype=np.int64)
    x_value = np.empty(x_starts[-1], dtype=float)
    base = np.repeat(x_starts[:-1] - starts[:-1], np.diff(starts))
    x_index[np.arange(len(index)) + base] = index
    x_value[np.arange(len(index)) + base] = value
    x_index[x_starts[1:][has_l] - 1] = extra_x_rows[has_l]
    x_value[x_starts[1:][has_l] - 1] = 1.0
    y_entries.sort()
    y_starts = [0] * (len(y_col) + 1)
    for col, _, _ in y_entries:
        y_starts[col - n_x + 1] += 1
    y_starts = list(np.cumsum(y_starts))
    n_cols = n_x + len(y_col)
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(uppers)
    lp.col_cost_ = np.concatenate([arcs.cost[idx], np.zeros(len(y_col))])
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.concatenate([_arc_upper(groups, needs, arcs, idx), np.ones(len(y_col))])
    lp.row_lower_ = np.full(len(uppers), -highspy.kHighsInf)
    lp.row_upper_ = np.array(uppers, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([x_starts, x_starts[-1] + np.array(y_starts[1:], dtype=np.int64)]).astype(
        np.int32
    )
    lp.a_matrix_.index_ = np.concatenate([x_index, np.array([r for _, r, _ in y_entries], dtype=np.int64)]).astype(
        np.int32
    )
    lp.a_matrix_.value_ = np.concatenate([x_value, np.array([v for _, _, v in y_entries], dtype=float)])
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    h = _highs()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.passModel(lp)
    if start:  # a feasible start: its flows, and y = 1 where they use a vendor
        x0 = np.zeros(n_cols)
        pos = np.full(len(arcs), -1, dtype=np.int64)
        pos[idx] = np.arange(n_x)
        for k, f in start.items():
            x0[pos[k]] = f
            if is_open[pos[k]]:
                x0[y_col[(int(x_site[pos[k]]), int(x_vendor[pos[k]]))]] = 1.0
        sol = highspy.HighsSolution()
        sol.col_value = x0.tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    values = np.asarray(h.getSolution().col_value)
    if len(values) < n_x:  # no feasible point found in time: nothing placed (never happens: x = 0 is one)
        values = np.zeros(n_cols)
    flows_arr = np.rint(values[:n_x]).astype(np.int64)
    used = np.flatnonzero(flows_arr > 0)
    flows = {int(idx[k]): int(flows_arr[k]) for k in used}
    objective = float(arcs.cost[idx][used] @ flows_arr[used]) if used.size else 0.0
    info = h.getInfo()
    if bound is None:  # the whole problem: HiGHS's own proven gap
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 1.0
        return Solution(dict(sorted(flows.items())), "milp", status == highspy.HighsModelStatus.kOptimal,
                        max(0.0, gap), float(info.mip_dual_bound), objective)  # fmt: skip
    gap = max(0.0, (objective - bound) / max(abs(bound), 1e-9))
    return Solution(dict(sorted(flows.items())), "milp", gap <= 1e-6, gap, bound, objective)

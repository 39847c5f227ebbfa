"""A site design from plain values: floors, the models it may place, the requirements.

``design(floors, choices, requirements)`` predicts, places, assigns models (those in
stock first) and plans channels; it returns a ``Design`` whose ``as_dict`` is what the
CLI's ``--json`` and the stored design carry. Nothing here touches the database.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reemploi.design import channels as chan
from reemploi.design.engine import CLIENT_HEIGHT_M, FloorWalls, Links, floor_walls, links, predict, reach_m
from reemploi.design.grid import FloorGrid, candidates, floor_grid
from reemploi.design.materials import Material, default_materials
from reemploi.design.placement import Placement, Problem, place
from reemploi.design.plan import Area, Floor
from reemploi.design.propagation import BAND_GHZ, BANDS, P1238, PathLossModel
from reemploi.errors import InvalidInput

DEFAULT_MODEL = P1238["p1238-office-nlos"]
# The EIRP a design sets by default, per band, before the model's and the regulation's caps:
# close to what clients send back (a phone transmits about 15-18 dBm), so that links are
# symmetric, and lower at 2.4 GHz where three or four channels must be re-used.
DESIGN_EIRP_DBM = {"2.4": 14.0, "5": 18.0, "6": 18.0}
DEFAULT_PEOPLE_PER_AP = 25.0


@dataclass(frozen=True)
class ApChoice:
    """A model the design may place: its EIRP per band (already capped), how many are in stock."""

    model: str
    eirp_dbm: dict[str, float]
    stock: int | None  # None: bought new, no limit
    reused: bool = True


@dataclass
class Requirements:
    band: str = "5"
    target_dbm: float = -67.0
    coverage_share: float = 0.95
    secondary_share: float | None = None
    grid_m: float = 1.0
    spacing_m: float = 3.0
    mount_height_m: float = 3.0
    people_per_ap: dict[str, float] = field(default_factory=dict)  # per environment
    time_limit_s: float = 45.0
    mip_gap: float = 0.005
    min_separation_m: float = 6.0  # two APs of a floor never closer (co-channel and client balance)
    naive_area_per_ap_m2: float = 190.0

    def as_dict(self) -> dict[str, Any]:
        return {"band": self.band, "target_dbm": self.target_dbm, "coverage_share": self.coverage_share,
                "secondary_share": self.secondary_share, "grid_m": self.grid_m, "spacing_m": self.spacing_m,
                "mount_height_m": self.mount_height_m, "people_per_ap": dict(sorted(self.people_per_ap.items())),
                "min_separation_m": self.min_separation_m,
                "naive_area_per_ap_m2": self.naive_area_per_ap_m2}  # fmt: skip


@dataclass
class DesignAp:
    name: str
    floor: int
    x: float
    y: float
    z: float  # above the floor
    model: str
    reused: bool
    eirp_dbm: dict[str, float]
    channel: dict[str, int] = field(default_factory=dict)
    outdoor: bool = False


@dataclass
class Design:
    floors: list[Floor]
    aps: list[DesignAp]
    model: PathLossModel
    requirements: Requirements
    placement: Placement
    coverage_share: list[float]  # per floor, at the target on the design band
    coverage_total: float
    capacity_min: int
    coverage_min: int
    naive: dict[str, Any]
    co_channel: dict[str, list[tuple[str, str, float]]]
    materials: dict[str, Material]
    seconds: float
    warnings: list[dict[str, Any]] = field(default_factory=list)
    existing: dict[str, Any] | None = None  # the APs the plans already carry (an imported design)
    outdoor: dict[str, Any] | None = None  # the outdoor areas' own placement, when the site has some
    secondary_share: float | None = None  # share reached by a second AP too, when asked

    @property
    def driver(self) -> str:
        """What decided the count of the main scope (indoor, or outdoor for a site that only has outdoor areas)."""
        indoor = [a for a in self.aps if not a.outdoor]
        return "capacity" if self.capacity_min >= len(indoor or self.aps) else "coverage"

    def as_dict(self) -> dict[str, Any]:
        req = self.requirements
        floors_out = []
        for i, f in enumerate(self.floors):
            aps = [
                {"name": a.name, "x_m": round(a.x, 2), "y_m": round(a.y, 2), "z_m": round(a.z, 2), "model": a.model,
                 "reused": a.reused, "band": band, "eirp_dbm": eirp, "channel": a.channel.get(band),
                 "outdoor": a.outdoor}
                for a in self.aps if a.floor == i for band, eirp in sorted(a.eirp_dbm.items())
            ]  # fmt: skip
            walls = [{"x1": round(w.x1, 3), "y1": round(w.y1, 3), "x2": round(w.x2, 3), "y2": round(w.y2, 3),
                      "material": w.material, "loss_db": dict(self.materials[w.material].loss_db)}
                     for w in f.walls]  # fmt: skip
            floors_out.append({"floor": f.name, "elevation_m": f.elevation_m, "height_m": f.height_m,
                               "coverage_share": round(self.coverage_share[i], 4),
                               "aps_total": len({a.name for a in self.aps if a.floor == i}), "aps": aps,
                               "walls": walls})  # fmt: skip
        p = self.placement
        return {
            "aps_total": len(self.aps),
            "indoor_aps": sum(not a.outdoor for a in self.aps),
            "outdoor_aps": sum(a.outdoor for a in self.aps),
            "outdoor": self.outdoor,
            "target_dbm": req.target_dbm,
            "band": req.band,
            "coverage_share": round(self.coverage_total, 4),
            "secondary_share": None if self.secondary_share is None else round(self.secondary_share, 4),
            "driver": self.driver,
            "coverage_min": self.coverage_min,
            "capacity_min": self.capacity_min,
            "model": {"name": self.model.name, "alpha": self.model.alpha, "beta": self.model.beta,
                      "gamma": self.model.gamma, "frequency_ghz": _band_ghz(req.band),
                      "floor_loss_db": self.model.floor_loss_db},  # fmt: skip
            "requirements": req.as_dict(),
            "solver": _solver(p, req),
            "naive_grid": self.naive,
            "existing": self.existing,
            "models": _model_counts(self.aps),
            "co_channel": {b: [{"a": a, "b": b2, "dbm": round(lv, 1)} for a, b2, lv in pairs]
                           for b, pairs in self.co_channel.items()},  # fmt: skip
            "warnings": self.warnings,
            "floors": floors_out,
        }


def _band_ghz(band: str) -> float:
    from reemploi.design.propagation import BAND_GHZ

    return BAND_GHZ[band]


def _model_counts(aps: list[DesignAp]) -> list[dict[str, Any]]:
    counts: dict[tuple[str, bool], int] = {}
    for a in aps:
        counts[(a.model, a.reused)] = counts.get((a.model, a.reused), 0) + 1
    return [{"model": m, "reused": r, "count": n} for (m, r), n in sorted(counts.items())]


@dataclass
class _Pass:
    """One scope's placement (indoor zones, or outdoor areas)."""

    aps: list[DesignAp]
    placement: Placement
    shares: list[float]
    total: float
    capacity_min: int
    coverage_min: int
    naive: dict[str, Any]
    existing: dict[str, Any] | None
    warnings: list[dict[str, Any]]
    secondary: float | None = None  # share reached by a second AP too, when asked


def scope_view(floors: list[Floor], outdoor: bool) -> list[Floor] | None:
    """The floors as one scope sees them: indoor zones only, or outdoor ones only (None: nothing to design).

    A floor without zones is indoors as a whole; a floor whose zones all belong to the
    other scope is left out of this one (its grid and candidates are empty).
    """
    out = []
    found = False
    for f in floors:
        zones = f.zones()
        mine = [z for z in zones if (z.environment == "outdoor") == outdoor]
        if zones and not mine or (not zones and outdoor):
            xmin, ymin, xmax, ymax = f.bounds()
            hidden = Area("-", "out_of_scope", [(xmin - 1, ymin - 1), (xmax + 1, ymin - 1), (xmax + 1, ymax + 1),
                                                (xmin - 1, ymax + 1)])  # fmt: skip
            out.append(Floor(f.name, f.elevation_m, f.height_m, f.walls, [hidden], []))
            continue
        found = True
        others = [a for a in f.areas if a.role != "zone"]
        out.append(Floor(f.name, f.elevation_m, f.height_m, f.walls, mine + others, f.aps))
    return out if found else None


def design(floors: list[Floor], choices: list[ApChoice], req: Requirements, model: PathLossModel = DEFAULT_MODEL,
           materials: dict[str, Material] | None = None,
           outdoor_choices: list[ApChoice] | None = None) -> Design:  # fmt: skip
    """Indoor zones with ``choices``; outdoor areas (zones of environment ``outdoor``) with ``outdoor_choices``."""
    t0 = time.perf_counter()
    if not floors:
        raise InvalidInput("design_no_floors")
    if req.band not in BANDS:
        raise InvalidInput("design_bad_band", band=req.band, bands=", ".join(BANDS))
    materials = materials or default_materials()
    floors = sorted(floors, key=lambda f: f.elevation_m)
    walls = [floor_walls(f, req.band, materials) for f in floors]
    indoor_view, outdoor_view = scope_view(floors, False), scope_view(floors, True)
    warnings: list[dict[str, Any]] = []
    inner = _place_scope(indoor_view, choices, req, model, walls, "AP") if indoor_view else None
    outer = None
    if outdoor_view is not None:
        if outdoor_choices:
            outer = _place_scope(outdoor_view, outdoor_choices, req, model, walls, "OUT")
        else:
            warnings.append({"code": "design_no_outdoor_model"})
    main = inner or outer
    if main is None:
        raise InvalidInput("design_no_candidates")
    aps = (inner.aps if inner else []) + (outer.aps if outer else [])
    for a in outer.aps if outer else []:
        a.outdoor = True
    co = _channels(floors, walls, aps, model)
    for part in (inner, outer):
        if part:
            warnings += part.warnings
    d = Design(floors, aps, model, req, main.placement, main.shares, main.total, main.capacity_min,
               main.coverage_min, main.naive, co, materials, time.perf_counter() - t0, warnings,
               main.existing)  # fmt: skip
    d.secondary_share = main.secondary
    if inner and outer:
        d.outdoor = {"aps_total": len(outer.aps), "coverage_share": round(outer.total, 4),
                     "coverage_min": outer.coverage_min, "capacity_min": outer.capacity_min,
                     "driver": "capacity" if outer.capacity_min >= len(outer.aps) else "coverage",
                     "solver": _solver(outer.placement, req)}  # fmt: skip
    return d


def _solver(p: Placement, req: Requirements) -> dict[str, Any]:
    return {"method": p.method, "optimal": p.optimal, "gap": round(p.gap, 6), "bound": p.bound,
            "seconds": round(p.seconds, 3), "coverable_share": round(p.coverable_share, 4),
            "share_target": round(p.share_target, 4), "grid_m": max(req.grid_m, req.spacing_m)}  # fmt: skip


def _place_scope(floors: list[Floor], choices: list[ApChoice], req: Requirements, model: PathLossModel,
                 walls: list[FloorWalls], tag: str) -> _Pass | None:  # fmt: skip
    usable = [c for c in choices if req.band in c.eirp_dbm]
    if not usable:
        raise InvalidInput("design_no_model", band=req.band)
    # Every AP placed must meet the target whichever model it turns out to be: the weakest EIRP.
    eirp = min(c.eirp_dbm[req.band] for c in usable)
    allowed = eirp - req.target_dbm
    grids = [floor_grid(i, f, req.grid_m) for i, f in enumerate(floors)]
    # The optimiser's demand points are on a coarser lattice (the candidates' spacing): the same
    # placement problem at a fraction of its size; coverage is then checked on the fine grid.
    opt_step = max(req.grid_m, req.spacing_m)
    opt_grids = [floor_grid(i, f, opt_step) for i, f in enumerate(floors)]
    cand_floor, cand_xyz, cand_zone = _candidates(floors, grids, req)
    if len(cand_xyz) == 0:
        raise InvalidInput("design_no_candidates")
    lk = links(floors, opt_grids, walls, cand_floor, cand_xyz, req.band, model, allowed)
    n_points = sum(len(g.points) for g in opt_grids)
    zone_min, capacity_total = _capacity(floors, grids, cand_floor, cand_xyz, cand_zone, req)
    share = req.coverage_share
    started = time.perf_counter()
    conflicts = conflict_pairs(cand_floor, cand_xyz, req.min_separation_m)
    warnings: list[dict[str, Any]] = []
    for _ in range(3):  # raise the coarse target while the fine grid falls short of the requirement
        left = max(5.0, req.time_limit_s - (time.perf_counter() - started))
        problem = Problem(n_points, len(cand_xyz), lk, allowed, share, req.secondary_share, zone_min, conflicts,
                          cand_xyz[:, :2])  # fmt: skip
        placement = place(problem, time_limit=left, mip_gap=req.mip_gap)
        if placement.method == "infeasible":  # more APs asked in a room than fit apart: let them be closer
            warnings.append({"code": "design_separation_relaxed", "separation": req.min_separation_m})
            conflicts = np.zeros((0, 2), dtype=np.int64)
            problem = Problem(n_points, len(cand_xyz), lk, allowed, share, req.secondary_share, zone_min, conflicts,
                              cand_xyz[:, :2])  # fmt: skip
            placement = place(problem, time_limit=left, mip_gap=req.mip_gap)
        chosen = placement.chosen
        aps = _assign_models(floors, cand_floor[chosen], cand_xyz[chosen], usable, req, tag)
        shares, total = _coverage(floors, grids, walls, aps, req, model)
        if total >= req.coverage_share - 1e-9 or share >= placement.coverable_share or share >= 1.0:
            break
        share = min(1.0, share + (req.coverage_share - total) + 0.005)
    if total < req.coverage_share - 1e-9:
        # The coarse lattice cannot see what the fine grid misses: add the candidates that cover the
        # most uncovered fine points until the requirement holds (or nothing more can be covered).
        # Only the candidates within reach of an uncovered point can help: their links alone are computed.
        _, covered, _ = _covered(floors, grids, walls, aps, req, model)
        radius = reach_m(allowed, BAND_GHZ[req.band], model)
        offsets = np.concatenate([[0], np.cumsum([len(g.points) for g in grids])])
        useful = np.zeros(len(cand_xyz), dtype=bool)
        for i, g in enumerate(grids):
            gaps = g.points[~covered[offsets[i] : offsets[i + 1]]]
            on = np.flatnonzero(cand_floor == i)
            if len(gaps) and len(on):
                d = np.hypot(cand_xyz[on, None, 0] - gaps[None, :, 0], cand_xyz[on, None, 1] - gaps[None, :, 1])
                useful[on[d.min(axis=1) <= radius]] = True
        subset = np.flatnonzero(useful & ~np.isin(np.arange(len(cand_xyz)), chosen))
        fine = links(floors, grids, walls, cand_floor[subset], cand_xyz[subset], req.band, model, allowed)
        reachable = covered.copy()
        for pts in fine.point:
            reachable[pts] = True
        placement.coverable_share = float(reachable.mean()) if len(reachable) else 1.0
        added = _repair(covered, fine, min(req.coverage_share, placement.coverable_share))
        chosen = np.array(sorted({*map(int, chosen), *(int(subset[k]) for k in added)}), dtype=np.int64)
        if len(chosen) > len(placement.chosen):
            placement.chosen, placement.method = chosen, placement.method + "+repair"
            aps = _assign_models(floors, cand_floor[chosen], cand_xyz[chosen], usable, req, tag)
            shares, total = _coverage(floors, grids, walls, aps, req, model)
    placement.share_target = min(req.coverage_share, placement.coverable_share)
    if placement.coverable_share < req.coverage_share - 1e-9:
        warnings.append({"code": "design_target_unreachable", "coverable": round(placement.coverable_share, 4),
                         "target": req.coverage_share})  # fmt: skip
    elif total < req.coverage_share - 1e-9:
        warnings.append({"code": "design_target_missed", "share": round(total, 4), "target": req.coverage_share})
    naive = _naive(floors, grids, walls, req, model, eirp)
    existing = _existing(floors, grids, walls, req, model, eirp)
    secondary = None
    if req.secondary_share is not None:
        _, _, two = _covered(floors, grids, walls, aps, req, model, level=2)
        secondary = float(two.mean()) if len(two) else 1.0
        if secondary < req.secondary_share - 1e-9:
            warnings.append({"code": "design_secondary_missed", "share": round(secondary, 4),
                             "target": req.secondary_share})  # fmt: skip
    coverage_only = place(Problem(n_points, len(cand_xyz), lk, allowed, share, req.secondary_share),
                          time_limit=5.0, mip_gap=0.05) if zone_min else placement  # fmt: skip
    return _Pass(aps, placement, shares, total, capacity_total, len(coverage_only.chosen), naive, existing, warnings,
                 secondary)


def conflict_pairs(cand_floor: np.ndarray, cand_xyz: np.ndarray, separation: float) -> np.ndarray:
    """Pairs of candidates of one floor closer than ``separation`` (m): at most one AP of each pair."""
    if separation <= 0 or len(cand_xyz) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = []
    cell = separation
    for f in np.unique(cand_floor):
        idx = np.flatnonzero(cand_floor == f)
        xy = cand_xyz[idx, :2]
        keys = np.floor(xy / cell).astype(np.int64)
        buckets: dict[tuple[int, int], list[int]] = {}
        for k, (i, j) in enumerate(keys):
            buckets.setdefault((int(i), int(j)), []).append(k)
        for (i, j), members in buckets.items():
            near = [m for di in (-1, 0, 1) for dj in (-1, 0, 1) for m in buckets.get((i + di, j + dj), [])]
            a = np.array(members)
            b = np.array(near)
            d = np.hypot(xy[a][:, None, 0] - xy[b][None, :, 0], xy[a][:, None, 1] - xy[b][None, :, 1])
            ia, ib = np.nonzero((d < separation - 1e-9) & (a[:, None] < b[None, :]))
            pairs.append(np.column_stack([idx[a[ia]], idx[b[ib]]]))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)


def _repair(covered: np.ndarray, fine: Links, share: float) -> list[int]:
    """Candidates of ``fine`` to add, the most newly covered fine points first, until ``share`` is covered."""
    covered = covered.copy()
    picked: list[int] = []
    n = len(covered)
    while covered.sum() < share * n - 1e-9:
        gains = [(int((~covered[pts]).sum()), -k) for k, pts in enumerate(fine.point) if k not in picked]
        if not gains:
            break
        gain, neg = max(gains)
        if gain <= 0:
            break
        picked.append(-neg)
        covered[fine.point[-neg]] = True
    return picked


def _candidates(floors: list[Floor], grids: list[FloorGrid], req: Requirements) -> tuple[np.ndarray, np.ndarray,
                                                                                        np.ndarray]:  # fmt: skip
    fl, xyz, zone = [], [], []
    from reemploi.design.grid import scope_mask

    for i, f in enumerate(floors):
        c = candidates(f, req.spacing_m)
        if len(c) == 0:
            continue
        z = min(req.mount_height_m, max(f.height_m - 0.3, CLIENT_HEIGHT_M + 0.5))
        fl.append(np.full(len(c), i))
        xyz.append(np.column_stack([c, np.full(len(c), f.elevation_m + z)]))
        zone.append(scope_mask(f, c)[1])
    if not xyz:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 3)), np.zeros(0, dtype=np.int64)
    return np.concatenate(fl), np.concatenate(xyz), np.concatenate(zone)


def _capacity(floors: list[Floor], grids: list[FloorGrid], cand_floor: np.ndarray, cand_xyz: np.ndarray,
              cand_zone: np.ndarray, req: Requirements) -> tuple[dict[int, tuple[np.ndarray, int]], int]:  # fmt: skip
    """Per zone with occupants: the candidates inside it (nearest its centre first) and the APs it needs."""
    out: dict[int, tuple[np.ndarray, int]] = {}
    total = 0
    key = 0
    for i, f in enumerate(floors):
        for zi, z in enumerate(f.zones()):
            key += 1
            if not z.occupants:
                continue
            per_ap = req.people_per_ap.get(z.environment or "", DEFAULT_PEOPLE_PER_AP)
            k = math.ceil(z.occupants / per_ap - 1e-9) if per_ap > 0 else 0
            if k <= 0:
                continue
            total += k
            inside = np.flatnonzero((cand_floor == i) & (cand_zone == zi))
            if len(inside) == 0:
                continue
            centre = np.mean(np.asarray(z.polygon), axis=0)
            order = np.argsort(np.hypot(cand_xyz[inside, 0] - centre[0], cand_xyz[inside, 1] - centre[1]))
            out[key] = (inside[order], k)
    return out, total


def _assign_models(floors: list[Floor], cand_floor: np.ndarray, cand_xyz: np.ndarray, choices: list[ApChoice],
                   req: Requirements, tag: str = "AP") -> list[DesignAp]:  # fmt: skip
    """Models for the positions: those in stock first (most stock first), then the one to buy."""
    left = {c.model: (c.stock if c.stock is not None else math.inf) for c in choices}
    order = sorted(choices, key=lambda c: (not c.reused, -(c.stock or 0) if c.stock is not None else 0, c.model))
    aps = []
    per_floor: dict[int, int] = {}
    idx = np.lexsort((cand_xyz[:, 0], cand_xyz[:, 1], cand_floor))
    for k in idx:
        fi = int(cand_floor[k])
        choice = next((c for c in order if left[c.model] >= 1), order[-1])
        left[choice.model] -= 1
        per_floor[fi] = per_floor.get(fi, 0) + 1
        name = f"{floors[fi].name}-{tag}{per_floor[fi]:02d}"
        aps.append(DesignAp(name, fi, float(cand_xyz[k, 0]), float(cand_xyz[k, 1]),
                            float(cand_xyz[k, 2] - floors[fi].elevation_m), choice.model, choice.reused,
                            dict(sorted(choice.eirp_dbm.items()))))  # fmt: skip
    return aps


def ap_tuples(floors: list[Floor], aps: list[DesignAp], band: str) -> list[tuple[int, float, float, float, float]]:
    return [(a.floor, a.x, a.y, floors[a.floor].elevation_m + a.z, a.eirp_dbm[band]) for a in aps
            if band in a.eirp_dbm]  # fmt: skip


def _coverage(floors: list[Floor], grids: list[FloorGrid], walls: list[FloorWalls], aps: list[DesignAp],
              req: Requirements, model: PathLossModel) -> tuple[list[float], float]:  # fmt: skip
    shares, covered, _ = _covered(floors, grids, walls, aps, req, model)
    return shares, (float(covered.mean()) if len(covered) else 1.0)


def _covered(floors: list[Floor], grids: list[FloorGrid], walls: list[FloorWalls], aps: list[DesignAp],
             req: Requirements, model: PathLossModel,
             level: int = 1) -> tuple[list[float], np.ndarray, np.ndarray]:  # fmt: skip
    """Per floor the share at the target; per fine point (all floors, in order) whether it is covered,
    and whether ``level`` APs (2: secondary coverage) reach it."""
    tuples = ap_tuples(floors, aps, req.band)
    shares: list[float] = []
    masks: list[np.ndarray] = []
    masks2: list[np.ndarray] = []
    for i, g in enumerate(grids):
        if len(g.points) == 0:
            shares.append(1.0)
            continue
        if not tuples:
            shares.append(0.0)
            masks.append(np.zeros(len(g.points), dtype=bool))
            masks2.append(np.zeros(len(g.points), dtype=bool))
            continue
        rssi = predict(floors, walls, i, g.points, tuples, req.band, model, min_dbm=req.target_dbm)
        hits = (rssi >= req.target_dbm).sum(axis=1)
        masks.append(hits >= 1)
        masks2.append(hits >= level)
        shares.append(float(masks[-1].mean()))
    empty = np.zeros(0, dtype=bool)
    return shares, (np.concatenate(masks) if masks else empty), (np.concatenate(masks2) if masks2 else empty)


def _channels(floors: list[Floor], walls: list[FloorWalls], aps: list[DesignAp],
              model: PathLossModel) -> dict[str, list[tuple[str, str, float]]]:  # fmt: skip
    out: dict[str, list[tuple[str, str, float]]] = {}
    bands = sorted({b for a in aps for b in a.eirp_dbm})
    for band in bands:
        members = [a for a in aps if band in a.eirp_dbm]
        tuples = ap_tuples(floors, members, band)
        n = len(members)
        hear = np.full((n, n), -math.inf)
        for i in range(len(floors)):
            on = [j for j, a in enumerate(members) if a.floor == i]
            if not on:
                continue
            pts = np.array([[members[j].x, members[j].y] for j in on])
            rssi = predict(floors, walls, i, pts, tuples, band, model, point_height_m=members[on[0]].z,
                           min_dbm=chan.CCA_DBM)
            hear[on, :] = rssi
        chosen, pairs = chan.plan_channels(hear, band, outdoor=np.array([a.outdoor for a in members], dtype=bool))
        for a, ch in zip(members, chosen, strict=True):
            a.channel[band] = ch
        out[band] = [(members[i].name, members[j].name, lv) for i, j, lv in pairs]
    return out


def _existing(floors: list[Floor], grids: list[FloorGrid], walls: list[FloorWalls], req: Requirements,
              model: PathLossModel, eirp: float) -> dict[str, Any] | None:  # fmt: skip
    """The APs already on the plans (an Ekahau design, say), predicted with the same model and power."""
    tuples = [(i, a.x, a.y, f.elevation_m + (a.z if a.z is not None else req.mount_height_m), eirp)
              for i, f in enumerate(floors) for a in f.aps]  # fmt: skip
    if not tuples:
        return None
    return {"aps_total": len(tuples), "coverage_share": round(_share(floors, grids, walls, tuples, req, model), 4)}


def _share(floors: list[Floor], grids: list[FloorGrid], walls: list[FloorWalls],
           tuples: list[tuple[int, float, float, float, float]], req: Requirements,
           model: PathLossModel) -> float:  # fmt: skip
    hit = total = 0
    for i, g in enumerate(grids):
        if len(g.points) == 0 or not tuples:
            total += len(g.points)
            continue
        best = predict(floors, walls, i, g.points, tuples, req.band, model, min_dbm=req.target_dbm).max(axis=1)
        hit += int((best >= req.target_dbm).sum())
        total += len(g.points)
    return hit / total if total else 1.0


def _naive(floors: list[Floor], grids: list[FloorGrid], walls: list[FloorWalls], req: Requirements,
           model: PathLossModel, eirp: float) -> dict[str, Any]:  # fmt: skip
    """The rule of thumb drawn on the plan: a square grid of one AP per ``naive_area_per_ap_m2``."""
    spacing = math.sqrt(req.naive_area_per_ap_m2)
    tuples = []
    for i, f in enumerate(floors):
        c = candidates(f, spacing)
        z = min(req.mount_height_m, max(f.height_m - 0.3, CLIENT_HEIGHT_M + 0.5))
        tuples += [(i, float(x), float(y), f.elevation_m + z, eirp) for x, y in c]
    return {"aps_total": len(tuples), "coverage_share": round(_share(floors, grids, walls, tuples, req, model), 4),
            "area_per_ap_m2": req.naive_area_per_ap_m2}  # fmt: skip

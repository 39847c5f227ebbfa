"""The avoided-emissions method (docs/methodology.md), deterministic and under Monte Carlo.

Per redeployed device d of model m and kind k:

    avoided_d = E_m * min(1, L2_d / Lnew_k)                          embodied of the new equivalent
              - kWh_bench * grid - parts_kg_d * F_parts - packaging   refurbishment
              - mass_m / 1000 * (km_collect + km_deliver) * road * F_tkm   transport
              - dW_k * 8.76 * L2_d * grid                              use-phase difference

Every term is linear in per-device sums, so devices are folded into groups of the same
model and second-life duration first; the draws then cost groups x draws, whatever the
fleet size. Factors of one correlation group share their quantile in each draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reemploi.geo import great_circle_km
from reemploi.impact.factors import Factor, FactorSet
from reemploi.impact.ledger import DeviceRow, Ledger

METHOD_VERSION = "1.0"
TERMS = ("embodied", "refurbishment", "parts", "packaging", "transport", "use_phase")
KIND_GROUP = {"indoor_ap": "ap", "outdoor_ap": "ap", "switch": "switch"}
KWH_PER_W_YEAR = 8.76  # 8,760 h / 1,000
QUALITY_ORDER = ("measured", "published", "datasheet", "proxy", "estimate")


@dataclass
class Figure:
    """A figure as users see it: central value, percentiles, unit and where it came from."""

    value: float
    p5: float
    p50: float
    p95: float
    unit: str
    factors: list[str] = field(default_factory=list)
    quality: str = "measured"

    @classmethod
    def of(cls, value: float, draws: np.ndarray, unit: str, factors: list[Factor], scale: float = 1.0) -> Figure:
        p5, p50, p95 = (float(x) for x in np.percentile(draws, [5, 50, 95]))
        worst = max((f.quality for f in factors), key=QUALITY_ORDER.index, default="measured")
        return cls(
            value=round(value * scale, 9), p5=round(p5 * scale, 9), p50=round(p50 * scale, 9),
            p95=round(p95 * scale, 9), unit=unit, factors=sorted({f.key for f in factors}), quality=worst,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "p5": self.p5, "p50": self.p50, "p95": self.p95, "unit": self.unit,
                "quality": self.quality, "factors": self.factors}  # fmt: skip


@dataclass
class Groups:
    """Devices folded by (model, second-life years): sums the terms need."""

    model: list[str]
    kind: list[str]
    n: np.ndarray
    life: np.ndarray  # second-life years of the group's devices
    km: np.ndarray  # great-circle km of the legs with known ends
    fallback_legs: np.ndarray  # legs with an unknown end
    parts_kg: np.ndarray


def fold(ledger: Ledger) -> Groups:
    """Routes folded further by (model, second-life years): the sums each term needs."""
    index: dict[tuple[str, float], int] = {}
    codes = np.empty(len(ledger), dtype=np.int64)
    keys: list[tuple[str, str, float]] = []
    for i, (model, kind, life) in enumerate(zip(ledger.model, ledger.kind, ledger.second_life_years, strict=True)):
        k = (model, round(float(life), 6))
        g = index.get(k)
        if g is None:
            g = index[k] = len(keys)
            keys.append((model, kind, k[1]))
        codes[i] = g
    size = len(keys)
    legs = np.stack([ledger.km_collect, ledger.km_deliver]) if len(ledger) else np.zeros((2, 0))
    known = np.where(np.isnan(legs), 0.0, legs).sum(axis=0) * ledger.n
    unknown = np.isnan(legs).sum(axis=0) * ledger.n
    return Groups(
        model=[k[0] for k in keys], kind=[k[1] for k in keys],
        n=np.bincount(codes, weights=ledger.n, minlength=size), life=np.array([k[2] for k in keys], dtype=float),
        km=np.bincount(codes, weights=known, minlength=size),
        fallback_legs=np.bincount(codes, weights=unknown, minlength=size),
        parts_kg=np.bincount(codes, weights=ledger.parts_kg, minlength=size),
    )  # fmt: skip


@dataclass
class Used:
    """The factors a computation uses, per group and globally."""

    embodied: list[Factor]
    mass: list[Factor]
    life_new: list[Factor]
    extra_w: list[Factor]
    grid: Factor
    bench_kwh: Factor
    parts: Factor
    packaging: Factor
    tkm: Factor
    road: Factor
    fallback_km: Factor
    defaulted: list[str]  # models that took their kind's default

    def all(self) -> list[Factor]:
        seen: dict[str, Factor] = {}
        for f in [*self.embodied, *self.mass, *self.life_new, *self.extra_w, self.grid, self.bench_kwh,
                  self.parts, self.packaging, self.tkm, self.road, self.fallback_km]:  # fmt: skip
            seen[f.key] = f
        return [seen[k] for k in sorted(seen)]

    def by_term(self) -> dict[str, list[Factor]]:
        return {
            "embodied": [*self.embodied, *self.life_new],
            "refurbishment": [self.bench_kwh, self.grid],
            "parts": [self.parts],
            "packaging": [self.packaging],
            "transport": [*self.mass, self.tkm, self.road, self.fallback_km],
            "use_phase": [*self.extra_w, self.grid],
        }


def select_factors(fs: FactorSet, groups: Groups) -> Used:
    defaulted: set[str] = set()
    emb, mass = [], []
    for model, kind in zip(groups.model, groups.kind, strict=True):
        e, d1 = fs.for_model("embodied", model, kind)
        m, d2 = fs.for_model("mass", model, kind)
        emb.append(e)
        mass.append(m)
        if d1 or d2:
            defaulted.add(model)
    return Used(
        embodied=emb, mass=mass,
        life_new=[fs.require(f"life.new_years.{k}") for k in groups.kind],
        extra_w=[fs.require(f"use.extra_power_w.{k}") for k in groups.kind],
        grid=fs.require("grid.FR"), bench_kwh=fs.require("refurb.bench_kwh"), parts=fs.require("parts.kgco2e_per_kg"),
        packaging=fs.require("packaging.kgco2e_per_unit"), tkm=fs.require("transport.road_tkm"),
        road=fs.require("transport.road_factor"), fallback_km=fs.require("transport.fallback_km"),
        defaulted=sorted(defaulted),
    )  # fmt: skip


Values = dict[str, Any]  # factor key -> scalar or array of draws


def evaluate(groups: Groups, used: Used, v: Values) -> dict[str, list[Any]]:
    """Each term per group (kgCO2e), for the given factor values (scalars or draw arrays)."""
    out: dict[str, list[Any]] = {t: [] for t in TERMS}
    grid, kwh = v[used.grid.key], v[used.bench_kwh.key]
    for g in range(len(groups.n)):
        n, life = groups.n[g], groups.life[g]
        ratio = np.minimum(1.0, life / v[used.life_new[g].key])
        out["embodied"].append(n * v[used.embodied[g].key] * ratio)
        out["refurbishment"].append(n * kwh * grid)
        out["parts"].append(groups.parts_kg[g] * v[used.parts.key])
        out["packaging"].append(n * v[used.packaging.key])
        road_km = groups.km[g] * v[used.road.key] + groups.fallback_legs[g] * v[used.fallback_km.key]
        out["transport"].append(v[used.mass[g].key] / 1000.0 * road_km * v[used.tkm.key])
        out["use_phase"].append(v[used.extra_w[g].key] * KWH_PER_W_YEAR * n * life * grid)
    return out


def total(terms: dict[str, list[Any]], term: str, select: list[int] | None = None) -> Any:
    """One term summed over the groups (or those in ``select``)."""
    items = terms[term] if select is None else [terms[term][i] for i in select]
    return sum(items, start=0.0)


def net(terms: dict[str, list[Any]], select: list[int] | None = None) -> Any:
    return total(terms, "embodied", select) - sum((total(terms, t, select) for t in TERMS[1:]), start=0.0)


def central(used: Used) -> Values:
    return {f.key: f.value for f in used.all()}


def drivers(used: Used) -> list[str]:
    return sorted({f.driver for f in used.all() if f.uncertain})


def draw(used: Used, n_draws: int, seed: int) -> tuple[Values, np.ndarray, list[str]]:
    """Seeded draws: one uniform column per driver, mapped through each factor's inverse CDF."""
    names = drivers(used)
    u = np.random.default_rng(seed).random((n_draws, len(names)))
    col = {d: i for i, d in enumerate(names)}
    values: Values = {}
    for f in used.all():
        values[f.key] = f.ppf(u[:, col[f.driver]]) if f.uncertain else np.full(n_draws, f.value)
    return values, u, names


def at_quantile(used: Used, driver: str, q: float) -> Values:
    v = central(used)
    for f in used.all():
        if f.uncertain and f.driver == driver:
            v[f.key] = f.quantile(q)
    return v


def device_avoided(
    fs: FactorSet, model: str, kind: str, km_collect: float, km_deliver: float, parts_kg: float, life: float
) -> float:
    """One device's avoided kgCO2e at the central factor values (the report's per-device ledger),
    through the same terms as the totals: a group of one."""
    legs = [km_collect, km_deliver]
    one = Groups(
        model=[model], kind=[kind], n=np.array([1.0]), life=np.array([life]),
        km=np.array([sum(x for x in legs if not math.isnan(x))]),
        fallback_legs=np.array([float(sum(math.isnan(x) for x in legs))]), parts_kg=np.array([parts_kg]),
    )  # fmt: skip
    used = select_factors(fs, one)
    return float(net(evaluate(one, used, central(used))))


def per_device(ledger: Ledger, fs: FactorSet) -> list[tuple[DeviceRow, float, float, float]]:
    """Each device of ``ledger.devices`` with its two legs (great-circle km) and avoided kgCO2e."""
    places = ledger.places

    def km(a: str | None, b: str | None) -> float:
        pa, pb = places.get(a or ""), places.get(b or "")
        if not pa or not pb or None in (pa["lat"], pa["lon"], pb["lat"], pb["lon"]):
            return math.nan
        return great_circle_km(pa["lat"], pa["lon"], pb["lat"], pb["lon"])

    out = []
    for d in ledger.devices or []:
        kc, kd = km(d.venue, d.centre), km(d.centre, d.site)
        out.append((d, kc, kd, device_avoided(fs, d.model, d.kind, kc, kd, d.parts_kg, d.second_life_years)))
    return out


def abiotic(groups: Groups, used: Used, fs: FactorSet, sampled: Values, seed: int) -> Figure | None:
    """Abiotic depletion (ADPe) of the manufacturing avoided, in kg Sb eq, when the set has factors.

    Only when every redeployed model has one (``adpe.<MODEL>`` or ``adpe.default.<kind>``):
    a total over some of the devices would read as a total over all of them. Drawn on a
    second seeded stream, with the same draws of the new equipment's life as the carbon.
    """
    factors: list[Factor] = []
    for model, kind in zip(groups.model, groups.kind, strict=True):
        f = fs.get(f"adpe.{model}") or fs.get(f"adpe.default.{kind}")
        if f is None:
            return None
        factors.append(f)
    if not factors:
        return None
    n_draws = len(next(iter(sampled.values())))
    names = sorted({f.driver for f in factors if f.uncertain})
    u = np.random.default_rng([seed, 1]).random((n_draws, len(names)))
    col = {d: i for i, d in enumerate(names)}
    central_total, draws = 0.0, np.zeros(n_draws)
    for g, f in enumerate(factors):
        life_new = used.life_new[g]
        central_total += groups.n[g] * f.value * min(1.0, groups.life[g] / life_new.value)
        values = f.ppf(u[:, col[f.driver]]) if f.uncertain else np.full(n_draws, f.value)
        draws += groups.n[g] * values * np.minimum(1.0, groups.life[g] / sampled[life_new.key])
    return Figure.of(central_total, draws, factors[0].unit.split("/")[0], [*factors, *used.life_new])

"""Impact use case: the indicators and avoided emissions of a fleet, with their uncertainty.

``compute(session)`` reads the ledger, applies the method under the central factor values
and under a seeded Monte Carlo, runs the sensitivity analysis and returns one plain
result that the CLI prints, the report draws and the API serves. Same database, factor
file, seed and draws: same result, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

import reemploi
from reemploi.errors import InvalidInput
from reemploi.impact import factors as factor_sets
from reemploi.impact import ledger as ledgers
from reemploi.impact.factors import FactorSet
from reemploi.impact.ledger import REDEPLOYED, RELEASED, Ledger
from reemploi.impact.method import (
    KIND_GROUP,
    METHOD_VERSION,
    TERMS,
    Figure,
    abiotic,
    at_quantile,
    central,
    draw,
    evaluate,
    fold,
    net,
    select_factors,
    total,
)
from reemploi.settings import service as settings

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 2024
MIN_DRAWS, MAX_DRAWS = 1_000, 1_000_000
KIND_GROUPS = ("ap", "switch")


@dataclass
class ImpactResult:
    data: dict[str, Any]
    ledger: Ledger
    factor_set: FactorSet


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 6) if b else None


def indicators(led: Ledger, fs: FactorSet, targets: dict[str, float]) -> dict[str, Any]:
    """Counts and reuse rates per kind group, by count and by mass (central masses)."""
    counts: dict[str, dict[str, float]] = {g: {} for g in KIND_GROUPS}
    masses: dict[str, dict[str, float]] = {g: {} for g in KIND_GROUPS}
    for state, kinds in led.fleet.items():
        for kind, models in kinds.items():
            g = KIND_GROUP.get(kind)
            if g is None:
                continue
            for model, n in models.items():
                kg = fs.for_model("mass", model, kind)[0].value * n
                counts[g][state] = counts[g].get(state, 0) + n
                masses[g][state] = masses[g].get(state, 0.0) + kg
    rates: dict[str, Any] = {}
    flow: dict[str, Any] = {}
    for g in KIND_GROUPS:
        c, m = counts[g], masses[g]
        fleet = sum(c.values())
        taken = fleet - c.get("deployed", 0)
        taken_kg = sum(m.values()) - m.get("deployed", 0.0)
        redeployed = sum(c.get(s, 0) for s in REDEPLOYED)
        released = sum(c.get(s, 0) for s in RELEASED)
        rate = _ratio(redeployed, taken)
        rates[g] = {
            "count": rate,
            "mass": _ratio(sum(m.get(s, 0.0) for s in REDEPLOYED), taken_kg),
            "released": _ratio(released, taken),
            "target": targets[g],
            "met": rate is not None and rate >= targets[g],
            "redeployed": redeployed,
            "taken_down": taken,
        }
        kinds = [k for k, grp in KIND_GROUP.items() if grp == g]
        flow[g] = {
            "fleet": fleet,
            "collected": taken - sum(led.lost_at_takedown.get(k, 0) for k in kinds),
            "tested": sum(led.tested.get(k, 0) for k in kinds),
            "ready": sum(c.get(s, 0) for s in ("ready", "reserved", "shipped")),
            "installed": redeployed,
            "recycled": c.get("recycled", 0),
            "to_recycle": c.get("to_recycle", 0),
            "harvested": c.get("harvested", 0),
            "lost": c.get("lost", 0),
            "lost_at_takedown": sum(led.lost_at_takedown.get(k, 0) for k in kinds),
            "awaiting_test": sum(c.get(s, 0) for s in ("collected", "in_transit", "received")),
            "at_bench": sum(c.get(s, 0) for s in ("tested", "in_repair", "sanitized")),
            "recycled_kg": round(sum(led.recycled_kg.get(k, 0.0) for k in kinds), 6),
            "redeployed_kg": round(sum(m.get(s, 0.0) for s in REDEPLOYED), 6),
            "taken_down_kg": round(taken_kg, 6),
        }  # fmt: skip
    return {"reuse_rate": rates, "flow": flow}


def compute(
    session: Session,
    *,
    factors: str | Path | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    with_devices: bool = False,
) -> ImpactResult:
    if not MIN_DRAWS <= draws <= MAX_DRAWS:
        raise InvalidInput("impact_draws", value=draws, low=MIN_DRAWS, high=MAX_DRAWS)
    fs = factor_sets.load(factors)
    led = ledgers.read(session, with_devices=with_devices)
    return compute_from(led, fs, draws=draws, seed=seed, settings_values=_settings(session))


def _settings(session: Session) -> dict[str, float]:
    return {k: settings.get(session, k) for k in ("target_reuse_ap", "target_reuse_switch", "attribution_source_share")}


def compute_from(
    led: Ledger, fs: FactorSet, *, draws: int, seed: int, settings_values: dict[str, float]
) -> ImpactResult:
    groups = fold(led)
    used = select_factors(fs, groups)
    by_term = used.by_term()
    nominal = evaluate(groups, used, central(used))
    sampled, u, driver_names = draw(used, draws, seed)
    mc = evaluate(groups, used, sampled)
    zeros = np.zeros(draws)

    figures: dict[str, Any] = {}
    for t in TERMS:
        figures[t] = Figure.of(float(total(nominal, t)), total(mc, t) + zeros, "tCO2e", by_term[t],
                               scale=0.001).as_dict()  # fmt: skip
    all_used = used.all()
    net_nominal = float(net(nominal))
    net_mc = net(mc) + zeros
    net_fig = Figure.of(net_nominal, net_mc, "tCO2e", all_used, scale=0.001)
    by_kind: dict[str, Any] = {}
    for g in KIND_GROUPS:
        sel = [i for i, k in enumerate(groups.kind) if KIND_GROUP.get(k) == g]
        by_kind[g] = {
            "devices": int(sum(groups.n[i] for i in sel)),
            "net_avoided_tco2e": Figure.of(float(net(nominal, sel)), net(mc, sel) + zeros, "tCO2e", all_used,
                                           scale=0.001).as_dict(),
        }  # fmt: skip
    # E-waste deferred: the mass of the redeployed devices, which reuse keeps out of the waste stream.
    mass_nominal = float(sum(groups.n[g] * used.mass[g].value for g in range(len(groups.n))))
    mass_mc = sum((groups.n[g] * sampled[used.mass[g].key] for g in range(len(groups.n))), start=zeros)
    ewaste = Figure.of(mass_nominal, mass_mc, "kg", used.mass)
    adpe = abiotic(groups, used, fs, sampled, seed)
    # Sensitivity: one driver at its P5 then P95, the others central; and rank correlation.
    ranks_net = np.argsort(np.argsort(net_mc))
    sensitivity = []
    for j, name in enumerate(driver_names):
        low = float(net(evaluate(groups, used, at_quantile(used, name, 0.05)))) / 1000
        high = float(net(evaluate(groups, used, at_quantile(used, name, 0.95)))) / 1000
        rho = float(np.corrcoef(np.argsort(np.argsort(u[:, j])), ranks_net)[0, 1]) if draws > 1 else 0.0
        sensitivity.append({"driver": name, "low": round(low, 6), "high": round(high, 6),
                            "swing": round(abs(high - low), 6), "rank_correlation": round(rho, 4)})  # fmt: skip
    sensitivity.sort(key=lambda s: (-s["swing"], s["driver"]))
    targets = {"ap": settings_values["target_reuse_ap"], "switch": settings_values["target_reuse_switch"]}
    ind = indicators(led, fs, targets)
    share = settings_values["attribution_source_share"]
    life_total = float((led.second_life_years * led.n).sum())
    stamp = {
        "software": reemploi.__version__,
        "method_version": METHOD_VERSION,
        "factor_set": fs.stamp(),
        "draws": draws,
        "seed": seed,
    }
    input_hash = led.input_hash({"settings": settings_values})
    data = {
        "reuse_rate": ind["reuse_rate"],
        "flow": ind["flow"],
        "net_avoided_tco2e": net_fig.as_dict(),
        "terms_tco2e": figures,
        "by_kind": by_kind,
        "ewaste_avoided_kg": ewaste.as_dict(),
        "lifetime_extension": {
            "device_years": round(life_total, 6),
            "years_per_device": round(life_total / led.redeployed, 6) if led.redeployed else None,
            "horizon_years": led.horizon_years,
        },
        "attribution": {
            "source_share": share,
            "source_tco2e": round(net_fig.value * share, 9),
            "destination_tco2e": round(net_fig.value * (1 - share), 9),
        },
        # None unless the factor set has ADPe factors for every model (the shipped one has none)
        "abiotic_depletion": adpe.as_dict() if adpe else None,
        "redeployed_devices": led.redeployed,
        "defaulted_models": used.defaulted,
        "fallback_legs": int(groups.fallback_legs.sum()),
        "sensitivity": sensitivity,
        "factors_used": [f.as_dict() for f in all_used],
        "factor_set": f"{fs.name} {fs.version}",
        "method_version": METHOD_VERSION,
        "input_hash": input_hash,
        "stamp": stamp | {"input_hash": input_hash},
    }
    return ImpactResult(data=data, ledger=led, factor_set=fs)

"""Factor sets: versioned data files of impact factors, each with its distribution and source.

A factor set is a TOML file with a ``[meta]`` table (name, version) and ``[[factor]]``
entries. Every factor carries a central value (used for the deterministic figure), a
distribution over which the Monte Carlo draws, a source, a year and a data-quality flag.
Factors sharing a ``group`` rest on the same evidence: they are drawn together (one
quantile per draw), so that their errors add up instead of cancelling out.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np

from reemploi.errors import InvalidInput, ReemploiError

DISTRIBUTIONS = ("fixed", "uniform", "triangular", "lognormal")
QUALITIES = ("measured", "published", "datasheet", "proxy", "estimate")
REQUIRED = ("key", "value", "unit", "distribution", "source", "year", "quality")
DEFAULT_FILE = "data/factors-default.toml"
# A lognormal's low and high are its 5th and 95th percentiles.
_Z95 = NormalDist().inv_cdf(0.95)


@dataclass(frozen=True)
class Factor:
    key: str
    value: float
    unit: str
    distribution: str
    low: float
    high: float
    source: str
    year: int
    quality: str
    group: str = ""
    note: str = ""

    @property
    def uncertain(self) -> bool:
        return self.distribution != "fixed" and self.low < self.high

    @property
    def driver(self) -> str:
        """What the sensitivity analysis varies: the correlation group, or the factor alone."""
        return self.group or self.key

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at quantiles ``u`` (inverse CDF), so that grouped factors share their draws."""
        if not self.uncertain:
            return np.full(u.shape, self.value, dtype=float)
        a, b, c = self.low, self.high, self.value
        if self.distribution == "uniform":
            return a + u * (b - a)
        if self.distribution == "triangular":
            f = (c - a) / (b - a)
            left = a + np.sqrt(u * (b - a) * (c - a))
            right = b - np.sqrt((1 - u) * (b - a) * (b - c))
            return np.where(u < f, left, right)
        # lognormal: median = value, low/high = P5/P95 (sigma from the wider side)
        sigma = max(math.log(c / a), math.log(b / c)) / _Z95
        z = np.array([NormalDist().inv_cdf(float(x)) for x in np.clip(u, 1e-12, 1 - 1e-12)])
        return c * np.exp(sigma * z)

    def quantile(self, q: float) -> float:
        return float(self.ppf(np.array([q]))[0])

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "value": self.value, "unit": self.unit, "distribution": self.distribution,
            "low": self.low, "high": self.high, "source": self.source, "year": self.year,
            "quality": self.quality, "group": self.group, "note": self.note,
        }  # fmt: skip


@dataclass
class FactorSet:
    name: str
    version: str
    description: str
    path: str
    digest: str  # sha256 of the file's bytes: any change to the file changes the stamp
    factors: dict[str, Factor] = field(default_factory=dict)

    def get(self, key: str) -> Factor | None:
        return self.factors.get(key)

    def require(self, key: str) -> Factor:
        f = self.factors.get(key)
        if f is None:
            raise ReemploiError("factor_missing", key=key, set=self.label)
        return f

    def for_model(self, prefix: str, model: str, kind: str) -> tuple[Factor, bool]:
        """The model's own factor, else the kind's default (second item: True if defaulted)."""
        own = self.factors.get(f"{prefix}.{model}")
        if own is not None:
            return own, False
        return self.require(f"{prefix}.default.{kind}"), True

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    def stamp(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "sha256": self.digest}


@dataclass
class Problem:
    where: str  # "factor 12 (grid.FR)" or "meta"
    field: str
    code: str
    params: dict[str, Any]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _check_factor(i: int, raw: Any, line: int | None = None) -> tuple[Factor | None, list[Problem]]:
    at = f"line {line}, #{i}" if line else f"#{i}"
    if not isinstance(raw, dict):
        return None, [Problem(at, "", "factor_not_table", {})]
    key = str(raw.get("key", "")).strip()
    where = f"{at} ({key})" if key else at
    problems = [Problem(where, name, "factor_field_missing", {}) for name in REQUIRED if name not in raw]
    if problems:
        return None, problems
    value = _number(raw["value"])
    if value is None:
        problems.append(Problem(where, "value", "factor_not_number", {"value": raw["value"]}))
    dist = str(raw["distribution"]).strip().lower()
    if dist not in DISTRIBUTIONS:
        problems.append(Problem(where, "distribution", "factor_bad_choice",
                                {"value": dist, "choices": ", ".join(DISTRIBUTIONS)}))  # fmt: skip
    quality = str(raw["quality"]).strip().lower()
    if quality not in QUALITIES:
        problems.append(Problem(where, "quality", "factor_bad_choice",
                                {"value": quality, "choices": ", ".join(QUALITIES)}))  # fmt: skip
    year = raw["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        problems.append(Problem(where, "year", "factor_bad_year", {"value": year}))
    if not str(raw["source"]).strip():
        problems.append(Problem(where, "source", "factor_field_missing", {}))
    low = high = value
    if dist != "fixed" and dist in DISTRIBUTIONS:
        for name in ("low", "high"):
            if name not in raw:
                problems.append(Problem(where, name, "factor_field_missing", {}))
            elif _number(raw[name]) is None:
                problems.append(Problem(where, name, "factor_not_number", {"value": raw[name]}))
        if not problems:
            low, high = float(raw["low"]), float(raw["high"])
            assert value is not None
            if not low <= value <= high:
                problems.append(Problem(where, "value", "factor_outside_range",
                                        {"value": value, "low": low, "high": high}))  # fmt: skip
            elif dist == "lognormal" and low <= 0:
                problems.append(Problem(where, "low", "factor_lognormal_positive", {"value": low}))
    if problems:
        return None, problems
    assert value is not None and low is not None and high is not None
    return Factor(
        key=key, value=value, unit=str(raw["unit"]).strip(), distribution=dist, low=low, high=high,
        source=str(raw["source"]).strip(), year=int(year), quality=quality,
        group=str(raw.get("group", "")).strip(), note=str(raw.get("note", "")).strip(),
    ), []  # fmt: skip


def parse(data: bytes, path: str) -> tuple[FactorSet | None, list[Problem]]:
    """Parse and check a factor set; returns every problem found, not only the first."""
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem("file", "", "factor_file_encoding", {})]
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem("file", "", "factor_file_syntax", {"error": str(exc)})]
    problems: list[Problem] = []
    meta = doc.get("meta")
    if not isinstance(meta, dict):
        problems.append(Problem("meta", "", "factor_meta_missing", {}))
        meta = {}
    for name in ("name", "version"):
        if not str(meta.get(name, "")).strip():
            problems.append(Problem("meta", name, "factor_field_missing", {}))
    raw_factors = doc.get("factor")
    if not isinstance(raw_factors, list) or not raw_factors:
        problems.append(Problem("file", "factor", "factor_none", {}))
        raw_factors = []
    factors: dict[str, Factor] = {}
    units: dict[str, str] = {}
    text = data.decode("utf-8-sig")
    # Where each [[factor]] table starts, so that problems name a line an editor can go to.
    starts = [n for n, ln in enumerate(text.splitlines(), start=1) if ln.strip().replace(" ", "") == "[[factor]]"]
    keys_seen: dict[str, int] = {}
    for i, raw in enumerate(raw_factors, start=1):
        line = starts[i - 1] if len(starts) == len(raw_factors) else None
        f, found = _check_factor(i, raw, line)
        problems.extend(found)
        key = str(raw.get("key", "")).strip() if isinstance(raw, dict) else ""
        if key and key in keys_seen:
            at = f"line {line}, #{i}" if line else f"#{i}"
            problems.append(Problem(f"{at} ({key})", "key", "factor_duplicate", {"first": keys_seen[key]}))
            continue
        if key:
            keys_seen[key] = i
        if f is None:
            continue
        family = f.key.split(".")[0]
        if family in units and units[family] != f.unit and family in ("embodied", "mass", "life"):
            problems.append(Problem(f"#{i} ({f.key})", "unit", "factor_unit_mismatch",
                                    {"unit": f.unit, "expected": units[family]}))  # fmt: skip
        units.setdefault(family, f.unit)
        factors[f.key] = f
    if problems:
        return None, problems
    fs = FactorSet(
        name=str(meta["name"]).strip(), version=str(meta["version"]).strip(),
        description=str(meta.get("description", "")).strip(), path=path,
        digest=hashlib.sha256(data).hexdigest(), factors=factors,
    )  # fmt: skip
    missing = [k for k in REQUIRED_KEYS if k not in factors]
    if missing:
        return None, [Problem("file", k, "factor_required_key", {}) for k in missing]
    return fs, []


# Factors the method cannot do without (per-model ones fall back to these defaults).
REQUIRED_KEYS = (
    "embodied.default.indoor_ap", "embodied.default.outdoor_ap", "embodied.default.switch",
    "mass.default.indoor_ap", "mass.default.outdoor_ap", "mass.default.switch",
    "life.new_years.indoor_ap", "life.new_years.outdoor_ap", "life.new_years.switch",
    "use.extra_power_w.indoor_ap", "use.extra_power_w.outdoor_ap", "use.extra_power_w.switch",
    "grid.FR", "refurb.bench_kwh", "parts.kgco2e_per_kg", "packaging.kgco2e_per_unit",
    "transport.road_tkm", "transport.road_factor", "transport.fallback_km",
)  # fmt: skip


def load(path: str | Path | None = None) -> FactorSet:
    """The shipped default set, or the file at ``path``; raises on the first problems found."""
    if path is None:
        data = resources.files("reemploi.impact").joinpath(DEFAULT_FILE).read_bytes()
        name = "default"
    else:
        p = Path(path)
        if p.is_dir():
            raise ReemploiError("file_is_dir", file=str(p))
        if not p.exists():
            raise ReemploiError("file_missing", file=str(p))
        data, name = p.read_bytes(), str(p)
    fs, problems = parse(data, name)
    if fs is None:
        raise FactorSetInvalid(name, problems)
    return fs


class FactorSetInvalid(InvalidInput):
    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__("factor_set_invalid", file=file, count=len(problems), where=first.where,
                         field=first.field or "-", first=first.code)  # fmt: skip

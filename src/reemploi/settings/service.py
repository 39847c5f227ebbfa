"""Read and change settings; each has a type, a default and a range."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.errors import ReemploiError
from reemploi.settings.models import Setting


@dataclass(frozen=True)
class Spec:
    default: float
    low: float
    high: float
    help: str


DEFAULTS: dict[str, Spec] = {
    "horizon_years": Spec(5, 0, 30, "second-life horizon: vendor support must cover it for a device to be ready"),
    "box_capacity": Spec(10, 1, 1000, "devices per shipping box"),
    "pallet_capacity": Spec(24, 1, 1000, "boxes per pallet"),
    "target_reuse_ap": Spec(0.90, 0, 1, "reuse-rate target for access points (share of those taken down)"),
    "target_reuse_switch": Spec(0.78, 0, 1, "reuse-rate target for switches (share of those taken down)"),
    "attribution_source_share": Spec(
        0.5, 0, 1, "share of the avoided emissions attributed to the source organisation; the rest to the destination"
    ),
}


def get(session: Session, key: str) -> float:
    spec = DEFAULTS[key]
    raw = session.scalar(select(Setting.value).where(Setting.key == key))
    return float(raw) if raw is not None else spec.default


def set_value(session: Session, key: str, value: str) -> float:
    if key not in DEFAULTS:
        raise ReemploiError("setting_unknown", key=key, keys=", ".join(DEFAULTS))
    spec = DEFAULTS[key]
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise ReemploiError("setting_invalid", key=key, value=value, low=spec.low, high=spec.high) from None
    if not spec.low <= number <= spec.high:
        raise ReemploiError("setting_invalid", key=key, value=value, low=spec.low, high=spec.high)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=str(number)))
    else:
        row.value = str(number)
    session.flush()
    return number


def all_settings(session: Session) -> list[dict[str, Any]]:
    return [{"key": k, "value": get(session, k), "default": s.default, "help": s.help} for k, s in DEFAULTS.items()]

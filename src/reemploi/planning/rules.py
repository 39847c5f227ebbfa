"""Sizing rules: how many APs a zone needs, and why.

N = max(coverage, capacity, clients), per zone (the rule used across vendors, Meraki
high-density guide and others):
- coverage = floors × ceil(area per floor / area per AP of the environment);
- capacity = ceil(occupants × devices per user × Mbps per device / usable Mbps per AP);
- clients  = ceil(occupants / people per AP of the environment) (20-25 people per AP in
  offices, 30-50 seats in auditoriums and canteens: practice, recalibrated against the
  site designs; see docs/planning.md).
Defaults per environment are data (``data/sizing.csv``, with sources); the formulas and
the figures are explained in ``docs/planning.md``.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reemploi.planning.models import Environment, NeedClass

# Usable throughput per AP: about 50 % of the PHY rate (Meraki, Cisco 11ax docs) of a
# 2x2 Wi-Fi 6 radio on a 40 MHz channel at 5 GHz (574 Mbps), with airtime kept under
# 70 %: 574 × 0.5 × 0.7 ≈ 200 Mbps.
USABLE_MBPS_PER_AP = 200.0


@dataclass(frozen=True)
class EnvRule:
    environment: Environment
    area_per_ap_m2: float
    devices_per_user: float
    mbps_per_device: float
    need_class: NeedClass
    people_per_ap: float
    source: str


@cache
def sizing() -> dict[Environment, EnvRule]:
    text = resources.files("reemploi.planning").joinpath("data/sizing.csv").read_text("utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        env = Environment(row["environment"])
        out[env] = EnvRule(
            env, float(row["area_per_ap_m2"]), float(row["devices_per_user"]), float(row["mbps_per_device"]),
            NeedClass(row["class"]), float(row["people_per_ap"]), row["source"],
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class ZoneNeed:
    need_class: NeedClass
    count: int
    coverage: int
    capacity: int
    clients: int
    driver: str  # "coverage", "capacity" or "clients"
    area_m2: float
    area_per_ap_m2: float
    devices: float
    mbps: float
    people_per_ap: float = 0.0


def zone_need(
    environment: Environment,
    area_m2: float,
    occupants: int,
    floors: int = 1,
    devices_per_user: float | None = None,
    mbps_per_device: float | None = None,
) -> ZoneNeed:
    rule = sizing()[environment]
    floors = max(1, floors)
    per_floor = area_m2 / floors
    coverage = floors * math.ceil(per_floor / rule.area_per_ap_m2) if area_m2 > 0 else 0
    dpu = rule.devices_per_user if devices_per_user is None else devices_per_user
    mpd = rule.mbps_per_device if mbps_per_device is None else mbps_per_device
    devices = occupants * dpu
    capacity = math.ceil(devices * mpd / USABLE_MBPS_PER_AP - 1e-9) if devices else 0
    clients = math.ceil(occupants / rule.people_per_ap - 1e-9) if occupants and rule.people_per_ap > 0 else 0
    # Ties go to coverage, then capacity: the cheaper explanation to check on site.
    count, driver = max((coverage, "coverage"), (capacity, "capacity"), (clients, "clients"), key=lambda x: x[0])
    return ZoneNeed(rule.need_class, count, coverage, capacity, clients, driver, area_m2, rule.area_per_ap_m2,
                    devices, devices * mpd, rule.people_per_ap)  # fmt: skip

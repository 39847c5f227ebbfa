"""What an AP may radiate where it is installed: its radios capped by the regulatory domain.

``data/regulatory.csv`` holds the EIRP limits per domain, band and environment (indoor,
outdoor), with their sources; a design sets each AP's power to the lowest of the
model's maximum EIRP, the regulatory cap and the design power asked for.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reemploi.errors import InvalidInput

DATA = Path(__file__).parent / "data" / "regulatory.csv"
# CEPT countries that follow the harmonised EU rules for RLAN (ECC decisions), by ISO code.
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH".split()
)


@dataclass(frozen=True)
class Cap:
    domain: str
    band: str
    environment: str
    max_eirp_dbm: float
    note: str
    source: str


@cache
def caps() -> dict[tuple[str, str, str], Cap]:
    out = {}
    with DATA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            c = Cap(row["country"], row["band"], row["environment"], float(row["max_eirp_dbm"]), row["note"],
                    row["source"])  # fmt: skip
            out[(c.domain, c.band, c.environment)] = c
    return out


def domain_of(country: str) -> str:
    code = country.strip().upper()
    if code in EU_COUNTRIES or code == "EU":
        return "EU"
    raise InvalidInput("regulatory_unknown", country=country, known="EU (" + ", ".join(sorted(EU_COUNTRIES)) + ")")


def cap(country: str, band: str, environment: str) -> Cap:
    key = (domain_of(country), band, environment)
    if key not in caps():
        raise InvalidInput("regulatory_no_band", country=country, band=band, environment=environment)
    return caps()[key]

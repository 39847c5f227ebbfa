"""Per AP model and band: maximum transmit power, antenna gain, spatial streams, antenna.

Data (``data/radios.csv``, one row per model and band, with its quality and source); the
site design reads it as plain values. A model without rows has no known radios: a
design cannot place it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "radios.csv"


@dataclass(frozen=True)
class Radio:
    model: str
    band: str  # "2.4", "5", "6"
    max_tx_dbm: float
    antenna_gain_dbi: float
    spatial_streams: int
    antenna: str  # omni, directional, sector
    quality: str
    source: str

    @property
    def max_eirp_dbm(self) -> float:
        return self.max_tx_dbm + self.antenna_gain_dbi


@cache
def radios() -> dict[str, dict[str, Radio]]:
    """model -> band -> Radio."""
    out: dict[str, dict[str, Radio]] = {}
    with DATA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            r = Radio(row["model"], row["band"], float(row["max_tx_dbm"]), float(row["antenna_gain_dbi"]),
                      int(row["spatial_streams"]), row["antenna"], row["quality"], row["source"])  # fmt: skip
            out.setdefault(r.model, {})[r.band] = r
    return out

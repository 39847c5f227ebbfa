"""Benchmark: impact accounting with 10,000 Monte Carlo draws over 1,000,000 redeployed devices.

    python bench/bench_impact.py [--devices 1000000] [--draws 10000] [--postgres URL]

Target (issue #5): <= 5 s. The fleet is written straight into the tables (devices in
service at 200 sites, collected in lots from 40 venues, received at one centre, with a
repair with parts for one in 20), because the measurement is the accounting, not the
workflow that produced the fleet. Reported: reading the ledger, the Monte Carlo with its
sensitivity, and the total.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import drop_database, fresh_database, machine, peak_rss_mib  # noqa: E402

MODELS = ("C9130AXI", "C9120AXI", "C9136I", "CW9166I", "C9124AXE", "MR46", "AP-535", "C9300-48P")


def populate(url: str, devices: int) -> None:
    from sqlalchemy import select

    from reemploi.catalog.models import EquipmentModel
    from reemploi.db import make_engine, transaction
    from reemploi.db.bulk import bulk_insert
    from reemploi.inventory.models import Device, Location, Lot
    from reemploi.refurb.models import Repair

    rng = random.Random(5)
    now = datetime(2026, 1, 15, tzinfo=UTC)
    engine = make_engine(url)
    with transaction(engine) as s:
        models = {m.model: m.id for m in s.scalars(select(EquipmentModel))}
        venues = list(s.scalars(select(Location).where(Location.kind == "venue")))
        for v in venues:  # spread around Paris
            v.lat, v.lon = 48.85 + rng.uniform(-0.2, 0.2), 2.35 + rng.uniform(-0.3, 0.3)
        s.add(Location(code="CENTRE", name="Centre", name_key="centre", kind="refurb_centre", lat=48.93, lon=2.36))
        s.add_all(Location(code=f"S{i:03d}", name=f"Site {i}", name_key=f"site{i}", kind="site",
                           lat=rng.uniform(43.3, 50.6), lon=rng.uniform(-4.4, 7.7)) for i in range(200))  # fmt: skip
        s.flush()
        sites = [loc.id for loc in s.scalars(select(Location).where(Location.kind == "site"))]
        lots = [Lot(code=f"L{i:06d}", kind="pallet", origin_id=venues[i % len(venues)].id, created_at=now)
                for i in range(devices // 40 + 1)]  # fmt: skip
        s.add_all(lots)
        s.flush()
        lot_ids = [lot.id for lot in lots]
        model_ids = [models[m] for m in MODELS]
        centre = s.scalar(select(Location.id).where(Location.code == "CENTRE"))
        bulk_insert(s, Device.__table__, ("id", "serial", "model_id", "state", "location_id", "lot_id",
                                          "received_at_id", "created_at", "updated_at", "state_since", "version"),
                    ((i + 1, f"FOC{i:09d}", model_ids[i % len(model_ids)], "in_service", sites[i % len(sites)],
                      lot_ids[i // 40], centre, now, now, now, 3) for i in range(devices)))  # fmt: skip
        bulk_insert(s, Repair.__table__, ("device_id", "at", "technician", "action", "parts", "minutes"),
                    ((i + 1, now, "bench", "radio", '[{"part": "antenna", "mass_kg": 0.05}]', 20)
                     for i in range(0, devices, 20)))  # fmt: skip
    engine.dispose()


def run(kind: str, devices: int, draws: int) -> None:
    from sqlalchemy.orm import Session

    from reemploi.db import make_engine
    from reemploi.impact import factors, ledger
    from reemploi.impact.service import _settings, compute_from

    url = fresh_database(kind)
    try:
        t0 = time.perf_counter()
        populate(url, devices)
        setup = time.perf_counter() - t0
        engine = make_engine(url)
        with Session(engine) as s:
            t0 = time.perf_counter()
            fs = factors.load()
            led = ledger.read(s)
            settings = _settings(s)
            read_s = time.perf_counter() - t0
        engine.dispose()
        t0 = time.perf_counter()
        result = compute_from(led, fs, draws=draws, seed=2024, settings_values=settings)
        compute_s = time.perf_counter() - t0
    finally:
        drop_database(url)
    d = result.data
    assert d["redeployed_devices"] == devices, d["redeployed_devices"]
    net = d["net_avoided_tco2e"]
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    total = read_s + compute_s
    verdict = "met" if total <= 5 else "NOT met"
    print(f"{label}: impact of {devices:,} devices x {draws:,} draws in {total:.2f} s "
          f"(ledger read {read_s:.2f} s, Monte Carlo + sensitivity {compute_s:.2f} s; set-up {setup:.1f} s); "
          f"target <= 5 s {verdict}; net {net['value']:,.0f} tCO2e [P5 {net['p5']:,.0f} - P95 {net['p95']:,.0f}]; "
          f"peak RSS {peak_rss_mib():.0f} MiB")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=1_000_000)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--postgres", default=None, help="also run on this server URL")
    a = ap.parse_args()
    print(machine())
    run("sqlite", a.devices, a.draws)
    if a.postgres:
        run(a.postgres, a.devices, a.draws)


if __name__ == "__main__":
    main()

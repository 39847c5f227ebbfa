"""Benchmark: allocation of 100,000 ready devices to 10,000 site-class needs.

    python bench/bench_allocation.py [--devices 100000] [--sites 5000] [--milp-time-limit 60] [--skip-milp]

The stock is written straight into a fresh SQLite database (set-up, not measured):
ready APs of 17 catalog models and 2 grades at 8 stock locations (plus 5 % switches),
5,000 destination sites, each with an indoor and an outdoor zone (10,000 needs).

- LP case: every site names its controller vendor, so the problem is a transportation
  problem (about 450,000 compatible pairs). Target (issue #4): end to end (read the
  database, build, solve, write the plan) <= 10 s, proven optimal. Each site's zones
  carry wired needs (the environments' defaults): its telecom rooms (one per ~1,000 m²,
  about 17,000 in all) get their switches in the same run; target (issue #14) with them:
  <= 15 s end to end.
- MILP case: the same sites but the vendor is left to the optimiser (one per site), the
  stock at 3 locations (about 500,000 pairs). Target: within 1 % of the LP bound (the
  relaxation without the one-vendor rule) in <= 60 s, the gap reported.

Both report the transport saving against the greedy baseline.
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

STOCK = [("Saint-Denis", 48.936, 2.357), ("Lyon", 45.764, 4.836), ("Marseille", 43.297, 5.370),
         ("Toulouse", 43.605, 1.444), ("Nantes", 47.218, -1.554), ("Lille", 50.629, 3.057),
         ("Strasbourg", 48.573, 7.752), ("Bordeaux", 44.838, -0.579)]  # fmt: skip
VENDORS = ("Cisco", "HPE Aruba", "Cisco Meraki")
CLASSES = ("indoor_ap", "outdoor_ap")


def populate(url: str, n_devices: int, n_sites: int, n_stock: int, vendor_open: bool, seed: int = 4) -> None:
    """Ready devices at ``n_stock`` places, sites with one indoor and one outdoor zone."""
    from sqlalchemy import select

    from reemploi.catalog.models import EquipmentModel
    from reemploi.db import make_engine, transaction
    from reemploi.db.bulk import bulk_insert
    from reemploi.inventory.models import Device, Location
    from reemploi.planning.models import Site, Zone

    rng = random.Random(seed)
    engine = make_engine(url)
    now = datetime.now(UTC)
    with transaction(engine) as s:
        models = s.execute(select(EquipmentModel.id, EquipmentModel.kind, EquipmentModel.vendor)).all()
        by = {(v, k): [m for m, k2, v2 in models if (v2, k2) == (v, k)] for v in VENDORS for k in CLASSES}
        switches = [m for m, k, _ in models if k == "switch"]
        stock = []
        for i, (city, lat, lon) in enumerate(STOCK[:n_stock]):
            loc = Location(code=f"STOCK-{i}", name=f"Stock {city}", name_key=f"stock{i}", kind="warehouse",
                           city=city, lat=lat, lon=lon)  # fmt: skip
            s.add(loc)
            stock.append(loc)
        s.flush()
        rows = []
        for i in range(n_devices):
            r = rng.random()
            # 5 % switches; outdoor APs one in six of the APs, as in the needs below.
            if r < 0.05:
                model = rng.choice(switches)
            else:  # vendors alike, as the sites' controllers below; outdoor APs one in seven
                model = rng.choice(by[(rng.choice(VENDORS), "outdoor_ap" if r < 0.185 else "indoor_ap")])
            rows.append((f"BNCH{i:08d}", model, "ready", "A" if rng.random() < 0.7 else "B",
                         stock[rng.randrange(n_stock)].id, now, now, now, 1))  # fmt: skip
        bulk_insert(s, Device.__table__, ("serial", "model_id", "state", "grade", "location_id", "created_at",
                                          "updated_at", "state_since", "version"), rows)  # fmt: skip
        locs = [
            Location(code=f"LP-B{i:05d}", name=f"Site {i}", name_key=f"site{i}", kind="site",
                     lat=rng.uniform(43.0, 50.8), lon=rng.uniform(-1.5, 7.5))
            for i in range(n_sites)
        ]  # fmt: skip
        s.add_all(locs)
        s.flush()
        sites = [
            Site(location_id=loc.id, kind="office", priority=rng.randint(1, 5),
                 controller_vendor=None if vendor_open else rng.choice(VENDORS))
            for loc in locs
        ]  # fmt: skip
        s.add_all(sites)
        s.flush()
        # About 17 indoor and 3 outdoor APs a site: 100,000 needed against 95,000 APs in stock.
        zones = []
        for site in sites:
            zones.append((site.id, "offices", "open_office", 190.0 * rng.randint(8, 26), 0, 1))
            zones.append((site.id, "yard", "outdoor", 11_300.0 * rng.randint(1, 5), 0, 1))
        bulk_insert(s, Zone.__table__, ("site_id", "name", "environment", "area_m2", "occupants", "floors"), zones)
    engine.dispose()


def run(n_devices: int, n_sites: int, n_stock: int, vendor_open: bool, time_limit: float) -> dict[str, float]:
    from reemploi.db import make_engine, transaction
    from reemploi.planning.allocation import create_plan

    url = fresh_database("sqlite")
    try:
        populate(url, n_devices, n_sites, n_stock, vendor_open)
        engine = make_engine(url)
        marks: list[tuple[str, float]] = []
        t0 = time.perf_counter()
        with transaction(engine) as s:
            plan = create_plan(s, name="bench", actor="bench", time_limit=time_limit,
                               progress=lambda what: marks.append((what, time.perf_counter())))  # fmt: skip
            summary, solver, optimal, gap = dict(plan.summary), plan.solver, plan.optimal, plan.gap
        seconds = time.perf_counter() - t0
        engine.dispose()
    finally:
        drop_database(url)
    steps = [(w, b - a) for (w, a), (_, b) in zip(marks, marks[1:] + [("end", t0 + seconds)], strict=True)]
    return {"seconds": seconds, "steps": steps, "summary": summary, "solver": solver, "optimal": optimal,
            "gap": gap}  # type: ignore[dict-item]  # fmt: skip


def report(label: str, r: dict) -> None:  # type: ignore[type-arg]
    s = r["summary"]
    g = s["greedy"]
    print(f"{label}: {s['arcs']:,} pairs; {r['seconds']:.2f} s end to end ({r['solver']}, optimal: {r['optimal']}, "
          f"solver gap {r['gap']:.4%}); peak RSS {peak_rss_mib():.0f} MiB")  # fmt: skip
    print("  steps: " + ", ".join(f"{w} {t:.2f} s" for w, t in r["steps"]))
    closets = sum(len(v) for v in s.get("switch_closets", {}).values())
    print(f"  APs: {s['assigned']:,} assigned of {s['needed']:,} needed, {s['unmet']:,} unmet, {s['unused']:,} unused; "
          f"switches: {s['switches']['assigned']:,} of {s['switches']['needed']:,} for {closets:,} telecom rooms "
          f"of {len(s.get('switch_closets', {})):,} sites with wired needs")  # fmt: skip
    saving = g["transport_kgco2e"] - s["transport_kgco2e"]
    print(f"  transport {s['transport_kgco2e']:,.1f} kgCO2e against {g['transport_kgco2e']:,.1f} greedy "
          f"(saving {saving:,.1f}, {saving / max(g['transport_kgco2e'], 1e-9):.1%}); greedy assigned "
          f"{g['assigned']:,}")  # fmt: skip
    if s.get("lp_bound") is not None:
        gap = (s["objective"] - s["lp_bound"]) / abs(s["lp_bound"])
        print(f"  objective {s['objective']:,.1f}, LP bound {s['lp_bound']:,.1f}: {gap:.4%} from it")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=100_000)
    ap.add_argument("--sites", type=int, default=5_000)
    ap.add_argument("--milp-time-limit", type=float, default=60.0)
    ap.add_argument("--skip-milp", action="store_true")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    report("LP (controller vendor set)", run(args.devices, args.sites, 8, False, args.milp_time_limit))
    if not args.skip_milp:
        report("MILP (one vendor per site, chosen)", run(args.devices, args.sites, 3, True, args.milp_time_limit))


if __name__ == "__main__":
    main()

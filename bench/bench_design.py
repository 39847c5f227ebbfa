"""Benchmark: a site design on a large building, and a survey calibration.

    python bench/bench_design.py [--floors 3] [--side 100] [--grid 1.0] [--spacing 3.7] [--survey 5000]

Design: ``--floors`` storeys of ``--side`` × ``--side`` m offices (reemploi.demo.building:
glazed façade, concrete core, a ring of meeting rooms, partitions), demand points every
``--grid`` m, candidate mount points every ``--spacing`` m (about 2,000 for the defaults),
capacity per zone. Target (issue #13): predict + place ≤ 60 s end to end on 2 cores,
gap ≤ 1 %, peak memory < 2 GiB.

Calibration: ``--survey`` measurements of two APs on the first floor made by a known
model plus 4 dB of noise. Target: ≤ 5 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, peak_rss_mib  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--floors", type=int, default=3)
    ap.add_argument("--side", type=float, default=100.0)
    ap.add_argument("--grid", type=float, default=1.0)
    ap.add_argument("--spacing", type=float, default=3.7)
    ap.add_argument("--survey", type=int, default=5000)
    args = ap.parse_args()

    from reemploi.demo.building import bench_building
    from reemploi.design.calibrate import KnownAp, Measurement, calibrate
    from reemploi.design.engine import floor_walls
    from reemploi.design.materials import default_materials
    from reemploi.design.propagation import P1238, PathLossModel, path_loss
    from reemploi.design.run import ApChoice, Requirements, design

    print(f"machine: {machine()}")
    floors = bench_building(args.floors, args.side)
    area = sum(z.area_m2() for f in floors for z in f.zones())
    people = {"open_office": 25.0, "meeting": 25.0}
    t0 = time.perf_counter()
    stock = [ApChoice("C9130AXI", {"2.4": 14.0, "5": 18.0}, 500)]
    d = design(floors, stock, Requirements(grid_m=args.grid, spacing_m=args.spacing, people_per_ap=people,
                                           time_limit_s=55.0))  # fmt: skip
    seconds = time.perf_counter() - t0
    r = d.as_dict()
    s = r["solver"]
    from reemploi.design.grid import candidates

    n_cand = sum(len(candidates(f, args.spacing)) for f in floors)
    print(f"design: {args.floors} floors, {area:,.0f} m² in scope, grid {args.grid} m, {n_cand:,} candidates")
    print(f"  {r['aps_total']} APs ({r['driver']}: coverage {r['coverage_min']}, capacity {r['capacity_min']}), "
          f"coverage {r['coverage_share']:.1%}; naive grid {r['naive_grid']['aps_total']} APs "
          f"{r['naive_grid']['coverage_share']:.1%}")  # fmt: skip
    print(f"  end to end {seconds:.1f} s (placement {s['seconds']:.1f} s, {s['method']}, optimal {s['optimal']}, "
          f"gap {s['gap']:.3%}); peak {peak_rss_mib():,.0f} MiB")  # fmt: skip
    ok_design = seconds <= 60 and s["gap"] <= 0.01 and peak_rss_mib() < 2048
    # The same building with nobody in it: coverage alone decides (the harder set cover), for the record.
    t0 = time.perf_counter()
    empty = design(floors, stock, Requirements(grid_m=args.grid, spacing_m=args.spacing, time_limit_s=55.0,
                                               people_per_ap={"open_office": 0.0, "meeting": 0.0}))  # fmt: skip
    e, es = empty.as_dict(), empty.as_dict()["solver"]
    print(f"  coverage only: {e['aps_total']} APs, coverage {e['coverage_share']:.1%}, "
          f"{time.perf_counter() - t0:.1f} s, optimal {es['optimal']}, gap {es['gap']:.3%} (bound {es['bound']:.0f})")

    f0 = floors[:1]
    walls = {"5": [floor_walls(f0[0], "5", default_materials())]}
    aps = [KnownAp("A", 0, args.side * 0.25, args.side * 0.3, 3.0, {"5": 18.0}),
           KnownAp("B", 0, args.side * 0.75, args.side * 0.7, 3.0, {"5": 18.0})]  # fmt: skip
    truth = PathLossModel("truth", 3.0, 30.0, 2.38, 20.0)
    rng = np.random.default_rng(5)
    pts = rng.uniform(1, args.side - 1, (args.survey // 2, 2))
    ms = []
    for k, a in enumerate(aps):
        loss = path_loss(pts, 1.0, (a.x, a.y, a.z), 5.5, truth, walls["5"][0].walls, walls["5"][0].loss_db)
        rssi = 18.0 - loss + rng.normal(0, 4.0, len(pts))
        ms += [Measurement(0, float(x), float(y), k, "5", float(v)) for (x, y), v in zip(pts, rssi, strict=True)]
    t0 = time.perf_counter()
    model, report = calibrate(f0, walls, aps, ms, P1238["p1238-office-nlos"])
    cal = time.perf_counter() - t0
    print(f"calibration: {len(ms):,} points in {cal:.2f} s; alpha {model.alpha:.3f} (truth 3.0), "
          f"held-out RMSE {report['test']['rmse_db']} dB, bias {report['test']['bias_db']} dB")  # fmt: skip
    ok_cal = cal <= 5.0
    print(f"targets: design ≤ 60 s, gap ≤ 1 %, < 2 GiB: {'met' if ok_design else 'NOT met'}; "
          f"calibration ≤ 5 s: {'met' if ok_cal else 'NOT met'}")  # fmt: skip
    return 0 if ok_design and ok_cal else 1


if __name__ == "__main__":
    sys.exit(main())

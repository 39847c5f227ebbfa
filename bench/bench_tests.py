"""Benchmark: bulk import of test records (rig output) with grading and the moves to `tested`.

    python bench/bench_tests.py [--records 100000] [--postgres URL]

Target (issue #3): 100,000 test records with grading in seconds, not minutes.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, drop_database, fresh_database, machine  # noqa: E402


def write_inputs(n: int) -> tuple[Path, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    devices, rig = OUT / f"received-{n}.csv", OUT / f"rig-{n}.csv"
    rng = random.Random(5)
    with devices.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["serial", "model", "location", "state"])
        w.writerows([f"FOC{i:09d}", "C9130AXI", "V00", "received"] for i in range(n))
    with rig.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["serial", "power_on", "boot", "radio_24", "radio_5", "radio_6", "eth_speed_mbps", "firmware", "casing"]
        )
        for i in range(n):
            r = rng.random()
            w.writerow([f"FOC{i:09d}", "fail" if r < 0.03 else "pass", "pass", "pass", "fail" if r > 0.95 else "pass",
                        "na", 1000, "17.9.4", "worn" if 0.5 < r < 0.6 else "ok"])  # fmt: skip
    return devices, rig


def run(kind: str, n: int) -> None:
    from sqlalchemy import func, select, text

    from reemploi.db import make_engine, transaction
    from reemploi.inventory.importer import import_devices
    from reemploi.refurb.importer import import_tests
    from reemploi.refurb.models import TestRecord

    devices, rig = write_inputs(n)
    url = fresh_database(kind)
    engine = make_engine(url)
    try:
        with transaction(engine) as s:
            # The bench's location must be a refurbishment centre for `received`.
            s.execute(text("UPDATE locations SET kind = 'refurb_centre' WHERE code = 'V00'"))
        with transaction(engine) as s:
            import_devices(s, devices, actor="bench")
        t0 = time.perf_counter()
        with transaction(engine) as s:
            res = import_tests(s, rig, technician="bench")
        seconds = time.perf_counter() - t0
        with transaction(engine) as s:
            stored = s.scalar(select(func.count()).select_from(TestRecord))
            grades = dict(s.execute(select(TestRecord.grade, func.count()).group_by(TestRecord.grade)).all())
    finally:
        engine.dispose()
        drop_database(url)
    assert res.created == n == stored, (res, stored)
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print(f"{label}: {n:,} test records imported, graded and moved to tested in {seconds:.2f} s "
          f"({n / seconds:,.0f}/s); grades {grades}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--postgres")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    for kind in ["sqlite"] + ([args.postgres] if args.postgres else []):
        run(kind, args.records)


if __name__ == "__main__":
    main()

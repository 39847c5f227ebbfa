"""Benchmark: questions of time over 1,000,000 devices and 10,000,000 events.

    python bench/bench_time.py [--devices 1000000] [--postgres URL]

Each device has ten events (created deployed, collected, in transit, received, tested,
sanitized, ready, reserved, shipped, installed), dated over the programme (June 2024 to
late 2025), written straight into a fresh database (set-up, not measured). Measured:
``stats lead-times`` and ``devices list --as-of`` (the whole fleet on a date), through the
same functions the commands call. Target (issue #20): <= 5 s each on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import drop_database, fresh_database, machine, peak_rss_mib  # noqa: E402

CHAIN = ("deployed", "collected", "in_transit", "received", "tested", "sanitized", "ready", "reserved", "shipped",
         "installed")  # fmt: skip
START = datetime(2024, 6, 1, tzinfo=UTC)
MILESTONES = ("deployed", "collected", "received", "ready", "shipped", "installed")


def populate(url: str, n: int, seed: int = 20) -> None:
    from sqlalchemy import text

    from reemploi.db import make_engine, transaction
    from reemploi.db.bulk import bulk_insert
    from reemploi.inventory.models import Device
    from reemploi.workflow.models import AuditEvent, DeviceMilestone

    rng = random.Random(seed)
    engine = make_engine(url)
    pg = url.startswith("postgresql")

    def ts(at: datetime) -> object:
        return at if pg else at.strftime("%Y-%m-%d %H:%M:%S.%f")

    now = ts(datetime(2026, 12, 1, tzinfo=UTC))
    with transaction(engine) as s:
        model = s.execute(text("SELECT id FROM catalog_models LIMIT 1")).scalar()
        loc = s.execute(text("SELECT id FROM locations LIMIT 1")).scalar()
    seq = 0
    cols = ("seq", "at", "actor", "action", "subject_type", "subject", "from_state", "to_state", "location", "data",
            "prev_hash", "hash", "occurred_at")  # fmt: skip
    step = 100_000
    for first in range(0, n, step):
        devices, events, marks = [], [], []
        for i in range(first, min(n, first + step)):
            serial = f"BT{i:09d}"
            at = START + timedelta(days=rng.uniform(0, 40))
            prev = None
            when = {}
            for st in CHAIN:
                seq += 1
                events.append((seq, now, "bench", "transition", "device", serial, prev, st, "X", None, "0", "0",
                               ts(at)))  # fmt: skip
                when[st] = ts(at)
                prev = st
                at += timedelta(days=rng.expovariate(1 / 12))
            devices.append((i + 1, serial, model, "installed", loc, now, now, ts(at), 1))
            marks.append((i + 1, *(when[k] for k in MILESTONES)))  # what every move keeps (workflow.service)
        with transaction(engine) as s:
            bulk_insert(s, Device.__table__, ("id", "serial", "model_id", "state", "location_id", "created_at",
                                              "updated_at", "state_since", "version"), devices)  # fmt: skip
            bulk_insert(s, AuditEvent.__table__, cols, events)  # type: ignore[arg-type]
            bulk_insert(s, DeviceMilestone.__table__, ("device_id", *MILESTONES), marks)  # type: ignore[arg-type]
    with transaction(engine) as s:  # the planner's statistics, as after a real load
        s.execute(text("ANALYZE"))
    engine.dispose()


def measure(url: str) -> dict[str, float]:
    from reemploi.db import make_engine, session_factory
    from reemploi.workflow import timeline

    engine = make_engine(url)
    out = {}
    with session_factory(engine)() as s:
        t0 = time.perf_counter()
        r = timeline.lead_times(s, now=datetime(2026, 12, 1, tzinfo=UTC))
        out["lead_times_s"] = time.perf_counter() - t0
        out["end_to_end_median_days"] = r["end_to_end"]["median_days"]
        out["devices"] = r["end_to_end"]["count"]
        t0 = time.perf_counter()
        rows = timeline.as_of(s, datetime(2025, 1, 15, tzinfo=UTC))
        out["as_of_s"] = time.perf_counter() - t0
        out["as_of_rows"] = len(rows)
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=1_000_000)
    ap.add_argument("--postgres", default=None, help="also on this server, e.g. postgresql://postgres@127.0.0.1:5432/postgres")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    for kind in ["sqlite"] + ([args.postgres] if args.postgres else []):
        url = fresh_database(kind)
        try:
            t0 = time.perf_counter()
            populate(url, args.devices)
            load = time.perf_counter() - t0
            r = measure(url)
        finally:
            drop_database(url)
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        print(f"{name}: {args.devices:,} devices, {args.devices * len(CHAIN):,} events (loaded in {load:.0f} s); "
              f"lead times {r['lead_times_s']:.2f} s (end to end median {r['end_to_end_median_days']} days over "
              f"{r['devices']:,}); as-of {r['as_of_s']:.2f} s ({r['as_of_rows']:,} devices); target <= 5 s each; "
              f"peak RSS {peak_rss_mib():.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()

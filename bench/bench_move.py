"""Benchmark: one bulk move of 100,000 devices with their audit events, then verify.

    python bench/bench_move.py [--devices 100000] [--postgres URL]

Target (issue #2): <= 5 s on SQLite.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, drop_database, fresh_database, generate_export, machine  # noqa: E402


def run(kind: str, devices: int) -> None:
    from sqlalchemy import select

    from reemploi.db import make_engine, transaction
    from reemploi.inventory.importer import import_devices
    from reemploi.inventory.models import Device
    from reemploi.workflow.audit import verify
    from reemploi.workflow.service import transition
    from reemploi.workflow.states import State

    url = fresh_database(kind)
    engine = make_engine(url)
    try:
        with transaction(engine) as s:
            import_devices(s, generate_export(OUT / f"devices-{devices}.csv", devices), actor="bench")
        with transaction(engine) as s:
            serials = list(s.scalars(select(Device.serial)))
        t0 = time.perf_counter()
        with transaction(engine) as s:
            r = transition(s, serials, State.COLLECTED, actor="bench", reason="bulk")
        move_s = time.perf_counter() - t0
        assert len(r.moved) == devices, (len(r.moved), len(r.refused))
        t0 = time.perf_counter()
        with transaction(engine) as s:
            v = verify(s)
        verify_s = time.perf_counter() - t0
        assert v.ok and v.count == 2 * devices
    finally:
        engine.dispose()
        drop_database(url)
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print(f"{label}: moved {devices:,} devices with audit events in {move_s:.2f} s "
          f"({devices / move_s:,.0f}/s); audit verify of {v.count:,} events in {verify_s:.2f} s")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=100_000)
    ap.add_argument("--postgres")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    for kind in ["sqlite"] + ([args.postgres] if args.postgres else []):
        run(kind, args.devices)


if __name__ == "__main__":
    main()

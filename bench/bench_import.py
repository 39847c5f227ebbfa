"""Benchmark: import of generated device rows, against a raw executemany baseline.

    python bench/bench_import.py [--rows 1000000] [--postgres URL]

Reports rows/s, peak memory (each measurement in its own process) and the ratio of
the import's time to a raw ``executemany`` of the same rows (read with csv.reader)
into a bare table, in the same run. Targets (issue #2): >= 100,000 rows/s on SQLite
with validation and audit events, within 4x of the baseline, peak memory < 1 GiB.

On SQLite it also measures the storage floor: the rows the import writes (a device
and its hashed creation event each), prepared beforehand, inserted into the real
schema by the import's own insert path with no validation or hashing timed; once as
shipped, once at best (foreign keys off, the secondary indexes dropped first and
built again after the load). What is left between the floor and the import is
Python's share.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, drop_database, fresh_database, generate_export, in_child, machine, peak_rss_mib  # noqa: E402


def child_import(path: str, kind: str) -> dict:  # type: ignore[type-arg]
    from sqlalchemy import func, select

    from reemploi.db import make_engine, transaction
    from reemploi.inventory.importer import import_devices
    from reemploi.workflow.models import AuditEvent

    url = fresh_database(kind)
    engine = make_engine(url)
    try:
        t0 = time.perf_counter()
        with transaction(engine) as s:
            res = import_devices(s, path, actor="bench")
        seconds = time.perf_counter() - t0
        with transaction(engine) as s:
            events = s.scalar(select(func.count()).select_from(AuditEvent))
    finally:
        engine.dispose()
        drop_database(url)
    return {"seconds": seconds, "created": res.created, "rejected": res.rejected, "events": events,
            "peak_mib": peak_rss_mib()}  # fmt: skip


def child_storage(path: str, variant: str) -> dict:  # type: ignore[type-arg]
    import hashlib

    import orjson

    from reemploi.db import make_engine
    from reemploi.db.bulk import sqlite_insert
    from reemploi.workflow.audit import COLUMNS

    url = fresh_database("sqlite")
    engine = make_engine(url)
    secondary = {
        "ix_devices_location_id": "devices (location_id)",
        "ix_devices_state_model": "devices (state, model_id)",
        "ix_audit_events_subject": "audit_events (subject_type, subject, occurred_at, to_state)",
    }
    try:
        raw = engine.raw_connection()
        conn = raw.driver_connection
        if variant == "best":
            conn.execute("PRAGMA foreign_keys=OFF")
        models = {key: mid for key, mid in conn.execute("SELECT key, id FROM catalog_models")}
        models.update({key: mid for key, mid in conn.execute("SELECT key, model_id FROM catalog_aliases")})
        places = {code: lid for code, lid in conn.execute("SELECT code, id FROM locations")}
        now = "2026-11-27 10:00:00.000000"
        devices, events, prev = [], [], "0" * 64
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            for n, (serial, mac, model, place, tag) in enumerate(reader, 1):
                devices.append((serial, mac, models[model], "deployed", places[place], tag, None, now, now, now, 1))
                data = orjson.dumps({"asset_tag": tag, "mac": mac, "model": model, "source": f"devices.csv:{n + 1}"})
                h = hashlib.sha256(prev.encode() + data).hexdigest()
                events.append((n, now, "bench", "create", "device", serial, None, "deployed", place, data.decode(),
                               prev, h, now))  # fmt: skip
                prev = h
        cols = ("serial", "mac", "model_id", "state", "location_id", "asset_tag", "attributes", "created_at",
                "updated_at", "state_since", "version")  # fmt: skip
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        if variant == "best":
            for name in secondary:
                conn.execute(f"DROP INDEX {name}")
        sqlite_insert(conn, "devices", cols, devices)
        sqlite_insert(conn, "audit_events", COLUMNS, events)
        if variant == "best":
            for name, on in secondary.items():
                conn.execute(f"CREATE INDEX {name} ON {on}")
        conn.execute("COMMIT")
        seconds = time.perf_counter() - t0
        raw.close()
    finally:
        engine.dispose()
        drop_database(url)
    return {"seconds": seconds}


def child_baseline(path: str, kind: str) -> dict:  # type: ignore[type-arg]
    t0 = time.perf_counter()
    if kind == "sqlite":
        db = OUT / "baseline.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE bare (serial TEXT, mac TEXT, model TEXT, location TEXT, tag TEXT)")
        t0 = time.perf_counter()
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            batch = []
            for row in reader:
                batch.append(row)
                if len(batch) >= 20_000:
                    conn.executemany("INSERT INTO bare VALUES (?, ?, ?, ?, ?)", batch)
                    batch = []
            conn.executemany("INSERT INTO bare VALUES (?, ?, ?, ?, ?)", batch)
        conn.commit()
        seconds = time.perf_counter() - t0
        conn.close()
        db.unlink()
    else:
        import psycopg

        with psycopg.connect(kind) as conn:
            conn.execute("CREATE TEMP TABLE bare (serial TEXT, mac TEXT, model TEXT, location TEXT, tag TEXT)")
            t0 = time.perf_counter()
            with open(path, newline="", encoding="utf-8") as fh:
                reader = csv.reader(fh)
                next(reader)
                with conn.cursor() as cur:
                    batch = []
                    for row in reader:
                        batch.append(row)
                        if len(batch) >= 20_000:
                            cur.executemany("INSERT INTO bare VALUES (%s, %s, %s, %s, %s)", batch)
                            batch = []
                    cur.executemany("INSERT INTO bare VALUES (%s, %s, %s, %s, %s)", batch)
            conn.commit()
            seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_mib": peak_rss_mib()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--postgres", help="server URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--child", nargs=3, metavar=("WHAT", "PATH", "KIND"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        what, path, kind = args.child
        child = {"import": child_import, "baseline": child_baseline, "storage": child_storage}[what]
        print(json.dumps(child(path, kind)))
        return
    path = generate_export(OUT / f"devices-{args.rows}.csv", args.rows)
    print(f"machine: {machine()}")
    for kind in ["sqlite"] + ([args.postgres] if args.postgres else []):
        label = "SQLite" if kind == "sqlite" else "PostgreSQL"
        base = in_child(Path(__file__), "baseline", str(path), kind)
        imp = in_child(Path(__file__), "import", str(path), kind)
        assert imp["created"] == args.rows and imp["events"] == args.rows, imp
        rate = args.rows / imp["seconds"]
        print(f"{label}: import {args.rows:,} rows in {imp['seconds']:.2f} s = {rate:,.0f} rows/s "
              f"(with validation and {imp['events']:,} audit events), peak {imp['peak_mib']:.0f} MiB; "
              f"raw executemany baseline {base['seconds']:.2f} s; "
              f"ratio {imp['seconds'] / base['seconds']:.2f}x")  # fmt: skip
        if kind == "sqlite":
            for variant in ("shipped", "best"):
                floor = in_child(Path(__file__), "storage", str(path), variant)
                secs = floor["seconds"]
                print(f"SQLite storage floor ({variant}): the same devices and events, prepared beforehand, "
                      f"written in {secs:.2f} s; ratio {secs / base['seconds']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()

"""Shared set-up for benchmarks: fresh databases and generated field exports."""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import subprocess
import sys
import uuid
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
MODELS = ("C9130AXI-E", "C9120AXI", "C9136I-ROW", "C9124AXE-E", "MR46", "AP-535", "C9300-48P", "C9200L-24P-4G")


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate_export(path: Path, rows: int, seed: int = 1) -> Path:
    """A field export of ``rows`` devices over 40 venues (serial, mac, model, location, asset tag)."""
    if path.exists():
        return path
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["serial", "mac", "model", "location", "asset tag"])
        for i in range(rows):
            mac = f"{(0x02 << 40) | i:012x}"
            w.writerow([
                f"FOC{i:09d}", ":".join(mac[k : k + 2] for k in range(0, 12, 2)),
                MODELS[rng.randrange(len(MODELS))], f"V{i % 40:02d}", f"T{i}",
            ])  # fmt: skip
    tmp.rename(path)
    return path


def fresh_database(kind: str) -> str:
    """A new, migrated database with the catalog and 40 venues; returns its URL."""
    from reemploi.catalog.service import load_default
    from reemploi.db import make_engine, migrate, transaction
    from reemploi.inventory.models import Location

    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        db = OUT / f"bench-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{db}"
    else:
        import psycopg

        name = f"reemploi_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(kind, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = kind.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as s:
        load_default(s)
        s.add_all(Location(code=f"V{i:02d}", name=f"Venue {i}", name_key=f"venue{i}", kind="venue") for i in range(40))
    engine.dispose()
    return url


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    server, name = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def in_child(script: Path, *args: str) -> dict:  # type: ignore[type-arg]
    """Run one measurement in its own process, so its peak memory is its own."""
    out = subprocess.run([sys.executable, str(script), "--child", *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])

"""Benchmark: the scan/move endpoint under 32 concurrent clients, against a real server.

    python bench/bench_api.py [--devices 20000] [--clients 32] [--workers 1] [--postgres URL [--pg-workers 1]]

Starts `reemploi serve` (uvicorn) on loopback, has each client move its own devices one
request at a time (POST /api/v1/devices/{serial}/move, Bearer token, keep-alive), then
checks that the audit chain verifies and holds exactly one event per accepted move.
Targets (issue #6): >= 300 moves/s on SQLite, >= 1,000/s on PostgreSQL.
The clients are a small asyncio HTTP/1.1 loop in this process, so they cost the server
little CPU on a small machine; they still share its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, drop_database, fresh_database, generate_export, machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup(kind: str, devices: int) -> tuple[str, str, list[str]]:
    """A fresh database with ``devices`` deployed devices and a technician's token."""
    from sqlalchemy import select

    from reemploi.accounts.models import Role
    from reemploi.accounts.service import create_token, create_user
    from reemploi.db import make_engine, transaction
    from reemploi.inventory.importer import import_devices
    from reemploi.inventory.models import Device

    url = fresh_database(kind)
    engine = make_engine(url)
    with transaction(engine) as s:
        import_devices(s, generate_export(OUT / f"devices-{devices}.csv", devices), actor="bench")
        create_user(s, "tech", Role.TECHNICIAN, None)
        token = create_token(s, "tech").token
    with transaction(engine, write=False) as s:
        serials = list(s.scalars(select(Device.serial).order_by(Device.id)))
    engine.dispose()
    return url, token, serials


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its descendants (Linux /proc)."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    tree, todo = {pid}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _) in stats.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(stats[p][1] for p in tree if p in stats)


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("reemploi")
    env = dict(os.environ, REEMPLOI_LANG="en")
    cmd = [str(exe), "serve", "--db", url, "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


async def client(port: int, token: str, serials: list[str], statuses: dict[int, int], latencies: list[float]) -> None:
    """One keep-alive connection moving its serials one by one (HTTP/1.1, by hand: cheap for the bench)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = b'{"to": "collected"}'
    try:
        for serial in serials:
            req = (
                f"POST /api/v1/devices/{serial}/move HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            t0 = time.perf_counter()
            writer.write(req)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            code = int(status_line.split()[1])
            statuses[code] = statuses.get(code, 0) + 1
    finally:
        writer.close()


async def load(port: int, token: str, serials: list[str], clients: int) -> tuple[float, dict[int, int], list[float]]:
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(client(port, token, serials[i::clients], statuses, latencies) for i in range(clients)))
    return time.perf_counter() - t0, statuses, latencies


def check_chain(url: str, serials: list[str]) -> tuple[bool, int, int, int]:
    """(chain ok, events, transition events, devices with exactly one transition)."""
    from sqlalchemy import func, select

    from reemploi.db import make_engine, transaction
    from reemploi.workflow.audit import verify
    from reemploi.workflow.models import AuditEvent

    engine = make_engine(url)
    with transaction(engine, write=False) as s:
        v = verify(s)
        per_device = dict(
            s.execute(
                select(AuditEvent.subject, func.count())
                .where(AuditEvent.action == "transition")
                .group_by(AuditEvent.subject)
            ).all()
        )
    engine.dispose()
    once = sum(1 for s in serials if per_device.get(s) == 1)
    return v.ok, v.count, sum(per_device.values()), once


def run(kind: str, devices: int, clients: int, workers: int) -> None:
    url, token, serials = setup(kind, devices)
    port = free_port()
    server = start_server(url, port, workers)
    try:
        cpu0 = tree_cpu(server.pid)
        elapsed, statuses, lat = asyncio.run(load(port, token, serials, clients))
        server_cpu = tree_cpu(server.pid) - cpu0
    finally:
        server.terminate()
        server.wait(30)
    ok, events, moves, once = check_chain(url, serials)
    drop_database(url)
    lat.sort()
    accepted = statuses.get(200, 0)
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print(
        f"{label} ({workers} server process{'es' if workers > 1 else ''}, {clients} clients): "
        f"{accepted:,} moves in {elapsed:.2f} s = {accepted / elapsed:,.0f} moves/s; "
        f"latency p50 {lat[len(lat) // 2] * 1000:.1f} ms, p99 {lat[int(len(lat) * 0.99)] * 1000:.1f} ms; "
        f"server CPU {server_cpu / max(1, len(lat)) * 1000:.2f} ms per move; statuses {dict(sorted(statuses.items()))}"
    )
    print(
        f"  audit verify: {'intact' if ok else 'BROKEN'}, {events:,} events; {moves:,} transition events for "
        f"{accepted:,} accepted moves; devices moved exactly once: {once:,}/{len(serials):,}"
    )
    if not ok or moves != accepted or once != accepted:
        raise SystemExit("lost or duplicated audit events")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1, help="server processes on SQLite")
    ap.add_argument("--postgres")
    ap.add_argument("--pg-workers", type=int, default=1, help="server processes on PostgreSQL")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    run("sqlite", args.devices, args.clients, args.workers)
    if args.postgres:
        run(args.postgres, args.devices, args.clients, args.pg_workers)


if __name__ == "__main__":
    main()

"""Benchmark: the web dashboard with 1,000,000 devices in the database.

    python bench/bench_dashboard.py [--devices 1000000] [--views 20]

Target (issue #6): < 500 ms server time. The fleet is written straight into the tables
(``bench_impact.populate``: devices in service at 200 sites). Reported: the first view,
which computes the figures (counts by state, progress from the audit log, the impact's
Monte Carlo), and the following views, served from the figures kept while the audit
chain has not moved (``reemploi.web.routes.DashboardCache``); then, as ``reemploi serve``
runs it (figures computed at start-up), the time to warm up and the first view after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_impact import populate  # noqa: E402
from common import drop_database, fresh_database, machine, peak_rss_mib  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=1_000_000)
    ap.add_argument("--views", type=int, default=20)
    a = ap.parse_args()
    print(machine())
    from fastapi.testclient import TestClient

    from reemploi.accounts.models import Role
    from reemploi.accounts.service import create_token, create_user
    from reemploi.api import create_app
    from reemploi.db import make_engine, transaction

    url = fresh_database("sqlite")
    try:
        t0 = time.perf_counter()
        populate(url, a.devices)
        engine = make_engine(url)
        with transaction(engine) as s:
            create_user(s, "bench", Role.AUDITOR, None)
            token = create_token(s, "bench").token
        engine.dispose()
        setup = time.perf_counter() - t0
        app = create_app(url, secret_key="bench")
        with TestClient(app) as client:
            h = {"Authorization": f"Bearer {token}"}
            t0 = time.perf_counter()
            r = client.get("/dashboard", headers=h)
            first = time.perf_counter() - t0
            assert r.status_code == 200, r.text[:300]
            times = []
            for _ in range(a.views):
                t0 = time.perf_counter()
                assert client.get("/dashboard", headers=h).status_code == 200
                times.append(time.perf_counter() - t0)
            # While technicians scan, the chain moves: the view is served the figures it has while a
            # thread computes new ones. Time a view then, and the refresh itself.
            live = app.state.reemploi_web_dashboard.live
            seq, _, value = live._value
            live._value = (seq - 1, 0.0, value)  # as if the chain had moved long ago
            t0 = time.perf_counter()
            assert client.get("/dashboard", headers=h).status_code == 200
            moving = time.perf_counter() - t0
            t0 = time.perf_counter()
            while live._value[0] != seq:
                time.sleep(0.01)
            refresh = time.perf_counter() - t0
        # What `reemploi serve` does: the figures are computed at start-up, before any view.
        warm_app = create_app(url, secret_key="bench", warm=True)
        cache = warm_app.state.reemploi_web_dashboard
        t0 = time.perf_counter()
        with TestClient(warm_app) as client:
            while not (cache.live.ready and cache.impact.ready):
                time.sleep(0.01)
            warmed = time.perf_counter() - t0
            t0 = time.perf_counter()
            assert client.get("/dashboard", headers={"Authorization": f"Bearer {token}"}).status_code == 200
            first_warm = time.perf_counter() - t0
    finally:
        drop_database(url)
    p50 = statistics.median(times) * 1000
    worst = max(max(times), moving) * 1000
    verdict = "met" if worst < 500 else "NOT met"
    print(f"SQLite: dashboard with {a.devices:,} devices: first view {first:.2f} s (computes the figures), "
          f"then {a.views} views median {p50:.0f} ms; a view once the chain moved {moving * 1000:.0f} ms "
          f"(counts refreshed in the background in {refresh:.2f} s); "
          f"target < 500 ms {verdict} for the views after the first; with the start-up warm-up of "
          f"`reemploi serve` ({warmed:.2f} s after start) the first view takes {first_warm * 1000:.0f} ms; "
          f"set-up {setup:.1f} s; peak RSS {peak_rss_mib():.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()

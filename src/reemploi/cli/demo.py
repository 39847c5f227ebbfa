"""The ``demo`` command: a fresh SQLite database in --out, the scenario, a summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.table import Table

from reemploi.cli.common import EXIT_OK, EXIT_PARTIAL, Ctx, ctx, err, out, print_json, translated
from reemploi.db import make_engine, migrate, transaction


def run_demo(out_dir: str, seed: int, aps: int, switches: int, lang: str | None, json: bool) -> None:
    from reemploi.catalog.service import load_default
    from reemploi.demo.service import DemoParams, run

    folder = Path(out_dir).resolve()
    db_path = folder / "reemploi-demo.db"
    c = ctx(f"sqlite:///{db_path}", lang)
    started = time.perf_counter()
    with translated(c):
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        engine = make_engine(c.url)
        migrate.upgrade(engine)
        params = DemoParams(seed=seed, aps=aps, switches=switches)
        with transaction(engine) as session:
            load_default(session)
            step = (lambda s: err.print(f"[dim]… {s}[/dim]")) if not json else None
            summary = run(session, folder, params, progress=step)
        engine.dispose()
    summary.database = str(db_path)
    elapsed = time.perf_counter() - started
    data = summary.as_dict() | {"seconds": round(elapsed, 2)}
    (folder / "summary.json").write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    if json:
        print_json(data)
    else:
        _print_summary(c, data)
    raise typer.Exit(EXIT_OK if summary.audit_ok else EXIT_PARTIAL)


def _print_summary(c: Ctx, d: dict[str, Any]) -> None:
    rec = d["reconciliation"]
    out.print(f"[bold]{c.t('demo_title')}[/bold]")
    out.print(c.t("demo_venues", venues=d["venues"]))
    out.print(
        c.t(
            "demo_export", rows=d["export_rows"], imported=d["imported"], rejected=d["rejected"], file=d["rejects_file"]
        )
    )
    out.print(c.t("demo_lots", lots=d["lots"], lost=d["lost_at_takedown"]))
    counts = {k: rec.get(k, 0) for k in ("expected", "matched", "missing", "unexpected", "unknown")}
    out.print(c.t("demo_reception", found=d["found_again"], **counts))
    kinds = sorted({k for by_kind in d["by_state"].values() for k in by_kind})
    table = Table(c.t("state"), *kinds, "total")
    for state in sorted(d["by_state"]):
        row = d["by_state"][state]
        table.add_row(state, *(str(row.get(k, 0)) for k in kinds), str(sum(row.values())))
    out.print(table)
    verdict = c.t("intact" if d["audit_ok"] else "tampered")
    out.print(c.t("demo_audit", count=d["audit_events"], verdict=verdict, head=d["audit_head"][:16]))
    out.print(c.t("demo_database", db=d["database"], seconds=d["seconds"]))

"""The ``demo`` command: a fresh SQLite database in --out, the scenario, a summary."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import typer
from rich.table import Table

from reemploi.cli.common import EXIT_OK, EXIT_PARTIAL, ctx, err, out, print_json, translated
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
        _print_summary(c.lang, data)
    raise typer.Exit(EXIT_OK if summary.audit_ok else EXIT_PARTIAL)


def _print_summary(lang: str, d: dict) -> None:  # type: ignore[type-arg]
    fr = lang == "fr"
    rec = d["reconciliation"]
    out.print(("[bold]Démo Paris 2024 → La Poste : collecte et réception[/bold]" if fr
               else "[bold]Paris 2024 → La Poste demo: collection and reception[/bold]"))  # fmt: skip
    lines = [
        (f"Sites JOP : {d['venues']}", f"Venues: {d['venues']}"),
        (f"Export terrain : {d['export_rows']} lignes, {d['imported']} équipements importés, {d['rejected']} rejetées → {d['rejects_file']}",
         f"Field export: {d['export_rows']} rows, {d['imported']} devices imported, {d['rejected']} rejected → {d['rejects_file']}"),
        (f"Lots (palettes) : {d['lots']} ; perdus au démontage : {d['lost_at_takedown']}",
         f"Lots (pallets): {d['lots']}; lost at take-down: {d['lost_at_takedown']}"),
        (f"Réception : {rec.get('expected', 0)} attendus, {rec.get('matched', 0)} scannés, {rec.get('missing', 0)} manquants, "
         f"{rec.get('unexpected', 0)} inattendus (retrouvés : {d['found_again']}), {rec.get('unknown', 0)} scans inconnus",
         f"Reception: {rec.get('expected', 0)} expected, {rec.get('matched', 0)} scanned, {rec.get('missing', 0)} missing, "
         f"{rec.get('unexpected', 0)} unexpected (found again: {d['found_again']}), {rec.get('unknown', 0)} unknown scans"),
    ]  # fmt: skip
    for f, e in lines:
        out.print(f if fr else e)
    kinds = sorted({k for by_kind in d["by_state"].values() for k in by_kind})
    table = Table("état" if fr else "state", *kinds, "total")
    for state in sorted(d["by_state"]):
        row = d["by_state"][state]
        table.add_row(state, *(str(row.get(k, 0)) for k in kinds), str(sum(row.values())))
    out.print(table)
    ok = d["audit_ok"]
    out.print((f"Journal d'audit : {d['audit_events']} événements, {'intact' if ok else 'ALTÉRÉ'} (tête {d['audit_head'][:16]}…)"
               if fr else f"Audit log: {d['audit_events']} events, {'intact' if ok else 'TAMPERED'} (head {d['audit_head'][:16]}…)"))  # fmt: skip
    out.print((f"Base : {d['database']} ({d['seconds']} s). Essayez : reemploi devices list --db sqlite:///{d['database']} --state lost"
               if fr else f"Database: {d['database']} ({d['seconds']} s). Try: reemploi devices list --db sqlite:///{d['database']} --state lost"))  # fmt: skip

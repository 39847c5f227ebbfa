"""Commands for the catalog, locations and devices."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from reemploi.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    ActorOpt,
    Ctx,
    DateOpt,
    DbOpt,
    JsonOpt,
    LangOpt,
    Table,
    actor_name,
    ctx,
    err,
    history_table,
    out,
    print_json,
    print_table,
    progress_bar,
    translated,
    unit_of_work,
)
from reemploi.i18n import label, state_label

catalog_app = typer.Typer(help="Equipment models (catalog).", no_args_is_help=True)
locations_app = typer.Typer(help="Venues, warehouses, refurbishment centres, sites, recyclers.", no_args_is_help=True)
devices_app = typer.Typer(help="Devices: import, list, show, export.", no_args_is_help=True)

RejectsOpt = Annotated[
    str | None,
    typer.Option(
        "--rejects", help="Where rejected rows go (default: FILE.rejects.csv beside the input).", show_default=False
    ),
]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", metavar="NAME", help="XLSX sheet to read (default: the first).")
]


@contextmanager
def stdin_as_file(file: str) -> Iterator[tuple[str, str]]:
    """``(path, source name)``: the file itself, or standard input spooled to a temporary file."""
    if file != "-":
        yield file, Path(file).name
        return
    with tempfile.TemporaryDirectory(prefix="reemploi-stdin-") as tmp:
        path = Path(tmp) / "stdin.csv"
        with path.open("wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield str(path), "stdin"


def _counts_line(c: Ctx, r: dict[str, Any]) -> str:
    line = c.t("import_counts", **{k: r[k] for k in ("rows", "created", "updated", "unchanged", "rejected")})
    if r.get("rejects_file"):
        line += " " + c.t("rejects_at", file=r["rejects_file"])
    if r.get("rejects_kept"):
        line += " " + c.t("rejects_kept", file=r["rejects_kept"])
    return line


def _finish_import(c: Ctx, result: dict[str, object], json: bool) -> None:
    if json:
        print_json(result)
    else:
        out.print(_counts_line(c, result))
    raise typer.Exit(EXIT_PARTIAL if result["rejected"] else EXIT_OK)


@catalog_app.command("list")
def catalog_list(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """List equipment models with power, mass, support dates and embodied impact."""
    from reemploi.catalog.service import as_dict, list_models

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        models = [as_dict(m) for m in list_models(session)]
    if json:
        print_json(models)
        return
    table = Table(
        *c.h("vendor", "model", "kind", "wifi", "PoE", "kg", "kgCO2e (low-high)", "aliases"), optional=(7, 6, 5, 4)
    )
    for m in models:
        impact = ""
        if m["embodied_kgco2e"] is not None:
            low, high = (c.n(m[k]) if m[k] else "?" for k in ("embodied_low", "embodied_high"))
            quality = label("data_quality", m["embodied_quality"], c.lang) if m["embodied_quality"] else ""
            impact = f"{c.n(m['embodied_kgco2e'])} ({low}-{high}) {quality}"
        table.add_row(
            m["vendor"],
            m["model"],
            label("kind", m["kind"], c.lang),
            str(m["wifi_generation"] or ""),
            m["poe_class"] or "",
            "" if m["mass_kg"] is None else c.n(m["mass_kg"]),
            impact,
            ", ".join(m["aliases"][:4]) + (", …" if len(m["aliases"]) > 4 else ""),
        )
    print_table(c, table)


@catalog_app.command("import")
def catalog_import(
    file: str, rejects: RejectsOpt = None, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False
) -> None:
    """Import models from CSV/XLSX (same columns as the shipped catalog.csv); upsert by model."""
    from reemploi.catalog.service import import_catalog

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        result = import_catalog(session, file, rejects_path=rejects, lang=c.lang).as_dict()
    _finish_import(c, result, json)


@locations_app.command("import")
def locations_import(
    file: str,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", metavar="KIND", help="Kind for rows without one: venue, warehouse, refurb_centre, site, recycler."
        ),
    ] = None,
    rejects: RejectsOpt = None,
    sheet: SheetOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import locations (code, name, kind, city, lat, lon; other columns kept as attributes).

    Each creation and change is an audit event (`audit log CODE --location`)."""
    from reemploi.inventory.service import import_locations, parse_kind

    c = ctx(db, lang, json)
    with translated(c):
        loc_kind = parse_kind(kind) if kind else None
    with unit_of_work(c) as session:
        result = import_locations(
            session, file, kind=loc_kind, rejects_path=rejects, sheet=sheet, lang=c.lang, actor=actor_name(actor)
        ).as_dict()
    _finish_import(c, result, json)


@locations_app.command("list")
def locations_list(
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", help="Only this kind.")] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """List locations with their device counts."""
    from reemploi.inventory.service import list_locations, parse_kind

    c = ctx(db, lang, json)
    with translated(c):
        loc_kind = parse_kind(kind) if kind else None
    with unit_of_work(c, write=False) as session:
        rows = list_locations(session, loc_kind)
    if json:
        print_json(rows)
        return
    table = Table(*c.h("code", "name", "kind", "city", "lat", "lon", "devices"), optional=(4, 5, 3))
    for r in rows:
        table.add_row(
            r["code"],
            r["name"],
            label("location_kind", r["kind"], c.lang),
            r["city"] or "",
            f"{r['lat'] or ''}",
            f"{r['lon'] or ''}",
            c.n(r["devices"]),
        )
    print_table(c, table)


@devices_app.command("import")
def devices_import(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="CSV or XLSX file, or - for CSV on standard input.")],
    rejects: RejectsOpt = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=HEADER",
            help="FIELD=HEADER: read FIELD (serial, mac, model, location, asset_tag, state) from column HEADER.",
        ),
    ] = None,
    sheet: SheetOpt = None,
    location: Annotated[
        str | None, typer.Option("--location", metavar="CODE", help="Location code for rows that have none.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, write nothing but the rejects file.")
    ] = False,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import devices from a field export (CSV or XLSX); upsert by serial.

    Exit 0: all rows accepted; 1: some rejected (the rest imported, rejects written);
    2: the file is unusable and nothing was written.
    """
    from reemploi.inventory.importer import import_devices, parse_mapping

    c = ctx(db, lang, json, date)
    with translated(c):
        mapping = parse_mapping(map_ or [])
    tick, stop = progress_bar(file, not json)
    with stdin_as_file(file) as (path, source):
        try:
            with unit_of_work(c, dry_run=dry_run) as session:
                res = import_devices(
                    session,
                    path,
                    actor=actor_name(actor),
                    rejects_path=rejects or (f"{source}.rejects.csv" if file == "-" else None),
                    mapping=mapping,
                    sheet=sheet,
                    default_location=location,
                    lang=c.lang,
                    progress=tick,
                    source=source,
                )
        finally:
            stop()
    result = res.as_dict()
    if dry_run:
        result["dry_run"] = True
    if not json and dry_run:
        out.print(c.t("dry_run"))
    _finish_import(c, result, json)


@devices_app.command("list")
def devices_list(
    state: Annotated[str | None, typer.Option("--state", metavar="STATE", help="Only devices in this state.")] = None,
    model: Annotated[
        str | None, typer.Option("--model", metavar="MODEL", help="Only this model (name or alias).")
    ] = None,
    location: Annotated[
        str | None, typer.Option("--location", metavar="CODE", help="Only at this location (its code, or its name).")
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=0, metavar="N", help="At most this many rows (0: all; `devices export` for files)."
        ),
    ] = 1000,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Each device's state and location on that date (from its "
                                                     "history: when things happened)."),
    ] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """List devices (filters combine), the first 1,000 unless --limit says otherwise."""
    from reemploi.inventory.service import iter_devices
    from reemploi.workflow.states import parse_state

    c = ctx(db, lang, json)
    with translated(c):
        st = parse_state(state) if state else None
    if as_of is not None:
        _devices_as_of(c, as_of, st.value if st else None, location, limit)
        return
    with unit_of_work(c, write=False) as session:
        rows = list(iter_devices(session, state=st, model=model, location=location, limit=limit + 1 if limit else None))
    more = bool(limit) and len(rows) > limit
    rows = rows[:limit] if limit else rows
    if json:
        print_json(rows)
        if more:
            err.print(c.t("list_truncated", count=limit))
        return
    # Left out first on a narrow terminal: MAC, kind, grade, lot.
    table = Table(*c.h("serial", "model", "kind", "state", "grade", "location", "lot", "mac"), optional=(7, 2, 4, 6))
    for r in rows:
        table.add_row(
            r["serial"],
            r["model"],
            label("kind", r["kind"], c.lang),
            state_label(r["state"], c.lang),
            r["grade"] or "",
            r["location"] or "",
            r["lot"] or "",
            r["mac"] or "",
        )
    print_table(c, table)
    out.print(c.t("device_count", count=len(rows)))
    if more:
        out.print(c.t("list_truncated", count=limit))


def _devices_as_of(c: Ctx, as_of: str, state: str | None, location: str | None, limit: int) -> None:
    from reemploi.workflow.clock import local_text, parse
    from reemploi.workflow.service import find_location
    from reemploi.workflow.timeline import as_of as devices_as_of

    with translated(c):
        when = parse(as_of, "--as-of")
    with unit_of_work(c, write=False) as session:
        code = find_location(session, location).code if location else None
        rows = devices_as_of(session, when, state=state, location=code, limit=limit + 1 if limit else None)
    more = bool(limit) and len(rows) > limit
    rows = rows[:limit] if limit else rows
    if c.json:
        print_json(rows)
        if more:
            err.print(c.t("list_truncated", count=limit))
        return
    out.print(c.t("devices_as_of", date=local_text(when)))
    table = Table(*c.h("serial", "state", "location", "since"))
    for r in rows:
        table.add_row(r["serial"], state_label(r["state"], c.lang), r["location"] or "",
                      local_text(datetime.fromisoformat(r["since"])))  # fmt: skip
    print_table(c, table)
    out.print(c.t("device_count", count=len(rows)))
    if more:
        out.print(c.t("list_truncated", count=limit))


@devices_app.command("show")
def devices_show(serial: str, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """One device with its whole history (audit events)."""
    from reemploi.inventory.service import show_device

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        d = show_device(session, serial)
    if json:
        print_json(d)
        return
    shown = {**d, "kind": label("kind", d["kind"], c.lang), "state": state_label(d["state"], c.lang)}
    for k in ("serial", "vendor", "model", "kind", "state", "grade", "location", "lot", "mac", "asset_tag"):
        out.print(c.t("field_line", name=f"{c.h(k)[0]:>16}", value=shown[k] if shown[k] is not None else "-"))
    if d["attributes"]:
        attributes = ", ".join(f"{k}={v}" for k, v in d["attributes"].items())
        out.print(c.t("field_line", name=f"{c.h('attributes')[0]:>16}", value=attributes))
    out.print(history_table(c, d["history"]))


@devices_app.command("export")
def devices_export(
    file: str,
    state: Annotated[str | None, typer.Option("--state", metavar="STATE", help="Only devices in this state.")] = None,
    location: Annotated[
        str | None, typer.Option("--location", metavar="CODE", help="Only at this location (its code, or its name).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace FILE if it exists (it is refused otherwise).")
    ] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Export devices to CSV or XLSX (by extension); formula-like cells are neutralised."""
    from reemploi.inventory.service import export_devices
    from reemploi.workflow.states import parse_state

    c = ctx(db, lang, json)
    with translated(c):
        st = parse_state(state) if state else None
    with unit_of_work(c, write=False) as session:
        n = export_devices(session, file, state=st, location=location, replace=replace)
    if json:
        print_json({"file": file, "rows": n})
    else:
        out.print(c.t("exported", count=n, file=file))

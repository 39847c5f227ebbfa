"""Commands for destination sites, zones and Wi-Fi needs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from reemploi.cli.common import (
    ActorOpt,
    DbOpt,
    JsonOpt,
    LangOpt,
    actor_name,
    ctx,
    out,
    print_json,
    unit_of_work,
)
from reemploi.cli.inventory import RejectsOpt, SheetOpt, _finish_import

sites_app = typer.Typer(help="Destination sites (La Poste sites…).", no_args_is_help=True)
zones_app = typer.Typer(help="Zones of the sites: environment, area, occupants.", no_args_is_help=True)
needs_app = typer.Typer(help="Wi-Fi needs per site and class, computed from zones; planner overrides.",
                        no_args_is_help=True)  # fmt: skip


@sites_app.command("import")
def sites_import(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="CSV or XLSX: code, name, kind, city, lat, lon, priority, deadline, controller_vendor, poe_budget_w.",
        ),
    ],  # fmt: skip
    rejects: RejectsOpt = None,
    sheet: SheetOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import destination sites (upsert by code). Exit 1 when rows were rejected."""
    from reemploi.planning.service import import_sites

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        result = import_sites(session, file, rejects_path=rejects, sheet=sheet, lang=c.lang).as_dict()
    _finish_import(c, result, json)


@zones_app.command("import")
def zones_import(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="CSV or XLSX: site, zone, environment, area_m2, "
            "occupants, devices_per_user, mbps_per_device, floors, min_wifi_generation.",
        ),
    ],  # fmt: skip
    rejects: RejectsOpt = None,
    sheet: SheetOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import zones (upsert by site and zone). Exit 1 when rows were rejected."""
    from reemploi.planning.service import import_zones

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        result = import_zones(session, file, rejects_path=rejects, sheet=sheet, lang=c.lang).as_dict()
    _finish_import(c, result, json)


@needs_app.command("list")
def needs_list(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Needs per site and class: count, the term that drove it, computed value and override."""
    from reemploi.planning.service import compute_needs

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = compute_needs(session)
    if json:
        print_json(rows)
        return
    table = Table(*c.h("site", "name", "class", "count", "driver"))
    for r in rows:
        table.add_row(r["site"], r["site_name"], r["class"], str(r["count"]), r["driver"])
    out.print(table)
    out.print(c.t("needs_total", count=sum(r["count"] for r in rows), sites=len({r["site"] for r in rows})))


@needs_app.command("set")
def needs_set(
    site: Annotated[str, typer.Argument(metavar="SITE")],
    need_class: Annotated[str, typer.Argument(metavar="CLASS", help="indoor or outdoor")],
    count: Annotated[int, typer.Argument(metavar="COUNT", min=0)],
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Keep a planner's count for a site and class (the computed one stays visible)."""
    from reemploi.planning.service import set_override

    c = ctx(db, lang)
    with unit_of_work(c) as session:
        set_override(session, site, need_class, count, actor=actor_name(actor))
    out.print(c.t("needs_set", site=site.upper(), need_class=need_class.lower(), count=count))


@needs_app.command("import")
def needs_import(
    file: Annotated[str, typer.Argument(metavar="FILE", help="CSV or XLSX: site, class, count.")],
    rejects: RejectsOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import planner overrides. Exit 1 when rows were rejected."""
    from reemploi.planning.service import import_overrides

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        result = import_overrides(session, file, actor=actor_name(actor), rejects_path=rejects, lang=c.lang).as_dict()
    _finish_import(c, result, json)

"""Commands for destination sites, zones and Wi-Fi needs."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from reemploi.cli.common import (
    EXIT_INPUT,
    ActorOpt,
    DateOpt,
    DbOpt,
    JsonOpt,
    LangOpt,
    Table,
    actor_name,
    ctx,
    fail,
    out,
    print_json,
    print_table,
    unit_of_work,
)
from reemploi.cli.inventory import RejectsOpt, SheetOpt, _finish_import
from reemploi.i18n import has, label

sites_app = typer.Typer(help="Destination sites (La Poste sites…).", no_args_is_help=True)
zones_app = typer.Typer(help="Zones of the sites: environment, area, occupants.", no_args_is_help=True)
needs_app = typer.Typer(help="Wi-Fi needs per site and class, computed from zones; planner overrides.",
                        no_args_is_help=True)  # fmt: skip


def _finish_rows(c, result, json: bool) -> None:  # type: ignore[no-untyped-def]
    """Counts, and every rejected row with its reason (all of them are in the rejects file too)."""
    d = result.as_dict()
    d["rejects"] = [{"line": line, "reason": why} for line, why in result.problems]
    if not json:
        for line, why in result.problems:
            out.print(c.t("import_reject_line", line=line, reason=why))
        del d["rejects"]
    _finish_import(c, d, json)


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
        result = import_sites(session, file, rejects_path=rejects, sheet=sheet, lang=c.lang)
    _finish_rows(c, result, json)


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
        result = import_zones(session, file, rejects_path=rejects, sheet=sheet, lang=c.lang)
    _finish_rows(c, result, json)


@needs_app.command("list")
def needs_list(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Needs per site and class: count, the term that drove it, what the site already has, what is left."""
    from reemploi.planning.service import needs_with_switches as compute_needs

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = compute_needs(session, lang=c.lang)
    if json:
        print_json(rows)
        return
    table = Table(*c.h("site", "name", "class", "count", "has", "left", "driver"), optional=(1, 6))
    for r in rows:
        table.add_row(r["site"], r["site_name"], label("need_class", r["class"], c.lang), c.n(r["count"]),
                      c.n(r["provided"]), c.n(r["remaining"]), r["driver"])  # fmt: skip
    print_table(c, table)
    aps = [r for r in rows if r["class"] != "switch"]
    out.print(c.t("needs_total", count=sum(r["count"] for r in aps), sites=len({r["site"] for r in aps}),
                  provided=sum(r["provided"] for r in aps), remaining=sum(r["remaining"] for r in aps)))  # fmt: skip
    sw = [r for r in rows if r["class"] == "switch"]
    for r in sw:
        _switch_warnings(c, r)
        for cl in r["closets"]:
            if cl["beyond_90m"]:
                out.print(c.t("closet_beyond_link", site=r["site"], closet=cl["closet"], floor=cl["floor"],
                              longest=cl["longest_m"]), style="yellow")  # fmt: skip
    if sw:
        out.print(c.t("needs_switch_total", count=sum(r["count"] for r in sw),
                      closets=sum(len(r["closets"]) for r in sw), provided=sum(r["provided"] for r in sw),
                      remaining=sum(r["remaining"] for r in sw)))  # fmt: skip


# `-3` would otherwise be read as an unknown option: let it through as COUNT and say what is wrong.
@needs_app.command("set", context_settings={"ignore_unknown_options": True})
def needs_set(
    site: Annotated[str, typer.Argument(metavar="SITE")],
    need_class: Annotated[str, typer.Argument(metavar="CLASS", help="indoor or outdoor")],
    count: Annotated[int, typer.Argument(metavar="COUNT", help="APs wanted, 0 or more.")],
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Keep a planner's count for a site and class (the computed one stays visible)."""
    from reemploi.planning.service import set_override

    c = ctx(db, lang, json)
    if count < 0:
        fail(c, "needs_count_negative", EXIT_INPUT, value=count)
    with unit_of_work(c) as session:
        set_override(session, site, need_class, count, actor=actor_name(actor))
    if json:
        print_json({"site": site.strip().upper(), "class": need_class.strip().lower(), "count": count})
        return
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
        result = import_overrides(session, file, actor=actor_name(actor), rejects_path=rejects, lang=c.lang)
    _finish_rows(c, result, json)


plan_app = typer.Typer(help="Allocation plans: create (optimal, with a greedy baseline), approve, cancel.",
                       no_args_is_help=True)  # fmt: skip
PlanArg = Annotated[int, typer.Argument(metavar="PLAN", help="Plan number.")]


def _plan_summary(c, d) -> None:  # type: ignore[no-untyped-def]
    g = d["greedy"]
    out.print(c.t("plan_summary", plan=d["plan"], status=d["status"], assigned=d["assigned"], needed=d["needed"],
                  unmet=d["unmet"], unused=d["unused"], transport=f"{d['transport_kgco2e']:.1f}",
                  solver=d["solver"], optimal=c.t("yes" if d["optimal"] else "no"), gap=f"{d['gap']:.2%}"))  # fmt: skip
    out.print(c.t("plan_greedy", assigned=g["assigned"], unmet=g["unmet"], transport=f"{g['transport_kgco2e']:.1f}",
                  saving=f"{g['transport_kgco2e'] - d['transport_kgco2e']:.1f}"))  # fmt: skip
    for p in d["purchase"]:
        if p["min_wifi_generation"]:
            out.print(c.t("plan_purchase", count=p["count"], need_class=p["class"], gen=p["min_wifi_generation"]))
        else:
            out.print(c.t("plan_purchase_any", count=p["count"], need_class=p["class"]))
    sw = d.get("switches")
    if sw:
        out.print(c.t("plan_switches", needed=sw["needed"], assigned=sw["assigned"], missing=sw["missing"],
                      unused=sw["unused"], transport=f"{sw['transport_kgco2e']:.1f}"))  # fmt: skip
    for p in d.get("switch_purchase", []):
        out.print(c.t("plan_purchase_switch", count=p["count"], model=p["model"], ports=p["ports"],
                      budget=f"{p['poe_budget_w']:.0f}"))  # fmt: skip


@plan_app.command("create")
def plan_create(
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="A name for the plan.")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SECONDS", min=1, help="MILP time limit.")] = 60,
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Assign ready stock to the needs: optimal (HiGHS), beside a greedy baseline. The plan starts as a draft."""
    from reemploi.planning.allocation import create_plan
    from reemploi.planning.plans import as_dict

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        plan = create_plan(session, name=name, actor=actor_name(actor), time_limit=time_limit)
        d = as_dict(session, plan)
    if json:
        keys = ("plan", "needed", "assigned", "unmet", "unused", "transport_kgco2e", "optimal", "gap")
        g = d["greedy"]
        extra = {k: d[k] for k in ("purchase", "status", "switches", "switch_purchase")}
        print_json({k: d[k] for k in keys} | {"greedy": {k: g[k] for k in ("assigned", "unmet", "transport_kgco2e")}}
                   | extra)  # fmt: skip
        return
    if d["assigned"] == 0 and d["needed"] == 0:
        out.print(c.t("plan_needs_met" if d.get("site_count") else "plan_no_needs"))
    elif d["assigned"] == 0:
        out.print(c.t("plan_no_stock"))
    _plan_summary(c, d)


@plan_app.command("list")
def plan_list(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Plans, newest last."""
    from reemploi.planning.plans import list_plans

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_plans(session)
    if json:
        print_json(rows)
        return
    table = Table(*c.h("#", "name", "status", "assigned", "unmet"))
    for r in rows:
        table.add_row(str(r["plan"]), r["name"], label("plan_status", r["status"], c.lang), c.n(r["assigned"]),
                      c.n(r["unmet"]))  # fmt: skip
    print_table(c, table)


def _switch_warnings(c: Any, r: dict[str, Any]) -> None:
    """What a site's switches cannot give: multigigabit ports, PoE per port."""
    if r.get("mgig_unserved"):
        out.print(c.t("switch_mgig_unserved", site=r["site"], count=r["mgig_unserved"], model=r["model"] or "-"),
                  style="yellow")  # fmt: skip
    if r.get("poe_unserved"):
        out.print(c.t("switch_poe_unserved", site=r["site"], count=r["poe_unserved"], model=r["model"] or "-",
                      watts=r.get("port_max_w") or 0), style="yellow")  # fmt: skip


def _switch_driver(c: Any, r: dict[str, Any]) -> str:
    """A plan's switch driver in the reader's language (plans made before codes keep their text)."""
    code = f"switch_driver.{r['driver']}"
    if not has(code):
        return str(r["driver"])
    return c.t(code, ports=r.get("ports_in_all", r["aps"]), watts=r["poe_w"], per=r["ports"] or 0,
               budget=r["poe_budget_w"] or 0, model=r["model"] or "-", mgig=r.get("mgig_ports", 0),
               per_mgig=r.get("mgig_per_switch", 0), rooms=r.get("closets", 1))  # fmt: skip


@plan_app.command("show")
def plan_show(
    plan: PlanArg,
    devices: Annotated[bool, typer.Option("--devices", help="Include the device-level assignment.")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """A plan: per-site summary, unmet needs (purchase list), unused stock, greedy comparison."""
    from reemploi.planning.plans import as_dict, get_plan

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        d = as_dict(session, get_plan(session, plan), devices=devices)
    if json:
        print_json(d)
        return
    _plan_summary(c, d)
    if devices:
        table = Table(*c.h("serial", "site", "class", "floor", "position", "closet"))
        for r in d["assignment"]:
            table.add_row(r["serial"], r["site"], label("need_class", r["class"], c.lang), r["floor"] or "-",
                          r["position"] or "-", r["closet"] or "-")  # fmt: skip
        print_table(c, table)
    table = Table(*c.h("site", "name", "class", "devices", "kgCO2e"), optional=(1,))
    for s in d["sites"]:
        table.add_row(s["site"], s["site_name"], label("need_class", s["class"], c.lang), c.n(s["devices"]),
                      c.n(s["transport_kgco2e"], 2))  # fmt: skip
    print_table(c, table)
    if d["switch_needs"]:
        table = Table(*c.h("site", "APs", "PoE W", "switch", "count", "assigned", "driver"), optional=(6, 2))
        for r in d["switch_needs"]:
            table.add_row(r["site"], c.n(r["aps"]), c.n(r["poe_w"], 0), r["model"] or "-", c.n(r["count"]),
                          c.n(r["assigned"]), _switch_driver(c, r))  # fmt: skip
        print_table(c, table)
        for r in d["switch_needs"]:
            _switch_warnings(c, r)
    if d["unmet_needs"]:
        out.print(c.t("plan_unserved", count=len(d["unserved_sites"])))
        for u in d["unmet_needs"]:
            out.print(c.t("plan_unserved_row", site=u["site"], site_name=u["site_name"], need_class=u["class"],
                          missing=u["missing"], needed=u.get("needed", "?")))  # fmt: skip


@plan_app.command("approve")
def plan_approve(
    plan: PlanArg, actor: ActorOpt = None, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False
) -> None:
    """Approve a draft plan: its devices become reserved (refused whole if one is no longer ready,
    if another plan is approved, or if it assigns nothing)."""
    from reemploi.planning.plans import approve

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        p, n = approve(session, plan, actor=actor_name(actor))
        pid, status = p.id, p.status
    if json:
        print_json({"plan": pid, "status": status, "reserved": n})
        return
    out.print(c.t("plan_approved", plan=pid, count=n))


@plan_app.command("cancel")
def plan_cancel(
    plan: PlanArg, actor: ActorOpt = None, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False
) -> None:
    """Cancel a plan; reserved devices go back to ready stock."""
    from reemploi.planning.plans import cancel

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        p, n = cancel(session, plan, actor=actor_name(actor))
        pid, status = p.id, p.status
    if json:
        print_json({"plan": pid, "status": status, "released": n})
        return
    out.print(c.t("plan_cancelled", plan=pid, count=n))


ship_app = typer.Typer(help="Shipments of an approved plan: packing lists, send, install, in service.",
                       no_args_is_help=True)  # fmt: skip
ShipArg = Annotated[str, typer.Argument(metavar="SHIPMENT", help="Shipment code (SH-…).")]


def _moved(c, r, json: bool) -> None:  # type: ignore[no-untyped-def]
    from reemploi.cli.common import EXIT_OK, EXIT_PARTIAL
    from reemploi.cli.workflow import _move_dict, _report_move

    if json:
        print_json(_move_dict(r, c))
    else:
        _report_move(c, r)
    raise typer.Exit(EXIT_PARTIAL if r.refused or r.unknown else EXIT_OK)


@ship_app.command("create")
def ship_create(
    plan: PlanArg, actor: ActorOpt = None, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False
) -> None:
    """One shipment per site of an approved plan, packed in boxes and pallets (capacities: settings)."""
    from reemploi.planning.shipments import create_shipments, list_shipments

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        create_shipments(session, plan, actor=actor_name(actor))
        rows = list_shipments(session, plan)
    if json:
        print_json(rows)
        return
    _ship_table(c, rows)


def _ship_table(c, rows) -> None:  # type: ignore[no-untyped-def]
    table = Table(*c.h("shipment", "site", "status", "devices", "boxes", "pallets", "km", "kgCO2e"), optional=(5, 4, 6))
    for r in rows:
        table.add_row(r["shipment"], r["site"], label("shipment_status", r["status"], c.lang), c.n(r["devices"]),
                      c.n(r["boxes"]), c.n(r["pallets"]), c.n(r["distance_km"], 0),
                      c.n(r["transport_kgco2e"], 2))  # fmt: skip
    print_table(c, table)
    out.print(c.t("ship_total", count=len(rows), kg=sum(r["transport_kgco2e"] for r in rows)))


@ship_app.command("list")
def ship_list(
    plan: Annotated[int | None, typer.Option("--plan", metavar="PLAN", help="Only this plan's.")] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Shipments with their boxes, distance and transport emissions."""
    from reemploi.planning.shipments import list_shipments

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_shipments(session, plan)
    if json:
        print_json(rows)
        return
    _ship_table(c, rows)


@ship_app.command("packing-list")
def ship_packing_list(
    shipment: ShipArg,
    out_: Annotated[str, typer.Option("--out", metavar="FILE.csv|FILE.pdf", help="Where to write it.")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace the file if it exists.")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """The shipment's packing list, box by box (CSV or PDF)."""
    from reemploi.planning.shipments import packing_list

    c = ctx(db, lang)
    with unit_of_work(c, write=False) as session:
        n = packing_list(session, shipment, out_, lang=c.lang, replace=replace)
    out.print(c.t("exported", count=n, file=out_))


@ship_app.command("send")
def ship_send(shipment: ShipArg, actor: ActorOpt = None, date: DateOpt = None, db: DbOpt = None, lang: LangOpt = None,
              json: JsonOpt = False) -> None:  # fmt: skip
    """The shipment leaves the stock: its devices become shipped."""
    from reemploi.planning.shipments import send

    c = ctx(db, lang, json, date)
    with unit_of_work(c) as session:
        r = send(session, shipment, actor=actor_name(actor))
    _moved(c, r, json)


@ship_app.command("install")
def ship_install(
    shipment: ShipArg,
    serials: Annotated[
        list[str] | None, typer.Argument(metavar="[SERIAL...]", help="Only these (default: all).")
    ] = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Devices of the shipment are mounted at its site."""
    from reemploi.planning.shipments import install

    c = ctx(db, lang, json, date)
    with unit_of_work(c) as session:
        r = install(session, shipment, serials, actor=actor_name(actor))
    _moved(c, r, json)


@ship_app.command("in-service")
def ship_in_service(shipment: ShipArg, actor: ActorOpt = None, date: DateOpt = None, db: DbOpt = None,
                    lang: LangOpt = None, json: JsonOpt = False) -> None:  # fmt: skip
    """Installed devices of the shipment start their second life (in service)."""
    from reemploi.planning.shipments import in_service

    c = ctx(db, lang, json, date)
    with unit_of_work(c) as session:
        r = in_service(session, shipment, actor=actor_name(actor))
    _moved(c, r, json)


@sites_app.command("acceptance")
def sites_acceptance(
    site: Annotated[str, typer.Argument(metavar="SITE")], db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False
) -> None:
    """Installed against planned for a site, with the devices still missing. Exit 1 on gaps."""
    from reemploi.cli.common import EXIT_OK, EXIT_PARTIAL
    from reemploi.planning.shipments import acceptance

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        r = acceptance(session, site)
    if json:
        print_json(r)
    else:
        out.print(c.t("acceptance", site=r["site"], planned=r["planned"], installed=r["installed"],
                      gaps=len(r["gaps"])))  # fmt: skip
        for g in r["gaps"]:
            out.print(f"  {g['serial']}  {g['state']}")
        pos = r["positions"]
        if any(pos.values()):
            out.print(c.t("acceptance_positions", installed=len(pos["installed"]), missing=len(pos["missing"]),
                          swapped=len(pos["swapped"]), not_scanned=len(pos["not_scanned"])))  # fmt: skip
            for m in pos["missing"]:
                out.print("  " + c.t("acceptance_position_missing", position=m["position"], floor=m["floor"] or "-",
                                     serial=m["serial"]))  # fmt: skip
            for m in pos["swapped"]:
                out.print("  " + c.t("acceptance_position_swapped", position=m["position"], serial=m["serial"],
                                     installed=m["installed_position"]))  # fmt: skip
    raise typer.Exit(EXIT_PARTIAL if r["gaps"] or r["positions"]["missing"] else EXIT_OK)


install_app = typer.Typer(help="Installation on site, device by device at its position.", no_args_is_help=True)


@install_app.command("scan")
def install_scan(
    serial: Annotated[str, typer.Argument(metavar="SERIAL", help="The device's serial (or its label's QR text).")],
    position: Annotated[str | None, typer.Option("--position", metavar="NAME",
                                                 help="Where it is mounted: the AP's name on the design, "
                                                      "or the switch's slot (closet/SWn).")] = None,
    site: Annotated[str | None, typer.Option("--site", metavar="SITE", help="The site the installer is at.")] = None,
    swap: Annotated[bool, typer.Option("--swap", help="Accept another position of the same site and class "
                                                      "(recorded as swapped).")] = False,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a device installed at its position; a wrong site or position is refused, the right one named."""
    from reemploi.planning.install import install_at
    from reemploi.workflow.service import LABEL_PREFIX

    c = ctx(db, lang, json, date)
    text = serial.strip()
    if text.upper().startswith(LABEL_PREFIX):
        text = text[len(LABEL_PREFIX):]
    with unit_of_work(c) as session:
        r = install_at(session, text, position, site=site, swap=swap, actor=actor_name(actor))
    if json:
        print_json(r)
        return
    done = "install_done" if r["floor"] or r["closet"] else "install_done_site"
    code = "install_already" if r["already"] else ("install_swapped" if r["swapped"] else done)
    out.print(c.t(code, serial=r["serial"], site=r["site"], position=r["position"] or "-", floor=r["floor"] or "-",
                  planned=r["planned"] or "-", closet=r["closet"] or "-"))  # fmt: skip


def asbuilt(
    site: Annotated[str, typer.Argument(metavar="SITE", help="Site code.")],
    out_: Annotated[str, typer.Option("--out", metavar="FILE", help="Where to write it.")],
    format_: Annotated[str, typer.Option("--format", metavar="csv|xlsx|json|netbox|controller",
                                         help="csv, xlsx or json: the full record; netbox: NetBox's device import "
                                              "(with the objects it refers to beside it); controller: the AP list "
                                              "a controller imports.")] = "csv",
    replace: Annotated[bool, typer.Option("--replace", help="Replace the file(s) if they exist.")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """As-built records of a site: each installed device with its floor, position, coordinates and switch port."""
    from reemploi.planning.asbuilt import export

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        r = export(session, site, format_, out_, replace=replace)
    if json:
        print_json(r)
        return
    out.print(c.t("asbuilt_written", site=r["site"], devices=r["devices"], format=r["format"], file=r["file"]))
    for extra in r["files"][1:]:
        out.print(f"  {extra}")

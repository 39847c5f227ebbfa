"""Commands for the site design: floor plans, APs, surveys, designs, calibration, heatmaps."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from reemploi.cli.common import (
    ActorOpt,
    Ctx,
    DbOpt,
    JsonOpt,
    LangOpt,
    Table,
    actor_name,
    ctx,
    decimal,
    out,
    print_json,
    print_table,
    unit_of_work,
)
from reemploi.cli.inventory import RejectsOpt
from reemploi.cli.planning import _finish_rows
from reemploi.i18n import has

floors_app = typer.Typer(help="Floor plans of the sites (DXF, GeoJSON, Ekahau .esx).", no_args_is_help=True)
aps_app = typer.Typer(help="APs installed or placed at a site, by name (what a survey measures).",
                      no_args_is_help=True)  # fmt: skip
survey_app = typer.Typer(help="Radio surveys of the sites (measured signal per point and AP).", no_args_is_help=True)
design_app = typer.Typer(help="Site designs: AP positions, predicted coverage, calibration, heatmaps.",
                         no_args_is_help=True)  # fmt: skip

SiteArg = Annotated[str, typer.Argument(metavar="SITE", help="Site code.")]


@floors_app.command("import")
def floors_import(
    site: SiteArg,
    file: Annotated[str, typer.Argument(metavar="FILE", help="DXF, GeoJSON or Ekahau .esx plan.")],
    floor: Annotated[str | None, typer.Option("--floor", metavar="NAME",
                                              help="The floor's name (default: the file's; .esx: only this floor).")] = None,  # noqa: E501
    scale: Annotated[float | None, typer.Option("--scale", metavar="M_PER_UNIT", parser=decimal,
                                                help="Metres per drawing unit when the file has none or a wrong one.")] = None,  # noqa: E501
    layer_map: Annotated[str | None, typer.Option("--layer-map", metavar="FILE",
                                                  help="CSV pattern,material: which DXF layers are which walls.")] = None,  # noqa: E501
    elevation: Annotated[float | None, typer.Option("--elevation", metavar="M", parser=decimal,
                                                    help="The floor's elevation above the ground floor.")] = None,
    height: Annotated[float | None, typer.Option("--height", metavar="M", parser=decimal,
                                                 help="The storey height.")] = None,
    materials: Annotated[str | None, typer.Option("--materials", metavar="FILE",
                                                  help="The site's own wall materials (CSV: material, loss_2_4_db, "
                                                       "loss_5_db, loss_6_db).")] = None,  # fmt: skip
    default_material: Annotated[str | None, typer.Option("--default-material", metavar="MATERIAL",
                                                         help="GeoJSON: the material of walls that name none.")] = None,  # noqa: E501
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import a site's floor plan: walls and their materials, zones, exclusions, APs already drawn.

    A floor of the same name is replaced; a file that cannot be read whole imports nothing.
    """
    from reemploi.planning.design import import_floors

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        r = import_floors(session, site, file, actor=actor_name(actor), floor=floor, scale=scale,
                          layer_map=layer_map, elevation_m=elevation, height_m=height, materials=materials,
                          default_material=default_material)  # fmt: skip
    if json:
        print_json(r)
        return
    out.print(c.t("floors_imported", site=r["site"], count=len(r["floors"]), file=file, units=r["units"]))
    for f in r["floors"]:
        out.print(c.t("floor_line", floor=f["floor"], walls=f["walls"], zones=f["zones"], area=f["zone_area_m2"],
                      aps=f["aps"]))  # fmt: skip
    for note in r["notes"]:
        out.print(c.t(note["code"], **{k: v for k, v in note.items() if k != "code"}), style="dim")
    for s in r["skipped"]:
        what = c.t(f"skip_what.{s['what']}", name=s.get("name") or "")
        out.print(c.t("floors_skipped", what=what, count=s["count"], why=c.t(f"skip_why.{s['why']}")), style="dim")


@floors_app.command("list")
def floors_list(site: SiteArg, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """The site's floors: elevation, walls, zones and their area, APs on the plan, source file."""
    from reemploi.design.service import list_floors
    from reemploi.planning.design import site_of

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_floors(session, site_of(session, site).id)
    if json:
        print_json(rows)
        return
    if not rows:
        out.print(c.t("no_floors", site=site.upper()))
        return
    table = Table(*c.h("floor", "elevation m", "walls", "zones", "m²", "APs", "source"), optional=(6,))
    for r in rows:
        table.add_row(r["floor"], c.n(r["elevation_m"], 1), c.n(r["walls"]), c.n(r["zones"]),
                      c.n(r["zone_area_m2"], 0), c.n(r["aps"]), r["source"])  # fmt: skip
    print_table(c, table)


@floors_app.command("delete")
def floors_delete(site: SiteArg, floor: Annotated[str, typer.Argument(metavar="FLOOR", help="Floor name.")],
                  db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:  # fmt: skip
    """Delete one floor plan of a site."""
    from reemploi.design.service import delete_floor
    from reemploi.planning.design import site_of

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        delete_floor(session, site_of(session, site).id, floor)
    if json:
        print_json({"site": site.upper(), "floor": floor, "deleted": True})
        return
    out.print(c.t("floor_deleted", site=site.upper(), floor=floor))


@aps_app.command("import")
def aps_import(
    site: SiteArg,
    file: Annotated[str, typer.Argument(metavar="FILE", help="CSV or XLSX: name, floor, x_m, y_m, z_m, model, "
                                                              "eirp_dbm (optional).")],  # fmt: skip
    rejects: RejectsOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import the APs of a site by name (upsert). Exit 1 when rows were rejected."""
    from reemploi.planning.design import import_aps

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        result = import_aps(session, site, file, rejects_path=rejects, lang=c.lang)
    _finish_rows(c, result, json)


@survey_app.command("import")
def survey_import(
    site: SiteArg,
    file: Annotated[str, typer.Argument(metavar="FILE", help="CSV or XLSX: floor, x_m, y_m, ap, rssi_dbm, band "
                                                              "(optional, default 5).")],  # fmt: skip
    rejects: RejectsOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import survey measurements for a site. Exit 1 when rows were rejected (unknown AP, floor…)."""
    from reemploi.planning.design import import_survey

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        result = import_survey(session, site, file, rejects_path=rejects, lang=c.lang)
    _finish_rows(c, result, json)


@design_app.command("run")
def design_run(
    site: SiteArg,
    band: Annotated[str, typer.Option("--band", metavar="2.4|5|6", help="The band the target applies to.")] = "5",
    target: Annotated[float, typer.Option("--target", metavar="DBM", parser=decimal, help="Signal to reach.")] = -67.0,
    coverage: Annotated[float, typer.Option("--coverage", metavar="SHARE", parser=decimal,
                                            help="Share of the in-scope area to cover (0.5-1).")] = 0.95,
    secondary: Annotated[float | None, typer.Option("--secondary", metavar="SHARE", parser=decimal,
                                                    help="Share covered by a second AP too (voice, roaming).")] = None,
    grid: Annotated[float, typer.Option("--grid", metavar="M", parser=decimal, help="Prediction grid step.")] = 1.0,
    spacing: Annotated[float, typer.Option("--spacing", metavar="M", parser=decimal,
                                           help="Candidate mount points' spacing.")] = 3.0,
    materials: Annotated[str | None, typer.Option("--materials", metavar="FILE",
                                                  help="The site's own materials (CSV, same columns as shipped).")] = None,  # noqa: E501
    eirp: Annotated[list[str] | None, typer.Option("--eirp", metavar="BAND=DBM",
                                                   help="Design power per band, e.g. 5=20 (capped by the model and "
                                                        "the regulation).")] = None,  # fmt: skip
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SECONDS", parser=decimal,
                                              help="Solver time limit.")] = 45.0,
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Design a site from its floor plans and stock: AP positions and models, predicted coverage, channels.

    The design is stored (versioned) and becomes the site's AP need.
    """
    from reemploi.errors import InvalidInput
    from reemploi.planning.design import run_design

    c = ctx(db, lang, json)
    powers: dict[str, float] = {}
    for item in eirp or []:
        b, _, v = item.partition("=")
        try:
            powers[b.strip()] = float(v.replace(",", "."))
        except ValueError:
            from reemploi.cli.common import EXIT_INPUT, fail

            fail(c, "bad_eirp", EXIT_INPUT, value=item)
    with unit_of_work(c) as session:
        try:
            d = run_design(session, site, actor=actor_name(actor), band=band, target_dbm=target,
                           coverage_share=coverage, secondary_share=secondary, grid_m=grid, spacing_m=spacing,
                           materials_file=materials, design_eirp=powers or None, time_limit_s=time_limit)  # fmt: skip
        except InvalidInput:
            raise
    if json:
        print_json(d)
        return
    print_design(c, d)


def model_label(c: Ctx, name: str) -> str:
    return c.t(f"model_name.{name}") if has(f"model_name.{name}") else name


def print_design(c: Ctx, d: dict[str, Any]) -> None:
    if d.get("stale"):
        out.print(c.t("design_stale", site=d["site"], version=d["version"]), style="yellow")
    out.print(c.t("design_summary", site=d["site"], version=d["version"], aps=d["aps_total"],
                  driver=c.t(f"design_driver.{d['driver']}"), coverage=d["coverage_min"], capacity=d["capacity_min"],
                  share=d["coverage_share"], target=d["target_dbm"], band=c.t(f"band.{d['band']}"),
                  share_target=d["solver"]["share_target"]))  # fmt: skip
    s = d["solver"]
    out.print(c.t("design_solver", method=c.t(f"solver_method.{s['method']}") if has(f"solver_method.{s['method']}")
                  else s["method"],
                  state=c.t("design_solver_optimal" if s["optimal"] else "design_solver_stopped"), gap=s["gap"],
                  seconds=s["seconds"]))  # fmt: skip
    if d.get("secondary_share") is not None:
        out.print(c.t("design_secondary", share=d["secondary_share"], target=d["target_dbm"]))
    if d.get("outdoor"):
        o = d["outdoor"]
        out.print(c.t("design_outdoor", aps=o["aps_total"], share=o["coverage_share"], target=d["target_dbm"]))
    n = d["naive_grid"]
    out.print(c.t("design_naive", area=n["area_per_ap_m2"], aps=n["aps_total"], share=n["coverage_share"]))
    if d.get("existing"):
        out.print(c.t("design_existing", aps=d["existing"]["aps_total"], share=d["existing"]["coverage_share"]))
    items = [c.t("design_model_item", count=m["count"], model=m["model"],
                 origin=c.t("design_origin_stock" if m["reused"] else "design_origin_buy"))
             for m in d["models"]]  # fmt: skip
    out.print(c.t("design_models", models=", ".join(items)))
    m = d["model"]
    out.print(c.t("design_model_line", name=model_label(c, m["name"]), alpha=c.n(m["alpha"], 2),
                  beta=c.n(m["beta"], 2), gamma=c.n(m["gamma"], 2), floor_loss=c.n(m["floor_loss_db"], 1),
                  calibrated=c.t("design_calibrated" if d.get("calibrated") else "design_default_model")),
              style="dim")  # fmt: skip
    table = Table(*c.h("floor", "APs", "coverage"))
    for f in d["floors"]:
        table.add_row(f["floor"], c.n(f["aps_total"]), c.t("percent_value", value=f["coverage_share"]))
    print_table(c, table)
    for band, pairs in sorted(d["co_channel"].items()):
        if pairs:
            out.print(c.t("design_co_channel", band=c.t(f"band.{band}"), count=len(pairs)), style="dim")
    for w in d.get("warnings", []):
        out.print(c.t(w["code"], **{k: v for k, v in w.items() if k != "code"}), style="yellow")


@design_app.command("show")
def design_show(site: SiteArg, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """The site's latest design (as `design run` printed it)."""
    from reemploi.planning.design import show_design

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        d = show_design(session, site)
    if json:
        print_json(d)
        return
    print_design(c, d)


@design_app.command("calibrate")
def design_calibrate(site: SiteArg, actor: ActorOpt = None, db: DbOpt = None, lang: LangOpt = None,
                     json: JsonOpt = False) -> None:  # fmt: skip
    """Fit the propagation model to the site's survey; report the fit on points it did not use."""
    from reemploi.planning.design import calibrate_site

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        r = calibrate_site(session, site, actor=actor_name(actor))
    if json:
        print_json(r)
        return
    out.print(c.t("calibrate_summary", site=r["site"], train=r["train_points"], test=r["test_points"],
                  rmse=c.n(r["test"]["rmse_db"], 1), bias=c.n(r["test"]["bias_db"], 1),
                  rmse0=c.n(r["before"]["test"]["rmse_db"], 1),
                  bias0=c.n(r["before"]["test"]["bias_db"], 1)))  # fmt: skip
    m = r["model"]
    out.print(c.t("design_model_line", name=model_label(c, m["name"]), alpha=c.n(m["alpha"], 2), beta=c.n(m["beta"], 2),
                  gamma=c.n(m["gamma"], 2), floor_loss=c.n(m["floor_loss_db"], 1),
                  calibrated=c.t("design_calibrated")))  # fmt: skip
    if r.get("warning"):
        out.print(c.t(r["warning"]), style="yellow")


@design_app.command("predict")
def design_predict(
    site: SiteArg,
    points: Annotated[str, typer.Option("--points", metavar="FILE", help="CSV: floor, x_m, y_m.")],
    band: Annotated[str, typer.Option("--band", metavar="2.4|5|6", help="Band.")] = "5",
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Predicted signal (dBm) per point and AP, with the site's current (calibrated or default) model."""
    from reemploi.planning.design import predict_points

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        r = predict_points(session, site, points, band=band)
    if json:
        print_json(r)
        return
    table = Table(*c.h("floor", "x m", "y m", "best AP", "dBm"))
    for p in r["points"]:
        heard = {k: v for k, v in p["rssi_dbm"].items() if v is not None}
        best = max(heard.items(), key=lambda kv: kv[1], default=("-", None))
        table.add_row(p["floor"], c.n(p["x_m"], 1), c.n(p["y_m"], 1), best[0],
                      "-" if best[1] is None else c.n(best[1], 1))  # fmt: skip
    print_table(c, table)


@design_app.command("heatmap")
def design_heatmap(
    site: SiteArg,
    out_dir: Annotated[str, typer.Option("--out", metavar="DIR", help="Folder for the PNG files.")],
    band: Annotated[list[str] | None, typer.Option("--band", metavar="2.4|5|6", help="Band(s) (default: 5).")] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Heatmaps of the site's latest design: one PNG per floor and band, walls and APs drawn."""
    from reemploi.planning.design import heatmaps

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        files = heatmaps(session, site, out_dir, bands=tuple(band or ["5"]), lang=c.lang)
    if json:
        print_json({"site": site.upper(), "files": files})
        return
    out.print(c.t("heatmaps_written", count=len(files), folder=out_dir))


@design_app.command("pdf")
def design_pdf_cmd(
    site: SiteArg,
    out_file: Annotated[str, typer.Option("--out", metavar="FILE.pdf", help="Where to write the PDF.")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace FILE if it exists (it is refused otherwise).")] = False,  # noqa: E501
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """The site's latest design as a PDF: summary, then per floor its heatmap and its APs."""
    from reemploi.planning.design import design_pdf

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        path = design_pdf(session, site, out_file, lang=c.lang, replace=replace)
    if json:
        print_json({"site": site.upper(), "file": path})
        return
    out.print(c.t("design_pdf_written", path=path))


@aps_app.command("list")
def aps_list(site: SiteArg, db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """The APs imported for a site (name, floor, position, model)."""
    from reemploi.design.service import list_aps
    from reemploi.planning.design import site_of

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_aps(session, site_of(session, site).id)
    if json:
        print_json(rows)
        return
    table = Table(*c.h("name", "floor", "x m", "y m", "z m", "model"))
    for r in rows:
        table.add_row(r["name"], r["floor"], c.n(r["x_m"], 1), c.n(r["y_m"], 1), c.n(r["z_m"], 1), r["model"] or "-")
    print_table(c, table)

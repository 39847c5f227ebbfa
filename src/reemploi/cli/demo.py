"""The ``demo`` command: a fresh SQLite database in --out, the scenario, a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from reemploi.cli.common import EXIT_OK, EXIT_PARTIAL, Ctx, Table, ctx, err, out, print_json, print_table, translated
from reemploi.i18n import kind_label, state_label


def run_demo(out_dir: str, seed: int, aps: int, switches: int, lang: str | None, json: bool) -> None:
    from reemploi.demo.service import DemoParams, create_demo

    folder = Path(out_dir).resolve()
    c = ctx(f"sqlite:///{folder / 'reemploi-demo.db'}", lang, json)
    step = (lambda s: err.print(f"… {c.t('demo_step.' + s)}", style="dim")) if not json else None
    with translated(c):
        summary = create_demo(folder, DemoParams(seed=seed, aps=aps, switches=switches), progress=step,
                              report_lang=c.lang)  # fmt: skip
    data = summary.as_dict()
    if json:
        print_json(data)
    else:
        _print_summary(c, data)
    raise typer.Exit(EXIT_OK if summary.audit_ok else EXIT_PARTIAL)


def _print_summary(c: Ctx, d: dict[str, Any]) -> None:
    rec = d["reconciliation"]
    out.print(c.t("demo_title"), style="bold")
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
    table = Table(c.t("state"), *(kind_label(k, c.lang) for k in kinds), c.h("total")[0])
    for state in sorted(d["by_state"]):
        row = d["by_state"][state]
        table.add_row(state_label(state, c.lang), *(c.n(row.get(k, 0)) for k in kinds), c.n(sum(row.values())))
    print_table(c, table)
    b = d["bench"]
    out.print(c.t("demo_bench", tests=b.get("tests", 0), repairs=b.get("repairs", 0), upgrades=b.get("upgrades", 0),
                  wipes=b.get("wipes", 0), recycled=b.get("recycled", 0)))  # fmt: skip
    grades = ", ".join(c.t("demo_grade", grade=g if g != "-" else c.t("no_grade"), count=n)
                       for g, n in sorted(d["by_grade"].items()))  # fmt: skip
    out.print(c.t("demo_grades", grades=grades))
    rates = d["ready_rate"]
    out.print(c.t("demo_ready", ap=rates["ap"], outdoor=rates["outdoor_ap"], switch=rates["switch"]))
    released = ("ready", "reserved", "shipped", "installed", "in_service")
    stock = {k: sum(d["by_state"].get(st, {}).get(k, 0) for st in released) for k in ("indoor_ap", "outdoor_ap")}
    out.print(c.t("demo_needs", sites=d["sites"], indoor=d["needs"].get("indoor", 0),
                  outdoor=d["needs"].get("outdoor", 0), ready_indoor=stock["indoor_ap"],
                  ready_outdoor=stock["outdoor_ap"]))  # fmt: skip
    ds = d["design"]
    if ds:
        out.print(c.t("demo_design", site=ds["site"], aps=ds["aps"], estimate=ds["estimate"], floors=ds["floors"],
                      share=ds["coverage_share"], target=ds["target_dbm"], outdoor=ds["outdoor_aps"],
                      driver=c.t(f"design_driver.{ds['driver']}")))  # fmt: skip
    p = d["plan"]
    g = p["greedy"]
    out.print(c.t("demo_plan", plan=p["plan"], assigned=p["assigned"], needed=p["needed"], unmet=p["unmet"],
                  unused=p["unused"], transport=p["transport_kgco2e"], greedy=g["transport_kgco2e"],
                  saving=g["transport_kgco2e"] - p["transport_kgco2e"]))  # fmt: skip
    sw = p.get("switches")
    if sw:
        out.print(c.t("demo_switches", needed=sw["needed"], closets=p.get("closets", 0), assigned=sw["assigned"],
                      missing=sw["missing"]))  # fmt: skip
        if sw.get("mgig_unserved") or sw.get("poe_unserved"):
            out.print(c.t("demo_switch_gaps", mgig=sw.get("mgig_unserved", 0), poe=sw.get("poe_unserved", 0)))
    if ds.get("closets"):
        rooms = ", ".join(c.t("demo_closet", closet=r["closet"], switches=r["switches"], ports=r["ports"])
                          for r in ds["closets"])  # fmt: skip
        out.print(c.t("demo_mdi_closets", site=ds["site"], count=len(ds["closets"]),
                      model=ds.get("switch_model") or "-", rooms=rooms))  # fmt: skip
    inst = p.get("installation")
    if inst:
        out.print(c.t("demo_installation", site=inst["site"], scanned=inst["scanned"], boxes=inst["boxes"],
                      floors=inst["floors"], installed=inst["installed"], swapped=inst["swapped"],
                      refused=inst["refused"], missing=inst["missing"],
                      labels=str(Path(d["files"]["sites"]).parent / inst["labels"])))  # fmt: skip
    in_service = sum(d["by_state"].get("in_service", {}).values())
    out.print(c.t("demo_shipped", shipments=p["shipments"], boxes=p["boxes"], pallets=p["pallets"],
                  in_service=in_service))  # fmt: skip
    imp = d["impact"]
    net = imp["net_avoided_tco2e"]
    rate = imp["reuse_rate"]
    out.print(c.t("demo_impact", value=net["value"], p5=net["p5"], p95=net["p95"], ap=rate["ap"]["count"] or 0.0,
                  switch=rate["switch"]["count"] or 0.0, ap_target=rate["ap"]["target"],
                  switch_target=rate["switch"]["target"]))  # fmt: skip
    if d["files"].get("report_html"):
        out.print(c.t("demo_report", path=d["files"]["report_html"]), style="bold")
    verdict = c.t("intact" if d["audit_ok"] else "tampered")
    out.print(c.t("demo_audit", count=d["audit_events"], verdict=verdict, head=d["audit_head"][:16]))
    out.print(c.t("demo_database", db=d["database"], seconds=d["seconds"]))

"""The ``demo`` command: a fresh SQLite database in --out, the scenario, a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from reemploi.cli.common import EXIT_OK, EXIT_PARTIAL, Ctx, Table, ctx, err, out, print_json, print_table, translated


def run_demo(out_dir: str, seed: int, aps: int, switches: int, lang: str | None, json: bool) -> None:
    from reemploi.demo.service import DemoParams, create_demo

    folder = Path(out_dir).resolve()
    c = ctx(f"sqlite:///{folder / 'reemploi-demo.db'}", lang, json)
    step = (lambda s: err.print(f"… {s}", style="dim")) if not json else None
    with translated(c):
        summary = create_demo(folder, DemoParams(seed=seed, aps=aps, switches=switches), progress=step,
                              report_lang=c.lang)  # fmt: skip
    data = summary.as_dict()
    if json:
        print_json(data)
    else:
        _print_summary(c, data)
    raise typer.Exit(EXIT_OK if summary.audit_ok else EXIT_PARTIAL)


def _num(x: float, lang: str) -> str:
    from reemploi.impact.report.texts import number

    return number(x, lang, 1)


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
    table = Table(c.t("state"), *kinds, "total")
    for state in sorted(d["by_state"]):
        row = d["by_state"][state]
        table.add_row(state, *(str(row.get(k, 0)) for k in kinds), str(sum(row.values())))
    print_table(c, table)
    b = d["bench"]
    out.print(c.t("demo_bench", tests=b.get("tests", 0), repairs=b.get("repairs", 0), upgrades=b.get("upgrades", 0),
                  wipes=b.get("wipes", 0), recycled=b.get("recycled", 0)))  # fmt: skip
    grades = ", ".join(f"{g}: {n}" for g, n in sorted(d["by_grade"].items()))
    out.print(c.t("demo_grades", grades=grades))
    rates = d["ready_rate"]

    def pct(x: float) -> str:  # 92.5% in English, 92,5 % in French
        return f"{x * 100:.1f} %".replace(".", ",") if c.lang == "fr" else f"{x:.1%}"

    out.print(c.t("demo_ready", ap=pct(rates["ap"]), outdoor=pct(rates["outdoor_ap"]), switch=pct(rates["switch"])))
    released = ("ready", "reserved", "shipped", "installed", "in_service")
    stock = {k: sum(d["by_state"].get(st, {}).get(k, 0) for st in released) for k in ("indoor_ap", "outdoor_ap")}
    out.print(c.t("demo_needs", sites=d["sites"], indoor=d["needs"].get("indoor", 0),
                  outdoor=d["needs"].get("outdoor", 0), ready_indoor=stock["indoor_ap"],
                  ready_outdoor=stock["outdoor_ap"]))  # fmt: skip
    p = d["plan"]
    g = p["greedy"]
    out.print(c.t("demo_plan", plan=p["plan"], assigned=p["assigned"], needed=p["needed"], unmet=p["unmet"],
                  unused=p["unused"], transport=f"{p['transport_kgco2e']:.1f}", greedy=f"{g['transport_kgco2e']:.1f}",
                  saving=f"{g['transport_kgco2e'] - p['transport_kgco2e']:.1f}"))  # fmt: skip
    in_service = sum(d["by_state"].get("in_service", {}).values())
    out.print(c.t("demo_shipped", shipments=p["shipments"], boxes=p["boxes"], pallets=p["pallets"],
                  in_service=in_service))  # fmt: skip
    imp = d["impact"]
    net = imp["net_avoided_tco2e"]
    out.print(c.t("demo_impact", value=_num(net["value"], c.lang), p5=_num(net["p5"], c.lang),
                  p95=_num(net["p95"], c.lang), ap=pct(imp["reuse_rate"]["ap"]["count"] or 0.0),
                  switch=pct(imp["reuse_rate"]["switch"]["count"] or 0.0),
                  ap_target=pct(imp["reuse_rate"]["ap"]["target"]),
                  switch_target=pct(imp["reuse_rate"]["switch"]["target"])))  # fmt: skip
    if d["files"].get("report_html"):
        out.print(c.t("demo_report", path=d["files"]["report_html"]), style="bold")
    verdict = c.t("intact" if d["audit_ok"] else "tampered")
    out.print(c.t("demo_audit", count=d["audit_events"], verdict=verdict, head=d["audit_head"][:16]))
    out.print(c.t("demo_database", db=d["database"], seconds=d["seconds"]))

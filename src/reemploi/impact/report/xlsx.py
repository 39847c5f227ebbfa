"""The report's workbook: the figures, the factors and the per-device ledger (openpyxl)."""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from reemploi.i18n import label
from reemploi.impact.ledger import DeviceRow
from reemploi.impact.method import TERMS
from reemploi.impact.report.build import XLSX_MAX_ROWS, Content
from reemploi.impact.report.texts import distribution, driver_label, quality, tr, unit
from reemploi.impact.service import ImpactResult

HEAD = Font(bold=True)
FILL = PatternFill("solid", fgColor="ECEFF1")


def _safe(value: object) -> object:
    """Only text starting with '=' becomes a formula in a workbook: keep such text as text."""
    if isinstance(value, str) and value.startswith("="):
        return "\u200b" + value  # a zero-width space: shown as typed, never evaluated
    return value


def _sheet(wb: Workbook, title: str, head: list[str], rows: list[list[object]]) -> None:
    ws = wb.create_sheet(title.split(":")[0].strip()[:31])  # sheet names allow no ':'; keep the short part
    ws.append(head)
    for cell in ws[1]:
        cell.font, cell.fill = HEAD, FILL
    for row in rows:
        ws.append([_safe(v) for v in row])
    for i, h in enumerate(head, start=1):
        longest = max([len(str(h)), *(len(str(r[i - 1])) for r in rows[:200])], default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    ws.freeze_panes = "A2"


def write_xlsx(
    c: Content, result: ImpactResult, devices: list[tuple[DeviceRow, float, float, float]], path: Path
) -> None:
    d, lang = result.data, c.lang
    wb = Workbook()
    wb.remove(wb.active)
    fig_rows: list[list[object]] = []
    for t in TERMS:
        f = d["terms_tco2e"][t]
        fig_rows.append([tr(t, lang), f["value"], f["p5"], f["p50"], f["p95"], unit(f["unit"], lang),
                         quality(f["quality"], lang)])  # fmt: skip
    n = d["net_avoided_tco2e"]
    fig_rows.append([tr("net_avoided", lang), n["value"], n["p5"], n["p50"], n["p95"], unit(n["unit"], lang),
                     quality(n["quality"], lang)])  # fmt: skip
    for g in ("ap", "switch"):
        k = d["by_kind"][g]["net_avoided_tco2e"]
        fig_rows.append([f"{tr('net_avoided', lang)} – {tr(g, lang)}", k["value"], k["p5"], k["p50"], k["p95"],
                         unit(k["unit"], lang), quality(k["quality"], lang)])  # fmt: skip
    e = d["ewaste_avoided_kg"]
    fig_rows.append([tr("ewaste", lang), e["value"], e["p5"], e["p50"], e["p95"], unit(e["unit"], lang),
                     quality(e["quality"], lang)])  # fmt: skip
    _sheet(wb, tr("summary", lang), [tr("indicator", lang), tr("central", lang), "P5", "P50", "P95",
                                     tr("unit", lang), tr("quality", lang)], fig_rows)  # fmt: skip
    ind_rows: list[list[object]] = []
    for g in ("ap", "switch"):
        r = d["reuse_rate"][g]
        ind_rows += [[tr(g, lang), f"{tr('reuse_rate', lang)} – {tr('by_count', lang)}", r["count"], r["target"]],
                     [tr(g, lang), f"{tr('reuse_rate', lang)} – {tr('by_mass', lang)}", r["mass"], r["target"]],
                     [tr(g, lang), tr("released", lang), r["released"], r["target"]]]  # fmt: skip
        for key, value in d["flow"][g].items():
            ind_rows.append([tr(g, lang), label("flow", key, lang), value, None])
    _sheet(wb, tr("indicators", lang), [tr("kind", lang), tr("indicator", lang), tr("value", lang),
                                        tr("target", lang)], ind_rows)  # fmt: skip
    _sheet(wb, "ESRS E5", ["ESRS", tr("indicator", lang), tr("value", lang), tr("unit", lang)], c.esrs_raw)
    _sheet(wb, tr("sensitivity", lang)[:31], [tr("driver", lang), tr("key", lang), f"{tr('at_p5', lang)} (tCO2e)",
                                              f"{tr('at_p95', lang)} (tCO2e)", "Δ", tr("rank_corr", lang)],
           [[driver_label(s["driver"], lang), s["driver"], s["low"], s["high"], s["swing"], s["rank_correlation"]]
            for s in d["sensitivity"]])  # fmt: skip
    _sheet(wb, tr("factors", lang), [tr(k, lang) for k in ("key", "value", "unit", "distribution", "low", "high",
                                                           "source", "year", "quality", "group", "note")],
           [[f["key"], f["value"], unit(f["unit"], lang), distribution(f["distribution"], lang), f["low"], f["high"],
             f["source"], f["year"], quality(f["quality"], lang), f["group"], f["note"]]
            for f in d["factors_used"]])  # fmt: skip
    rows: list[list[object]] = []
    for dev, kc, kd, avoided_kg in devices[:XLSX_MAX_ROWS]:
        rows.append([dev.serial, dev.model, label("kind", dev.kind, lang), dev.venue, dev.centre, dev.site, _num(kc),
                     _num(kd), dev.parts_kg, dev.second_life_years, round(avoided_kg, 4)])  # fmt: skip
    _sheet(wb, tr("ledger", lang), [tr(k, lang) for k in ("serial", "model", "kind", "venue", "centre", "site",
                                                          "km_collect", "km_deliver", "parts_kg", "second_life",
                                                          "avoided_kg")], rows)  # fmt: skip
    _sheet(wb, tr("stamp", lang), [tr("indicator", lang), tr("value", lang)], [[k, v] for k, v in c.stamp])
    wb.properties.creator = "reemploi"
    wb.save(path)


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 3)

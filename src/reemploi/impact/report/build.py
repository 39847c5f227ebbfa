"""The CSR report: one impact result rendered as self-contained HTML, a printable PDF and an XLSX.

The three share one content model (``content``): the same figures, tables and notes,
in the chosen language, so they cannot disagree. The HTML embeds its charts as SVG and
needs no network; the PDF embeds them as PNG; the XLSX carries the figures, the
factors and the per-device ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from reemploi.errors import InvalidInput
from reemploi.impact.method import TERMS, per_device
from reemploi.impact.report import charts
from reemploi.impact.report.texts import (
    distribution,
    driver_label,
    number,
    percent,
    plain,
    quality,
    tr,
    unit,
)
from reemploi.impact.service import ImpactResult

FORMATS = ("html", "pdf", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, header row aside


@dataclass
class Content:
    lang: str
    title: str
    subtitle: str
    generated: str
    headline: list[tuple[str, str, str]]  # label, value, detail
    sections: list[dict[str, Any]] = field(default_factory=list)
    stamp: list[tuple[str, str]] = field(default_factory=list)
    stamp_title: str = ""
    esrs_raw: list[list[Any]] = field(default_factory=list)  # the ESRS table as numbers (the workbook's)


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise InvalidInput("report_format", value=", ".join(bad) or repr(value), formats=", ".join(FORMATS))
    return list(dict.fromkeys(formats))


def _fig(fig: dict[str, Any], lang: str, digits: int = 1) -> str:
    return f"{number(fig['value'], lang, digits)} {fig['unit']}"


def _range(fig: dict[str, Any], lang: str, digits: int = 1) -> str:
    return f"{tr('range', lang)} {number(fig['p5'], lang, digits)} – {number(fig['p95'], lang, digits)}"


def content(result: ImpactResult, lang: str, source: str, destination: str, now: datetime) -> Content:
    d = result.data
    net, ew = d["net_avoided_tco2e"], d["ewaste_avoided_kg"]
    life = d["lifetime_extension"]
    stamp = d["stamp"]
    c = Content(
        lang=lang,
        title=tr("title", lang),
        subtitle=tr("subtitle", lang, source=source, destination=destination),
        generated=tr("generated", lang, date=now.strftime("%Y-%m-%d"), version=stamp["software"]),
        headline=[
            (tr("net_avoided", lang), _fig(net, lang), f"{_range(net, lang)} · {tr('median', lang)} "
             f"{number(net['p50'], lang)} · {number(d['redeployed_devices'], lang, 0)} {tr('redeployed', lang)}"),
            (tr("ewaste", lang), _fig(ew, lang, 0), _range(ew, lang, 0)),
            (f"{tr('lifetime', lang)} ({tr('device_years_unit', lang)})", number(life["device_years"], lang, 0),
             tr("years_per_device", lang, per=number(life["years_per_device"], lang, 1))),
        ],  # fmt: skip
    )
    if d["abiotic_depletion"]:
        a = d["abiotic_depletion"]
        c.headline.append((tr("adpe", lang), _fig(a, lang, 4), _range(a, lang, 4)))
    rates = []
    for g in ("ap", "switch"):
        r = d["reuse_rate"][g]
        rates.append([tr(g, lang), percent(r["count"], lang), percent(r["mass"], lang), percent(r["released"], lang),
                      percent(r["target"], lang, 0), tr("met" if r["met"] else "not_met", lang)])  # fmt: skip
    c.sections.append({
        "id": "reuse", "title": tr("reuse_rate", lang), "chart": "reuse",
        "table": {"head": ["", tr("by_count", lang), tr("by_mass", lang), tr("released", lang), tr("target", lang), ""],
                  "rows": rates},
    })  # fmt: skip
    flow_rows = []
    for key in ("fleet", "collected", "tested", "ready", "installed", "recycled", "lost"):
        label = tr("taken_down", lang) if key == "fleet" else tr(key if key != "ready" else "in_stock", lang)
        flow_rows.append([label, *(number(d["flow"][g][key], lang, 0) for g in ("ap", "switch"))])
    c.sections.append({"id": "flow", "title": tr("flow", lang), "note": tr("flow_note", lang), "chart": "flow",
                       "table": {"head": ["", tr("ap", lang), tr("switch", lang)], "rows": flow_rows}})  # fmt: skip
    c.sections.append({"id": "map", "title": tr("map", lang), "note": tr("map_note", lang), "chart": "map"})
    term_rows = [[tr(t, lang), number(d["terms_tco2e"][t]["value"], lang, 3),
                  f"{number(d['terms_tco2e'][t]['p5'], lang, 3)} – {number(d['terms_tco2e'][t]['p95'], lang, 3)}",
                  quality(d["terms_tco2e"][t]["quality"], lang)] for t in TERMS]  # fmt: skip
    term_rows.append([tr("net", lang), number(net["value"], lang, 3),
                      f"{number(net['p5'], lang, 3)} – {number(net['p95'], lang, 3)}",
                      quality(net["quality"], lang)])  # fmt: skip
    att = d["attribution"]
    c.sections.append({
        "id": "waterfall", "title": tr("waterfall", lang), "note": tr("net_avoided_note", lang), "chart": "waterfall",
        "table": {"head": [tr("term", lang), "tCO2e", tr("range", lang), tr("quality", lang)], "rows": term_rows},
        "after": tr("attribution_note", lang, source=source, destination=destination,
                    share_s=f"{percent(att['source_share'], lang, 0)} ({number(att['source_tco2e'], lang)} tCO2e)",
                    share_d=f"{percent(1 - att['source_share'], lang, 0)} "
                            f"({number(att['destination_tco2e'], lang)} tCO2e)"),
    })  # fmt: skip
    sens_rows = [[driver_label(s["driver"], lang), number(s["low"], lang, 2), number(s["high"], lang, 2),
                  number(s["swing"], lang, 2), number(s["rank_correlation"], lang, 2)]
                 for s in d["sensitivity"][:10]]  # fmt: skip
    c.sections.append({
        "id": "sensitivity", "title": tr("sensitivity", lang),
        "note": tr("sensitivity_note", lang, draws=number(stamp["draws"], lang, 0)), "chart": "tornado",
        "table": {"head": [tr("driver", lang), tr("at_p5", lang), tr("at_p95", lang), "Δ", tr("rank_corr", lang)],
                  "rows": sens_rows},
    })  # fmt: skip
    fa, fs_ = d["flow"]["ap"], d["flow"]["switch"]
    inflow_units = fa["installed"] + fs_["installed"]
    c.esrs_raw = [
        ["E5-4", tr("esrs_in_units", lang), inflow_units, ""],
        ["E5-4", tr("esrs_in_kg", lang), round(fa["redeployed_kg"] + fs_["redeployed_kg"], 3), "kg"],
        ["E5-4", tr("esrs_in_share", lang), 1.0 if inflow_units else None, "%"],
        ["E5-5", tr("esrs_out_reuse", lang), round(ew["value"] + _stock_kg(result), 3), "kg"],
        ["E5-5", tr("esrs_out_recycled", lang), round(fa["recycled_kg"] + fs_["recycled_kg"], 3), "kg"],
        ["E5-5", tr("esrs_out_lost", lang), fa["lost"] + fs_["lost"], ""],
    ]
    esrs = [[ref, label, percent(v, lang, 0) if u == "%" else number(v, lang, 0 if not u else 1), u or "–"]
            for ref, label, v, u in c.esrs_raw]  # fmt: skip
    c.sections.append({"id": "esrs", "title": tr("esrs", lang), "note": tr("esrs_note", lang),
                       "table": {"head": ["ESRS", tr("indicator", lang), tr("value", lang), tr("unit", lang)],
                                 "rows": esrs}})  # fmt: skip
    c.sections.append({"id": "regulation", "title": tr("regulation", lang), "note": tr("regulation_text", lang)})
    estimates = sum(1 for f in d["factors_used"] if f["quality"] in ("estimate", "proxy"))
    defaulted = tr("defaulted", lang, models=", ".join(d["defaulted_models"])) if d["defaulted_models"] else ""
    fallback = tr("fallback", lang, legs=d["fallback_legs"]) if d["fallback_legs"] else ""
    quality_text = tr("data_quality_text", lang, estimates=estimates, total=len(d["factors_used"]), defaulted=defaulted,
                 fallback=fallback)  # fmt: skip
    factor_rows = [[f["key"], f"{plain(f['value'], lang)} {unit(f['unit'], lang)}",
                    distribution(f["distribution"], lang) if f["distribution"] == "fixed" else
                    f"{distribution(f['distribution'], lang)} [{plain(f['low'], lang)} – {plain(f['high'], lang)}]",
                    quality(f["quality"], lang), str(f["year"]), f["source"]] for f in d["factors_used"]]  # fmt: skip
    c.sections.append({
        "id": "method", "title": tr("method", lang),
        "note": tr("method_text", lang, version=d["method_version"], draws=number(stamp["draws"], lang, 0),
                   seed=stamp["seed"]),
        "after": tr("out_of_scope", lang), "quality_title": tr("data_quality", lang), "quality": quality_text,
        "table": {"title": tr("factors", lang),
                  "head": [tr("key", lang), tr("value", lang), tr("distribution", lang), tr("quality", lang),
                           tr("year", lang), tr("source", lang)], "rows": factor_rows},
    })  # fmt: skip
    fset = stamp["factor_set"]
    c.stamp_title = tr("stamp", lang)
    c.stamp = [
        (tr("software", lang), f"reemploi {stamp['software']}"),
        (tr("method_version", lang), stamp["method_version"]),
        (tr("factor_set", lang), f"{fset['name']} {fset['version']} (sha256 {fset['sha256'][:16]}…)"),
        (tr("input_hash", lang), stamp["input_hash"]),
        (tr("draws_seed", lang), f"{number(stamp['draws'], lang, 0)} / {stamp['seed']}"),
    ]
    return c


def _stock_kg(result: ImpactResult) -> float:
    """Mass of the devices released for reuse but not yet redeployed (prepared for reuse, E5-5)."""
    total = 0.0
    for state in ("ready", "reserved", "shipped"):
        for kind, models in result.ledger.fleet.get(state, {}).items():
            for model, n in models.items():
                total += result.factor_set.for_model("mass", model, kind)[0].value * n
    return total


def write_report(
    result: ImpactResult,
    out_dir: str | Path,
    *,
    lang: str = "fr",
    formats: list[str] | None = None,
    source: str = "Orange",
    destination: str = "La Poste",
    now: datetime | None = None,
) -> dict[str, str]:
    """Write the report files into ``out_dir``; returns {format: path}."""
    formats = formats or list(FORMATS)
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput("report_out_not_dir", path=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    c = content(result, lang, source, destination, now)
    wanted = tuple(fmt for f, fmt in (("html", "svg"), ("pdf", "png")) if f in formats)
    images: dict[str, dict[str, bytes]] = {}
    if wanted:
        images = {name: charts.render(fig, wanted) for name, fig in charts.all_charts(result, lang).items()}
    written: dict[str, str] = {}
    stem = f"rapport-impact-{lang}" if lang == "fr" else f"impact-report-{lang}"
    if "html" in formats:
        path = folder / f"{stem}.html"
        path.write_text(_html(c, {name: im["svg"].decode("utf-8") for name, im in images.items()}), encoding="utf-8")
        written["html"] = str(path)
    if "pdf" in formats:
        from reemploi.impact.report.pdf import write_pdf

        path = folder / f"{stem}.pdf"
        write_pdf(c, {name: im["png"] for name, im in images.items()}, path)
        written["pdf"] = str(path)
    if "xlsx" in formats:
        from reemploi.impact.report.xlsx import write_xlsx

        path = folder / f"{stem}.xlsx"
        write_xlsx(c, result, per_device(result.ledger, result.factor_set), path)
        written["xlsx"] = str(path)
    return written


def _html(c: Content, svgs: dict[str, str]) -> str:
    env = Environment(loader=PackageLoader("reemploi.impact.report", "templates"),
                      autoescape=select_autoescape(["html"]))  # fmt: skip
    template = env.get_template("report.html")
    return template.render(c=c, svgs=svgs)

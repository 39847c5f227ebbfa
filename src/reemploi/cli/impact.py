"""Commands for impact accounting: factor sets, the impact figures and the CSR report."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from reemploi.cli.common import (
    EXIT_INPUT,
    EXIT_NOT_FOUND,
    Ctx,
    DbOpt,
    JsonOpt,
    LangOpt,
    Table,
    ctx,
    fail,
    out,
    print_json,
    print_table,
    translated,
    unit_of_work,
)

factors_app = typer.Typer(help="Impact factor sets: list, show, validate.", no_args_is_help=True)

FactorsOpt = Annotated[
    str | None,
    typer.Option("--factors", metavar="FILE", help="Factor set file (TOML); default: the shipped set.",
                 show_default=False),
]  # fmt: skip
DrawsOpt = Annotated[int, typer.Option("--draws", help="Monte Carlo draws (1,000 to 1,000,000).")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed: same inputs and seed, same figures.")]


def _pct(x: float | None, lang: str) -> str:
    from reemploi.impact.report.texts import percent

    return percent(x, lang)


def _num(x: float | None, lang: str, digits: int = 1) -> str:
    from reemploi.impact.report.texts import number

    return number(x, lang, digits)


def _load(c: Ctx, path: str | None) -> Any:
    from reemploi.impact import factors

    with translated(c):
        return factors.load(path)


@factors_app.command("list")
def factors_list(factors: FactorsOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Every factor of a set, with its value, range, quality and year."""
    c = ctx(None, lang, json)
    fs = _load(c, factors)
    rows = [f.as_dict() for f in fs.factors.values()]
    if json:
        print_json({"factor_set": fs.stamp(), "factors": rows})
        return
    out.print(f"{fs.name} {fs.version} · sha256 {fs.digest[:16]}…")
    table = Table(*c.h("factor", "value", "range", "quality"))
    table.columns[0].overflow = "fold"
    for f in fs.factors.values():
        spread = f"{f.distribution} {f.low:g}–{f.high:g}" if f.distribution != "fixed" else f.distribution
        table.add_row(f.key, f"{f.value:g} {f.unit}", spread, f.quality)
    print_table(c, table)


@factors_app.command("show")
def factors_show(
    key: Annotated[str, typer.Argument(help="Factor key, e.g. grid.FR or embodied.C9130AXI.")],
    factors: FactorsOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """One factor with its source, group and note."""
    c = ctx(None, lang, json)
    fs = _load(c, factors)
    f = fs.get(key.strip())
    if f is None:
        fail(c, "factor_unknown", EXIT_NOT_FOUND, key=key)
    if json:
        print_json(f.as_dict() | {"factor_set": fs.stamp()})
        return
    table = Table(*c.h("factor", "value"))
    for k, v in f.as_dict().items():
        table.add_row(c.h(k)[0], str(v))
    print_table(c, table)


@factors_app.command("validate")
def factors_validate(
    file: Annotated[str, typer.Argument(metavar="FILE", help="Factor set to check (TOML).")],
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Check a factor set: every problem with where it is and why. Exit 2 when there are any."""
    from pathlib import Path

    from reemploi.impact.factors import parse

    c = ctx(None, lang, json)
    p = Path(file)
    if not p.exists():
        fail(c, "file_missing", EXIT_INPUT, file=file)
    if p.is_dir():
        fail(c, "file_is_dir", EXIT_INPUT, file=file)
    fs, problems = parse(p.read_bytes(), str(p))
    if json:
        print_json({"file": file, "valid": fs is not None,
                    "factor_set": fs.stamp() if fs else None, "count": len(fs.factors) if fs else 0,
                    "problems": [{"where": x.where, "field": x.field, "code": x.code,
                                  "message": c.t(x.code, **x.params)} for x in problems]})  # fmt: skip
    elif fs is not None:
        out.print(c.t("factors_valid", file=file, name=fs.name, version=fs.version, count=len(fs.factors),
                      digest=fs.digest[:16]))  # fmt: skip
    else:
        for x in problems:
            out.print(c.t("factors_invalid_line", where=x.where, field=x.field or "-", reason=c.t(x.code, **x.params)))
        out.print(c.t("factors_invalid", file=file, count=len(problems)))
    if fs is None:
        raise typer.Exit(EXIT_INPUT)


def impact(
    factors: FactorsOpt = None,
    draws: DrawsOpt = 10_000,
    seed: SeedOpt = 2024,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Avoided emissions (P5/P50/P95), reuse rates against targets, e-waste avoided; same seed, same figures."""
    from reemploi.impact import service

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        result = service.compute(session, factors=factors, draws=draws, seed=seed)
    d = result.data
    if json:
        print_json(d)
        return
    _print_impact(c, d)


def _print_impact(c: Ctx, d: dict[str, Any]) -> None:
    from reemploi.impact.report.texts import driver_label, tr

    lang = c.lang
    out.print(c.t("impact_title", devices=d["redeployed_devices"]), style="bold")
    if not d["redeployed_devices"]:
        out.print(c.t("impact_nothing"))
    n = d["net_avoided_tco2e"]
    out.print(c.t("impact_net", value=_num(n["value"], lang), p5=_num(n["p5"], lang), p95=_num(n["p95"], lang),
                  p50=_num(n["p50"], lang)))  # fmt: skip
    for g in ("ap", "switch"):
        r = d["reuse_rate"][g]
        verdict = c.t("target_na") if r["count"] is None else c.t("target_met" if r["met"] else "target_not_met")
        out.print(c.t("impact_rate", kind=tr(g, lang), count=_pct(r["count"], lang), mass=_pct(r["mass"], lang),
                      released=_pct(r["released"], lang), target=_pct(r["target"], lang), verdict=verdict))  # fmt: skip
    e = d["ewaste_avoided_kg"]
    out.print(c.t("impact_ewaste", value=_num(e["value"], lang, 0), p5=_num(e["p5"], lang, 0),
                  p95=_num(e["p95"], lang, 0)))  # fmt: skip
    out.print(c.t("impact_life", years=_num(d["lifetime_extension"]["device_years"], lang, 0)))
    top = [driver_label(s["driver"], lang) for s in d["sensitivity"][:3] if s["swing"] > 0]
    if top:
        out.print(c.t("impact_drivers", drivers="; ".join(top)))
    out.print(c.t("impact_attribution", share=_pct(d["attribution"]["source_share"], lang)))
    if d["defaulted_models"]:
        out.print(c.t("impact_defaulted", models=", ".join(d["defaulted_models"])), style="yellow")
    if d["fallback_legs"]:
        out.print(c.t("impact_fallback", legs=d["fallback_legs"]), style="yellow")
    s = d["stamp"]
    factors = f"{d['factor_set']} (sha256 {s['factor_set']['sha256'][:12]}…)"
    out.print(c.t("impact_stamp", method=s["method_version"], factors=factors, hash=s["input_hash"][:16],
                  draws=s["draws"], seed=s["seed"]), style="dim")  # fmt: skip


def report(
    out_dir: Annotated[str, typer.Option("--out", metavar="DIR", help="Folder to write the report into.")] = "report",
    fmt: Annotated[str, typer.Option("--format", metavar="html,pdf,xlsx", help="Formats, comma-separated.")] = (
        "html,pdf,xlsx"
    ),
    source: Annotated[str, typer.Option("--source-org", help="Organisation the devices come from.")] = "Orange",
    destination: Annotated[str, typer.Option("--destination-org", help="Organisation that reuses them.")] = (
        "La Poste"
    ),
    factors: FactorsOpt = None,
    draws: DrawsOpt = 10_000,
    seed: SeedOpt = 2024,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """The CSR report: self-contained HTML, printable PDF, XLSX with the per-device ledger."""
    from reemploi.impact import service
    from reemploi.impact.report.build import parse_formats, write_report

    c = ctx(db, lang, json)
    with translated(c):
        formats = parse_formats(fmt)
    with unit_of_work(c, write=False) as session:
        result = service.compute(session, factors=factors, draws=draws, seed=seed, with_devices="xlsx" in formats)
    with translated(c):
        written = write_report(result, out_dir, lang=c.lang, formats=formats, source=source, destination=destination)
    if json:
        print_json({"files": written, "stamp": result.data["stamp"]})
        return
    for f, path in written.items():
        out.print(c.t("report_written", format=f.upper(), path=path))

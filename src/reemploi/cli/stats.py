"""``reemploi stats``: the programme's pace and lead times, from when things happened."""

from __future__ import annotations

from typing import Annotated

import typer

from reemploi.cli.common import (
    DbOpt,
    JsonOpt,
    LangOpt,
    Table,
    ctx,
    out,
    print_json,
    print_table,
    translated,
    unit_of_work,
)
from reemploi.i18n import state_label

stats_app = typer.Typer(help="The programme over time: lead times per stage and throughput per period.",
                        no_args_is_help=True)  # fmt: skip
FromOpt = Annotated[str | None, typer.Option("--from", metavar="DATE", help="From this date (when it happened).")]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="DATE", help="Up to this date.")]


def _dates(c, start: str | None, end: str | None):  # type: ignore[no-untyped-def]
    from reemploi.workflow.clock import parse

    with translated(c):
        return (parse(start, "--from") if start else None), (parse(end, "--to") if end else None)


@stats_app.command("lead-times")
def lead_times(
    site: Annotated[
        str | None, typer.Option("--site", metavar="CODE", help="Only the devices sent to this site.")
    ] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    stuck_days: Annotated[float, typer.Option("--stuck-days", min=1, metavar="DAYS",
                                              help="List devices waiting in a state longer than this.")] = 60.0,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Days per stage (deployed → collected → received → ready → shipped → installed): median, P90, max."""
    from reemploi.workflow.timeline import lead_times as compute

    c = ctx(db, lang, json)
    a, b = _dates(c, start, end)
    with unit_of_work(c, write=False) as session:
        r = compute(session, site=site, start=a, end=b, stuck_days=stuck_days)
    if json:
        print_json(r)
        return
    table = Table(*c.h("from", "to", "devices", "median d", "P90 d", "max d"))
    for s in [*r["stages"], r["end_to_end"]]:
        table.add_row(state_label(s["from"], c.lang), state_label(s["to"], c.lang), c.n(s["count"]),
                      *(c.n(s[k], 1) if s[k] is not None else "-" for k in ("median_days", "p90_days", "max_days")))
    print_table(c, table)
    if r["bottleneck"]:
        bn = r["bottleneck"]
        out.print(c.t("stats_bottleneck", start=state_label(bn["from"], c.lang), end=state_label(bn["to"], c.lang),
                      days=bn["median_days"]))  # fmt: skip
    out.print(c.t("stats_stuck", count=len(r["stuck"]), days=stuck_days))
    for s in r["stuck"][:20]:
        out.print(f"  {s['serial']}  {state_label(s['state'], c.lang)}  {s['location'] or '-'}  {c.n(s['days'], 1)}")


@stats_app.command("throughput")
def throughput(
    by: Annotated[str, typer.Option("--by", metavar="day|week|month", help="Period.")] = "week",
    start: FromOpt = None,
    end: ToOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Devices received, tested, repaired, wiped, made ready and installed per period."""
    from reemploi.workflow.timeline import ACTIVITIES
    from reemploi.workflow.timeline import throughput as compute

    c = ctx(db, lang, json)
    a, b = _dates(c, start, end)
    with unit_of_work(c, write=False) as session:
        r = compute(session, by.strip().lower(), start=a, end=b)
    if json:
        print_json(r)
        return
    table = Table(*c.h("period", *ACTIVITIES))
    for p in r["periods"]:
        table.add_row(p["period"], *(c.n(p[k]) for k in ACTIVITIES))
    table.add_row(c.t("stats_total"), *(c.n(r["total"][k]) for k in ACTIVITIES))
    print_table(c, table)

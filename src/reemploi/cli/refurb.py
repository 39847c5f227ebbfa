"""Commands for the refurbishment bench and settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reemploi.cli.common import (
    EXIT_INPUT,
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
    fail,
    out,
    print_json,
    print_table,
    progress_bar,
    read_serials,
    translated,
    unit_of_work,
)
from reemploi.refurb.models import PHYSICAL_CHECKS, Check, Condition, SanitizationMethod
from reemploi.refurb.service import BenchResult

refurb_app = typer.Typer(help="Refurbishment bench: tests, repairs, wipes, firmware, recycling.", no_args_is_help=True)
settings_app = typer.Typer(help="Programme settings (second-life horizon…).", no_args_is_help=True)

SerialsArg = Annotated[list[str], typer.Argument(metavar="SERIAL...|-", help="Serials, or - to read them from stdin.")]
RulesOpt = Annotated[
    str | None,
    typer.Option("--rules", metavar="FILE", help="Grading rules CSV (default: $REEMPLOI_GRADING_RULES or shipped)."),
]


def _finish(c: Ctx, r: BenchResult, json: bool, show_grades: bool = False, wipes: bool = False) -> None:
    """Print a bench result and exit (0 all done, 1 some refused, failed or unknown).

    ``wipes``: a sanitization, whose summary counts passed, failed (recorded) and refused
    (not recorded) wipes apart, and says what each means for the devices.
    """
    refused_only = len(r.refused) - len(r.failed)
    if json:
        doc = {
            "done": [o.__dict__ for o in r.done],
            "refused": [{"serial": x.serial, "code": x.code, "reason": c.t(x.code, **x.params)} for x in r.refused],
            "unknown": r.unknown,
        }
        if wipes:
            doc["failed"] = r.failed
            doc["counts"] = {"passed": len(r.done), "failed": len(r.failed), "refused": refused_only,
                             "unknown": len(r.unknown)}  # fmt: skip
        print_json(doc)
    else:
        for x in r.refused:
            err.print(c.t(x.code, **x.params), style="yellow")
        for s in r.unknown:
            err.print(c.t("scan_unknown", serial=s), style="yellow")
        if show_grades:
            for o in r.done:
                out.print(c.t("bench_tested", serial=o.serial, grade=o.grade, decision=o.decision, reason=o.reason))
        if wipes:
            out.print(c.t("sanitize_summary", passed=len(r.done), failed=len(r.failed), refused=refused_only,
                          unknown=len(r.unknown)))  # fmt: skip
            for code, n in (("sanitize_passed_means", len(r.done)), ("sanitize_failed_means", len(r.failed)),
                            ("sanitize_refused_means", refused_only)):  # fmt: skip
                if n:
                    out.print(c.t(code))
        else:
            out.print(c.t("bench_summary", done=len(r.done), refused=len(r.refused), unknown=len(r.unknown)))
    raise typer.Exit(EXIT_PARTIAL if r.refused or r.unknown else EXIT_OK)


def _choice(c: Ctx, enum: type, value: str, name: str):  # type: ignore[no-untyped-def]
    try:
        return enum(value.strip().lower())
    except ValueError:
        fail(c, "bad_choice", EXIT_INPUT, field=name, value=value, choices=", ".join(e.value for e in enum))


def _metavar(check: str) -> str:
    return "|".join(v.value for v in PHYSICAL_CHECKS[check])


def _help(what: str, check: str) -> str:
    *first, last = [v.value for v in PHYSICAL_CHECKS[check]]
    return f"{what}: {', '.join(first)} or {last}."


def _condition(c: Ctx, check: str, value: str) -> Condition:
    """A physical check's value: only the conditions its grading rules know."""
    accepted = PHYSICAL_CHECKS[check]
    v = value.strip().lower()
    if v not in accepted:
        fail(c, "bad_choice", EXIT_INPUT, field=f"--{check}", value=value, choices=", ".join(accepted))
    return Condition(v)


@refurb_app.command("test")
def refurb_test(
    serials: SerialsArg,
    power: Annotated[str, typer.Option("--power", metavar="pass|fail", help="Powers on: pass or fail.")] = "pass",
    boot: Annotated[
        str, typer.Option("--boot", metavar="pass|fail", help="Boots its firmware: pass or fail.")
    ] = "pass",
    radio_24: Annotated[
        str, typer.Option("--radio-24", metavar="pass|fail|na", help="2.4 GHz radio: pass, fail or na (none).")
    ] = "pass",
    radio_5: Annotated[
        str, typer.Option("--radio-5", metavar="pass|fail|na", help="5 GHz radio: pass, fail or na (none).")
    ] = "pass",
    radio_6: Annotated[
        str, typer.Option("--radio-6", metavar="pass|fail|na", help="6 GHz radio: pass, fail or na (none).")
    ] = "na",
    eth: Annotated[int | None, typer.Option("--eth", metavar="MBPS", min=0, help="Ethernet link speed.")] = 1000,
    poe: Annotated[str | None, typer.Option("--poe", metavar="CLASS", help="PoE class negotiated.")] = None,
    firmware: Annotated[str | None, typer.Option("--firmware", metavar="VERSION", help="Firmware found.")] = None,
    casing: Annotated[str, typer.Option("--casing", metavar=_metavar("casing"), help=_help("Casing", "casing"))] = "ok",
    bracket: Annotated[
        str, typer.Option("--bracket", metavar=_metavar("bracket"), help=_help("Mounting bracket", "bracket"))
    ] = "ok",
    labels: Annotated[str, typer.Option("--labels", metavar=_metavar("labels"), help=_help("Labels", "labels"))] = "ok",
    ports: Annotated[str, typer.Option("--ports", metavar=_metavar("ports"), help=_help("Ports", "ports"))] = "ok",
    notes: Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="Free notes.")] = None,
    bench: Annotated[str | None, typer.Option("--bench", metavar="NAME", help="Test bench.")] = None,
    rules: RulesOpt = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a test run for devices, grade it, and move them to tested."""
    from reemploi.refurb.rules import load_rules
    from reemploi.refurb.service import TestInput, record_tests

    c = ctx(db, lang, json, date)
    values = dict(
        power_on=_choice(c, Check, power, "--power"), boot=_choice(c, Check, boot, "--boot"),
        radio_24=_choice(c, Check, radio_24, "--radio-24"), radio_5=_choice(c, Check, radio_5, "--radio-5"),
        radio_6=_choice(c, Check, radio_6, "--radio-6"), eth_speed_mbps=eth, poe_class=poe, firmware=firmware,
        casing=_condition(c, "casing", casing), bracket=_condition(c, "bracket", bracket),
        labels=_condition(c, "labels", labels), ports=_condition(c, "ports", ports),
        notes=notes, bench=bench,
    )  # fmt: skip
    items = read_serials(c, serials)
    with translated(c):
        ruleset = load_rules(rules)
    with unit_of_work(c) as session:
        r = record_tests(
            session, [TestInput(s, **values) for s in items], technician=actor_name(actor), rules=ruleset, lang=c.lang
        )
    _finish(c, r, json, show_grades=True)


@refurb_app.command("import")
def refurb_import(
    file: Annotated[str, typer.Argument(metavar="FILE", help=(
        "Test rig output (CSV, XLSX or JSON), one row per device: serial, power_on (required), boot, radio_24, "
        "radio_5, radio_6, eth_speed_mbps, poe_class, firmware, casing, bracket, labels, ports, notes, bench; "
        "the `refurb test` option names (power, eth, poe) are accepted too."))],  # fmt: skip
    rejects: Annotated[str | None, typer.Option("--rejects", metavar="PATH", help="Where rejected rows go.")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", metavar="NAME", help="XLSX sheet.")] = None,
    rules: RulesOpt = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import test runs in bulk (one row per device); each is graded. Exit 1 when rows were rejected."""
    from reemploi.cli.inventory import _finish_import
    from reemploi.refurb.importer import import_tests
    from reemploi.refurb.rules import load_rules

    c = ctx(db, lang, json, date)
    with translated(c):
        ruleset = load_rules(rules)
    tick, stop = progress_bar(file, not json)
    try:
        with unit_of_work(c) as session:
            res = import_tests(
                session, file, technician=actor_name(actor), rules=ruleset, rejects_path=rejects, sheet=sheet,
                lang=c.lang, progress=tick,
            )  # fmt: skip
    finally:
        stop()
    if res.ignored_columns and not json:
        err.print(c.t("columns_ignored", columns=", ".join(res.ignored_columns)), style="yellow")
    _finish_import(c, res.as_dict(), json)


@refurb_app.command("repair")
def refurb_repair(
    serials: SerialsArg,
    action: Annotated[str, typer.Option("--action", metavar="TEXT", help="What was done.")],
    part: Annotated[
        list[str] | None, typer.Option("--part", metavar="PART:KG", help="A part replaced and its mass in kg.")
    ] = None,
    minutes: Annotated[int | None, typer.Option("--minutes", metavar="N", min=0, help="Time spent.")] = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a repair: the device goes to in_repair, then back to testing."""
    from reemploi.refurb.service import repair

    c = ctx(db, lang, json, date)
    parts = []
    for p in part or []:
        name, sep, mass = p.rpartition(":")
        try:
            parts.append((name.strip(), float(mass.replace(",", "."))))
        except ValueError:
            fail(c, "bad_part", EXIT_INPUT, value=p)
        if not sep or not name.strip() or parts[-1][1] < 0:
            fail(c, "bad_part", EXIT_INPUT, value=p)
    items = read_serials(c, serials)
    with unit_of_work(c) as session:
        r = repair(session, items, technician=actor_name(actor), action=action, parts=parts, minutes=minutes)
    _finish(c, r, json)


@refurb_app.command("sanitize")
def refurb_sanitize(
    serials: SerialsArg,
    method: Annotated[
        str,
        typer.Option(
            "--method", metavar="factory_reset|config_erase_verify|reimage",
            help="How it was wiped: factory_reset, config_erase_verify or reimage.",
        ),
    ],
    result: Annotated[
        str, typer.Option("--result", metavar="pass|fail", help="Verification result: pass or fail.")
    ] = "pass",
    verifier: Annotated[
        str | None,
        typer.Option("--verifier", metavar="NAME", help="Second verifier (optional): someone other than the operator."),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="Free notes.")] = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a data sanitization; when it passes, a tested device moves to sanitized.

    The summary counts wipes passed (device sanitized), failed (recorded; the device
    stays and cannot be ready until a wipe passes) and refused (nothing recorded)."""
    from reemploi.refurb.service import sanitize

    c = ctx(db, lang, json, date)
    m = _choice(c, SanitizationMethod, method, "--method")
    passed = _choice(c, Check, result, "--result") == Check.PASS
    items = read_serials(c, serials)
    with unit_of_work(c) as session:
        r = sanitize(
            session, items, operator=actor_name(actor), method=m, passed=passed, verifier=verifier, notes=notes
        )
    _finish(c, r, json, wipes=True)


@refurb_app.command("upgrade")
def refurb_upgrade(
    serials: SerialsArg,
    to: Annotated[str, typer.Option("--to", metavar="VERSION", help="Firmware version installed.")],
    from_: Annotated[str | None, typer.Option("--from", metavar="VERSION", help="Version before.")] = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a firmware upgrade."""
    from reemploi.refurb.service import upgrade

    c = ctx(db, lang, json, date)
    items = read_serials(c, serials)
    with unit_of_work(c) as session:
        r = upgrade(session, items, technician=actor_name(actor), to_version=to, from_version=from_)
    _finish(c, r, json)


@refurb_app.command("dispose")
def refurb_dispose(
    serials: Annotated[
        list[str] | None, typer.Argument(metavar="[SERIAL...|-]", help="Serials (or use --lot), - for stdin.")
    ] = None,
    recycler: Annotated[str, typer.Option("--recycler", metavar="CODE", help="Recycler location code.")] = "",
    reference: Annotated[
        str, typer.Option("--reference", metavar="REF", help="WEEE certificate or tracking ref.")
    ] = "",
    weight_kg: Annotated[
        float | None, typer.Option("--weight-kg", metavar="KG", help="Total weight handed over (default: catalog).")
    ] = None,
    lot: Annotated[str | None, typer.Option("--lot", metavar="LOT", help="Every device of this lot.")] = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Hand devices to a WEEE recycler: a disposal record each, then recycled."""
    from reemploi.refurb.service import dispose

    c = ctx(db, lang, json, date)
    items = read_serials(c, serials) if serials else []
    with unit_of_work(c) as session:
        r = dispose(
            session, items, operator=actor_name(actor), recycler=recycler, reference=reference, weight_kg=weight_kg,
            lot=lot,
        )  # fmt: skip
    _finish(c, r, json)


@refurb_app.command("rules")
def refurb_rules(rules: RulesOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Show the grading rules in force (first match wins), or check a rules file."""
    from reemploi.refurb.rules import load_rules

    c = ctx(None, lang, json)
    with translated(c):
        rs = load_rules(rules)
    rows = [
        {
            "grade": r.grade,
            "decision": r.decision.value,
            "when": r.when(),
            "reason": r.reason_fr if c.lang == "fr" else r.reason_en,
        }
        for r in rs.rules
    ]
    if json:
        print_json({"version": rs.version, "source": rs.source, "rules": rows})
        return
    table = Table(*c.h("grade", "decision", "when", "reason"))
    for r in rows:
        table.add_row(r["grade"], r["decision"], r["when"] or "*", r["reason"])
    print_table(c, table)
    out.print(f"{rs.source} ({rs.version})")


@settings_app.command("list")
def settings_list(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Show the settings and their values."""
    from reemploi.settings.service import all_settings

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = all_settings(session)
    if json:
        print_json(rows)
        return
    from reemploi.i18n import MESSAGES

    table = Table(*c.h("key", "value", "default", "help"))
    for r in rows:
        code = f"setting_help_{r['key']}"
        table.add_row(r["key"], f"{r['value']:g}", f"{r['default']:g}", c.t(code) if code in MESSAGES else r["help"])
    print_table(c, table)


# A negative VALUE (-3) is a value, not an unknown option: the setting's range then judges it.
@settings_app.command("set", context_settings={"ignore_unknown_options": True})
def settings_set(
    key: Annotated[str, typer.Argument(metavar="KEY", help="A setting (reemploi settings list).")],
    value: Annotated[
        str, typer.Argument(metavar="VALUE", help="A number within the setting's range; may be negative.")
    ],
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Change a setting, e.g. `reemploi settings set horizon_years 7`."""
    from reemploi.settings.service import DEFAULTS, set_value

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        v = set_value(session, key, value)
    if json:
        print_json({"key": key, "value": v, "default": DEFAULTS[key].default})
    else:
        out.print(c.t("setting_set", key=key, value=f"{v:g}", default=f"{DEFAULTS[key].default:g}"))


labels_app = typer.Typer(help="Labels with QR codes: A4 sheets (PDF) or thermal printers (ZPL).", no_args_is_help=True)
GridOpt = Annotated[str, typer.Option("--grid", metavar="avery-l7163|avery-l7160", help="A4 label grid.")]
OutOpt = Annotated[str, typer.Option("--out", metavar="FILE.pdf|FILE.zpl", help="Where to write the labels.")]


def _labels_path(c: Ctx, out_path: str) -> Path:
    """Where the labels go, refused before any work if it is not a .pdf or .zpl file name."""
    from reemploi.errors import InvalidInput
    from reemploi.inventory.tabular import check_output_file

    path = Path(out_path)
    with translated(c):
        check_output_file(path)
        if path.suffix.lower() not in (".pdf", ".zpl"):
            raise InvalidInput("labels_format", file=str(path))
    return path


def _write_labels(c: Ctx, labels: list, path: Path, grid: str) -> None:  # type: ignore[type-arg]
    from reemploi.refurb.labels import render_pdf, render_zpl

    with translated(c):
        if path.suffix.lower() == ".zpl":
            path.write_text(render_zpl(labels, lang=c.lang), encoding="utf-8")
            pages = 0
        else:
            pages = render_pdf(labels, path, lang=c.lang, grid=grid)
    if c.json:
        print_json({"file": str(path), "labels": len(labels), "pages": pages})
    else:
        out.print(c.t("labels_written", count=len(labels), file=str(path)))


@labels_app.command("devices")
def labels_devices(
    serials: SerialsArg,
    out_: OutOpt,
    grid: GridOpt = "avery-l7163",
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """A label per device: serial, model, grade, asset tag and a QR code the scan screen reads."""
    from reemploi.refurb.labels import device_labels

    c = ctx(db, lang, json)
    path = _labels_path(c, out_)
    items = read_serials(c, serials)
    with unit_of_work(c, write=False) as session:
        labels = device_labels(session, items)
    _write_labels(c, labels, path, grid)


@labels_app.command("shipment")
def labels_shipment(
    shipment: Annotated[str, typer.Argument(metavar="SHIPMENT", help="Shipment code (reemploi ship list).")],
    out_: OutOpt,
    grid: GridOpt = "avery-l7163",
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """An installation label per device of a shipment, box by box: site, floor, telecom room, position."""
    from reemploi.refurb.labels import install_labels

    c = ctx(db, lang, json)
    path = _labels_path(c, out_)
    with unit_of_work(c, write=False) as session:
        labels = install_labels(session, shipment)
    _write_labels(c, labels, path, grid)


@labels_app.command("lots")
def labels_lots(
    lots: Annotated[list[str], typer.Argument(metavar="LOT...", help="Lot codes.")],
    out_: OutOpt,
    grid: GridOpt = "avery-l7163",
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """A label per lot (pallet, box): code, device count, origin and a QR code."""
    from reemploi.refurb.labels import lot_labels

    c = ctx(db, lang, json)
    path = _labels_path(c, out_)
    with unit_of_work(c, write=False) as session:
        labels = lot_labels(session, lots)
    _write_labels(c, labels, path, grid)


@refurb_app.command("certificate")
def refurb_certificate(
    lot: Annotated[str, typer.Argument(metavar="LOT", help="Lot code.")],
    out_: Annotated[str, typer.Option("--out", metavar="FILE.pdf", help="Where to write the PDF.")],
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """The lot's sanitization certificate (PDF): every device, its last wipe, and a SHA-256 digest."""
    from reemploi.refurb.certificate import check_certificate_path, sanitization_certificate

    c = ctx(db, lang, json)
    with translated(c):
        check_certificate_path(out_)
    with unit_of_work(c, write=False) as session:
        cert = sanitization_certificate(session, lot, out_, lang=c.lang)
    if json:
        print_json({"lot": cert.lot, "file": str(cert.path), "digest": cert.digest, "devices": cert.devices,
                    "passed": cert.passed, "failed": cert.failed, "missing": cert.missing})  # fmt: skip
    else:
        out.print(c.t("certificate_written", lot=cert.lot, file=str(cert.path), passed=cert.passed,
                      failed=cert.failed, missing=cert.missing, digest=cert.digest))  # fmt: skip
    raise typer.Exit(EXIT_PARTIAL if cert.failed or cert.missing else EXIT_OK)

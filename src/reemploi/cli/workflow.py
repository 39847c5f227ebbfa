"""Commands for moves, lots and reconciliation, the audit log and unmatched scans."""

from __future__ import annotations

from typing import Annotated

import typer

from reemploi.cli.common import (
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
    history_table,
    out,
    print_json,
    print_table,
    read_serials,
    translated,
    unit_of_work,
)
from reemploi.i18n import label
from reemploi.workflow.service import MoveResult

lots_app = typer.Typer(help="Lots (pallets, boxes): create, fill, move, reconcile.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
scans_app = typer.Typer(help="Scans that matched no device.", no_args_is_help=True)

ToOpt = Annotated[
    str, typer.Option("--to", metavar="STATE", help="Target state, e.g. collected, in_transit, received, lost.")
]
AtOpt = Annotated[
    str | None, typer.Option("--at", metavar="LOCATION", help="Location code the devices are at after the move.")
]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", metavar="TEXT", help="Why (required for lost, to_recycle…).")
]


# The option that answers a refusal, for the terminal (the shared messages name no flag:
# the web and the API show them too).
CLI_HINTS = {"guard_reason": "--reason", "guard_location_kind": "--at"}


def _move_dict(r: MoveResult, c: Ctx) -> dict[str, object]:
    return {
        "to": r.target.value,
        "moved": r.moved,
        "refused": [{"serial": x.serial, "code": x.code, "reason": c.t(x.code, **x.params)} for x in r.refused],
        "unknown": r.unknown,
        "already": r.already,
    }


def _report_move(c: Ctx, r: MoveResult, hints: dict[str, str] = CLI_HINTS) -> None:
    for x in r.refused:
        hint = hints.get(x.code)
        err.print(c.t(x.code, **x.params) + (f" ({hint})" if hint else ""), style="yellow")
    for s in r.unknown:
        err.print(c.t("scan_unknown", serial=s), style="yellow")
    out.print(
        c.t("move_summary", moved=len(r.moved), target=r.target.value, refused=len(r.refused), unknown=len(r.unknown))
        + (" " + c.t("move_already", count=len(r.already), target=r.target.value) if r.already else "")
    )


def move(
    serials: Annotated[
        list[str], typer.Argument(metavar="SERIAL...|-", help="Serials, or - to read them from standard input.")
    ],
    to: ToOpt,
    at: AtOpt = None,
    lot: Annotated[str | None, typer.Option("--lot", metavar="LOT", help="Put the devices in this lot.")] = None,
    reason: ReasonOpt = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Move devices to a state; each serial on its own. Exit 1 when any was refused or unknown."""
    from reemploi.workflow.service import transition
    from reemploi.workflow.states import parse_state

    c = ctx(db, lang, json, date)
    with translated(c):
        target = parse_state(to)
    items = read_serials(c, serials)
    with unit_of_work(c) as session:
        r = transition(session, items, target, actor=actor_name(actor), reason=reason, at=at, lot=lot, already_ok=True)
    if json:
        print_json(_move_dict(r, c))
    else:
        _report_move(c, r)
    raise typer.Exit(EXIT_PARTIAL if r.refused or r.unknown else EXIT_OK)


@lots_app.command("create")
def lots_create(
    code: str,
    kind: Annotated[str, typer.Option("--kind", metavar="KIND", help="pallet or box.")] = "pallet",
    origin: Annotated[
        str | None, typer.Option("--origin", metavar="LOCATION", help="Location code where the lot is packed.")
    ] = None,
    seal: Annotated[str | None, typer.Option("--seal", metavar="SEAL", help="Seal number.")] = None,
    carrier: Annotated[str | None, typer.Option("--carrier", metavar="NAME", help="Carrier.")] = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Create a lot."""
    from reemploi.errors import ReemploiError
    from reemploi.inventory.models import LotKind
    from reemploi.workflow.lots import create_lot

    c = ctx(db, lang)
    with translated(c):
        try:
            lot_kind = LotKind(kind.lower())
        except ValueError:
            raise ReemploiError("unknown_kind", kind=kind, kinds="pallet, box") from None
    with unit_of_work(c) as session:
        lot = create_lot(
            session, code, actor=actor_name(actor), kind=lot_kind, origin=origin, seal=seal, carrier=carrier
        )
        code = lot.code
    out.print(c.t("lot_created", lot=code))


@lots_app.command("add")
def lots_add(
    lot: str,
    serials: Annotated[
        list[str], typer.Argument(metavar="SERIAL...|-", help="Serials, or - to read them from standard input.")
    ],
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Put devices in a lot. Exit 1 when a serial is unknown (it is kept as an unmatched scan)."""
    from reemploi.workflow.lots import add_to_lot

    c = ctx(db, lang, json)
    codes = read_serials(c, serials)
    with unit_of_work(c) as session:
        r = add_to_lot(session, lot, codes, actor=actor_name(actor))
    if json:
        print_json(r.__dict__)
    else:
        for s in r.unknown:
            err.print(c.t("scan_unknown", serial=s), style="yellow")
        for s, before in r.taken_from.items():
            err.print(c.t("lot_taken_from", serial=s, before=before, lot=r.lot), style="yellow")
        out.print(c.t("lot_added", lot=r.lot, added=len(r.added), already=len(r.already), unknown=len(r.unknown)))
    raise typer.Exit(EXIT_PARTIAL if r.unknown else EXIT_OK)


@lots_app.command("move")
def lots_move(
    lot: str,
    to: ToOpt,
    at: AtOpt = None,
    reason: ReasonOpt = None,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Move every device of a lot. Exit 1 when any was refused."""
    from reemploi.workflow.lots import move_lot
    from reemploi.workflow.states import parse_state

    c = ctx(db, lang, json, date)
    with translated(c):
        target = parse_state(to)
    with unit_of_work(c) as session:
        r = move_lot(session, lot, target, actor=actor_name(actor), at=at, reason=reason, already_ok=True)
    if json:
        print_json(_move_dict(r, c))
    else:
        _report_move(c, r)
    raise typer.Exit(EXIT_PARTIAL if r.refused else EXIT_OK)


@lots_app.command("reconcile")
def lots_reconcile(
    lot: str,
    scanned: Annotated[
        str, typer.Option("--scanned", metavar="FILE|-", help="File of scanned serials (one per line), or - for stdin.")
    ],
    receive_at: Annotated[
        str | None, typer.Option("--receive-at", metavar="LOCATION", help="Also move matched devices to received here.")
    ] = None,
    mark_missing_lost: Annotated[
        bool, typer.Option("--mark-missing-lost", help="Also move missing devices to lost.")
    ] = False,
    actor: ActorOpt = None,
    date: DateOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Compare a lot with the serials scanned at reception: missing and unexpected. Exit 1 on any gap."""
    from reemploi.errors import InvalidInput
    from reemploi.inventory.tabular import read_codes
    from reemploi.workflow.lots import reconcile
    from reemploi.workflow.service import split_scans

    c = ctx(db, lang, json, date)
    with translated(c):
        lines = split_scans(read_codes(scanned))
        if not lines and (receive_at or mark_missing_lost):
            raise InvalidInput("no_scans")
    with unit_of_work(c) as session:
        r = reconcile(
            session, lot, lines, actor=actor_name(actor), receive_at=receive_at, mark_missing_lost=mark_missing_lost,
            already_ok=True,
        )
    refused = bool((r.received and r.received.refused) or (r.lost and r.lost.refused))
    gaps = bool(r.missing or r.unexpected or r.unknown or refused)
    if json:
        print_json(
            {
                "lot": r.lot,
                "expected": r.expected,
                "matched": len(r.matched),
                "missing": r.missing,
                "unexpected": [{"serial": s, "lot": lot_} for s, lot_ in r.unexpected],
                "unknown": r.unknown,
                "received": len(r.received.moved) if r.received else 0,
                "lost": len(r.lost.moved) if r.lost else 0,
                "already": (r.received.already if r.received else []) + (r.lost.already if r.lost else []),
            }
        )
    else:
        out.print(
            c.t(
                "reconcile_summary",
                lot=r.lot,
                expected=r.expected,
                matched=len(r.matched),
                missing=len(r.missing),
                unexpected=len(r.unexpected),
                unknown=len(r.unknown),
            )
        )
        for s in r.missing:
            out.print(c.t("reconcile_missing", serial=s))
        for s, other in r.unexpected:
            out.print(c.t("reconcile_unexpected", serial=s, lot=other or "-"))
        for s in r.unknown:
            out.print(c.t("reconcile_unknown", serial=s))
        if r.received:
            _report_move(c, r.received, {**CLI_HINTS, "guard_location_kind": "--receive-at"})
        if r.lost:
            _report_move(c, r.lost)
    raise typer.Exit(EXIT_PARTIAL if gaps else EXIT_OK)


@lots_app.command("list")
def lots_list(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """List lots with their device counts."""
    from reemploi.workflow.lots import list_lots

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_lots(session)
    if json:
        print_json(rows)
        return
    table = Table(*c.h("code", "kind", "origin", "devices", "seal", "carrier"))
    for r in rows:
        table.add_row(
            str(r["code"]),
            label("lot_kind", r["kind"], c.lang),
            str(r["origin"] or ""),
            c.n(r["devices"]),
            str(r["seal"] or ""),
            str(r["carrier"] or ""),
        )
    print_table(c, table)


@audit_app.command("verify")
def audit_verify(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Recompute the hash chain. Exit 0 and the count when intact; 1 naming the first bad event."""
    from reemploi.workflow.audit import verify

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        r = verify(session)
    if json:
        print_json(
            {
                "ok": r.ok,
                "events": r.count,
                "head": r.head_hash,
                "bad_event": r.bad_seq,
                "problem": r.problem,
                "message": r.message(c.lang) if r.problem else None,
                "backdated": r.backdated,
            }
        )
    elif r.ok:
        out.print(r.message(c.lang))
        if r.backdated:
            from reemploi.workflow.clock import BACKDATE_FLAG_DAYS

            out.print(c.t("audit_backdated", count=r.backdated, days=BACKDATE_FLAG_DAYS))
    else:
        err.print(c.t("audit_tampered", why=r.message(c.lang)), style="red")
    raise typer.Exit(EXIT_OK if r.ok else EXIT_PARTIAL)


@audit_app.command("log")
def audit_log(
    subject: Annotated[
        str,
        typer.Argument(metavar="SUBJECT", help="A device serial (a lot's code with --lot, a place's with --location)."),
    ],
    lot: Annotated[bool, typer.Option("--lot", help="SUBJECT is a lot code.")] = False,
    location: Annotated[bool, typer.Option("--location", help="SUBJECT is a location code.")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """The audit events of one device (or lot), oldest first."""
    from reemploi.workflow.audit import log
    from reemploi.workflow.service import known_subject

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        code = subject.strip().upper()
        kind = "location" if location else "lot" if lot else "device"
        events = log(session, code, kind)
        if not events:
            known_subject(session, code, kind)
    if json:
        print_json(events)
        return
    out.print(history_table(c, events))
    if not events:
        out.print(c.t("no_events"))


@scans_app.command("unmatched")
def scans_unmatched(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Scans that matched no device, newest first."""
    from reemploi.inventory.service import list_unmatched

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_unmatched(session)
    if json:
        print_json(rows)
        return
    table = Table(*c.h("at (UTC)", "code", "context", "lot", "actor"))
    for r in rows:
        table.add_row(r["at"][:19], r["code"], r["context"], r["lot"] or "", r["actor"])
    print_table(c, table)

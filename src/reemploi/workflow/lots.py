"""Lots (pallets, boxes) and reconciliation: expected against scanned.

A lot groups devices for collection and transport. Adding devices to a lot, moving a
lot and reconciling it all go through ``workflow.service``, so each is audited; the
reconciliation itself is an audit event on the lot, with its lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reemploi.db import utcnow
from reemploi.errors import Conflict, InvalidInput
from reemploi.inventory.models import Device, Lot, LotKind
from reemploi.workflow import audit, service
from reemploi.workflow.service import Change, MoveResult, dumps, find_location, find_lot
from reemploi.workflow.states import State


def create_lot(
    session: Session,
    code: str,
    *,
    actor: str,
    kind: LotKind = LotKind.PALLET,
    origin: str | None = None,
    seal: str | None = None,
    carrier: str | None = None,
) -> Lot:
    code = code.strip().upper()
    if not code:
        raise Conflict("lot_code_empty")
    for name, value, limit in (("code", code, 60), ("seal", seal, 60), ("carrier", carrier, 120)):
        if value is not None and len(value) > limit:
            raise InvalidInput("value_too_long", field=name, max=limit)
    audit.lock(session)
    if session.scalar(select(Lot.id).where(Lot.code == code)) is not None:
        raise Conflict("lot_exists", lot=code)
    origin_loc = find_location(session, origin) if origin else None
    lot = Lot(code=code, kind=kind.value, origin=origin_loc, seal=seal, carrier=carrier, created_at=utcnow())
    session.add(lot)
    try:
        session.flush()
    except IntegrityError:  # created concurrently by someone else
        raise Conflict("lot_exists", lot=code) from None
    data = {k: v for k, v in {"kind": kind.value, "seal": seal, "carrier": carrier}.items() if v}
    service.touch_lot_event(session, lot, "create", actor, data, lot.created_at)
    return lot


@dataclass
class AddResult:
    lot: str
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    taken_from: dict[str, str] = field(default_factory=dict)  # serial -> the lot it was in before


def add_to_lot(session: Session, lot_code: str, serials: Iterable[str], *, actor: str) -> AddResult:
    """Put devices in a lot (recorded as a change of the device's ``lot`` field); a device
    in another lot leaves it, and the result says which (``taken_from``)."""
    lot = find_lot(session, lot_code)
    wanted = service.normalise_serials(serials)
    found = service.load_candidates(session, wanted)
    result = AddResult(lot.code)
    result.unknown = [s for s in wanted if s not in found]
    service.record_unmatched(session, result.unknown, "lot_add", actor, lot.code)
    old_lots = {
        lid: code
        for lid, code in session.execute(
            select(Lot.id, Lot.code).where(Lot.id.in_({c.lot_id for c in found.values() if c.lot_id}))
        )
    }
    locations = service.load_locations(session, (c.location_id for c in found.values()))
    changes = []
    for s in wanted:
        c = found.get(s)
        if c is None:
            continue
        if c.lot_id == lot.id:
            result.already.append(s)
            continue
        loc = locations.get(c.location_id) if c.location_id else None
        changes.append(
            Change(
                c.id, s, c.version, c.state.value, loc.code if loc else None,
                {"lot_id": lot.id}, {"lot": [old_lots.get(c.lot_id) if c.lot_id else None, lot.code]},
            )
        )  # fmt: skip
        result.added.append(s)
        if c.lot_id:
            result.taken_from[s] = old_lots[c.lot_id]
    service.update(session, changes, actor=actor, when=utcnow())
    return result


def lot_serials(session: Session, lot: Lot) -> list[str]:
    return list(session.scalars(select(Device.serial).where(Device.lot_id == lot.id).order_by(Device.serial)))


def move_lot(
    session: Session, lot_code: str, to: State, *, actor: str, at: str | None = None, reason: str | None = None,
    already_ok: bool = False,
) -> MoveResult:  # fmt: skip
    """Move every device of the lot (``already_ok``: see ``service.transition``)."""
    lot = find_lot(session, lot_code)
    return service.transition(
        session, lot_serials(session, lot), to, actor=actor, at=at, reason=reason, context="lot_move",
        already_ok=already_ok,
    )  # fmt: skip


@dataclass
class Reconciliation:
    lot: str
    expected: int
    matched: list[str]
    missing: list[str]
    unexpected: list[tuple[str, str | None]]  # (serial, the lot it belongs to, if any)
    unknown: list[str]
    received: MoveResult | None = None
    lost: MoveResult | None = None


def reconcile(
    session: Session,
    lot_code: str,
    scanned: Iterable[str],
    *,
    actor: str,
    receive_at: str | None = None,
    mark_missing_lost: bool = False,
    already_ok: bool = False,
) -> Reconciliation:
    """Compare a lot's devices with the serials scanned at reception.

    Optionally moves the matched devices to ``received`` at ``receive_at`` and the
    missing ones to ``lost`` (``already_ok``: see ``service.transition``). Unknown
    scans are kept as unmatched scans.
    """
    lot = find_lot(session, lot_code)
    scans = service.normalise_serials(scanned)
    expected = lot_serials(session, lot)
    expected_set = set(expected)
    scanned_set = set(scans)
    others = [s for s in scans if s not in expected_set]
    known_elsewhere: dict[str, str | None] = {}
    for part in service.chunks(others):
        for serial, code in session.execute(
            select(Device.serial, Lot.code).outerjoin(Lot, Device.lot_id == Lot.id).where(Device.serial.in_(part))
        ):
            known_elsewhere[serial] = code
    rec = Reconciliation(
        lot=lot.code,
        expected=len(expected),
        matched=[s for s in expected if s in scanned_set],
        missing=[s for s in expected if s not in scanned_set],
        unexpected=[(s, known_elsewhere[s]) for s in others if s in known_elsewhere],
        unknown=[s for s in others if s not in known_elsewhere],
    )
    service.record_unmatched(session, rec.unknown, "reconcile", actor, lot.code)
    service.touch_lot_event(
        session, lot, "reconcile", actor,
        {
            "expected": rec.expected, "matched": len(rec.matched), "missing": rec.missing,
            "unexpected": [s for s, _ in rec.unexpected], "unknown": rec.unknown,
        },
        utcnow(),
    )  # fmt: skip
    if receive_at:
        find_location(session, receive_at)
        rec.received = service.transition(
            session, rec.matched, State.RECEIVED, actor=actor, at=receive_at, context="reconcile", already_ok=already_ok
        )
    if mark_missing_lost and rec.missing:
        rec.lost = service.transition(
            session, rec.missing, State.LOST, actor=actor,
            reason=f"missing at reconciliation of lot {lot.code}", context="reconcile", already_ok=already_ok,
        )  # fmt: skip
    return rec


def list_lots(session: Session) -> list[dict[str, object]]:
    counts = dict(
        session.execute(
            select(Device.lot_id, func.count()).where(Device.lot_id.is_not(None)).group_by(Device.lot_id)
        ).all()
    )
    out = []
    for lot in session.scalars(select(Lot).order_by(Lot.code)):
        out.append(
            {
                "code": lot.code, "kind": lot.kind, "origin": lot.origin.code if lot.origin else None,
                "seal": lot.seal, "carrier": lot.carrier, "devices": int(counts.get(lot.id, 0)),
                "created_at": lot.created_at.isoformat(),
            }
        )  # fmt: skip
    return out


__all__ = ["create_lot", "add_to_lot", "move_lot", "reconcile", "list_lots", "dumps"]

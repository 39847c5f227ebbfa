"""The one door: every change to a device is checked, applied and audited here.

``transition`` moves devices between states; ``create`` and ``update`` write new or
changed devices. Each writes its audit events in the caller's transaction, in bulk:
one query per batch, never per device. Nothing here commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from reemploi.db import utcnow
from reemploi.db.bulk import bulk_execute, bulk_insert, db_time, select_in
from reemploi.errors import ConcurrentChange, UnknownDevice, UnknownLocation, UnknownLot
from reemploi.inventory.models import SERIAL_RE, Device, Location, Lot, UnmatchedScan
from reemploi.workflow import audit, clock
from reemploi.workflow.guards import GUARDS, Candidate, Context, ensure_loaded
from reemploi.workflow.models import AuditEvent
from reemploi.workflow.states import State, next_states, transitions

CHUNK = 5_000
# A move to a bench state from a state before reception is refused saying "received first".
NOT_YET_RECEIVED = frozenset({State.DEPLOYED, State.COLLECTED, State.IN_TRANSIT, State.LOST})
AT_THE_CENTRE = frozenset(
    {State.TESTED, State.IN_REPAIR, State.SANITIZED, State.READY, State.TO_RECYCLE, State.HARVESTED}
)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# What a device label's QR code carries before the serial (issue 3, item 7).
LABEL_PREFIX = "REEMPLOI:D:"
_SCAN_SEPARATORS = re.compile(r"[\s,;]+")


def serial_of(text: str) -> str:
    """The serial a scan names (the label payload's, or the text itself), trimmed and upper-cased."""
    s = text.strip().upper()
    return s[len(LABEL_PREFIX) :].strip() if s.startswith(LABEL_PREFIX) else s


def normalise_serials(serials: Iterable[str]) -> list[str]:
    """Trim, upper-case, read label payloads, drop blanks and repeats, keep the order scanned."""
    seen: dict[str, None] = {}
    for s in serials:
        s = serial_of(s)
        if s:
            seen.setdefault(s, None)
    return list(seen)


def split_scans(lines: Iterable[str]) -> list[str]:
    """One code per scan: a line whose every part (between spaces, commas or semicolons)
    looks like a serial — letters, digits and dashes with at least one digit — or is a
    label payload gives each part; any other line stays whole, as scanned."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        parts = [p for p in _SCAN_SEPARATORS.split(line) if p]
        if parts and all(_looks_scanned(p) for p in parts):
            out.extend(parts)
        elif line:
            out.append(line)
    return out


def _looks_scanned(part: str) -> bool:
    if part.upper().startswith(LABEL_PREFIX):
        return True
    return bool(SERIAL_RE.match(part.upper())) and any(ch.isdigit() for ch in part)


def dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def find_location(session: Session, code: str) -> Location:
    """A location by its code, or by its name when exactly one has it (case, accents and
    punctuation aside, as imports match names)."""
    from reemploi.inventory.tabular import fold

    loc = session.scalar(select(Location).where(Location.code == code.strip().upper()))
    if loc is None:
        named = session.scalars(select(Location).where(Location.name_key == fold(code)).limit(2)).all()
        loc = named[0] if len(named) == 1 else None
    if loc is None:
        raise UnknownLocation(location=code)
    return loc


def find_lot(session: Session, code: str) -> Lot:
    lot = session.scalar(select(Lot).where(Lot.code == code.strip().upper()))
    if lot is None:
        raise UnknownLot(lot=code)
    return lot


def load_candidates(session: Session, serials: Sequence[str]) -> dict[str, Candidate]:
    """The devices named by ``serials`` as the transition check needs them (unknown ones absent)."""
    found: dict[str, Candidate] = {}
    for part in chunks(serials, 20_000):
        for did, serial, state, loc, lot, version, since in select_in(
            session,
            "SELECT id, serial, state, location_id, lot_id, version, state_since FROM devices WHERE serial {IN}",
            list(part),
        ):
            if isinstance(since, str):  # the raw SQLite path returns text
                since = datetime.fromisoformat(since).replace(tzinfo=UTC)
            found[serial] = Candidate(did, serial, State(state), loc, lot, version, since)
    return found


def load_locations(session: Session, ids: Iterable[int | None]) -> dict[int, Location]:
    wanted = sorted({i for i in ids if i is not None})
    out: dict[int, Location] = {}
    for part in chunks(wanted):
        for loc in session.scalars(select(Location).where(Location.id.in_(part))):
            out[loc.id] = loc
    return out


def record_unmatched(
    session: Session, codes: Sequence[str], context: str, actor: str, lot_code: str | None = None
) -> None:
    if not codes:
        return
    now = db_time(session, utcnow())
    bulk_insert(
        session,
        UnmatchedScan.__table__,  # type: ignore[arg-type]
        ("code", "context", "lot_code", "actor", "at"),
        # A scan longer than the column is kept, cut, with a mark: never dropped.
        [(c if len(c) <= 200 else c[:199] + "…", context, lot_code, actor[:120], now) for c in codes],
    )


@dataclass
class Refusal:
    serial: str
    code: str
    params: dict[str, Any]


@dataclass
class MoveResult:
    target: State
    moved: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # in the target state already (``already_ok``)


def check(
    session: Session,
    candidates: Sequence[Candidate],
    target: State,
    *,
    reason: str | None = None,
    location: Location | None = None,
    locations: dict[int, Location] | None = None,
) -> tuple[list[Candidate], list[Refusal]]:
    """Split candidates into those the table and guards allow and those refused."""
    ensure_loaded()
    table = transitions()
    refused: list[Refusal] = []
    by_guard: dict[str, list[Candidate]] = {}
    allowed: list[Candidate] = []
    for c in candidates:
        t = table.get((c.state, target))
        if t is None:
            not_received = c.state in NOT_YET_RECEIVED and target in AT_THE_CENTRE
            refused.append(
                Refusal(
                    c.serial,
                    "transition_not_received" if not_received else "transition_not_allowed",
                    {
                        "serial": c.serial,
                        "state": c.state.value,
                        "target": target.value,
                        "allowed": ", ".join(s.value for s in next_states(c.state)) or "-",
                    },
                )
            )
            continue
        allowed.append(c)
        for g in t.guards:
            by_guard.setdefault(g, []).append(c)
    if locations is None:
        locations = load_locations(session, (c.location_id for c in allowed))
    ctx = Context(session, target, reason, location, locations)
    failed: dict[str, tuple[str, dict[str, Any]]] = {}
    for name, batch in by_guard.items():
        for serial, why in GUARDS[name](ctx, batch).items():
            failed.setdefault(serial, why)
    ok = []
    for c in allowed:
        if c.serial in failed:
            code, params = failed[c.serial]
            refused.append(Refusal(c.serial, code, {"serial": c.serial, **params}))
        else:
            ok.append(c)
    return ok, refused


def transition(
    session: Session,
    serials: Iterable[str],
    to: State,
    *,
    actor: str,
    reason: str | None = None,
    at: str | None = None,
    lot: str | None = None,
    when: datetime | None = None,
    context: str = "move",
    changes: Mapping[str, Mapping[str, Any]] | None = None,
    details: Mapping[str, Mapping[str, Any]] | None = None,
    already_ok: bool = False,
) -> MoveResult:
    """Move each serial to ``to`` on its own: moved, refused (with why) or unknown.

    ``at`` is the location the devices are at after the move (default: unchanged);
    ``lot`` puts them in that lot. Unknown serials are kept as unmatched scans.
    ``changes`` sets other columns in the same update (serial -> {column: value}, e.g.
    the grade a test gave); ``details`` adds to each device's audit event. Both are
    recorded in the device's one audit event for the move. With ``already_ok`` a device
    already in ``to`` (and at ``at``, in ``lot`` when given) is listed as ``already``,
    not refused, and gets no event: a scan repeated or a command run again changes nothing.
    """
    when = when or utcnow()
    audit.lock(session)  # writers take the chain's lock first: one lock order, no deadlock
    target_loc = find_location(session, at) if at else None
    target_lot = find_lot(session, lot) if lot else None
    wanted = normalise_serials(serials)
    found = load_candidates(session, wanted)
    result = MoveResult(to)
    result.unknown = [s for s in wanted if s not in found]
    record_unmatched(session, result.unknown, context, actor, target_lot.code if target_lot else None)
    candidates = [found[s] for s in wanted if s in found]
    if already_ok:
        def there(c: Candidate) -> bool:
            return (c.state is to and (target_loc is None or c.location_id == target_loc.id)
                    and (target_lot is None or c.lot_id == target_lot.id))  # fmt: skip

        result.already = [c.serial for c in candidates if there(c)]
        candidates = [c for c in candidates if not there(c)]
    locations = load_locations(session, (c.location_id for c in candidates))
    ok, result.refused = check(session, candidates, to, reason=reason, location=target_loc, locations=locations)
    occurred = clock.current()
    if occurred is not None and ok:  # per device, the dates it lived never go backwards
        last = last_occurred(session, [c.serial for c in ok])
        early = {c.serial for c in ok if c.serial in last and occurred < last[c.serial]}
        result.refused += [Refusal(c.serial, "date_before_previous", {"serial": c.serial,
                                   "date": clock.local_text(occurred), "previous": clock.local_text(last[c.serial])})
                           for c in ok if c.serial in early]  # fmt: skip
        ok = [c for c in ok if c.serial not in early]
    if not ok:
        return result
    now_db = db_time(session, when)
    since_db = db_time(session, occurred) if occurred is not None else now_db
    params = []
    events: list[audit.Pending] = []
    extra: dict[str, str] = {}
    if reason:
        extra["reason"] = reason
    if target_lot:
        extra["lot"] = target_lot.code
    data = dumps(extra) if extra else None
    for c in ok:
        loc_id = target_loc.id if target_loc else c.location_id
        row = {
            "id": c.id,
            "v": c.version,
            "state": to.value,
            "loc": loc_id,
            "lot": target_lot.id if target_lot else c.lot_id,
            "now": now_db,
            "since": since_db,
        }
        own = (changes or {}).get(c.serial)
        more = (details or {}).get(c.serial)
        if own:
            row.update({f"x_{col}": value for col, value in own.items()})
        if to is State.RECEIVED:
            row["x_received_at_id"] = loc_id  # the hand-over point of the chain of custody
        params.append(row)
        event_data = data
        if own or more:
            event_data = dumps({**extra, **(more or {}), **({"set": dict(own)} if own else {})})
        loc_code = (
            target_loc.code if target_loc else (locations[c.location_id].code if c.location_id in locations else None)
        )
        events.append((actor, "transition", "device", c.serial, c.state.value, to.value, loc_code, event_data))
    # One statement per set of extra columns (most calls have none, or one set).
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in params:
        groups.setdefault(tuple(sorted(k[2:] for k in row if k.startswith("x_"))), []).append(row)
    for cols, rows in groups.items():
        sets = "".join(f", {col} = :x_{col}" for col in cols)
        for part in chunks(rows):
            n = bulk_execute(
                session,
                "UPDATE devices SET state = :state, location_id = :loc, lot_id = :lot, "
                f"updated_at = :now, state_since = :since, version = version + 1{sets} WHERE id = :id AND version = :v",
                list(part),
            )
            if n != len(part):
                raise ConcurrentChange(count=len(part) - n)
    audit.append(session, events, when)
    mark_milestone(session, [c.id for c in ok], to.value, since_db)
    result.moved = [c.serial for c in ok]
    return result


MILESTONES = ("deployed", "collected", "received", "ready", "shipped", "installed")


def mark_milestone(session: Session, device_ids: Sequence[int], state: str, at_db: Any) -> None:
    """Devices entering ``state`` for the first time: when, in ``device_milestones`` (see workflow.timeline)."""
    if state not in MILESTONES or not device_ids:
        return
    rows = [{"id": i, "at": at_db} for i in device_ids]
    bulk_execute(session, "INSERT INTO device_milestones (device_id) VALUES (:id) ON CONFLICT (device_id) DO NOTHING",
                 rows)  # fmt: skip
    bulk_execute(session, f"UPDATE device_milestones SET {state} = :at WHERE device_id = :id AND {state} IS NULL",
                 rows)  # fmt: skip


def last_occurred(session: Session, serials: Sequence[str]) -> dict[str, datetime]:
    """When each device's latest event happened (devices without events are absent)."""
    out: dict[str, datetime] = {}
    for part in chunks(list(serials)):
        q = (select(AuditEvent.subject, func.max(AuditEvent.occurred_at))
             .where(AuditEvent.subject_type == "device", AuditEvent.subject.in_(part))
             .group_by(AuditEvent.subject))  # fmt: skip
        for serial, at in session.execute(q):
            out[serial] = at if at.tzinfo else at.replace(tzinfo=UTC)
    return out


# (serial, mac, model_id, state, location_id, asset_tag, attributes_json, audit_data_json, location_code)
NewDevice = tuple[str, str | None, int, str, int | None, str | None, str | None, str, str | None]

_DEVICE_COLUMNS = (
    "serial", "mac", "model_id", "state", "location_id", "asset_tag", "attributes",
    "created_at", "updated_at", "state_since", "version", "received_at_id",
)  # fmt: skip


def create(session: Session, devices: Sequence[NewDevice], *, actor: str, when: datetime) -> int:
    """Insert new devices and their creation events."""
    if not devices:
        return 0
    now = db_time(session, when)
    since = db_time(session, clock.occurred(when))
    device_rows = [
        (s, m, mid, st, lid, tag, attrs, now, now, since, 1, lid if st == State.RECEIVED.value else None)
        for s, m, mid, st, lid, tag, attrs, _, _ in devices
    ]
    bulk_insert(session, Device.__table__, _DEVICE_COLUMNS, device_rows)  # type: ignore[arg-type]
    by_state: dict[str, list[str]] = {}
    for s, _, _, st, *_ in devices:
        if st in MILESTONES:
            by_state.setdefault(st, []).append(s)
    for st, serials in by_state.items():  # a new device's first stage, as it arrives
        for part in chunks(serials):
            session.execute(
                text(f"INSERT INTO device_milestones (device_id, {st}) SELECT id, :at FROM devices "
                     "WHERE serial IN :serials").bindparams(bindparam("serials", expanding=True)),
                {"at": since, "serials": list(part)},
            )  # fmt: skip
    audit.append(
        session,
        [(actor, "create", "device", s, None, st, lc, data) for s, _, _, st, _, _, _, data, lc in devices],
        when,
    )
    return len(devices)


@dataclass
class Change:
    """New values for an existing device, with the old ones for the audit trail."""

    id: int
    serial: str
    version: int
    state: str
    location_code: str | None  # where the device is after the change (what its event records)
    values: dict[str, Any]  # column -> new value, for every updatable column
    diff: dict[str, list[Any]]  # field -> [old, new], what the audit event records


def update(session: Session, changes: Sequence[Change], *, actor: str, when: datetime) -> int:
    """Write changed fields (not the state: that is ``transition``'s) with audit events."""
    if not changes:
        return 0
    audit.lock(session)
    now = db_time(session, when)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for ch in changes:
        cols = tuple(sorted(ch.values))
        by_columns.setdefault(cols, []).append({**ch.values, "id": ch.id, "v": ch.version, "now": now})
    for cols, rows in by_columns.items():
        sets = "".join(f"{c} = :{c}, " for c in cols)
        for part in chunks(rows):
            n = bulk_execute(
                session,
                f"UPDATE devices SET {sets}updated_at = :now, version = version + 1 WHERE id = :id AND version = :v",
                list(part),
            )
            if n != len(part):
                raise ConcurrentChange(count=len(part) - n)
    audit.append(
        session,
        [
            (actor, "update", "device", ch.serial, ch.state, ch.state, ch.location_code, dumps(ch.diff))
            for ch in changes
        ],
        when,
    )
    return len(changes)


def touch_lot_event(session: Session, lot: Lot, action: str, actor: str, data: dict[str, Any], when: datetime) -> None:
    audit.append(
        session,
        [(actor, action, "lot", lot.code, None, None, lot.origin.code if lot.origin else None, dumps(data))],
        when,
    )


# --- Added for the HTTP API (issue 6): the audit log by pages, and one device's current state.
def audit_events(
    session: Session,
    *,
    after_seq: int = 0,
    limit: int = 100,
    subject: str | None = None,
    subject_type: str | None = None,
    actor: str | None = None,
) -> tuple[list[dict[str, Any]], int | None]:
    """Audit events with ``seq > after_seq``, oldest first, and the seq to continue after (None at the end)."""
    limit = max(1, min(limit, 1000))
    q = select(AuditEvent).where(AuditEvent.seq > after_seq).order_by(AuditEvent.seq).limit(limit + 1)
    if subject:
        q = q.where(AuditEvent.subject == subject.strip().upper())
    if subject_type:
        q = q.where(AuditEvent.subject_type == subject_type)
    if actor:
        q = q.where(AuditEvent.actor == actor)
    rows = list(session.scalars(q))
    out = [
        {
            "seq": e.seq, "at": e.at.isoformat(), "recorded_at": e.at.isoformat(),
            "occurred_at": e.occurred_at.isoformat(), "actor": e.actor, "action": e.action,
            "subject_type": e.subject_type, "subject": e.subject, "from_state": e.from_state,
            "to_state": e.to_state, "location": e.location, "data": orjson.loads(e.data) if e.data else None,
            "hash": e.hash,
        }  # fmt: skip
        for e in rows[:limit]
    ]
    return out, (out[-1]["seq"] if len(rows) > limit else None)


def known_subject(session: Session, code: str, subject_type: str) -> None:
    """Raise unless ``code`` names a device (or a lot, or a location, by ``subject_type``);
    a lot's code given as a serial says so."""
    if subject_type == "lot":
        find_lot(session, code)
    elif subject_type == "location":
        if session.scalar(select(Location.id).where(Location.code == code)) is None:
            raise UnknownLocation(location=code)
    elif session.scalar(select(Device.id).where(Device.serial == code)) is None:
        is_lot = session.scalar(select(Lot.id).where(Lot.code == code)) is not None
        raise UnknownDevice("unknown_device_is_lot" if is_lot else None, serial=code)


def current_state(session: Session, serial: str) -> dict[str, Any] | None:
    """A device's state, location code and version now (None when unknown)."""
    c = load_candidates(session, normalise_serials([serial])).get(serial_of(serial))
    if c is None:
        return None
    loc = load_locations(session, [c.location_id]).get(c.location_id) if c.location_id else None
    return {"serial": c.serial, "state": c.state.value, "location": loc.code if loc else None, "version": c.version}


# --- end of the HTTP API additions

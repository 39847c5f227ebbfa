"""The append-only, hash-chained audit log.

``hash = sha256(prev_hash + US + canonical(event))`` where canonical joins the stored
fields with the unit separator. Editing, deleting, inserting or reordering any event
breaks either a recomputed hash, a ``prev_hash`` link, the contiguous ``seq`` or the
head record; ``verify`` reports the first such event.

Each event has two times: ``at``, when it was recorded (the chain's order), and
``occurred_at``, when it happened (``workflow.clock``). When they differ, the occurred
time is hashed too (appended to the canonical text); when they are the same, the text is
what it was before events had two times, so chains written then still verify. An event
recorded more than ``clock.BACKDATE_FLAG_DAYS`` after it happened carries
``backdated_days`` in its data; ``verify`` counts them, as information.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from reemploi.db.bulk import bulk_insert, db_time
from reemploi.i18n import t
from reemploi.workflow import clock
from reemploi.workflow.models import AuditEvent, AuditHead

GENESIS = "0" * 64
_US = "\x1f"
_NONE = "\x1e"
COLUMNS = (
    "seq", "at", "actor", "action", "subject_type", "subject",
    "from_state", "to_state", "location", "data", "prev_hash", "hash", "occurred_at",
)  # fmt: skip

# One event, before it has a place in the chain:
# (actor, action, subject_type, subject, from_state, to_state, location, data_json[, occurred_at])
Pending = tuple[str, str, str, str, str | None, str | None, str | None, str | None]


def iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(prev: str, seq: int, at_iso: str, fields: Sequence[str | None], occurred_iso: str | None = None) -> str:
    body = _US.join(_NONE if f is None else f for f in fields)
    tail = f"{_US}{occurred_iso}" if occurred_iso is not None and occurred_iso != at_iso else ""
    return hashlib.sha256(f"{prev}{_US}{seq}{_US}{at_iso}{_US}{body}{tail}".encode()).hexdigest()


def lock(session: Session) -> None:
    """Take the chain's lock for the rest of the transaction (idempotent).

    Every write use case calls this before it reads what it will change: the write lock
    (SQLite) or the head's row lock (PostgreSQL) comes first, always in the same order,
    so concurrent writers queue instead of deadlocking, and read what they change fresh.
    """
    session.execute(text("UPDATE audit_head SET seq = seq WHERE id = 1"))


def _lock_head(session: Session) -> tuple[int, str]:
    # Writing first takes the write lock (SQLite) or the row lock (PostgreSQL) before
    # the head is read, so two writers can never chain onto the same event.
    lock(session)
    row = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one_or_none()
    if row is None:
        raise RuntimeError("audit_head is missing: run `reemploi init`")
    return int(row[0]), str(row[1])


def append(session: Session, events: Sequence[Pending], at: datetime, occurred: datetime | None = None) -> int:
    """Chain and write ``events`` (all recorded at ``at``) in the caller's transaction.

    They happened at ``occurred``, else at the time in force (``clock``), else at ``at``;
    an event may carry its own occurred time as a ninth element."""
    if not events:
        return 0
    default = occurred or clock.current() or at
    seq, prev = _lock_head(session)
    at_db = db_time(session, at)
    at_iso = iso(at)
    head = f"{_US}{at_iso}{_US}"
    sha = hashlib.sha256
    N = _NONE
    rows = []
    seen: dict[datetime, tuple[Any, str, float | None]] = {}
    for actor, action, stype, subject, frm, to, loc, data, *own in events:  # type: ignore[misc]
        seq += 1
        when = own[0] if own and own[0] is not None else default
        known = seen.get(when)
        if known is None:
            clock.check_not_future(when, now=at)
            known = seen[when] = (db_time(session, when), iso(when), clock.backdated_days(when, at))
        occ_db, occ_iso, late = known
        if late is not None:
            data = orjson.dumps({**(orjson.loads(data) if data else {}), "backdated_days": late}).decode()
        # Same text as event_hash() builds; spelled out because this loop runs per row.
        text_ = (
            f"{prev}{_US}{seq}{head}{actor}{_US}{action}{_US}{stype}{_US}{subject}{_US}"
            f"{N if frm is None else frm}{_US}{N if to is None else to}{_US}"
            f"{N if loc is None else loc}{_US}{N if data is None else data}"
        )
        if occ_iso != at_iso:
            text_ += f"{_US}{occ_iso}"
        h = sha(text_.encode()).hexdigest()
        rows.append((seq, at_db, actor, action, stype, subject, frm, to, loc, data, prev, h, occ_db))
        prev = h
    bulk_insert(session, AuditEvent.__table__, COLUMNS, rows)  # type: ignore[arg-type]
    session.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"), {"seq": seq, "hash": prev})
    return len(rows)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    bad_seq: int | None = None
    # An i18n code: audit_edited, audit_gap, audit_link, audit_head, audit_device_state, audit_device_unlogged
    problem: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)  # the problem's other parameters
    backdated: int = 0  # events recorded long after they happened (information, not tampering)

    def message(self, lang: str) -> str:
        if self.problem is None:
            return t("audit_intact", lang, count=self.count, head=self.head_hash)
        return t(self.problem, lang, seq=self.bad_seq, **self.detail)


def verify(session: Session, page: int = 50_000, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Recompute the whole chain; stop at the first event that does not hold. Then check
    that every device is in the state its last event left it in (a device row changed
    behind the log's back, or a device with no event at all, is reported)."""
    t_ = AuditEvent.__table__
    cols = [t_.c[name] for name in COLUMNS]
    prev, expected, count = GENESIS, 1, 0
    last = 0
    while True:
        rows = session.execute(select(*cols).where(t_.c.seq > last).order_by(t_.c.seq).limit(page)).all()
        if not rows:
            break
        for seq, at, *fields, prev_hash, stored, occurred_at in rows:
            if seq != expected:
                return VerifyResult(False, count, prev, expected if seq > expected else seq, "audit_gap")
            if prev_hash != prev:
                return VerifyResult(False, count, prev, seq, "audit_link")
            occ = iso(occurred_at) if occurred_at is not None else None
            if event_hash(prev, seq, iso(at), fields, occ) != stored:
                return VerifyResult(False, count, prev, seq, "audit_edited")
            prev, expected, count = stored, expected + 1, count + 1
        last = rows[-1][0]
        if progress:
            progress(count)
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one_or_none()
    if head is None or int(head[0]) != count or head[1] != prev:
        head_seq = int(head[0]) if head else 0
        return VerifyResult(False, count, prev, count + 1 if head_seq > count else count, "audit_head",
                            {"head": head_seq, "last": count})  # fmt: skip
    stray = _device_off_the_log(session)
    if stray is not None:
        serial, state, seq, logged = stray
        if seq is None:
            return VerifyResult(False, count, prev, None, "audit_device_unlogged", {"serial": serial})
        # Every event holds: the device row is what was changed (its last event's seq is named in the message).
        return VerifyResult(False, count, prev, None, "audit_device_state",
                            {"serial": serial, "state": state, "logged": logged or "-", "last": seq})  # fmt: skip
    late = session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.data.like('%"backdated_days"%')))  # fmt: skip
    return VerifyResult(True, count, prev, backdated=int(late or 0))


def _device_off_the_log(session: Session) -> tuple[str, str, int | None, str | None] | None:
    """The first device (by serial) whose state is not the one its last event recorded."""
    row = session.execute(
        text(
            "SELECT d.serial, d.state, e.seq, e.to_state FROM devices d "
            "LEFT JOIN (SELECT subject, MAX(seq) AS seq FROM audit_events WHERE subject_type = 'device' "
            "           GROUP BY subject) l ON l.subject = d.serial "
            "LEFT JOIN audit_events e ON e.seq = l.seq "
            "WHERE e.seq IS NULL OR e.to_state IS NULL OR e.to_state <> d.state "
            "ORDER BY d.serial LIMIT 1"
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1], row[2], row[3])


def log(session: Session, subject: str, subject_type: str = "device") -> list[dict[str, Any]]:
    """The events of one device or lot, oldest first, as plain dicts."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == subject_type, AuditEvent.subject == subject)
        .order_by(AuditEvent.seq)
    )
    return [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),  # when it was recorded (kept under its first name)
            "recorded_at": e.at.isoformat(),
            "occurred_at": e.occurred_at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "location": e.location,
            "data": orjson.loads(e.data) if e.data else None,
            "hash": e.hash,
        }
        for e in events
    ]

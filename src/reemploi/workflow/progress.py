"""Progress over time, read from the audit log: devices entering key states per day.

Aggregated in SQL (one query, grouped by UTC day and target state), so the dashboard
stays fast on a large log. Only device transitions count; the log is never changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reemploi.workflow.models import AuditEvent
from reemploi.workflow.states import State

# The milestones a programme follows: taken back, checked, ready for reuse, in second life.
MILESTONES = (State.RECEIVED, State.TESTED, State.READY, State.INSTALLED)


def daily_progress(session: Session, states: tuple[State, ...] = MILESTONES) -> list[dict[str, Any]]:
    """One row per UTC day things happened: ``{"day": date, state: n, ...}``, oldest first.

    ``n`` counts the device transitions into ``state`` that day (a device tested twice counts twice).
    """
    day = func.date(AuditEvent.occurred_at)  # the day it happened, not the day it was typed
    rows = session.execute(
        select(day, AuditEvent.to_state, func.count())
        .where(AuditEvent.subject_type == "device", AuditEvent.to_state.in_([s.value for s in states]))
        .group_by(day, AuditEvent.to_state)
        .order_by(day)
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for d, state, n in rows:
        key = d.isoformat() if isinstance(d, date) else str(d)[:10]
        out.setdefault(key, {"day": key, **{s.value: 0 for s in states}})[state] = int(n)
    return list(out.values())


def head_seq(session: Session) -> int:
    """The sequence number of the audit chain's last event: it changes with every change, so it dates a view."""
    from reemploi.workflow.models import AuditHead

    return int(session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0)

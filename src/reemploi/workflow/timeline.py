"""Questions of time, answered from when things happened (``occurred_at``), in SQL.

- ``as_of``: each device's state and location on a date: its latest event that happened
  by then (per device the occurred dates never go back, so the latest by chain order among
  them is the latest in time; two moves the same day end where the second left it).
- ``lead_times``: per stage of the programme (deployed → collected → received → ready →
  shipped → installed), the days between the first time a device entered one state and
  the first time it entered the next (``device_milestones``, kept by every move, a row per
  device), over the devices that did both: count, median, P90
  and maximum; the stage where devices wait longest (by median) named; devices waiting
  in a state longer than a threshold listed (the oldest first).
- ``throughput``: devices received, tested, repaired, sanitized, made ready and installed
  per day, week or month (the bench's and the installers' pace).

Aggregation is in SQL (one pass over the events, grouped per device); the percentiles are
taken over the per-device durations with numpy.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from reemploi.db.bulk import db_time
from reemploi.workflow.states import State

STAGES = (State.DEPLOYED, State.COLLECTED, State.RECEIVED, State.READY, State.SHIPPED, State.INSTALLED)
STUCK_DAYS = 60.0
_NEVER = -1e9  # days: a stage a device never entered (NaN once in numpy)
# What throughput counts: the state a device enters, per activity.
ACTIVITIES = {"received": State.RECEIVED, "tested": State.TESTED, "repaired": State.IN_REPAIR,
              "sanitized": State.SANITIZED, "ready": State.READY, "installed": State.INSTALLED}  # fmt: skip


def _days_expr(session: Session, column: str) -> str:
    """SQL for a timestamp column as fractional days since the epoch, per dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return f"EXTRACT(EPOCH FROM {column}) / 86400.0"
    return f"(julianday({column}) - 2440587.5)"


def _when(day: float) -> datetime:
    return datetime.fromtimestamp(day * 86400.0, UTC)


def as_of(session: Session, when: datetime, *, state: str | None = None, location: str | None = None,
          limit: int | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Each device's state and location on ``when`` (devices that did not exist yet are absent)."""
    where, params = [], {"when": db_time(session, when)}
    if state:
        where.append("to_state = :state")
        params["state"] = state
    if location:
        where.append("location = :loc")
        params["loc"] = location
    if session.get_bind().dialect.name == "postgresql":  # one pass down the subject index
        inner = ("SELECT DISTINCT ON (subject) subject, to_state, location, occurred_at FROM audit_events"
                 " WHERE subject_type = 'device' AND to_state IS NOT NULL AND occurred_at <= :when"
                 " ORDER BY subject, occurred_at DESC, seq DESC")
    else:
        inner = ("SELECT e.subject, e.to_state, e.location, e.occurred_at FROM audit_events e JOIN ("
                 " SELECT subject, MAX(seq) AS seq FROM audit_events"
                 " WHERE subject_type = 'device' AND to_state IS NOT NULL AND occurred_at <= :when GROUP BY subject"
                 ") l ON e.seq = l.seq")
    sql = (f"SELECT subject, to_state, location, occurred_at FROM ({inner}) e"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY subject"
           + (f" LIMIT {int(limit)}" if limit else ""))  # fmt: skip
    return [{"serial": s, "state": st, "location": loc, "since": _iso(at)}
            for s, st, loc, at in session.execute(text(sql), params)]  # fmt: skip


def _iso(value: Any) -> str:
    """A timestamp read by raw SQL (text on SQLite, a datetime on PostgreSQL) as ISO 8601 in UTC."""
    if isinstance(value, str):  # SQLite's naive UTC text: "2024-09-10 06:15:00.000000"
        return value.replace(" ", "T") + "+00:00" if "+" not in value else value.replace(" ", "T")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _first_entries(session: Session, site: str | None) -> np.ndarray:
    """Per device (a row each), the first time (days since the epoch, NaN: never) it entered each stage's state.

    Read from ``device_milestones``, which every move keeps (``workflow.service.mark_milestone``)."""
    cols = ", ".join(f"COALESCE({_days_expr(session, f'm.{s.value}')}, {_NEVER})" for s in STAGES)
    params: dict[str, Any] = {}
    join = ""
    if site:  # the devices that went to this site (installed there, or planned for it)
        join = (" JOIN (SELECT DISTINCT pd.device_id FROM plan_devices pd JOIN sites s ON s.id = pd.site_id"
                " JOIN locations l ON l.id = s.location_id WHERE l.code = :site) x ON x.device_id = m.device_id")
        params["site"] = site.strip().upper()
    sql = f"SELECT {cols} FROM device_milestones m{join}"
    # The rows' values straight into one array (NULL, never entered, is a sentinel in SQL): no loop per device.
    flat = np.fromiter(itertools.chain.from_iterable(session.execute(text(sql), params)), dtype=float)
    t = flat.reshape(-1, len(STAGES))
    t[t <= _NEVER + 1] = np.nan
    return t


def lead_times(session: Session, *, site: str | None = None, start: datetime | None = None,
               end: datetime | None = None, stuck_days: float = STUCK_DAYS,
               now: datetime | None = None, stuck_limit: int = 50) -> dict[str, Any]:  # fmt: skip
    """Lead times per stage and end to end (see the module); ``start``/``end`` bound when a stage ended."""
    t = _first_entries(session, site)
    lo = start.timestamp() / 86400.0 if start else -np.inf
    hi = end.timestamp() / 86400.0 if end else np.inf
    stages = []
    for i in range(len(STAGES) - 1):
        a, b = t[:, i], t[:, i + 1]
        ok = ~np.isnan(a) & ~np.isnan(b) & (b >= lo) & (b <= hi)
        stages.append({"from": STAGES[i].value, "to": STAGES[i + 1].value} | _summary(b[ok] - a[ok]))
    a, b = t[:, 0], t[:, -1]
    ok = ~np.isnan(a) & ~np.isnan(b) & (b >= lo) & (b <= hi)
    end_to_end = {"from": STAGES[0].value, "to": STAGES[-1].value} | _summary(b[ok] - a[ok])
    timed = [s for s in stages if s["count"]]
    worst = max(timed, key=lambda s: s["median_days"]) if timed else None
    return {
        "stages": stages, "end_to_end": end_to_end,
        "bottleneck": ({"from": worst["from"], "to": worst["to"], "median_days": worst["median_days"]}
                       if worst else None),
        "stuck": _stuck(session, stuck_days, now or datetime.now(UTC), stuck_limit, site),
        "stuck_days": stuck_days, "site": site.strip().upper() if site else None,
    }  # fmt: skip


def _summary(days: np.ndarray) -> dict[str, Any]:
    if not len(days):
        return {"count": 0, "median_days": None, "p90_days": None, "max_days": None}
    return {"count": int(len(days)), "median_days": round(float(np.median(days)), 1),
            "p90_days": round(float(np.percentile(days, 90)), 1), "max_days": round(float(days.max()), 1)}  # fmt: skip


WAITING = (State.COLLECTED, State.IN_TRANSIT, State.RECEIVED, State.TESTED, State.IN_REPAIR, State.SANITIZED,
           State.READY, State.RESERVED, State.SHIPPED)  # fmt: skip


def _stuck(session: Session, days: float, now: datetime, limit: int, site: str | None) -> list[dict[str, Any]]:
    """Devices in a waiting state (not deployed, installed, in service or gone) since longer than ``days``."""
    since = _days_expr(session, "d.state_since")
    now_day = now.timestamp() / 86400.0
    states = ", ".join(f"'{s.value}'" for s in WAITING)
    params: dict[str, Any] = {"limit_day": now_day - days, "now_day": now_day}
    join = ""
    if site:
        join = (" JOIN plan_devices pd ON pd.device_id = d.id JOIN sites s ON s.id = pd.site_id"
                " JOIN locations sl ON sl.id = s.location_id AND sl.code = :site")
        params["site"] = site.strip().upper()
    sql = (f"SELECT DISTINCT d.serial, d.state, l.code, :now_day - {since} AS waited FROM devices d"
           f" LEFT JOIN locations l ON l.id = d.location_id{join}"
           f" WHERE d.state IN ({states}) AND {since} < :limit_day ORDER BY waited DESC, d.serial LIMIT {int(limit)}")
    return [{"serial": s, "state": st, "location": loc, "days": round(float(w), 1)}
            for s, st, loc, w in session.execute(text(sql), params)]  # fmt: skip


def throughput(session: Session, by: str = "week", *, start: datetime | None = None,
               end: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    """Devices per period entering each activity's state (see the module), by day, week or month."""
    if by not in ("day", "week", "month"):
        from reemploi.errors import InvalidInput

        raise InvalidInput("bad_choice", field="--by", value=by, choices="day, week, month")
    day = _days_expr(session, "occurred_at")
    states = ", ".join(f"'{s.value}'" for s in ACTIVITIES.values())
    params: dict[str, Any] = {}
    bounds = ""
    if start:
        bounds += " AND occurred_at >= :start"
        params["start"] = db_time(session, start)
    if end:
        bounds += " AND occurred_at <= :end"
        params["end"] = db_time(session, end)
    # Whole days since the epoch, counted per state in SQL; weeks and months are folded below.
    sql = (f"SELECT CAST({day} AS INTEGER) AS d, to_state, COUNT(*) FROM audit_events"
           f" WHERE subject_type = 'device' AND to_state IN ({states}){bounds} GROUP BY 1, 2 ORDER BY 1")
    counts: dict[str, dict[str, int]] = {}
    state_name = {s.value: name for name, s in ACTIVITIES.items()}
    for d, st, n in session.execute(text(sql), params):
        key = _period(int(d), by)
        row = counts.setdefault(key, dict.fromkeys(ACTIVITIES, 0))
        row[state_name[st]] += int(n)
    periods = [{"period": k} | v for k, v in sorted(counts.items())]
    return {"by": by, "periods": periods, "total": {a: sum(p[a] for p in periods) for a in ACTIVITIES}}


def _period(day: int, by: str) -> str:
    d = datetime.fromtimestamp(day * 86400, UTC).date()
    if by == "day":
        return d.isoformat()
    if by == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return f"{d.year}-{d.month:02d}"

"""When a thing happened, apart from when it was recorded.

Every record keeps two times: ``recorded_at`` (the audit chain's order, the moment it was
typed) and ``occurred_at`` (when it happened: Friday's bench tests typed on Monday, an
installer's scans synced at night). A command or request that records something may say
when it happened (``--date``, ``occurred_at``, a date column); the services read it from
here (``occurred``) for the whole unit of work, so that every event and record of one
command carries the same occurred time without each signature growing a parameter.

Dates are read as people write them: ISO (``2026-12-05``, ``2026-12-05T14:30``), French
(``05/12/2026``, ``05/12/2026 14:30``, ``5 déc. 2026``, ``5 décembre 2026``) and English
month names (``5 Dec 2026``), in the programme's time zone (``REEMPLOI_TIME_ZONE``,
default Europe/Paris) unless an offset is given. A date without a time means the end of
that day (23:59:59 local), or now when that day is today: a day's records then never
come before the device's earlier events of that day.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reemploi.errors import InvalidInput

DEFAULT_ZONE = "Europe/Paris"
CLOCK_SKEW = timedelta(minutes=10)  # a date this far in the future is another machine's clock, not an error
BACKDATE_FLAG_DAYS = 30.0  # recorded this long after it happened: accepted, flagged in its event

_OCCURRED: ContextVar[datetime | None] = ContextVar("reemploi_occurred", default=None)


def zone() -> ZoneInfo:
    name = os.environ.get("REEMPLOI_TIME_ZONE") or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("time_zone_unknown", zone=name) from None


def current() -> datetime | None:
    """The occurred time in force, if the caller gave one."""
    return _OCCURRED.get()


def occurred(default: datetime) -> datetime:
    """When what is being recorded happened: the time in force, else ``default`` (now)."""
    return _OCCURRED.get() or default


@contextmanager
def occurring(at: datetime | None) -> Iterator[None]:
    """Records made in this block happened at ``at`` (None: now)."""
    token = _OCCURRED.set(at)
    try:
        yield
    finally:
        _OCCURRED.reset(token)


@cache
def _month_names() -> dict[str, int]:
    from babel import Locale

    out: dict[str, int] = {}
    for lang in ("fr", "en"):
        months = Locale(lang).months["format"]
        for width in ("abbreviated", "wide"):
            for k, name in months[width].items():
                out[_fold(name)] = k
    out["fevr"], out["sept"], out["juil"] = 2, 9, 7  # common spellings without accents or the full stop
    return out


def _fold(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().strip(". ")


_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](?:à\s+)?(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")
_NAMED = re.compile(r"^(\d{1,2})(?:er)?\s+([^\W\d_][^\d]*?)\.?\s+(\d{4})(?:\s+(?:à\s+)?(\d{1,2})[:h](\d{2}))?$",
                    re.IGNORECASE)  # fmt: skip


def parse(text: str, field: str = "--date", *, now: datetime | None = None) -> datetime:
    """A date or date-time as users type it (see the module) → aware UTC. Raises ``InvalidInput``."""
    raw = " ".join((text or "").split())
    if not raw:
        raise InvalidInput("date_unreadable", field=field, value=text)
    tz = zone()
    day: date | None = None
    clock_time: time | None = None
    parsed: datetime | None = None
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", raw):
            day = date.fromisoformat(raw)
        elif re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", raw):
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        elif m := _NUMERIC.match(raw):
            d, mo, y, hh, mm, ss = m.groups()
            day = date(int(y), int(mo), int(d))  # French order: day, month, year
            if hh is not None:
                clock_time = time(int(hh), int(mm), int(ss or 0))
        elif m := _NAMED.match(raw):
            d, name, y, hh, mm = m.groups()
            month = _month_names().get(_fold(name))
            if month is None:
                raise ValueError(name)
            day = date(int(y), month, int(d))
            if hh is not None:
                clock_time = time(int(hh), int(mm))
        else:
            raise ValueError(raw)
    except ValueError:
        raise InvalidInput("date_unreadable", field=field, value=text) from None
    now = now or datetime.now(UTC)
    if parsed is None:
        assert day is not None
        if clock_time is not None:
            parsed = datetime.combine(day, clock_time)
        else:
            parsed = datetime.combine(day, time(23, 59, 59))
            if day == now.astimezone(tz).date():
                return now
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    at = parsed.astimezone(UTC)
    check_not_future(at, field, now=now)
    return at


def check_not_future(at: datetime, field: str = "--date", *, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    if at > now + CLOCK_SKEW:
        raise InvalidInput("date_future", field=field, value=local_text(at), now=local_text(now))


def local_text(at: datetime) -> str:
    """``2026-12-05 14:30`` in the programme's time zone."""
    return at.astimezone(zone()).strftime("%Y-%m-%d %H:%M")


def backdated_days(occurred_at: datetime, recorded_at: datetime) -> float | None:
    """Days between when it happened and when it was recorded, when over the flag threshold."""
    days = (recorded_at - occurred_at).total_seconds() / 86400
    return round(days, 1) if days > BACKDATE_FLAG_DAYS else None

"""The bulk write path: several rows per INSERT on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reemploi.db import utcnow
from reemploi.db.bulk import ROWS_PER_STATEMENT
from reemploi.workflow import audit
from reemploi.workflow.models import AuditEvent

PER = ROWS_PER_STATEMENT


@pytest.mark.parametrize("count", [1, PER - 1, PER, PER + 1, 3 * PER + 7])
def test_every_row_is_written_once_in_order_with_its_values(session, count):
    def data(i: int) -> str | None:
        return None if i % 3 == 0 else f'{{"i": {i}}}'

    events = [("tester", "create", "device", f"FOC{i:06d}", None if i % 2 else "deployed", "collected", None, data(i))
              for i in range(count)]  # fmt: skip
    assert audit.append(session, events, utcnow()) == count
    t = AuditEvent
    stored = session.execute(select(t.seq, t.subject, t.from_state, t.data).order_by(t.seq)).all()
    assert [tuple(r) for r in stored] == [
        (i + 1, f"FOC{i:06d}", None if i % 2 else "deployed", data(i)) for i in range(count)
    ]
    assert audit.verify(session).ok

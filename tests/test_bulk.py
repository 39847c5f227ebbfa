"""The bulk write path: several rows per INSERT on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from reemploi.db import utcnow
from reemploi.db.bulk import ROWS_PER_STATEMENT, sqlite_insert
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


@pytest.mark.parametrize("count", [0, 1, 3, 4, 5, 11])
def test_rows_per_statement_stay_within_the_connection_limit_on_bound_values(count):
    conn = sqlite3.connect(":memory:")
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 50)  # 4 rows of 12 values per statement
    columns = [f"c{i}" for i in range(12)]
    conn.execute(f"CREATE TABLE t ({', '.join(columns)})")
    rows = [tuple(f"{r}.{i}" if i % 5 else None for i in range(12)) for r in range(count)]
    assert sqlite_insert(conn, "t", columns, rows) == count
    assert conn.execute("SELECT * FROM t ORDER BY rowid").fetchall() == rows


def test_a_row_of_the_wrong_width_is_refused_before_anything_is_written():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b)")
    with pytest.raises(ValueError, match="every row must have 2 values"):
        sqlite_insert(conn, "t", ["a", "b"], [(1, 2), (3,), (4, 5, 6)])
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)

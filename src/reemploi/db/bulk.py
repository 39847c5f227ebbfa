"""Bulk writes on the fast path of each database.

SQLite gets one ``executemany`` per batch; PostgreSQL gets ``COPY ... FROM STDIN``.
Both run on the session's own connection, so they belong to the caller's transaction.
Values must already be plain: str, int, float, None, and times made with ``db_time``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import orjson
from sqlalchemy import Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# Rows per INSERT on SQLite (more gains nothing measurable), within the connection's
# limit on bound parameters.
ROWS_PER_STATEMENT = 100


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def db_time(session: Session, value: datetime) -> Any:
    """A UTC time in the form the raw bulk path of this database expects."""
    value = value.astimezone(UTC)
    if dialect(session) == "sqlite":
        # The storage format of SQLAlchemy's SQLite DateTime, so ORM reads parse it.
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value


@contextmanager
def _driver_errors(conn: Any, statement: str) -> Iterator[None]:
    """Raise driver errors as SQLAlchemy's (IntegrityError, DataError…), as the ORM path does."""
    try:
        yield
    except conn.dialect.dbapi.Error as exc:
        raise DBAPIError.instance(statement, None, exc, conn.dialect.dbapi.Error) from exc


def bulk_insert(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order); returns how many were written."""
    conn = session.connection()
    with _driver_errors(conn, f"bulk insert into {table.name}"):
        return _bulk_insert(conn, table, columns, rows)


def _bulk_insert(conn: Any, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    raw = conn.connection.driver_connection
    count = 0
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    return sqlite_insert(raw, table.name, columns, rows)  # type: ignore[arg-type]


def sqlite_insert(raw: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` on a raw SQLite connection, several rows per statement."""
    # Several rows per INSERT statement (``VALUES (…), (…), …``), run with executemany:
    # about 25 % less time per row than one row per statement (fewer trips through the
    # driver and the statement's VM), and far less than unpacking a JSON array in SQL
    # (`->>` re-parses the row's text for each column). Not atomic by itself: rows before
    # a failing statement stay in the transaction, which every caller then rolls back whole.
    rows = rows if isinstance(rows, list) else list(rows)
    cols, width = ", ".join(columns), len(columns)
    if any(len(row) != width for row in rows):  # flattened, a short row would shift the next ones' values
        raise ValueError(f"{table}: every row must have {width} values")
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_STATEMENT, limit // width))
    one = f"({', '.join('?' * width)})"
    cur = raw.cursor()
    try:
        full = len(rows) - len(rows) % per
        flat = chain.from_iterable
        if full:
            cur.executemany(
                f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * per)}",
                (tuple(flat(rows[i : i + per])) for i in range(0, full, per)),
            )
        if full < len(rows):
            rest = rows[full:]
            cur.execute(f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(rest))}", tuple(flat(rest)))
        return len(rows)
    finally:
        cur.close()


def bulk_execute(session: Session, sql: str, rows: list[dict[str, Any]]) -> int:
    """Run one parametrised statement for many rows (an executemany); returns rowcount."""
    if not rows:
        return 0
    result = session.execute(text(sql), rows)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def select_in(session: Session, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` whose WHERE holds ``{IN}`` for one big membership test, as raw rows.

    One parameter whatever the size: ``IN (SELECT value FROM json_each(?))`` on SQLite,
    ``= ANY(%s)`` on PostgreSQL; no per-value placeholders to compile.
    """
    if not values:
        return []
    conn = session.connection()
    with _driver_errors(conn, sql):
        return _select_in(conn, sql, values)


def _select_in(conn: Any, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur:  # type: ignore[union-attr]
            cur.execute(sql.replace("{IN}", "= ANY(%s)"), (list(values),))
            return list(cur.fetchall())
    cur = raw.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(sql.replace("{IN}", "IN (SELECT value FROM json_each(?))"), (orjson.dumps(list(values)).decode(),))
        return list(cur.fetchall())
    finally:
        cur.close()

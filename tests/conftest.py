"""Test fixtures: one migrated database per run (SQLite, or PostgreSQL when
REEMPLOI_TEST_DATABASE_URL names a server), emptied before each test.

On PostgreSQL the run creates its own database and drops it at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from reemploi.catalog.service import load_default
from reemploi.cli.app import app
from reemploi.db import make_engine, migrate, session_factory
from reemploi.db.models import Base
from reemploi.workflow.audit import GENESIS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _create_pg_database(server_url: str) -> str:
    import psycopg

    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"reemploi_test_{uuid.uuid4().hex[:10]}"
    dsn = url.set(drivername="postgresql", database=url.database or "postgres").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(db_url: str) -> None:
    import psycopg

    url = make_url(db_url)
    name = url.database
    dsn = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = os.environ.get("REEMPLOI_TEST_DATABASE_URL", "")
    if server.startswith("postgres"):
        url = _create_pg_database(server)
        try:
            yield url
        finally:
            _drop_pg_database(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


def _empty(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": GENESIS})


@pytest.fixture
def db_url(engine: Engine, database_url: str) -> str:
    """A clean database with the default catalog; its URL (for CLI tests)."""
    _empty(engine)
    with session_factory(engine)() as s:
        load_default(s)
        s.commit()
    return database_url


@pytest.fixture
def session(db_url: str, engine: Engine) -> Iterator[Session]:
    """A session on the clean database; tests commit when they need to."""
    with session_factory(engine)() as s:
        yield s
        s.rollback()


class Cli:
    """Runs ``reemploi`` in-process against the test database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, db: bool = True, lang: str = "en"):  # type: ignore[no-untyped-def]
        argv = list(args)
        if db:
            argv += ["--db", self.url]
        env = {"REEMPLOI_LANG": lang, "REEMPLOI_ACTOR": "tester", "COLUMNS": "200"}
        return self.runner.invoke(app, argv, input=input, env=env, catch_exceptions=False)


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


VENUES_CSV = Path(__file__).resolve().parents[1] / "src" / "reemploi" / "demo" / "data" / "paris2024-venues.csv"


@pytest.fixture
def venues(cli: Cli) -> None:
    """The Paris 2024 venues and a refurbishment centre, a warehouse, a site, a recycler."""
    assert cli("locations", "import", str(VENUES_CSV), "--kind", "venue").exit_code == 0
    extra = Path(__file__).parent / "data" / "centres.csv"
    assert cli("locations", "import", str(extra)).exit_code == 0


# --- HTTP API (issue 6): the app on the test database, and a user with a token per role.
@pytest.fixture
def api_app(db_url: str):  # type: ignore[no-untyped-def]
    from reemploi.api import create_app

    return create_app(db_url, secret_key="test-secret")


@pytest.fixture
def api_client(api_app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(api_app) as client:
        yield client


@pytest.fixture
def role_tokens(db_url: str, engine: Engine) -> dict[str, str]:
    """One user per role, named after it (password 'Horse-Battery-Staple-2026'), and their API tokens."""
    from reemploi.accounts.models import Role
    from reemploi.accounts.service import create_token, create_user

    tokens = {}
    with session_factory(engine)() as s:
        for role in Role:
            create_user(s, role.value, role, "Horse-Battery-Staple-2026")
            tokens[role.value] = create_token(s, role.value).token
        s.commit()
    return tokens
# --- end of the HTTP API fixtures

"""What every route shares: the application's state and its units of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from reemploi.db import transaction

if TYPE_CHECKING:
    from reemploi.api.jobs import JobManager


@dataclass
class ApiState:
    engine: Engine
    signer: URLSafeTimedSerializer
    jobs: JobManager
    secure_cookies: bool = False

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads (no write lock)."""
        with transaction(self.engine, write=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that writes: committed when the block ends, rolled back on any error."""
        with transaction(self.engine, write=True) as session:
            yield session


def api_state(request: Request) -> ApiState:
    return request.app.state.reemploi  # type: ignore[no-any-return]

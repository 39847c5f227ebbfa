"""What every route shares: the application's state and its units of work."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from reemploi.accounts.throttle import LoginThrottle
from reemploi.db import transaction

if TYPE_CHECKING:
    from reemploi.api.auth import Principals
    from reemploi.api.jobs import JobManager
    from reemploi.api.moves import MoveBatcher


@dataclass
class ApiState:
    engine: Engine
    signer: URLSafeTimedSerializer
    jobs: JobManager
    secure_cookies: bool = False
    moves: MoveBatcher = field(init=False)
    logins: LoginThrottle = field(default_factory=LoginThrottle)
    principals: Principals = field(default_factory=lambda: _principals())
    # SQLite has one writer at a time. Queuing this process's writers on a lock, rather than
    # on SQLite's busy handler (which sleeps and retries), keeps moves fast and in order.
    _writer: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        from reemploi.api.moves import MoveBatcher

        self.moves = MoveBatcher(self)
        self.jobs.attach(self)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads (no write lock)."""
        with transaction(self.engine, write=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that writes: committed when the block ends, rolled back on any error."""
        with self._writer if self.engine.dialect.name == "sqlite" else nullcontext():
            with transaction(self.engine, write=True) as session:
                yield session


def _principals() -> Principals:
    from reemploi.api.auth import Principals  # auth imports this module

    return Principals()


async def api_state(request: Request) -> ApiState:
    # async: nothing blocks here, so it runs on the event loop rather than a worker thread.
    return request.app.state.reemploi  # type: ignore[no-any-return]

"""Group commit for single-device moves: concurrent requests share one transaction.

Every write queues on the audit chain's lock, so under load the cost of one move is
mostly its transaction (lock, commit, a dozen round trips), not the move. A writer
thread takes every move request waiting, applies them in one transaction through
``workflow.transition`` (the one door, one audit event per device, each naming its own
actor), commits once, and answers each request with its own outcome. A serial named
twice in a batch is moved in a later round of the same transaction, so the second
request sees the first one's result (refused, with the current state), exactly as if
it had come after. If a batch fails as a whole (an unknown location in one request,
say), each of its requests is retried alone, so one bad request never fails others.

A request from the API carries its caller's credentials; the batch confirms them all
in its own transaction (one query per kind of credentials) and checks the route's
permission again, so the route needs no database round trip of its own and a token
revoked before the batch began is refused.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from reemploi.workflow.clock import occurring
from reemploi.workflow.service import Refusal, current_state, transition
from reemploi.workflow.states import State

if TYPE_CHECKING:
    from reemploi.api.auth import Credentials
    from reemploi.api.authz import Authorize
    from reemploi.api.deps import ApiState

log = logging.getLogger("reemploi.api.moves")
MAX_BATCH = 256


@dataclass(frozen=True)
class MoveRequest:
    serial: str
    to: State
    actor: str
    location: str | None = None
    lot: str | None = None
    reason: str | None = None
    occurred: datetime | None = None  # when it happened (None: now): workflow.clock
    # Who to confirm in the batch's transaction, and the permission to check again;
    # ``actor`` is then the confirmed caller's name. None: ``actor`` is already confirmed.
    confirm: tuple[Credentials, Authorize] | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return self.serial.strip().upper()

    @property
    def group(self) -> tuple[Any, ...]:
        return (self.to, self.actor, self.location, self.lot, self.reason, self.occurred)


@dataclass
class MoveOutcome:
    """What happened to one request's device: moved, refused (why, and its state now) or unknown."""

    serial: str
    moved: bool = False
    unknown: bool = False
    refusal: Refusal | None = None
    current: dict[str, Any] | None = None


@dataclass
class _Pending:
    request: MoveRequest
    future: Future[MoveOutcome] = field(default_factory=Future)


def apply(session: Session, requests: list[MoveRequest]) -> list[MoveOutcome]:
    """Apply ``requests`` in order in the caller's transaction; one outcome each."""
    rounds: list[list[int]] = []
    for i, r in enumerate(requests):  # the first round where this serial is not yet named
        for rnd in rounds:
            if all(requests[j].key != r.key for j in rnd):
                rnd.append(i)
                break
        else:
            rounds.append([i])
    outcomes: list[MoveOutcome | None] = [None] * len(requests)
    for rnd in rounds:
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i in rnd:
            groups.setdefault(requests[i].group, []).append(i)
        for members in groups.values():
            first = requests[members[0]]
            with occurring(first.occurred):
                res = transition(
                    session, [requests[i].serial for i in members], first.to, actor=first.actor,
                    reason=first.reason, at=first.location, lot=first.lot, context="api",
                )  # fmt: skip
            moved, unknown = set(res.moved), set(res.unknown)
            refused = {x.serial: x for x in res.refused}
            for i in members:
                key = requests[i].key
                out = MoveOutcome(key, moved=key in moved, unknown=key in unknown, refusal=refused.get(key))
                if out.refusal is not None:
                    out.current = current_state(session, key)
                outcomes[i] = out
    return [o for o in outcomes if o is not None]


class MoveBatcher:
    """One writer thread per server process, applying queued move requests in batches."""

    def __init__(self, state: ApiState) -> None:
        self._state = state
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, request: MoveRequest) -> Future[MoveOutcome]:
        pending = _Pending(request)
        self._queue.put(pending)
        self._ensure_running()
        return pending.future

    def _ensure_running(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="reemploi-moves", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Stop the writer once the moves queued before this call are done."""
        with self._start_lock:
            thread = self._thread
        if thread is None:
            return
        self._queue.put(None)
        thread.join(30)
        with self._start_lock:
            if self._thread is thread:
                self._thread = None
        if not self._queue.empty():  # moves queued meanwhile (the app is shared by several clients): serve them
            self._ensure_running()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._run(batch)
                    return
                batch.append(nxt)
            self._run(batch)

    def _run(self, batch: list[_Pending]) -> None:
        failed: _Failed = []
        try:
            with self._state.write() as session:
                live, failed = _confirm(self._state, session, batch)
                outcomes = apply(session, [r for _, r in live])
        except BaseException as exc:  # the batch rolled back: retry each alone, or report the error
            if len(batch) == 1:
                batch[0].future.set_exception(exc)
                return
            for p in batch:
                self._run([p])
            return
        for p, exc in failed:
            p.future.set_exception(exc)
        for (p, _), out in zip(live, outcomes, strict=True):
            p.future.set_result(out)


_Live = list[tuple[_Pending, MoveRequest]]
_Failed = list[tuple[_Pending, BaseException]]


def _confirm(state: ApiState, session: Session, batch: list[_Pending]) -> tuple[_Live, _Failed]:
    """Confirm the callers of ``batch`` now: the requests to apply, and those refused (401/403)."""
    from reemploi.api.auth import confirm, credentials_refused
    from reemploi.api.errors import ApiError

    asking = [p for p in batch if p.request.confirm is not None]
    confirmed = confirm(state, session, [p.request.confirm[0] for p in asking])  # type: ignore[index]
    principals = dict(zip(map(id, asking), confirmed, strict=True))
    live: _Live = []
    failed: _Failed = []
    for p in batch:
        if p.request.confirm is None:
            live.append((p, p.request))
            continue
        credentials, rule = p.request.confirm
        who = principals[id(p)]
        try:
            if who is None:
                raise credentials_refused(credentials)
            rule.check(who)
        except ApiError as exc:
            failed.append((p, exc))
            continue
        live.append((p, replace(p.request, actor=who.name)))
    return live, failed

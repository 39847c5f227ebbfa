"""Guards on transitions, named in ``data/transitions.csv``.

A guard takes the batch of devices asking for one transition and returns, for those
it refuses, an i18n code and its parameters. Guards work on the whole batch with
set-based queries. Evidence guards whose records arrive with the refurbishment and
allocation capabilities refuse until such a record exists, naming what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from reemploi.inventory.models import Location, LocationKind
from reemploi.workflow.states import State


@dataclass
class Candidate:
    """A device asking for a transition, as read in the same transaction."""

    id: int
    serial: str
    state: State
    location_id: int | None
    lot_id: int | None
    version: int
    state_since: datetime | None


@dataclass
class Context:
    session: Session
    target: State
    reason: str | None
    location: Location | None  # where the device will be after the move
    locations: dict[int, Location]  # current locations of the batch, by id


Refusals = dict[str, tuple[str, dict[str, Any]]]
Guard = Callable[[Context, list[Candidate]], Refusals]
GUARDS: dict[str, Guard] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    def register(fn: Guard) -> Guard:
        GUARDS[name] = fn
        return fn

    return register


def _where(ctx: Context, c: Candidate) -> Location | None:
    return ctx.location or (ctx.locations.get(c.location_id) if c.location_id else None)


def _at_kinds(ctx: Context, batch: list[Candidate], kinds: tuple[LocationKind, ...]) -> Refusals:
    out: Refusals = {}
    for c in batch:
        loc = _where(ctx, c)
        if loc is None or loc.kind not in kinds:
            out[c.serial] = (
                "guard_location_kind",
                {
                    "state": ctx.target.value,
                    "kinds": ", ".join(k.value for k in kinds),
                    "location": loc.code if loc else "-",
                },
            )
    return out


@guard("reason")
def needs_reason(ctx: Context, batch: list[Candidate]) -> Refusals:
    if ctx.reason and ctx.reason.strip():
        return {}
    return {c.serial: ("guard_reason", {"state": ctx.target.value}) for c in batch}


@guard("at_receiving")
def at_receiving(ctx: Context, batch: list[Candidate]) -> Refusals:
    return _at_kinds(ctx, batch, (LocationKind.REFURB_CENTRE, LocationKind.WAREHOUSE))


@guard("at_site")
def at_site(ctx: Context, batch: list[Candidate]) -> Refusals:
    return _at_kinds(ctx, batch, (LocationKind.SITE,))


def ensure_loaded() -> None:
    """Register the guards that other capabilities provide (imported late: they import us)."""
    import reemploi.planning.guards  # noqa: F401
    import reemploi.refurb.guards  # noqa: F401

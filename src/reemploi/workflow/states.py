"""Lifecycle states and allowed transitions, read from ``data/transitions.csv``.

The table is the single source of truth: adding a state or a transition is a data
change. Each transition names the guards (see ``guards.py``) that must all pass.
"""

from __future__ import annotations

import csv
import enum
from dataclasses import dataclass
from functools import cache
from importlib import resources


class State(enum.StrEnum):
    DEPLOYED = "deployed"
    COLLECTED = "collected"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    TESTED = "tested"
    IN_REPAIR = "in_repair"
    SANITIZED = "sanitized"
    READY = "ready"
    RESERVED = "reserved"
    SHIPPED = "shipped"
    INSTALLED = "installed"
    IN_SERVICE = "in_service"
    TO_RECYCLE = "to_recycle"
    RECYCLED = "recycled"
    LOST = "lost"
    HARVESTED = "harvested"


# States a device may be given by an import: before these, no evidence is needed.
IMPORTABLE_STATES = (State.DEPLOYED, State.COLLECTED, State.IN_TRANSIT, State.RECEIVED)
INITIAL_STATE = State.DEPLOYED


@dataclass(frozen=True)
class Transition:
    source: State
    target: State
    guards: tuple[str, ...]
    note: str


@cache
def transitions() -> dict[tuple[State, State], Transition]:
    text = resources.files("reemploi.workflow").joinpath("data/transitions.csv").read_text("utf-8")
    table: dict[tuple[State, State], Transition] = {}
    for row in csv.DictReader(text.splitlines()):
        t = Transition(State(row["from"]), State(row["to"]), tuple(row["guards"].split()), row["note"])
        if (t.source, t.target) in table:
            raise ValueError(f"transition {t.source} -> {t.target} listed twice")
        table[(t.source, t.target)] = t
    return table


@cache
def next_states(state: State) -> tuple[State, ...]:
    return tuple(t.target for (s, _), t in transitions().items() if s == state)


def parse_state(value: str) -> State:
    """A state from its code, or from its label in French or English (``collecté``, ``in service``)."""
    try:
        return State(value.strip().lower())
    except ValueError:
        pass
    from reemploi.i18n import labels
    from reemploi.inventory.tabular import fold

    key = fold(value)
    for state in State:
        if key in {fold(state.value), *(fold(label) for label in labels(f"web_state_{state.value}"))}:
            return state
    from reemploi.errors import ReemploiError

    raise ReemploiError("unknown_state", state=value, states=", ".join(s.value for s in State))

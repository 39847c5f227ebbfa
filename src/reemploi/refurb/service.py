"""Bench use cases: record tests (graded), repairs, sanitizations, upgrades, disposals.

Each takes many serials at once, writes its records in bulk and moves the devices
through ``reemploi.workflow.service.transition`` (the one door), whose guards read
these same records. Nothing here commits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from reemploi.db import utcnow
from reemploi.db.bulk import bulk_insert, db_time
from reemploi.errors import InvalidInput
from reemploi.inventory.models import LocationKind
from reemploi.refurb import evidence
from reemploi.refurb.guards import last_test_passed
from reemploi.refurb.models import (
    PHYSICAL_CHECKS,
    Check,
    Condition,
    Decision,
    Disposal,
    FirmwareUpgrade,
    Repair,
    Sanitization,
    SanitizationMethod,
    TestRecord,
)
from reemploi.refurb.rules import RuleSet, default_rules, facts_of
from reemploi.workflow import audit, clock
from reemploi.workflow import service as wf
from reemploi.workflow.guards import Context
from reemploi.workflow.service import Candidate, Refusal, normalise_serials
from reemploi.workflow.states import State

TESTABLE = {State.RECEIVED, State.TESTED, State.IN_REPAIR, State.SANITIZED, State.READY}


@dataclass
class TestInput:
    """One test run as a bench or a rig reports it (validated values)."""

    __test__ = False  # not a pytest test class

    serial: str
    power_on: Check = Check.PASS
    boot: Check = Check.PASS
    radio_24: Check = Check.PASS
    radio_5: Check = Check.PASS
    radio_6: Check = Check.NA
    eth_speed_mbps: int | None = 1000
    poe_class: str | None = None
    firmware: str | None = None
    casing: Condition = Condition.OK
    bracket: Condition = Condition.OK
    labels: Condition = Condition.OK
    ports: Condition = Condition.OK
    notes: str | None = None
    bench: str | None = None


@dataclass
class Outcome:
    serial: str
    grade: str
    decision: str
    reason: str
    state: str


@dataclass
class BenchResult:
    """What a bench action did. ``refused`` lists every device that did not get the
    change, with the reason; ``failed`` names those of them whose failed wipe was
    nevertheless recorded (a failed sanitization is evidence too)."""

    done: list[Outcome] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _select(
    session: Session, serials: Sequence[str], context: str, actor: str, allowed: set[State], code: str,
    not_received: str = "refurb_not_received",
) -> tuple[list[str], list[Candidate], BenchResult]:  # fmt: skip
    """The devices a bench action applies to: unknown serials are kept as unmatched scans,
    devices in a state the action does not fit are refused with ``code``, or with
    ``not_received`` when they have not reached the centre yet ("received first")."""
    audit.lock(session)  # writers lock first (see workflow.audit.lock)
    wanted = normalise_serials(serials)
    found = wf.load_candidates(session, wanted)
    result = BenchResult(unknown=[s for s in wanted if s not in found])
    wf.record_unmatched(session, result.unknown, context, actor)
    ok = []
    for s in wanted:
        c = found.get(s)
        if c is None:
            continue
        if c.state not in allowed:
            why = not_received if c.state in wf.NOT_YET_RECEIVED else code
            result.refused.append(Refusal(s, why, {"serial": s, "state": c.state.value}))
        else:
            ok.append(c)
    occurred = clock.current()
    if occurred is not None and ok:  # a record dated before the device's latest event: refused, nothing written
        last = wf.last_occurred(session, [c.serial for c in ok])
        for c in [c for c in ok if c.serial in last and occurred < last[c.serial]]:
            result.refused.append(Refusal(c.serial, "date_before_previous", {
                "serial": c.serial, "date": clock.local_text(occurred), "previous": clock.local_text(last[c.serial])}))
            ok.remove(c)
    return wanted, ok, result


def record_tests(
    session: Session,
    tests: Sequence[TestInput],
    *,
    technician: str,
    rules: RuleSet | None = None,
    when: datetime | None = None,
    lang: str = "en",
) -> BenchResult:
    """Record test runs, grade them, and move tested devices to ``tested``.

    A device already ``tested`` stays there (a re-test); one in a state where a test
    makes no sense (deployed, lost, recycled…) is refused, naming its state.
    """
    rules = rules or default_rules()
    when = when or utcnow()
    by_serial: dict[str, TestInput] = {}
    for t in tests:
        for check, accepted in PHYSICAL_CHECKS.items():  # what the rules cannot read would grade as like new
            if getattr(t, check) not in accepted:
                raise InvalidInput(
                    "bad_choice", field=check, value=str(getattr(t, check)), choices=", ".join(accepted)
                )
        by_serial[t.serial.strip().upper()] = t  # the last run of a serial in one call wins
    wanted, ok, result = _select(
        session, list(by_serial), "test", technician, TESTABLE, "refurb_not_at_bench", "refurb_not_testable"
    )
    if not ok:
        return result
    repairs = evidence.repair_counts(session, (c.id for c in ok))
    models = evidence.models_of(session, (c.id for c in ok))
    at = db_time(session, clock.occurred(when))
    rows = []
    graded: dict[str, tuple[str, str, str]] = {}
    for c in ok:
        t = _radios_of(by_serial[c.serial], models[c.id].bands)
        values = {
            "power_on": t.power_on.value, "boot": t.boot.value, "radio_24": t.radio_24.value,
            "radio_5": t.radio_5.value, "radio_6": t.radio_6.value, "eth_speed_mbps": t.eth_speed_mbps,
            "poe_class": t.poe_class, "firmware": t.firmware, "casing": t.casing.value,
            "bracket": t.bracket.value, "labels": t.labels.value, "ports": t.ports.value,
        }  # fmt: skip
        rule = rules.grade(facts_of(values, repairs.get(c.id, 0)))
        reason = rule.reason_fr if lang == "fr" else rule.reason_en
        graded[c.serial] = (rule.grade, rule.decision.value, reason)
        rows.append((
            c.id, at, technician, t.bench, *values.values(), t.notes,
            rule.decision == Decision.REUSE, rule.grade, rule.decision.value, rule.reason_en, rule.reason_fr,
            rules.version,
        ))  # fmt: skip
    bulk_insert(session, TestRecord.__table__, TEST_COLUMNS, rows)  # type: ignore[arg-type]
    to_move = [c.serial for c in ok if c.state != State.TESTED]
    moved = wf.transition(
        session, to_move, State.TESTED, actor=technician, when=when, context="test",
        changes={s: {"grade": graded[s][0]} for s in to_move},
        details={s: {"grade": graded[s][0], "decision": graded[s][1]} for s in to_move},
    )  # fmt: skip
    result.refused.extend(moved.refused)
    retested = [c for c in ok if c.state == State.TESTED]
    wf.update(
        session,
        [wf.Change(c.id, c.serial, c.version, c.state.value, None, {"grade": graded[c.serial][0]},
                   {"grade": [None, graded[c.serial][0]], "decision": graded[c.serial][1]}) for c in retested],
        actor=technician, when=when,
    )  # fmt: skip
    done = set(moved.moved) | {c.serial for c in retested}
    result.done = [Outcome(s, *graded[s], State.TESTED.value) for s in wanted if s in done]
    return result


def _radios_of(t: TestInput, bands: str | None) -> TestInput:
    """A radio the model does not have is not applicable, whatever the input said."""
    have = set((bands or "").split("/"))
    for band, name in (("2.4", "radio_24"), ("5", "radio_5"), ("6", "radio_6")):
        if band not in have and getattr(t, name) != Check.NA:
            t = replace(t, **{name: Check.NA})
    return t


TEST_COLUMNS = (
    "device_id", "at", "technician", "bench", "power_on", "boot", "radio_24", "radio_5", "radio_6",
    "eth_speed_mbps", "poe_class", "firmware", "casing", "bracket", "labels", "ports", "notes",
    "passed", "grade", "decision", "reason", "reason_fr", "rules_version",
)  # fmt: skip


def repair(
    session: Session,
    serials: Sequence[str],
    *,
    technician: str,
    action: str,
    parts: Sequence[tuple[str, float]] = (),
    minutes: int | None = None,
    when: datetime | None = None,
) -> BenchResult:
    """Record a repair; a ``tested`` device goes to ``in_repair`` (and back to testing)."""
    if not action.strip():
        raise InvalidInput("repair_no_action")
    when = when or utcnow()
    wanted, ok, result = _select(
        session, serials, "repair", technician, {State.TESTED, State.IN_REPAIR}, "refurb_not_repairable"
    )
    part_list = [{"part": p, "mass_kg": m} for p, m in parts] or None
    session.add_all(
        Repair(device_id=c.id, at=clock.occurred(when), technician=technician, action=action, parts=part_list,
               minutes=minutes)
        for c in ok
    )
    session.flush()
    to_move = [c.serial for c in ok if c.state == State.TESTED]
    moved = wf.transition(
        session, to_move, State.IN_REPAIR, actor=technician, when=when, context="repair",
        details={s: {"repair": action} for s in to_move},
    )  # fmt: skip
    result.refused.extend(moved.refused)
    done = set(moved.moved) | {c.serial for c in ok if c.state == State.IN_REPAIR}
    result.done = [Outcome(s, "", "", action, State.IN_REPAIR.value) for s in wanted if s in done]
    return result


def sanitize(
    session: Session,
    serials: Sequence[str],
    *,
    operator: str,
    method: SanitizationMethod,
    passed: bool,
    verifier: str | None = None,
    notes: str | None = None,
    when: datetime | None = None,
) -> BenchResult:
    """Record a wipe; a passing one moves a ``tested`` device (whose test passed) on to ``sanitized``.

    The second verifier is optional; when named, it must be someone other than the
    operator (compared without case or surrounding spaces). A passing wipe of a
    ``tested`` device whose last test did not pass is refused and not recorded; a
    failed wipe is recorded (``failed``): a ``tested`` device stays, a ``sanitized`` or
    ``ready`` one goes back to ``tested`` (it is no longer known to be clean).
    """
    when = when or utcnow()
    operator = operator.strip()
    if verifier is not None:
        verifier = verifier.strip()
        if not verifier:
            raise InvalidInput("verifier_blank")
        if same_person(verifier, operator):
            raise InvalidInput("verifier_is_operator", operator=operator)
    wanted, ok, result = _select(
        session, serials, "sanitize", operator, {State.TESTED, State.SANITIZED, State.READY}, "refurb_not_sanitizable"
    )
    if passed:  # say why now rather than record a wipe that cannot move the device
        tested = [c for c in ok if c.state == State.TESTED]
        why = last_test_passed(Context(session, State.SANITIZED, None, None, {}), tested) if tested else {}
        result.refused.extend(Refusal(s, code, {"serial": s, **params}) for s, (code, params) in why.items())
        ok = [c for c in ok if c.serial not in why]
    session.add_all(
        Sanitization(device_id=c.id, at=clock.occurred(when), method=method.value, passed=passed, operator=operator,
                     verifier=verifier, notes=notes)
        for c in ok
    )  # fmt: skip
    session.flush()
    if not passed:
        result.refused.extend(
            Refusal(c.serial, "sanitization_failed", {"serial": c.serial, "method": method.value}) for c in ok
        )
        result.failed = [c.serial for c in ok]
        # A device said to be wiped (sanitized, or ready in stock) whose new wipe fails is wiped no
        # longer: it goes back to tested, to be wiped again before it can be ready.
        back = [c.serial for c in ok if c.state in (State.SANITIZED, State.READY)]
        if back:
            wf.transition(session, back, State.TESTED, actor=operator, when=when, context="sanitize",
                          reason="wipe failed", details={s: {"method": method.value} for s in back})  # fmt: skip
        return result
    to_move = [c.serial for c in ok if c.state == State.TESTED]
    moved = wf.transition(
        session, to_move, State.SANITIZED, actor=operator, when=when, context="sanitize",
        details={s: {"method": method.value, "verifier": verifier} for s in to_move},
    )  # fmt: skip
    result.refused.extend(moved.refused)
    done = set(moved.moved) | {c.serial for c in ok if c.state != State.TESTED}
    result.done = [Outcome(s, "", "", method.value, State.SANITIZED.value) for s in wanted if s in done]
    return result


def same_person(a: str, b: str) -> bool:
    """Whether two names name the same person, whatever the case, accents' encoding or spaces."""

    def key(name: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", name).casefold().split())

    return key(a) == key(b)


def upgrade(
    session: Session,
    serials: Sequence[str],
    *,
    technician: str,
    to_version: str,
    from_version: str | None = None,
    when: datetime | None = None,
) -> BenchResult:
    """Record a firmware upgrade (no change of state; ``ready``'s guard reads it)."""
    if not to_version.strip():
        raise InvalidInput("upgrade_no_version")
    when = when or utcnow()
    wanted, ok, result = _select(
        session, serials, "upgrade", technician, TESTABLE, "refurb_not_at_bench", "refurb_not_testable"
    )
    session.add_all(
        FirmwareUpgrade(device_id=c.id, at=clock.occurred(when), from_version=from_version,
                        to_version=to_version.strip(), technician=technician)
        for c in ok
    )  # fmt: skip
    session.flush()
    wf.update(
        session,
        [wf.Change(c.id, c.serial, c.version, c.state.value, None, {}, {"firmware": [from_version, to_version]})
         for c in ok],
        actor=technician, when=when,
    )  # fmt: skip
    result.done = [Outcome(c.serial, "", "", to_version, c.state.value) for c in ok]
    return result


def dispose(
    session: Session,
    serials: Sequence[str],
    *,
    operator: str,
    recycler: str,
    reference: str,
    weight_kg: float | None = None,
    when: datetime | None = None,
    lot: str | None = None,
) -> BenchResult:
    """Hand devices (or remains) to a WEEE recycler: a disposal record each, then ``recycled``.

    ``weight_kg`` is the weight handed over in total; it is split over the devices in
    proportion to their catalog mass. Without it, each device weighs its catalog mass.
    """
    when = when or utcnow()
    if lot:  # every device of the lot, besides the serials named
        from reemploi.workflow.lots import lot_serials

        serials = [*serials, *lot_serials(session, wf.find_lot(session, lot))]
    if not serials:
        raise InvalidInput("no_serials")
    if not reference.strip():
        raise InvalidInput("disposal_no_reference")
    place = wf.find_location(session, recycler)
    if place.kind != LocationKind.RECYCLER.value:
        raise InvalidInput("disposal_not_recycler", location=place.code, kind=place.kind)
    wanted, ok, result = _select(
        session, serials, "dispose", operator, {State.TO_RECYCLE, State.HARVESTED}, "refurb_not_disposable"
    )
    if not ok:
        return result
    models = evidence.models_of(session, (c.id for c in ok))
    masses = {c.id: models[c.id].mass_kg or 0.0 for c in ok}
    total_mass = sum(masses.values())
    if weight_kg is not None and weight_kg <= 0:
        raise InvalidInput("disposal_bad_weight", weight=weight_kg)
    rows: list[tuple[Any, ...]] = []
    at = db_time(session, clock.occurred(when))
    for c in ok:
        if weight_kg is None:
            w = masses[c.id]
        elif total_mass > 0:
            w = weight_kg * masses[c.id] / total_mass
        else:
            w = weight_kg / len(ok)
        rows.append((c.id, at, place.id, round(w, 4), reference.strip(), operator))
    cols = ("device_id", "at", "recycler_id", "weight_kg", "reference", "operator")
    bulk_insert(session, Disposal.__table__, cols, rows)  # type: ignore[arg-type]
    moved = wf.transition(
        session, [c.serial for c in ok], State.RECYCLED, actor=operator, at=place.code, when=when,
        context="dispose", details={c.serial: {"reference": reference.strip()} for c in ok},
    )  # fmt: skip
    result.refused.extend(moved.refused)
    result.done = [Outcome(s, "", "", reference, State.RECYCLED.value) for s in moved.moved]
    return result

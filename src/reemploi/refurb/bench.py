"""The bench at the scanner: what a technician may do next with a device, and doing it.

A scan resolves to a device (its serial, or the label payload ``REEMPLOI:D:<SERIAL>``);
``views`` shows its state, grade, last test and the one-key actions that its state and
evidence allow; ``press`` applies one key, ``apply`` one action to many serials, always
through the refurb services and ``workflow.transition`` (the one door). Shared by the
terminal ``reemploi scan`` and the web scan page. Unknown scans are kept as unmatched
scans (context ``scan``). Nothing here commits: each action is the adapter's unit of work.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel
from reemploi.errors import InvalidInput
from reemploi.i18n import t as t_
from reemploi.inventory.models import SERIAL_RE, Device
from reemploi.refurb import evidence
from reemploi.refurb import service as refurb
from reemploi.refurb.models import Check, Condition, Decision, SanitizationMethod
from reemploi.refurb.rules import RuleSet, firmware_policy, version_key
from reemploi.refurb.service import BenchResult, Outcome, TestInput
from reemploi.workflow import service as wf
from reemploi.workflow.guards import GUARDS, Candidate, Context, ensure_loaded
from reemploi.workflow.service import Refusal, chunks, serial_of
from reemploi.workflow.states import State

CONTEXT = "scan"  # the context of unmatched scans recorded here
SANITIZE_METHOD = SanitizationMethod.CONFIG_ERASE_VERIFY  # the bench's usual wipe for network gear


class Action(enum.StrEnum):
    TEST_PASS = "test-pass"
    TEST_WEAR = "test-wear"
    TEST_FAIL = "test-fail"
    REPAIR = "repair"
    SANITIZE = "sanitize"
    UPGRADE = "upgrade"
    READY = "ready"
    HARVEST = "harvest"
    RECYCLE = "recycle"


class Fault(enum.StrEnum):
    POWER = "power"
    BOOT = "boot"
    RADIO_24 = "radio_24"
    RADIO_5 = "radio_5"
    RADIO_6 = "radio_6"
    ETH = "eth"
    PORTS = "ports"
    CASING = "casing"


KEYS: dict[str, Action] = {
    "p": Action.TEST_PASS, "w": Action.TEST_WEAR, "f": Action.TEST_FAIL, "r": Action.REPAIR,
    "s": Action.SANITIZE, "u": Action.UPGRADE, "y": Action.READY, "h": Action.HARVEST, "x": Action.RECYCLE,
}  # fmt: skip
KEY_OF = {a: k for k, a in KEYS.items()}
FAULT_KEYS: dict[str, Fault] = {
    "o": Fault.POWER, "b": Fault.BOOT, "2": Fault.RADIO_24, "5": Fault.RADIO_5, "6": Fault.RADIO_6,
    "e": Fault.ETH, "d": Fault.PORTS, "c": Fault.CASING,
}  # fmt: skip
FAULT_KEY_OF = {f: k for k, f in FAULT_KEYS.items()}
RADIO_FAULTS = {Fault.RADIO_24: "2.4", Fault.RADIO_5: "5", Fault.RADIO_6: "6"}
TESTS = (Action.TEST_PASS, Action.TEST_WEAR, Action.TEST_FAIL)


# ---------------------------------------------------------------------------- reading scans


@dataclass(frozen=True)
class Scan:
    """One scanned or typed line: a ``key`` (with its fault, if given), a ``serial`` or ``junk``."""

    kind: str  # "key" | "serial" | "junk"
    text: str
    action: Action | None = None
    fault: Fault | None = None


# What a terminal sends for arrow, function and editing keys (CSI, SS3, 8-bit CSI, other
# escapes), then any other control character but tab: never part of a scan.
_KEY_SEQUENCES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1bO.|\x9b[0-?]*[ -/]*[@-~]|\x1b[@-_]?")
_ERASE = "\x08\x7f"  # backspace, delete: erase the character before


def clean_line(line: str) -> str:
    """A typed or scanned line without key escape sequences and control characters, trimmed.

    An arrow key pressed by accident (``\\x1b[A``) leaves nothing: the line is ignored,
    never taken for a scan.
    """
    kept: list[str] = []
    for ch in _KEY_SEQUENCES.sub("", line):
        if ch in _ERASE:
            if kept:
                kept.pop()
        elif ch == "\t" or not (ch < " " or "\x7f" <= ch <= "\x9f"):
            kept.append(ch)
    return "".join(kept).strip()


def read_scan(line: str) -> Scan:
    """What a line means. Keys are one or two characters (``f5``: failed, 5 GHz radio);
    serials are 4 to 40 letters, digits or dashes, so the two never collide."""
    text = line.strip()
    low = text.lower()
    if low in KEYS:
        return Scan("key", low, KEYS[low])
    if len(low) == 2 and low[0] == "f" and low[1] in FAULT_KEYS:
        return Scan("key", low, Action.TEST_FAIL, FAULT_KEYS[low[1]])
    serial = serial_of(text)
    if SERIAL_RE.match(serial):
        return Scan("serial", serial)
    return Scan("junk", text)


# ---------------------------------------------------------------------------- what to do next


@dataclass
class LastTest:
    at: datetime
    grade: str
    decision: str
    reason: str
    firmware: str | None
    reason_fr: str = ""

    def why(self, lang: str) -> str:
        return self.reason_fr if lang == "fr" and self.reason_fr else self.reason


@dataclass
class Choice:
    key: str
    action: Action


@dataclass
class DeviceView:
    """A device as the bench shows it, with the keys that apply now.

    ``blocked`` is the domain's refusal of the next step, known before trying (e.g.
    firmware below the policy for ``ready``); ``note`` says why there is nothing to do.
    """

    serial: str
    model: str
    kind: str
    state: State
    grade: str | None
    last_test: LastTest | None
    firmware: str | None
    firmware_min: str | None
    choices: list[Choice] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    blocked: Refusal | None = None
    note: str | None = None  # an i18n code

    @property
    def keys(self) -> dict[str, Action]:
        return {c.key: c.action for c in self.choices}

    def firmware_ok(self) -> bool:
        if not self.firmware_min:
            return True
        return self.firmware is not None and version_key(self.firmware) >= version_key(self.firmware_min)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """The device as the bench shows it, for JSON (``reemploi scan --json``, the web page)::

            {"serial", "model", "kind", "state", "grade",
             "last_test": {"at", "grade", "decision", "reason"} | null,
             "firmware", "firmware_minimum", "firmware_ok",
             "choices": [{"key", "action"}], "faults": [{"key", "fault"}],
             "blocked": {"code", "reason"} | null, "note": text | null}

        ``at`` is ISO 8601 UTC; ``reason``, ``blocked.reason`` and ``note`` are sentences in
        ``lang``; ``blocked.code`` is the refusal's stable code (as in ``move --json``).
        """
        t = self.last_test
        return {
            "serial": self.serial, "model": self.model, "kind": self.kind, "state": self.state.value,
            "grade": self.grade,
            "last_test": {"at": t.at.isoformat(), "grade": t.grade, "decision": t.decision, "reason": t.why(lang)}
            if t else None,
            "firmware": self.firmware, "firmware_minimum": self.firmware_min, "firmware_ok": self.firmware_ok(),
            "choices": [{"key": c.key, "action": c.action.value} for c in self.choices],
            "faults": [{"key": FAULT_KEY_OF[f], "fault": f.value} for f in self.faults],
            "blocked": {"code": self.blocked.code, "reason": t_(self.blocked.code, lang, **self.blocked.params)}
            if self.blocked else None,
            "note": t_(self.note, lang, state=self.state.value).strip() if self.note else None,
        }  # fmt: skip


def views(
    session: Session, serials: Sequence[str], *, actor: str, record_unknown: bool = True
) -> dict[str, DeviceView]:
    """The bench view of each known serial; unknown ones are recorded as unmatched scans.

    A few set-based queries for the whole batch, whatever its size.
    """
    wanted = wf.normalise_serials(serials)  # label payloads read there
    found = wf.load_candidates(session, wanted)
    if record_unknown:
        wf.record_unmatched(session, [s for s in wanted if s not in found], CONTEXT, actor)
    ids = [c.id for c in found.values()]
    models = evidence.models_of(session, ids)
    tests = evidence.last_tests(session, ids)
    ups = evidence.upgrades(session, ids)
    grades = _grades(session, ids)
    policy = firmware_policy()
    out: dict[str, DeviceView] = {}
    for s in wanted:
        c = found.get(s)
        if c is None:
            continue
        m, t = models[c.id], tests.get(c.id)
        v = DeviceView(
            serial=s, model=m.model, kind=m.kind, state=c.state, grade=grades.get(c.id),
            last_test=LastTest(t.at, t.grade, t.decision, t.reason, t.firmware, t.reason_fr) if t else None,
            firmware=evidence.current_firmware(t, ups.get(c.id, [])), firmware_min=policy.get(m.key),
            faults=_faults(m),
        )  # fmt: skip
        _decide(v)
        out[s] = v
    sanitized = [found[s] for s, v in out.items() if v.state == State.SANITIZED]
    if sanitized:  # say now what would stop `ready`, rather than after the key
        _, refused = wf.check(session, sanitized, State.READY)
        for r in refused:
            out[r.serial].blocked = r
    return out


def next_actions(session: Session, serial: str, *, actor: str) -> DeviceView | None:
    """One device's view, or None when the scan matches no device (then recorded)."""
    return views(session, [serial], actor=actor).get(serial_of(serial))


def _grades(session: Session, ids: list[int]) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    for part in chunks(sorted(ids)):
        out.update({i: g for i, g in session.execute(select(Device.id, Device.grade).where(Device.id.in_(part)))})
    return out


def _bands(m: EquipmentModel) -> set[str]:
    return set((m.bands or "").split("/")) if "ap" in m.kind else set()


def _faults(m: EquipmentModel) -> list[Fault]:
    bands = _bands(m)
    return [f for f in Fault if f not in RADIO_FAULTS or RADIO_FAULTS[f] in bands]


def _decide(v: DeviceView) -> None:
    """The keys a device's state and evidence allow (the transition table has the last word)."""
    decision = v.last_test.decision if v.last_test else None
    acts: list[Action] = []
    if v.state in (State.RECEIVED, State.IN_REPAIR):
        acts = [*TESTS]
    elif v.state == State.TESTED:
        if decision == Decision.REUSE:
            acts = [Action.SANITIZE] + ([] if v.firmware_ok() else [Action.UPGRADE])
        elif decision == Decision.REPAIR:
            acts = [Action.REPAIR]
        elif decision == Decision.HARVEST:
            acts = [Action.HARVEST]
        elif decision == Decision.RECYCLE:
            acts = [Action.RECYCLE]
        acts += TESTS  # a re-test corrects a wrong key: a new record, never an edit
    elif v.state == State.SANITIZED:
        acts = [Action.READY] + ([] if v.firmware_ok() else [Action.UPGRADE])
    elif v.state == State.READY:
        v.note = "scan_note_ready"
    elif v.state in (State.TO_RECYCLE, State.HARVESTED):
        v.note = "scan_note_recycler"
    else:
        v.note = "scan_note_not_here"
    v.choices = [Choice(KEY_OF[a], a) for a in acts]


# ---------------------------------------------------------------------------- doing it


@dataclass
class Options:
    """What the bench adds to a key: the firmware it reads, its name, the rules in force."""

    firmware: str | None = None
    bench: str | None = None
    rules: RuleSet | None = None
    lang: str = "en"
    when: datetime | None = None


def press(
    session: Session, serial: str, action: Action, *, actor: str, fault: Fault | None = None,
    options: Options | None = None,
) -> BenchResult:  # fmt: skip
    """Apply one key to one device, if its view offers it; else refuse, saying why."""
    view = next_actions(session, serial, actor=actor)
    if view is None:
        return BenchResult(unknown=[serial_of(serial)])
    if action not in view.keys.values():
        return BenchResult(refused=[_not_offered(session, view, action)])
    if action == Action.TEST_FAIL and fault is not None and fault not in view.faults:
        raise InvalidInput("scan_bad_fault", faults=fault_list(view.faults))
    return apply(session, [view.serial], action, actor=actor, fault=fault, options=options)


def apply(
    session: Session, serials: Sequence[str], action: Action, *, actor: str, fault: Fault | None = None,
    options: Options | None = None,
) -> BenchResult:  # fmt: skip
    """Apply one action to many devices through the services; unknown serials are kept."""
    o = options or Options()
    if action == Action.TEST_FAIL and fault is None:
        raise InvalidInput("scan_no_fault", faults=fault_list(list(Fault)))
    if action == Action.UPGRADE and not (o.firmware or "").strip():
        raise InvalidInput("scan_no_firmware")
    wanted = wf.normalise_serials(serials)  # label payloads read there
    found = wf.load_candidates(session, wanted)
    unknown = [s for s in wanted if s not in found]
    wf.record_unmatched(session, unknown, CONTEXT, actor)
    known = [s for s in wanted if s in found]
    if not known:
        return BenchResult(unknown=unknown)
    cands = [found[s] for s in known]
    if action in TESTS:
        result = _test(session, cands, action, fault, actor, o)
    elif action == Action.SANITIZE:
        result = refurb.sanitize(session, known, operator=actor, method=SANITIZE_METHOD, passed=True, when=o.when)
    elif action == Action.UPGRADE:
        result = _upgrade(session, cands, actor, o)
    elif action == Action.REPAIR:
        result = BenchResult()
        for reason, group in _by_last_reason(session, cands).items():
            _merge(result, refurb.repair(session, group, technician=actor, action=reason, when=o.when))
    else:
        target = {Action.READY: State.READY, Action.HARVEST: State.HARVESTED, Action.RECYCLE: State.TO_RECYCLE}[action]
        result = BenchResult()
        groups = {"": known} if action == Action.READY else _by_last_reason(session, cands)
        for reason, group in groups.items():
            moved = wf.transition(
                session, group, target, actor=actor, reason=reason or None, when=o.when, context=CONTEXT
            )
            result.done += [Outcome(s, "", "", reason, target.value) for s in moved.moved]
            result.refused += moved.refused
    result.unknown = unknown + result.unknown
    return result


def _test(
    session: Session, cands: list[Candidate], action: Action, fault: Fault | None, actor: str, o: Options
) -> BenchResult:
    models = evidence.models_of(session, (c.id for c in cands))
    inputs = []
    for c in cands:
        bands = _bands(models[c.id])
        t = TestInput(
            c.serial, firmware=o.firmware, bench=o.bench,
            radio_24=Check.PASS if "2.4" in bands else Check.NA, radio_5=Check.PASS if "5" in bands else Check.NA,
            radio_6=Check.PASS if "6" in bands else Check.NA,
        )  # fmt: skip
        if action == Action.TEST_WEAR:
            t.casing = Condition.WORN
        elif fault in (Fault.POWER, Fault.BOOT):
            t.boot = Check.FAIL
            if fault == Fault.POWER:
                t.power_on = Check.FAIL
        elif fault in RADIO_FAULTS:
            setattr(t, fault.value, Check.FAIL)
        elif fault == Fault.ETH:
            t.eth_speed_mbps = 100
        elif fault == Fault.PORTS:
            t.ports = Condition.DAMAGED
        elif fault == Fault.CASING:
            t.casing = Condition.BROKEN
        inputs.append(t)
    return refurb.record_tests(session, inputs, technician=actor, rules=o.rules, when=o.when, lang=o.lang)


def _upgrade(session: Session, cands: list[Candidate], actor: str, o: Options) -> BenchResult:
    ids = [c.id for c in cands]
    tests, ups = evidence.last_tests(session, ids), evidence.upgrades(session, ids)
    groups: dict[str | None, list[str]] = {}
    for c in cands:
        groups.setdefault(evidence.current_firmware(tests.get(c.id), ups.get(c.id, [])), []).append(c.serial)
    result = BenchResult()
    for before, group in groups.items():
        r = refurb.upgrade(
            session, group, technician=actor, to_version=o.firmware or "", from_version=before, when=o.when
        )
        _merge(result, r)
    return result


def _by_last_reason(session: Session, cands: list[Candidate]) -> dict[str, list[str]]:
    """Serials grouped by their last test's reason: it is what a repair or a move says why."""
    tests = evidence.last_tests(session, (c.id for c in cands))
    groups: dict[str, list[str]] = {}
    for c in cands:
        t = tests.get(c.id)
        groups.setdefault(f"bench: {t.reason}" if t else "bench", []).append(c.serial)
    return groups


def _merge(into: BenchResult, r: BenchResult) -> None:
    into.done += r.done
    into.refused += r.refused
    into.unknown += r.unknown


def fault_list(faults: Sequence[Fault]) -> str:
    """Faults as ``key=fault`` pairs, for a message."""
    return ", ".join(f"{FAULT_KEY_OF[f]}={f.value}" for f in faults)


def _not_offered(session: Session, view: DeviceView, action: Action) -> Refusal:
    """Why a key does not apply now: the domain's own reason when it has one."""
    if action == Action.READY and view.state != State.READY:
        # The evidence guard of `ready` says what is missing (a passing test, a later wipe…).
        ensure_loaded()
        c = wf.load_candidates(session, [view.serial])[view.serial]
        why = GUARDS["ready_evidence"](Context(session, State.READY, None, None, {}), [c]).get(view.serial)
        if why:
            return Refusal(view.serial, why[0], {"serial": view.serial, **why[1]})
    choices = ", ".join(c.key for c in view.choices) or "-"
    return Refusal(
        view.serial, "scan_not_offered",
        {"serial": view.serial, "key": KEY_OF[action], "action": action.value, "state": view.state.value,
         "choices": choices},
    )  # fmt: skip


# ---------------------------------------------------------------------------- messages

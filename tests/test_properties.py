"""Invariants checked over generated inputs (Hypothesis).

- MAC parsing: every usual notation of a valid unicast address gives one canonical form.
- Serial rules: accepted serials are exactly those matching the documented pattern.
- The importer: every data row counts exactly once, and nothing is lost.
- The lifecycle: any sequence of moves leaves one verified audit event per change and
  never brings a device past ``received`` (the evidence for later states is not there).
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from reemploi.inventory.importer import check_serial, normalise_mac
from reemploi.inventory.models import Device
from reemploi.workflow import audit, service
from reemploi.workflow.models import AuditEvent
from reemploi.workflow.states import State, transitions

SERIAL_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$")
octets = st.lists(st.integers(0, 255), min_size=6, max_size=6)


@given(octets, st.sampled_from(["colon", "dash", "dot", "bare"]), st.booleans())
def test_mac_notations_agree(parts, notation, upper):
    hexes = [f"{o:02x}" for o in parts]
    text = {
        "colon": ":".join(hexes),
        "dash": "-".join(hexes),
        "dot": ".".join("".join(hexes[i : i + 2]) for i in (0, 2, 4)),
        "bare": "".join(hexes),
    }[notation]
    if upper:
        text = text.upper()
    mac, why = normalise_mac(f"  {text} ")
    if parts[0] & 1 or not any(parts):
        assert mac is None and why == "mac_reserved"
    else:
        assert why is None and mac == ":".join(hexes)


@given(st.text(max_size=14))
def test_garbage_is_never_a_mac(text):
    mac, why = normalise_mac(text)
    digits = re.sub(r"[:\-. ]", "", text.strip().lower())
    if mac is not None:
        assert re.fullmatch(r"[0-9a-f]{12}", digits)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=45))
def test_serial_acceptance_matches_the_rule(text):
    serial, why = check_serial(text)
    candidate = text.strip().upper()
    if serial is not None:
        assert SERIAL_PATTERN.match(serial) and serial == candidate
        assert candidate not in {"UNKNOWN", "INCONNU", "NONE", "NULL", "TBD"}
    else:
        assert why in {"serial_missing", "serial_placeholder", "serial_excel", "serial_invalid"}


cell = st.one_of(
    st.sampled_from(["FOC1111A001", "FOC1111A002", "foc1111a003", "", "unknown", "1.2E+11", "X"]),
    st.text(alphabet="ABCDEF0123456789-", min_size=0, max_size=12),
)
row = st.tuples(
    cell,
    st.sampled_from(["", "a0:b1:c2:d3:e4:f5", "A0B1C2D3E4F6", "01:00:5e:00:00:01", "zz"]),
    st.sampled_from(["C9130AXI", "c9120axi-e", "XYZ", ""]),
    st.sampled_from(["PAR-BERCY", "Arena Bercy", "Nowhere", ""]),
    st.text(alphabet='ab;,"\n é', max_size=6),
)


@pytest.mark.usefixtures("venues")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=12), delimiter=st.sampled_from([",", ";", "\t"]))
def test_every_row_counts_exactly_once_and_rejects_keep_it(cli, session, tmp_path, rows, delimiter):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(["Serial", "MAC", "Model", "Location", "Note"])
    w.writerows(rows)
    path = tmp_path / "gen.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    rejects = tmp_path / "gen.rejects.csv"
    rejects.unlink(missing_ok=True)
    before = session.scalar(select(func.count()).select_from(Device))
    session.rollback()
    r = cli("devices", "import", str(path), "--json")
    res = json.loads(r.stdout)
    data_rows = [x for x in rows if any(c.strip() for c in x)]
    assert res["rows"] == len(data_rows)
    assert res["created"] + res["updated"] + res["unchanged"] + res["rejected"] == res["rows"]
    assert r.exit_code == (1 if res["rejected"] else 0)
    session.rollback()  # end the read snapshot: see what the command committed
    assert session.scalar(select(func.count()).select_from(Device)) == before + res["created"]
    if res["rejected"]:
        with rejects.open(encoding="utf-8-sig", newline="") as fh:
            kept = list(csv.reader(fh))[1:]
        assert len(kept) == res["rejected"]
    assert cli("audit", "verify").exit_code == 0


MOVES = [s for s in State]


@pytest.mark.usefixtures("venues")
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(MOVES),
            st.sampled_from([None, "REFURB-IDF", "LP-NTE-MDI", "PAR-BERCY"]),
            st.sampled_from([None, "why"]),
            st.sets(st.integers(0, 3), min_size=1),
        ),
        max_size=15,
    )
)
def test_any_sequence_of_moves_keeps_the_chain_and_the_guards(cli, session, steps):
    from reemploi.db import utcnow

    serials = [f"FOC2222P{i:03d}" for i in range(4)]
    if session.scalar(select(func.count()).select_from(Device).where(Device.serial.in_(serials))) == 0:
        rows = [(s, None, 1, "deployed", None, None, None, "{}", None) for s in serials]
        from reemploi.catalog.service import resolve

        mid = resolve(session, "C9130AXI").id
        loc = service.find_location(session, "PAR-BERCY")
        rows = [(s, None, mid, "deployed", loc.id, None, None, "{}", loc.code) for s in serials]
        service.create(session, rows, actor="t", when=utcnow())
        session.commit()
    table = transitions()
    for target, at, reason, picks in steps:
        chosen = [serials[i] for i in sorted(picks)]
        before_events = session.scalar(select(func.count()).select_from(AuditEvent))
        before = dict(session.execute(select(Device.serial, Device.state).where(Device.serial.in_(chosen))).all())
        res = service.transition(session, chosen, target, actor="t", at=at, reason=reason)
        session.commit()
        after_events = session.scalar(select(func.count()).select_from(AuditEvent))
        assert after_events - before_events == len(res.moved)
        for s in res.moved:
            assert (State(before[s]), target) in table
        for x in res.refused:
            assert session.scalar(select(Device.state).where(Device.serial == x.serial)) == before[x.serial]
    states = set(session.scalars(select(Device.state).where(Device.serial.in_(serials))))
    assert states <= reachable_without_evidence()
    assert audit.verify(session).ok


def reachable_without_evidence() -> set[str]:
    """States reachable from `deployed` through transitions whose guards need no record."""
    free = {"reason", "at_receiving", "at_site"}
    seen, todo = {State.DEPLOYED}, [State.DEPLOYED]
    while todo:
        s = todo.pop()
        for (src, dst), t in transitions().items():
            if src == s and set(t.guards) <= free and dst not in seen:
                seen.add(dst)
                todo.append(dst)
    return {s.value for s in seen}


def test_evidence_states_are_not_reachable_without_records():
    assert reachable_without_evidence().isdisjoint({"tested", "sanitized", "ready", "shipped", "recycled"})


# Bench commands as a property test: whatever the order, `ready` implies the evidence.
HAPPY = [("test", {}), ("sanitize", {"passed": True}), ("ready", {})]
BENCH_STEPS = st.sampled_from(
    [
        ("test", {}),
        ("test", {"radio_5": "fail"}),
        ("test", {"power_on": "fail"}),
        ("test", {"casing": "worn"}),
        ("test_oldfw", {}),
        ("sanitize", {"passed": True}),
        ("sanitize", {"passed": False}),
        ("upgrade", {}),
        ("repair", {}),
        ("ready", {}),
        ("retest_move", {}),
    ]
)


@pytest.mark.usefixtures("venues")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(BENCH_STEPS, max_size=12))
@example(steps=HAPPY)
def test_no_sequence_of_bench_commands_reaches_ready_without_evidence(cli, session, steps):
    from reemploi.db import utcnow
    from reemploi.refurb import evidence
    from reemploi.refurb import service as refurb
    from reemploi.refurb.models import Check, Condition, Decision, SanitizationMethod
    from reemploi.refurb.rules import firmware_policy, version_key
    from reemploi.refurb.service import TestInput

    serial = "FOC3333Q001"
    dev = session.scalar(select(Device).where(Device.serial == serial))
    if dev is None:
        from reemploi.catalog.service import resolve

        loc = service.find_location(session, "REFURB-IDF")
        service.create(
            session,
            [(serial, None, resolve(session, "C9130AXI").id, "received", loc.id, None, None, "{}", loc.code)],
            actor="t",
            when=utcnow(),
        )
        session.commit()
    for kind, opts in steps:
        if kind.startswith("test"):
            values = {k: Check(v) if k in ("radio_5", "power_on") else Condition(v) for k, v in opts.items()}
            fw = "17.6.5" if kind == "test_oldfw" else "17.9.4"
            refurb.record_tests(session, [TestInput(serial, firmware=fw, **values)], technician="t")
        elif kind == "sanitize":
            refurb.sanitize(session, [serial], operator="t", method=SanitizationMethod.REIMAGE, passed=opts["passed"])
        elif kind == "upgrade":
            refurb.upgrade(session, [serial], technician="t", to_version="17.9.5")
        elif kind == "repair":
            refurb.repair(session, [serial], technician="t", action="fix")
        elif kind == "ready":
            service.transition(session, [serial], State.READY, actor="t")
        else:
            service.transition(session, [serial], State.TESTED, actor="t")
        session.commit()
        session.expire_all()  # read the device as the commands left it
        dev = session.scalar(select(Device).where(Device.serial == serial))
        if dev.state == "ready":
            test = evidence.last_tests(session, [dev.id])[dev.id]
            wiped = evidence.last_passing_sanitization(session, [dev.id]).get(dev.id)
            ups = evidence.upgrades(session, [dev.id]).get(dev.id, [])
            running = evidence.current_firmware(test, ups)
            assert test.decision == Decision.REUSE
            assert wiped is not None and wiped > test.at
            assert version_key(running) >= version_key(firmware_policy()["C9130AXI"])
    if steps == HAPPY:  # the property is not vacuous: the evidence does open the way
        assert dev.state == "ready"
    assert audit.verify(session).ok

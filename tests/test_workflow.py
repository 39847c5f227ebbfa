"""The lifecycle: the transition table, guards, the one door, lots and reconciliation."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from reemploi.errors import ConcurrentChange
from reemploi.inventory.models import Device, UnmatchedScan
from reemploi.workflow import service
from reemploi.workflow.guards import GUARDS, ensure_loaded
from reemploi.workflow.states import State, next_states, transitions

pytestmark = pytest.mark.usefixtures("venues")

SERIALS = [f"FOC0000B{i:03d}" for i in range(1, 6)]


@pytest.fixture
def deployed(cli, venues, tmp_path):  # type: ignore[no-untyped-def]
    src = tmp_path / "a.csv"
    src.write_text("serial,model,location\n" + "".join(f"{s},C9130AXI,PAR-BERCY\n" for s in SERIALS))
    assert cli("devices", "import", str(src)).exit_code == 0
    return SERIALS


def state_of(session, serial: str) -> str:  # type: ignore[no-untyped-def]
    session.rollback()  # a fresh snapshot: see what the commands committed
    return session.scalar(select(Device.state).where(Device.serial == serial))


def test_transition_table_is_consistent():
    ensure_loaded()  # the guards other capabilities register
    table = transitions()
    assert all(g in GUARDS for t in table.values() for g in t.guards)
    # Every state but the first can be reached, and only end states have no way out.
    reached = {t for (_, t) in table}
    assert set(State) - reached == {State.DEPLOYED}
    assert {s for s in State if not next_states(s)} == {State.RECYCLED}


def test_allowed_move_changes_state_and_location(cli, session, deployed):
    r = cli("move", "--to", "collected", deployed[0])
    assert r.exit_code == 0, r.output
    r = cli("move", "--to", "received", "--at", "refurb-idf", deployed[0], "--json")
    assert json.loads(r.stdout)["moved"] == [deployed[0]]
    dev = session.scalar(select(Device).where(Device.serial == deployed[0]))
    assert dev.state == "received" and dev.location.code == "REFURB-IDF" and dev.version == 3


def test_refused_move_names_reason_and_allowed_states(cli, session, deployed):
    r = cli("move", "--to", "shipped", deployed[0], "--json")
    assert r.exit_code == 1
    refused = json.loads(r.stdout)["refused"][0]
    assert refused["code"] == "transition_not_allowed"
    assert "collected, lost" in refused["reason"]
    assert state_of(session, deployed[0]) == "deployed"


def test_each_serial_is_handled_on_its_own(cli, session, deployed):
    cli("move", "--to", "collected", deployed[0])
    r = cli("move", "--to", "in_transit", deployed[0], deployed[1], "NOPE-1234", "--json")
    res = json.loads(r.stdout)
    assert r.exit_code == 1
    assert res["moved"] == [deployed[0]]
    assert [x["serial"] for x in res["refused"]] == [deployed[1]]
    assert res["unknown"] == ["NOPE-1234"]
    scans = session.scalars(select(UnmatchedScan)).all()
    assert [(s.code, s.context, s.actor) for s in scans] == [("NOPE-1234", "move", "tester")]


def test_serials_from_standard_input_like_a_scanner(cli, session, deployed):
    r = cli("move", "--to", "collected", "-", input=f"{deployed[0]}\n\n  {deployed[1].lower()} \n")
    assert r.exit_code == 0, r.output
    assert state_of(session, deployed[1]) == "collected"


def test_a_scanned_line_may_hold_several_serials_or_a_label_payload(cli, session, deployed):
    # A scanner sending a label's QR payload, a pasted line of serials; a line that is not serials stays whole.
    scans = (f"{deployed[0]} {deployed[1].lower()};{deployed[2]}\nREEMPLOI:D:{deployed[3]}\nCisco AP9120 broken\n"
             f"{deployed[4]},\n")  # fmt: skip
    r = cli("move", "--to", "collected", "--json", "-", input=scans)
    res = json.loads(r.stdout)
    assert r.exit_code == 1 and res["moved"] == list(deployed[:5]) and res["unknown"] == ["CISCO AP9120 BROKEN"]
    assert [s.code for s in session.scalars(select(UnmatchedScan))] == ["CISCO AP9120 BROKEN"]


def test_reconcile_reads_label_payloads(cli, deployed):
    cli("lots", "create", "P")
    cli("lots", "add", "P", deployed[0], deployed[1])
    r = cli("lots", "reconcile", "P", "--scanned", "-", "--json", input=f"REEMPLOI:D:{deployed[0]}, {deployed[1]}\n")
    res = json.loads(r.stdout)
    assert r.exit_code == 0 and res["missing"] == [] and res["unexpected"] == [] and res["unknown"] == []


def test_a_repeated_move_changes_nothing_and_is_not_an_error(cli, session, deployed):
    assert cli("move", "--to", "collected", deployed[0]).exit_code == 0
    events = cli("audit", "log", deployed[0], "--json").stdout
    r = cli("move", "--to", "collected", "--json", deployed[0], deployed[1])
    res = json.loads(r.stdout)
    assert r.exit_code == 0 and res["moved"] == [deployed[1]] and res["already"] == [deployed[0]]
    assert res["refused"] == []
    assert cli("audit", "log", deployed[0], "--json").stdout == events  # no second event
    r = cli("move", "--to", "collected", deployed[0])
    assert r.exit_code == 0 and "1 already 'collected' (nothing changed)" in r.output
    # Already collected, but asked at another place: that is a move, and not an allowed one.
    r = cli("move", "--to", "collected", "--at", "STD-SDF", "--json", deployed[0])
    assert r.exit_code == 1 and json.loads(r.stdout)["already"] == []


def test_a_lot_moved_twice_or_reconciled_twice_changes_nothing(cli, deployed):
    cli("lots", "create", "P")
    cli("lots", "add", "P", deployed[0], deployed[1])
    assert cli("lots", "move", "P", "--to", "collected").exit_code == 0
    r = cli("lots", "move", "P", "--to", "collected", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["already"] == [deployed[0], deployed[1]]
    cli("lots", "move", "P", "--to", "in_transit")
    scans = f"{deployed[0]}\n{deployed[1]}\n"
    r = cli("lots", "reconcile", "P", "--scanned", "-", "--receive-at", "REFURB-IDF", "--json", input=scans)
    assert r.exit_code == 0 and json.loads(r.stdout)["received"] == 2
    events = cli("audit", "log", deployed[0], "--json").stdout
    r = cli("lots", "reconcile", "P", "--scanned", "-", "--receive-at", "REFURB-IDF", "--json", input=scans)
    res = json.loads(r.stdout)
    assert r.exit_code == 0 and res["received"] == 0 and res["already"] == [deployed[0], deployed[1]]
    assert cli("audit", "log", deployed[0], "--json").stdout == events  # no second reception event


def test_states_and_locations_are_understood_by_their_names(cli, deployed):
    assert cli("move", "--to", "collected", deployed[0]).exit_code == 0
    listed = json.loads(cli("devices", "list", "--state", "Collecté", "--location", "arena bercy", "--json").stdout)
    assert [d["serial"] for d in listed] == [deployed[0]]
    r = cli("devices", "list", "--state", "en service", "--location", "Arena Bercy", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    assert cli("devices", "list", "--state", "nowhere").exit_code != 0
    r = cli("devices", "list", "--location", "Nowhere Arena")
    assert r.exit_code == 3 and "Nowhere Arena" in r.output


def test_a_device_moved_to_another_lot_is_reported(cli, deployed):
    cli("lots", "create", "P")
    cli("lots", "create", "Q")
    cli("lots", "add", "P", deployed[0])
    r = cli("lots", "add", "Q", deployed[0], deployed[1], "--json")
    res = json.loads(r.stdout)
    assert r.exit_code == 0 and res["added"] == [deployed[0], deployed[1]] and res["taken_from"] == {deployed[0]: "P"}
    r = cli("lots", "add", "P", deployed[0])
    assert f"{deployed[0]}: taken out of lot Q into lot P" in r.output


def test_lost_needs_a_reason(cli, session, deployed):
    r = cli("move", "--to", "lost", deployed[0])
    assert r.exit_code == 1 and "reason" in r.output and "(--reason)" in r.output  # the terminal names its option
    assert cli("move", "--to", "lost", "--reason", "not found at take-down", deployed[0]).exit_code == 0
    assert state_of(session, deployed[0]) == "lost"


def test_received_needs_a_receiving_location(cli, session, deployed):
    cli("move", "--to", "collected", deployed[0])
    r = cli("move", "--to", "received", deployed[0])
    assert r.exit_code == 1 and "refurb_centre" in r.output
    assert cli("move", "--to", "received", "--at", "LP-NTE-MDI", deployed[0]).exit_code == 1
    assert cli("move", "--to", "received", "--at", "WH-IDF", deployed[0]).exit_code == 0


def test_no_test_no_sanitization_no_ready(cli, session, deployed):
    cli("move", "--to", "collected", deployed[0])
    cli("move", "--to", "received", "--at", "REFURB-IDF", deployed[0])
    r = cli("move", "--to", "tested", deployed[0], "--json")
    assert json.loads(r.stdout)["refused"][0]["code"] == "guard_no_new_test"
    assert state_of(session, deployed[0]) == "received"


def test_unknown_state_and_location_are_clear_errors(cli, deployed):
    r = cli("move", "--to", "flying", deployed[0])
    assert r.exit_code == 2 and "flying" in r.output and "deployed" in r.output
    r = cli("move", "--to", "received", "--at", "MARS", deployed[0])
    assert r.exit_code == 3 and "MARS" in r.output


def test_concurrent_change_is_refused_whole(session, deployed, engine):
    cands = service.load_candidates(session, deployed[:2])
    with engine.begin() as conn:  # someone else moves one of them meanwhile
        conn.execute(text("UPDATE devices SET version = version + 1 WHERE serial = :s"), {"s": deployed[1]})
    session.rollback()
    ok, _ = service.check(session, list(cands.values()), State.COLLECTED)
    with pytest.raises(ConcurrentChange):
        service.update(
            session,
            [service.Change(c.id, c.serial, c.version, c.state.value, None, {"asset_tag": "X"}, {}) for c in ok],
            actor="t",
            when=service.utcnow(),
        )


def test_lot_lifecycle_and_reconciliation(cli, session, deployed, tmp_path):
    assert cli("lots", "create", "pal-1", "--origin", "PAR-BERCY", "--seal", "S1").exit_code == 0
    assert cli("lots", "create", "PAL-1").exit_code == 4  # already exists
    assert cli("lots", "create", "PAL-2").exit_code == 0
    r = cli("lots", "add", "PAL-1", *deployed[:4], "GHOST-9999", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["unknown"] == ["GHOST-9999"]
    cli("lots", "add", "PAL-2", deployed[4])
    assert cli("lots", "move", "PAL-1", "--to", "collected").exit_code == 0
    assert cli("lots", "move", "PAL-1", "--to", "in_transit").exit_code == 0
    scanned = tmp_path / "scan.txt"
    scanned.write_text(f"{deployed[0]}\n{deployed[1]}\n{deployed[2].lower()}\n{deployed[4]}\nJOP24-999999\n")
    r = cli("lots", "reconcile", "PAL-1", "--scanned", str(scanned), "--receive-at", "REFURB-IDF",
            "--mark-missing-lost", "--json")  # fmt: skip
    assert r.exit_code == 1
    res = json.loads(r.stdout)
    assert res["expected"] == 4 and res["matched"] == 3
    assert res["missing"] == [deployed[3]]
    assert res["unexpected"] == [{"serial": deployed[4], "lot": "PAL-2"}]
    assert res["unknown"] == ["JOP24-999999"]
    assert res["received"] == 3 and res["lost"] == 1
    assert state_of(session, deployed[0]) == "received" and state_of(session, deployed[3]) == "lost"
    lots = json.loads(cli("lots", "list", "--json").stdout)
    assert {lot["code"]: lot["devices"] for lot in lots} == {"PAL-1": 4, "PAL-2": 1}
    events = json.loads(cli("audit", "log", "PAL-1", "--lot", "--json").stdout)
    assert events[-1]["action"] == "reconcile" and events[-1]["data"]["missing"] == [deployed[3]]
    assert cli("audit", "verify").exit_code == 0


def test_reconcile_from_standard_input(cli, deployed):
    cli("lots", "create", "P")
    cli("lots", "add", "P", deployed[0])
    r = cli("lots", "reconcile", "P", "--scanned", "-", input=f"{deployed[0]}\n")
    assert r.exit_code == 0 and "0 missing" in r.output


def test_reconcile_exits_1_when_reception_is_refused(cli, deployed, tmp_path):
    cli("lots", "create", "P")
    cli("lots", "add", "P", deployed[0])
    cli("lots", "move", "P", "--to", "collected")
    r = cli("lots", "reconcile", "P", "--scanned", "-", "--receive-at", "PAR-BERCY", input=f"{deployed[0]}\n")
    assert r.exit_code == 1 and "refurb_centre" in r.output and "(--receive-at)" in r.output


def test_lots_move_exits_1_on_refusals(cli, deployed):
    cli("lots", "create", "P")
    cli("lots", "add", "P", deployed[0])
    r = cli("lots", "move", "P", "--to", "received")
    assert r.exit_code == 1

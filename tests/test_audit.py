"""The audit chain: every kind of tampering directly in the database is caught."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

pytestmark = pytest.mark.usefixtures("venues")


@pytest.fixture
def history(cli, venues, tmp_path):  # type: ignore[no-untyped-def]
    """Three devices, imported then collected: 3 creations + 3 transitions + lot events.

    Returns how many events came before them (the locations' own); tests number the
    history's events from there: ``b + 1`` is the first creation.
    """
    b = verify(cli)[1]["events"]
    src = tmp_path / "a.csv"
    src.write_text("serial,model,location\nFOC0000A001,C9130AXI,PAR-BERCY\nFOC0000A002,C9130AXI,PAR-BERCY\n"
                   "FOC0000A003,C9120AXI,PAR-BERCY\n")  # fmt: skip
    assert cli("devices", "import", str(src)).exit_code == 0
    assert cli("lots", "create", "P1", "--origin", "PAR-BERCY").exit_code == 0
    r = cli("move", "--to", "collected", "--lot", "P1", "FOC0000A001", "FOC0000A002", "FOC0000A003")
    assert r.exit_code == 0, r.output
    return b


def verify(cli):  # type: ignore[no-untyped-def]
    r = cli("audit", "verify", "--json")
    return r.exit_code, json.loads(r.stdout)


def execute(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def test_intact_log_verifies_with_its_count(cli, history):
    code, res = verify(cli)
    assert code == 0 and res["ok"] is True and res["events"] == history + 7


def test_edited_event_is_detected(cli, engine, history):
    execute(engine, "UPDATE audit_events SET actor = 'mallory' WHERE seq = :s", s=history + 3)
    code, res = verify(cli)
    assert code == 1 and res["bad_event"] == history + 3 and res["problem"] == "audit_edited"


def test_edited_data_is_detected(cli, engine, history):
    execute(engine, "UPDATE audit_events SET to_state = 'received' WHERE seq = :s", s=history + 6)
    code, res = verify(cli)
    assert code == 1 and res["bad_event"] == history + 6


def test_deleted_event_is_detected(cli, engine, history):
    execute(engine, "DELETE FROM audit_events WHERE seq = :s", s=history + 4)
    code, res = verify(cli)
    assert code == 1 and res["bad_event"] == history + 4 and res["problem"] == "audit_gap"


def test_deleted_tail_is_detected(cli, engine, history):
    execute(engine, "DELETE FROM audit_events WHERE seq = :s", s=history + 7)
    code, res = verify(cli)
    assert code == 1 and res["problem"] == "audit_head"
    assert f"names event #{history + 7} but the last one present is #{history + 6}" in res["message"]


@pytest.mark.usefixtures("history")
def test_a_device_changed_behind_the_log_is_detected(cli, engine):
    execute(engine, "UPDATE devices SET state = 'ready' WHERE serial = 'FOC0000A002'")
    code, res = verify(cli)
    assert code == 1 and res["problem"] == "audit_device_state" and res["bad_event"] is None  # every event holds
    assert "FOC0000A002" in res["message"] and "'ready'" in res["message"] and "'collected'" in res["message"]
    r = cli("audit", "verify", lang="fr")
    assert r.exit_code == 1 and "FOC0000A002" in r.output and "hors de reemploi" in r.output


@pytest.mark.usefixtures("history")
def test_a_device_with_no_event_is_detected(cli, engine):
    execute(engine, "INSERT INTO devices (serial, model_id, state, location_id, created_at, updated_at, state_since, "
                    "version) SELECT 'FOC0000Z999', model_id, 'ready', location_id, created_at, updated_at, "
                    "state_since, 1 FROM devices WHERE serial = 'FOC0000A001'")  # fmt: skip
    code, res = verify(cli)
    assert code == 1 and res["problem"] == "audit_device_unlogged" and res["bad_event"] is None
    assert res["message"] == "device FOC0000Z999 has no event in the log: it was added outside reemploi"


def test_inserted_event_is_detected(cli, engine, history):
    # A forged event slipped in the middle: renumber the later ones to make room.
    five = history + 5
    execute(engine, "UPDATE audit_events SET seq = seq + 1000 WHERE seq >= :s", s=five)
    execute(engine, "UPDATE audit_events SET seq = seq - 999 WHERE seq >= :s", s=five + 1000)
    execute(
        engine,
        "INSERT INTO audit_events (seq, at, actor, action, subject_type, subject, from_state, to_state, "
        "location, data, prev_hash, hash, occurred_at) SELECT :s, at, 'mallory', action, subject_type, subject, "
        "from_state, 'lost', location, data, hash, hash, occurred_at FROM audit_events WHERE seq = :s - 1",
        s=five,
    )
    code, res = verify(cli)
    assert code == 1 and res["bad_event"] == five


def test_appended_event_is_detected(cli, engine, history):
    execute(
        engine,
        "INSERT INTO audit_events (seq, at, actor, action, subject_type, subject, from_state, to_state, "
        "location, data, prev_hash, hash, occurred_at) SELECT :s, at, actor, action, subject_type, subject, "
        "from_state, to_state, location, data, hash, hash, occurred_at FROM audit_events WHERE seq = :s - 1",
        s=history + 8,
    )
    code, res = verify(cli)
    assert code == 1 and res["bad_event"] == history + 8


def test_reordered_events_are_detected(cli, engine, history):
    two, three = history + 2, history + 3
    execute(engine, "UPDATE audit_events SET seq = 100000 WHERE seq = :s", s=two)
    execute(engine, "UPDATE audit_events SET seq = :a WHERE seq = :b", a=two, b=three)
    execute(engine, "UPDATE audit_events SET seq = :s WHERE seq = 100000", s=three)
    code, res = verify(cli)
    assert code == 1 and res["bad_event"] == two and res["problem"] == "audit_link"


def test_verify_message_names_the_event_in_both_languages(cli, engine, history):
    execute(engine, "UPDATE audit_events SET actor = 'mallory' WHERE seq = :s", s=history + 2)
    en = cli("audit", "verify")
    fr = cli("audit", "verify", lang="fr")
    assert en.exit_code == fr.exit_code == 1
    assert f"#{history + 2}" in en.output and "edited" in en.output
    assert f"n° {history + 2}" in fr.output and "modifié" in fr.output


@pytest.mark.usefixtures("history")
def test_audit_log_lists_a_device_history(cli):
    r = cli("audit", "log", "foc0000a001", "--json")
    events = json.loads(r.stdout)
    assert [(e["action"], e["to_state"]) for e in events] == [("create", "deployed"), ("transition", "collected")]
    assert events[1]["data"] == {"lot": "P1"} and events[1]["actor"] == "tester"
    lot = json.loads(cli("audit", "log", "P1", "--lot", "--json").stdout)
    assert [e["action"] for e in lot] == ["create"]


@pytest.mark.usefixtures("history")
def test_audit_log_of_an_unknown_subject_says_so(cli):
    r = cli("audit", "log", "NOPE-0001")
    assert r.exit_code == 3 and "Unknown device: NOPE-0001" in r.output
    r = cli("audit", "log", "p1")  # a lot's code, without --lot
    assert r.exit_code == 3 and "it is a lot's code: add --lot" in r.output
    assert cli("audit", "log", "NOPE-LOT", "--lot").exit_code == 3
    assert cli("audit", "log", "P1", "--lot").exit_code == 0

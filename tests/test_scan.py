"""The bench scanner: a device goes from received to ready in a few keys; nothing scanned is lost."""

from __future__ import annotations

import json

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from reemploi.cli.scan import scan
from reemploi.inventory.models import Device, UnmatchedScan
from reemploi.refurb.models import Sanitization, TestRecord

pytestmark = pytest.mark.usefixtures("venues")
AP, AP6, SWITCH = "FOC0000S001", "FOC0000S002", "FOC0000S003"

app = typer.Typer()
app.command("scan")(scan)


@app.callback()
def _group() -> None:
    """Keeps `scan` a sub-command, as in the real app."""


@pytest.fixture
def received(cli, venues, tmp_path):  # type: ignore[no-untyped-def]
    """Two APs (one with a 6 GHz radio) and a switch received at the refurbishment centre."""
    src = tmp_path / "a.csv"
    src.write_text(
        "serial,model,location,state\n"
        f"{AP},C9130AXI,REFURB-IDF,received\n{AP6},C9136I,REFURB-IDF,received\n{SWITCH},C9300-48P,REFURB-IDF,received\n"
    )
    assert cli("devices", "import", str(src)).exit_code == 0
    return AP


def run(db_url, *args, input=None):  # type: ignore[no-untyped-def]
    env = {"REEMPLOI_LANG": "en", "REEMPLOI_ACTOR": "tech1", "COLUMNS": "200"}
    return CliRunner().invoke(app, ["scan", *args, "--db", db_url], input=input, env=env, catch_exceptions=False)


def state(session, serial):  # type: ignore[no-untyped-def]
    session.rollback()
    return session.scalar(select(Device.state).where(Device.serial == serial))


def test_a_device_goes_from_received_to_ready_in_one_session(db_url, session, received):
    r = run(db_url, "--firmware", "17.9.4", "--bench", "B2", input=f"{AP}\np\ns\ny\n\n")
    assert r.exit_code == 0, r.output
    assert state(session, AP) == "ready"
    assert "state received" in r.output and "p test passed" in r.output
    assert f"{AP}: grade A, reuse" in r.output and f"{AP} → sanitized" in r.output and f"{AP} → ready" in r.output
    test = session.scalar(select(TestRecord))
    assert (test.technician, test.bench, test.firmware) == ("tech1", "B2", "17.9.4")
    wipe = session.scalar(select(Sanitization))
    assert (wipe.method, wipe.passed, wipe.operator) == ("config_erase_verify", True, "tech1")


def test_each_key_commits_on_its_own(db_url, session, received):
    # The input ends after `s` (no quit line): what was keyed is kept.
    r = run(db_url, "--firmware", "17.9.4", input=f"{AP}\np\ns\n")
    assert r.exit_code == 0 and state(session, AP) == "sanitized"


def test_a_failed_test_asks_which_fault_then_offers_repair(db_url, session, received):
    r = run(db_url, input=f"{AP6}\nf\n6\nr\nq\n")
    assert r.exit_code == 0, r.output
    assert "which fault?" in r.output and "6 GHz radio" in r.output
    assert f"{AP6}: grade C, repair — a radio fails" in r.output
    assert state(session, AP6) == "in_repair"
    session.rollback()
    assert session.scalar(select(TestRecord.radio_6)) == "fail"


def test_a_switch_is_not_asked_about_radios(db_url, received):
    r = run(db_url, "--json", input=f"{SWITCH}\nf\n")
    events = [json.loads(line) for line in r.stdout.splitlines()]
    faults = [f["fault"] for f in events[-1]["faults"]]
    assert events[-1]["event"] == "fault_choices" and "radio_5" not in faults and "eth" in faults


def test_an_unknown_scan_is_recorded_and_reported(db_url, session, received):
    r = run(db_url, input="FOC9999X999\n\n")
    assert r.exit_code == 1 and "'FOC9999X999': no such device, scan kept" in r.output
    row = session.scalar(select(UnmatchedScan))
    assert (row.code, row.context, row.actor) == ("FOC9999X999", "scan", "tech1")


def test_ready_without_a_wipe_is_refused_with_the_reason_and_changes_nothing(db_url, session, received):
    run(db_url, "--firmware", "17.9.4", input=f"{AP}\np\n\n")
    r = run(db_url, input=f"{AP}\ny\n\n")
    assert r.exit_code == 1
    assert f"{AP}: no passing wipe since the last test" in r.output and "sanitize it" in r.output
    assert state(session, AP) == "tested"


def test_ready_with_old_firmware_is_blocked_until_upgraded(db_url, session, received):
    run(db_url, "--firmware", "17.6.1", input=f"{AP}\np\ns\n\n")
    r = run(db_url, input=f"{AP}\ny\n\n")
    assert "blocked: " in r.output and "below the minimum 17.9.4" in r.output
    assert r.exit_code == 1 and state(session, AP) == "sanitized"
    r = run(db_url, "--firmware", "17.9.5", input=f"{AP}\nu\ny\n\n")
    assert r.exit_code == 0, r.output
    assert state(session, AP) == "ready"


def test_a_key_not_offered_names_the_keys_that_are(db_url, session, received):
    r = run(db_url, input=f"{AP}\nr\nz\n\n")
    assert f"{AP}: 'r' (repair) is not offered for this device (state 'received'); keys: p, w, f" in r.output
    assert "'z': unknown key" in r.output
    assert state(session, AP) == "received"


def test_a_key_before_any_device_asks_for_a_scan(db_url, received):
    r = run(db_url, input="p\n\n")
    assert "Scan a device first." in r.output


def test_the_label_payload_selects_the_device(db_url, session, received):
    r = run(db_url, "--firmware", "17.9.4", input=f"REEMPLOI:D:{AP.lower()}\np\n\n")
    assert r.exit_code == 0 and f"{AP} · C9130AXI" in r.output
    assert state(session, AP) == "tested"


def test_the_action_form_applies_one_action_to_many_serials(db_url, session, received):
    r = run(db_url, "--action", "test-pass", "--firmware", "17.9.4", AP, f"REEMPLOI:D:{AP6}", "--json")
    assert r.exit_code == 0, r.output
    assert [d["serial"] for d in json.loads(r.stdout)["done"]] == [AP, AP6]
    r = run(db_url, "--action", "sanitize", "--json", "-", input=f"{AP}\n{AP6}\nNOSUCH01\n")
    res = json.loads(r.stdout)
    assert r.exit_code == 1 and len(res["done"]) == 2 and res["unknown"] == ["NOSUCH01"]
    r = run(db_url, "--action", "ready", AP, SWITCH, "--json")
    res = json.loads(r.stdout)
    assert r.exit_code == 1 and [d["serial"] for d in res["done"]] == [AP]
    assert res["refused"][0]["serial"] == SWITCH
    assert state(session, AP) == "ready" and state(session, SWITCH) == "received"
    assert session.scalar(select(UnmatchedScan.context)) == "scan"


def test_the_action_form_refuses_bad_usage(db_url, received):
    assert run(db_url, "--action", "test-fail", AP).exit_code == 2
    assert run(db_url, "--action", "upgrade", AP).exit_code == 2
    assert run(db_url, "--action", "teleport", AP).exit_code == 2
    assert run(db_url, AP).exit_code == 2  # serials without --action


def test_the_loop_speaks_json_lines(db_url, received):
    r = run(db_url, "--json", "--firmware", "17.9.4", input=f"{AP}\np\nNOPE1234\n\n")
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert [e["event"] for e in events] == ["device", "done", "device", "unknown"]
    assert events[0]["choices"][0] == {"key": "p", "action": "test-pass"}
    assert events[2]["state"] == "tested" and events[3]["code"] == "scan_unknown_scan"


def test_an_unknown_code_clears_the_device_so_a_key_cannot_act_on_the_one_before(db_url, received):
    r = run(db_url, "--json", "--firmware", "17.9.4", input=f"{AP}\nNOPE1234\np\n\n")
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert [e["event"] for e in events] == ["device", "unknown", "error"]
    assert events[2]["code"] == "scan_no_device"
    assert json.loads(run(db_url, "--json", input=f"{AP}\n\n").stdout.splitlines()[0])["state"] == "received"


def test_a_slip_while_choosing_the_fault_keeps_the_choice_open(db_url, received):
    r = run(db_url, "--json", input=f"{AP}\nf\nzz\no\n\n")
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert [e["event"] for e in events] == ["device", "fault_choices", "error", "done", "device"], events
    assert events[2]["code"] == "scan_bad_fault" and events[4]["state"] == "tested"


def test_the_bench_speaks_french(db_url, received):
    r = run(db_url, "--lang", "fr", input=f"{AP}\n\n")
    assert "état received" in r.output and "aucun test" in r.output and "p test réussi" in r.output


def test_arrow_and_other_control_keys_are_ignored_not_logged(db_url, session, received):
    r = run(db_url, "--firmware", "17.9.4", input=f"\x1b[A\n\x1b[B{AP}\n\x1b[D\np\x1bOP\n\x03\n\n")
    assert r.exit_code == 0, r.output
    assert state(session, AP) == "tested"
    assert session.scalar(select(UnmatchedScan)) is None
    assert "no such device" not in r.output and "unknown key" not in r.output


def test_the_json_device_event_has_a_clean_documented_shape(db_url, received):
    run(db_url, "--firmware", "17.9.4", input=f"{AP}\np\ns\ny\n\n")
    r = run(db_url, "--json", input=f"{AP}\n{AP6}\n\n")
    ready, fresh = (json.loads(line) for line in r.stdout.splitlines())
    assert set(ready) == {
        "event", "serial", "model", "kind", "state", "grade", "last_test", "firmware", "firmware_minimum",
        "firmware_ok", "choices", "faults", "blocked", "note",
    }  # fmt: skip
    assert ready["note"] == "in stock, ready for reuse: nothing to do here"  # a sentence, not a message key
    assert set(ready["last_test"]) == {"at", "grade", "decision", "reason"}
    assert (ready["firmware"], ready["firmware_minimum"], ready["firmware_ok"]) == ("17.9.4", "17.9.4", True)
    assert (fresh["last_test"], fresh["note"], fresh["blocked"]) == (None, None, None)


def test_the_json_device_event_says_why_ready_is_blocked_in_the_users_language(db_url, received):
    run(db_url, "--firmware", "17.6.1", input=f"{AP}\np\ns\n\n")
    r = run(db_url, "--json", "--lang", "fr", input=f"{AP}\n\n")
    blocked = json.loads(r.stdout.splitlines()[0])["blocked"]
    assert blocked["code"] == "guard_firmware" and set(blocked) == {"code", "reason"}
    assert "sous le minimum 17.9.4" in blocked["reason"]
